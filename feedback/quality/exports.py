"""CSV and XLSX exports of every report table.

Times are exported in hours and shares in percent, both rounded to 2 decimals; text cells
that a spreadsheet would run as a formula (=, +, -, @) are prefixed with an apostrophe.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook

from feedback.quality.ikm import ELEMENTS
from feedback.quality.stats import AGING_BUCKETS

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"


@dataclass(frozen=True)
class ExportTable:
    name: str          # file/sheet name (ASCII, short)
    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Any]]


def hours(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 3600, 2)


def percent(share: float | None) -> float | None:
    return None if share is None else round(share * 100, 2)


def _safe(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_csv(table: ExportTable) -> bytes:
    """UTF-8 with BOM (so spreadsheet programs detect the encoding), comma separated."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow(["" if v is None else _safe(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(tables: Sequence[ExportTable]) -> bytes:
    """One sheet per table, a bold header row, numbers kept as numbers."""
    book = Workbook()
    book.remove(book.active)
    for table in tables:
        sheet = book.create_sheet(title=table.name[:31])
        sheet.append(list(table.headers))
        for cell in sheet[1]:
            cell.font = cell.font.copy(bold=True)
        for row in table.rows:
            sheet.append([_safe(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- report → tables -------------------------------------------------------------

def summary_table(report: dict[str, Any]) -> ExportTable:
    c, t = report["counts"], report["times"]
    sat, backlog = report["satisfaction"], report["backlog"]
    rows = [
        ("volume", "Tiket diterima / tickets received", c["volume"]),
        ("resolved", "Tiket selesai / resolved", c["resolved"]),
        ("resolved_pct", "% selesai / % resolved", percent(c["resolved_share"])),
        ("backlog", "Tunggakan / backlog", backlog["total"]),
        ("fr_sla_pct", "% tanggapan pertama tepat waktu / first response within SLA", percent(c["fr_sla_compliance"])),
        ("res_sla_pct", "% penyelesaian tepat waktu / resolution within SLA", percent(c["res_sla_compliance"])),
        ("reopen_pct", "% dibuka kembali / reopen rate", percent(c["reopen_rate"])),
        ("reroute_pct", "% dialihkan / re-routing rate", percent(c["reroute_rate"])),
        ("classifier_agreement_pct", "% klasifikasi sesuai petugas / classifier agreement", percent(c["classifier_agreement"])),
        ("satisfaction_n", "Jumlah penilaian / ratings", sat["n"]),
        ("satisfaction_mean", "Rata-rata penilaian / mean rating", None if sat["mean"] is None else round(sat["mean"], 2)),
        ("csat_pct", "CSAT %", percent(sat["csat"])),
    ]
    for key, label in (("fr_cal", "tanggapan pertama / first response (jam kalender / calendar h)"),
                       ("fr_work", "tanggapan pertama / first response (jam kerja / working h)"),
                       ("res_cal", "penyelesaian / resolution (jam kalender / calendar h)"),
                       ("res_work", "penyelesaian / resolution (jam kerja / working h)")):
        rows += [(f"{key}_median_h", f"Median {label}", hours(t[key]["median"])),
                 (f"{key}_p90_h", f"P90 {label}", hours(t[key]["p90"])),
                 (f"{key}_mean_h", f"Rata-rata / mean {label}", hours(t[key]["mean"]))]
    previous = report.get("previous")
    headers = ["metric", "label", "value"]
    if previous:
        prev_map = {"volume": previous["counts"]["volume"],
                    "resolved": previous["counts"]["resolved"],
                    "resolved_pct": percent(previous["counts"]["resolved_share"]),
                    "fr_sla_pct": percent(previous["counts"]["fr_sla_compliance"]),
                    "res_sla_pct": percent(previous["counts"]["res_sla_compliance"]),
                    "csat_pct": percent(previous["satisfaction"]["csat"]),
                    "res_cal_median_h": hours(previous["times"]["res_cal"]["median"])}
        headers.append("previous_period")
        rows = [(*r, prev_map.get(r[0])) for r in rows]
    return ExportTable("summary", "Ringkasan / Summary", headers, rows)


def backlog_table(report: dict[str, Any]) -> ExportTable:
    buckets = report["backlog"]["buckets"]
    return ExportTable("backlog", "Tunggakan per umur / Backlog by age (days)", ["age_days", "tickets"],
                       [(b, buckets[b]) for b in AGING_BUCKETS])


def series_table(report: dict[str, Any]) -> ExportTable:
    return ExportTable("series", "Volume dan tunggakan / Volume and backlog", ["period_start", "received", "resolved", "backlog"],
                       [(p["bucket"], p["received"], p["resolved"], p["backlog"]) for p in report["series"]])


def channels_table(report: dict[str, Any]) -> ExportTable:
    rows = []
    for ch in report["channels"]:
        res, work = ch["resolution"] or {}, ch["resolution_working"] or {}
        rows.append((ch["channel"], ch["tickets"], percent(ch["share"]), hours(res.get("median")),
                     hours(res.get("p90")), hours(res.get("mean")), hours(work.get("median"))))
    return ExportTable("channels", "Kanal / Channels",
                       ["channel", "tickets", "share_pct", "resolution_median_h", "resolution_p90_h",
                        "resolution_mean_h", "resolution_working_median_h"], rows)


def satisfaction_table(report: dict[str, Any]) -> ExportTable:
    dist = report["satisfaction"]["distribution"]
    return ExportTable("satisfaction", "Penilaian / Ratings", ["score", "ratings"], [(s, dist[s]) for s in range(1, 6)])


def agencies_table(report: dict[str, Any]) -> ExportTable:
    rows = [(a["code"] or "", a["name"], a["volume"], a["resolved"], percent(a["resolved_share"]),
             percent(a["fr_sla_compliance"]), percent(a["res_sla_compliance"]), hours(a["median_resolution"]),
             hours(a["median_resolution_working"]), percent(a["reopen_rate"]), percent(a["reroute_rate"]))
            for a in report["agencies"]]
    return ExportTable("agencies", "Instansi / Agencies",
                       ["agency_code", "agency", "tickets", "resolved", "resolved_pct", "fr_sla_pct", "res_sla_pct",
                        "resolution_median_h", "resolution_working_median_h", "reopen_pct", "reroute_pct"], rows)


def ikm_elements_table(ikm: dict[str, Any]) -> ExportTable:
    rows = [(code, name, ikm["result"].answered[code] if ikm["result"] else 0,
             None if code not in ikm["nrr"] else round(ikm["nrr"][code], 4)) for code, name in ELEMENTS.items()]
    rows.append(("IKM", f"{ikm['grade'] or ''} {ikm['label'] or ''}".strip(), ikm["respondents"], ikm["ikm"]))
    return ExportTable("ikm_elements", "NRR per unsur / NRR per element", ["element", "name", "answers", "nrr"], rows)


def ikm_agencies_table(rows: list[dict[str, Any]]) -> ExportTable:
    return ExportTable("ikm_agencies", "IKM per instansi / IKM per agency",
                       ["agency_code", "agency", "respondents", "required_sample", "ikm", "grade", "label"],
                       [(r["code"] or "", r["name"], r["respondents"], r["required_sample"], r["ikm"], r["grade"], r["label"])
                        for r in rows])


REPORT_TABLES = {
    "summary": summary_table, "backlog": backlog_table, "series": series_table, "channels": channels_table,
    "satisfaction": satisfaction_table, "agencies": agencies_table,
}
