"""Exports re-read with csv/openpyxl, SVG charts, the public transparency page."""
from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import openpyxl
import pytest

from feedback.quality import charts, exports, reports
from feedback.quality.pages import transparency_rows
from feedback.tables import Ticket
from tests.conftest import run_async
from tests.quality import dataset as ds
from tests.quality.dataset import CALENDAR, MARCH, NOW


@pytest.fixture
def report(settings):
    run_async(ds.build())
    return run_async(reports.full_report(MARCH, scope_agency_id=None, calendar=CALENDAR, now=NOW))


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_summary_csv_matches_the_report(report):
    rows = read_csv(exports.to_csv(exports.summary_table(report)))
    assert rows[0] == ["metric", "label", "value", "previous_period"]
    values = {r[0]: r[2] for r in rows[1:]}
    assert int(values["volume"]) == 6 and int(values["backlog"]) == 3
    assert float(values["res_sla_pct"]) == 50.0 and float(values["fr_sla_pct"]) == 25.0
    assert float(values["resolved_pct"]) == round(4 / 6 * 100, 2)
    assert float(values["res_cal_median_h"]) == 48.5  # (48 h + 49 h) / 2
    assert float(values["csat_pct"]) == round(2 / 3 * 100, 2)
    previous = {r[0]: r[3] for r in rows[1:]}
    assert int(previous["volume"]) == 2


def test_xlsx_workbook_has_every_table_with_the_figures(report):
    data = exports.to_xlsx([build(report) for build in exports.REPORT_TABLES.values()])
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert set(book.sheetnames) == set(exports.REPORT_TABLES)
    agencies = list(book["agencies"].iter_rows(values_only=True))
    header, body = agencies[0], agencies[1:]
    by_code = {row[0]: dict(zip(header, row)) for row in body}
    assert by_code["dpupr"]["tickets"] == 4 and by_code["dlh"]["tickets"] == 2
    assert by_code["dpupr"]["res_sla_pct"] == 50.0
    assert by_code["dpupr"]["resolution_median_h"] == 48.0
    channels = {row[0]: row for row in book["channels"].iter_rows(min_row=2, values_only=True)}
    assert channels["web"][1] == 4 and channels["web"][2] == round(4 / 6 * 100, 2)
    backlog = dict(book["backlog"].iter_rows(min_row=2, values_only=True))
    assert backlog == {"0-3": 1, "4-7": 0, "8-14": 0, "15-30": 1, ">30": 1}
    series = list(book["series"].iter_rows(min_row=2, values_only=True))
    assert sum(r[1] for r in series) == 6 and series[-1][3] == 3


def test_formula_like_text_is_neutralised():
    table = exports.ExportTable("x", "x", ["name"], [("=HYPERLINK(\"http://evil\")",), ("-1+1",), ("Dinas",)])
    rows = read_csv(exports.to_csv(table))
    assert [r[0] for r in rows[1:]] == ["'=HYPERLINK(\"http://evil\")", "'-1+1", "Dinas"]


def test_svg_charts_escape_labels_and_are_well_formed():
    evil = '<script>alert("x")</script> & "quotes"'
    for svg in (charts.bar_chart(evil, [(evil, 50.0), ("ok", None)], unit="%", max_value=100),
                charts.line_chart(evil, ["a", evil], [(evil, [1, None]), ("b", [2, 3])]),
                charts.column_chart(evil, [(evil, 3), ("b", 1)]),
                charts.share_bar(evil, [(evil, 2), ("web", 1)]),
                charts.bar_chart("empty", [])):
        assert "<script>" not in svg
        root = ET.fromstring(svg)
        assert root.tag.endswith("svg")
    bars = ET.fromstring(charts.bar_chart("t", [("a", 100.0), ("b", 50.0)], max_value=100))
    widths = [float(r.get("width")) for r in bars.iter("{http://www.w3.org/2000/svg}rect")]
    assert widths[0] == pytest.approx(2 * widths[1])


def test_transparency_page_shows_aggregates_only(client, settings):
    from feedback.tracking.codes import new_tracking_code

    code = new_tracking_code()
    k = run_async(ds.ids())
    now = datetime.now(UTC)
    run_async(ds.add_ticket(code, agency=k["A"], status="resolved", created_at=now.replace(microsecond=0) - ds.days(3),
                            resolved_at=now - ds.days(1), text="Jalan rusak di depan rumah Bu Sri RAHASIA-123",
                            title="Judul rahasia XYZ", reporter_name="Budi Santoso", reporter_email="budi@example.com",
                            reporter_phone="081234567890", reporter_nik="3273010101010001", location="Jl. Melati 7"))
    run_async(ds.add_ticket(new_tracking_code(), agency=k["B"], created_at=now - ds.days(2)))
    data = run_async(transparency_rows(now=now))
    dpupr = next(r for r in data["rows"] if r["agency"].startswith("Dinas Pekerjaan"))
    assert dpupr["received"] == 1 and dpupr["resolved_pct"] == 100.0 and dpupr["median_days"] == 2.0
    assert set(dpupr) == {"agency", "received", "resolved_pct", "median_days", "ikm", "grade", "grade_label"}
    page = client.get("/transparansi")
    assert page.status_code == 200 and "Dinas Pekerjaan Umum" in page.text
    for secret in ("RAHASIA-123", "Judul rahasia", "Budi", "budi@example.com", "081234567890", "3273010101010001",
                   "Melati", code, code[:4] + "-"):
        assert secret not in page.text
    assert run_async(Ticket.count()) == 2
