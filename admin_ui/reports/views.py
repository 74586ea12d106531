"""Staff report pages under /admin/reports: thin handlers over feedback.quality services."""
from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get
from litestar.exceptions import PermissionDeniedException

from admin_ui.auth import current_staff, requires_roles
from admin_ui.rendering import render
from admin_ui.reports import texts
from feedback.errors import InputError
from feedback.quality import charts, exports, ikm_service, reports
from feedback.quality.periods import ReportFilter, parse_filter, period_bounds
from feedback.quality.sla import load_calendar
from feedback.tables import Agency, Category
from feedback.web.i18n import get_lang

REPORT_ROLES = ("admin", "manager", "agency_staff")


def report_scope(staff: Any) -> int | None:
    """None for roles that see every agency; the own agency for agency staff (403 without one)."""
    if staff.role in ("admin", "manager"):
        return None
    if staff.role == "agency_staff" and staff.agency_id is not None:
        return staff.agency_id
    raise PermissionDeniedException()


def _hours(seconds: float | None) -> float | None:
    return exports.hours(seconds)


def report_charts(report: dict[str, Any], lang: str) -> dict[str, str]:
    tx = texts.translator(lang)
    series = report["series"]
    labels = [p["bucket"][5:] if len(series) > 12 else p["bucket"][:7] for p in series]
    return {
        "volume": charts.line_chart(tx("chart_volume"), labels, [
            (tx("received"), [p["received"] for p in series]), (tx("resolved"), [p["resolved"] for p in series]),
            (tx("backlog"), [p["backlog"] for p in series])]),
        "histogram": charts.column_chart(tx("chart_histogram"), [(h["bin"], h["tickets"]) for h in report["histogram"]]),
        "sla": charts.bar_chart(tx("chart_sla"), [(a["name"] or "—", exports.percent(a["res_sla_compliance"]))
                                                  for a in report["agencies"]], unit="%", max_value=100),
        "channels": charts.share_bar(tx("chart_channels"), [(c["channel"], c["tickets"]) for c in report["channels"]]),
        "backlog": charts.column_chart(tx("chart_backlog"), list(report["backlog"]["buckets"].items()),
                                       color=charts.PALETTE[1]),
    }


class ReportsController(Controller):
    path = "/admin/reports"
    guards = [requires_roles(*REPORT_ROLES)]
    include_in_schema = False

    async def _load(self, request: Request) -> tuple[ReportFilter, int | None, dict[str, Any]]:
        settings = request.app.state.settings
        scope = report_scope(current_staff(request))
        f = parse_filter(request.query_params, tz=settings.timezone)
        calendar = await load_calendar(settings.timezone)
        report = await reports.full_report(f, scope_agency_id=scope, calendar=calendar, tz=settings.timezone)
        return f, scope, report

    async def _choices(self, scope: int | None) -> dict[str, Any]:
        agencies = Agency.select(Agency.id, Agency.name).order_by(Agency.name)
        if scope is not None:
            agencies = agencies.where(Agency.id == scope)
        return {"agencies": await agencies,
                "categories": await Category.select(Category.id, Category.name).order_by(Category.name)}

    @get("/")
    async def index(self, request: Request) -> Response:
        lang = get_lang(request)
        try:
            f, scope, report = await self._load(request)
        except InputError as exc:
            return render(request, "admin/error.html", exc.status_code,
                          messages=[e.message_en if lang == "en" else e.message for e in exc.errors])
        query = urlencode({k: v for k, v in request.query_params.items() if k != "lang"})
        return render(request, "reports/index.html", rt=texts.translator(lang), report=report, f=f,
                      charts=report_charts(report, lang), hours=_hours, pct=exports.percent, q=query,
                      params=dict(request.query_params), **await self._choices(scope))

    @get("/export/{table:str}")
    async def export(self, request: Request, table: str) -> Response:
        name, _, fmt = table.rpartition(".")
        if fmt not in ("csv", "xlsx") or (name not in exports.REPORT_TABLES and name not in ("all", "ikm")):
            raise InputError.single("table", "invalid", "Tabel atau format ekspor tidak dikenal.",
                                    "Unknown export table or format.", 404)
        f, scope, report = await self._load(request)
        if name == "ikm":
            tables = [exports.ikm_elements_table(await ikm_service.ikm_summary(f.start, f.end, scope_agency_id=scope,
                                                                              agency_id=f.agency_id)),
                      exports.ikm_agencies_table(await ikm_service.ikm_by_agency(f.start, f.end, scope_agency_id=scope))]
        elif name == "all":
            tables = [build(report) for build in exports.REPORT_TABLES.values()]
        else:
            tables = [exports.REPORT_TABLES[name](report)]
        stamp = f"{f.start.date().isoformat()}_{f.end.date().isoformat()}"
        if fmt == "csv":
            body, media = exports.to_csv(tables[0]), exports.CSV_MEDIA_TYPE
        else:
            body, media = exports.to_xlsx(tables), exports.XLSX_MEDIA_TYPE
        filename = f"suara-warga-{tables[0].name if len(tables) == 1 or fmt == 'csv' else name}-{stamp}.{fmt}"
        return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{filename}"'})

    @get("/ikm")
    async def ikm(self, request: Request) -> Response:
        lang = get_lang(request)
        settings = request.app.state.settings
        scope = report_scope(current_staff(request))
        params = dict(request.query_params)
        params.setdefault("period", "year")
        f = parse_filter(params, tz=settings.timezone)
        summary = await ikm_service.ikm_summary(f.start, f.end, scope_agency_id=scope, agency_id=f.agency_id)
        by_agency = await ikm_service.ikm_by_agency(f.start, f.end, scope_agency_id=scope)
        series = await ikm_service.ikm_series(f.start, f.end, scope_agency_id=scope, agency_id=f.agency_id,
                                              grain="month" if (f.end - f.start).days <= 400 else "quarter",
                                              tz=settings.timezone)
        tx = texts.translator(lang)
        chart_elements = charts.bar_chart(tx("chart_ikm_elements"), [(f"{k}", v) for k, v in summary["nrr"].items()],
                                          max_value=4)
        chart_series = charts.line_chart(tx("chart_ikm_series"), [p["bucket"][:7] for p in series],
                                         [("IKM", [p["ikm"] for p in series])], y_max=100)
        query = urlencode({k: v for k, v in request.query_params.items() if k != "lang"})
        return render(request, "reports/ikm.html", rt=tx, summary=summary, by_agency=by_agency, f=f, q=query,
                      chart_elements=chart_elements, chart_series=chart_series, params=params,
                      **await self._choices(scope))

    @get("/monthly")
    async def monthly(self, request: Request) -> Response:
        """A printable monthly report for one agency (print stylesheet; the browser prints to PDF)."""
        lang = get_lang(request)
        settings = request.app.state.settings
        scope = report_scope(current_staff(request))
        raw_month = request.query_params.get("month") or date.today().strftime("%Y-%m")
        try:
            anchor = date.fromisoformat(raw_month[:7] + "-01")
        except ValueError:
            raise InputError.single("month", "invalid", "Bulan harus berformat TTTT-BB.", "Month must be YYYY-MM.") from None
        agency_raw = request.query_params.get("agency")
        agency_id = scope if scope is not None else (int(agency_raw) if agency_raw and agency_raw.isdigit() else None)
        f = ReportFilter(*period_bounds("month", anchor, settings.timezone), period="month", agency_id=agency_id)
        calendar = await load_calendar(settings.timezone)
        report = await reports.full_report(f, scope_agency_id=scope, calendar=calendar, tz=settings.timezone)
        ikm = await ikm_service.ikm_summary(f.start, f.end, scope_agency_id=scope, agency_id=agency_id)
        agency = await Agency.select(Agency.name).where(Agency.id == agency_id).first() if agency_id else None
        return render(request, "reports/monthly.html", rt=texts.translator(lang), report=report, ikm=ikm,
                      month=anchor, agency=agency, charts=report_charts(report, lang), hours=_hours,
                      pct=exports.percent, **await self._choices(scope))
