"""Public quality pages: /transparansi (aggregates only) and the /survei IKM survey."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import State
from litestar.response import Redirect, Template

from feedback.errors import InputError
from feedback.quality import ikm as ikm_module
from feedback.quality.ikm_service import ikm_by_agency, resolve_target, store_survey
from feedback.quality.periods import ReportFilter
from feedback.quality.reports import agencies as agency_figures
from feedback.quality.sla import load_calendar
from feedback.tables import Agency
from feedback.web.i18n import get_lang, make_translator
from feedback.web.pages import page

TRANSPARENCY_DAYS = 365

TEXTS: dict[str, dict[str, str]] = {
    "transparency_title": {"id": "Transparansi layanan", "en": "Service transparency"},
    "transparency_lead": {"id": "Angka agregat 12 bulan terakhir per instansi. Tidak memuat data pribadi atau isi laporan.",
                          "en": "Aggregate figures for the last 12 months per agency. No personal data or report texts."},
    "agency": {"id": "Instansi", "en": "Agency"},
    "received": {"id": "Laporan diterima", "en": "Reports received"},
    "resolved_pct": {"id": "% selesai", "en": "% resolved"},
    "median_days": {"id": "Median waktu penyelesaian (hari)", "en": "Median resolution time (days)"},
    "ikm": {"id": "IKM (mutu)", "en": "IKM (grade)"},
    "total": {"id": "Semua instansi", "en": "All agencies"},
    "period": {"id": "Periode", "en": "Period"},
    "survey_title": {"id": "Survei Kepuasan Masyarakat (IKM)", "en": "Public Satisfaction Survey (IKM)"},
    "survey_lead": {"id": "Survei sesuai PermenPANRB 14/2017. Pilih satu jawaban untuk setiap pertanyaan. Jawaban Anda anonim.",
                    "en": "Survey per PermenPANRB 14/2017. Choose one answer for each question. Your answers are anonymous."},
    "survey_for": {"id": "Survei untuk", "en": "Survey for"},
    "choose_agency": {"id": "Instansi yang Anda nilai", "en": "Agency you are rating"},
    "profile": {"id": "Profil responden", "en": "Respondent profile"},
    "sex": {"id": "Jenis kelamin", "en": "Sex"},
    "age": {"id": "Usia", "en": "Age"},
    "education": {"id": "Pendidikan terakhir", "en": "Education"},
    "occupation": {"id": "Pekerjaan utama", "en": "Occupation"},
    "suggestion": {"id": "Saran (opsional)", "en": "Suggestion (optional)"},
    "choose": {"id": "— pilih —", "en": "— choose —"},
    "send": {"id": "Kirim survei", "en": "Send survey"},
    "thanks_title": {"id": "Terima kasih", "en": "Thank you"},
    "thanks_text": {"id": "Jawaban survei Anda sudah kami terima dan akan digunakan untuk memperbaiki pelayanan.",
                    "en": "We have received your survey answers; they will be used to improve the service."},
    "errors_intro": {"id": "Mohon perbaiki isian berikut:", "en": "Please correct the following:"},
    "report_ref": {"id": "Laporan", "en": "Report"},
}


def texts(lang: str):
    return make_translator((TEXTS,), lang)


async def transparency_rows(*, now: datetime | None = None, tz: str = "Asia/Jakarta") -> dict[str, Any]:
    """Per agency over the last 12 months: received, % resolved, median resolution (days), IKM.

    Only aggregates leave this function: no ticket texts, names, contacts or codes.
    """
    now = (now or datetime.now(UTC)).astimezone(UTC)
    start = now - timedelta(days=TRANSPARENCY_DAYS)
    f = ReportFilter(start=start, end=now, period="custom")
    calendar = await load_calendar(tz)
    figures = await agency_figures(f, scope_agency_id=None, calendar=calendar, tz=tz, now=now, working=False)
    ikm = {r["agency_id"]: r for r in await ikm_by_agency(start, now, scope_agency_id=None)}
    rows = []
    for a in figures:
        if a["agency_id"] is None:
            continue
        i = ikm.get(a["agency_id"], {})
        rows.append({"agency": a["name"], "received": a["volume"], "resolved_pct": _pct(a["resolved_share"]),
                     "median_days": None if a["median_resolution"] is None else round(a["median_resolution"] / 86400, 1),
                     "ikm": i.get("ikm"), "grade": i.get("grade"), "grade_label": i.get("label")})
    rows.sort(key=lambda r: (-r["received"], r["agency"]))
    total = sum(r["received"] for r in rows)
    return {"start": start, "end": now, "rows": rows, "total_received": total}


def _pct(share: float | None) -> float | None:
    return None if share is None else round(share * 100, 1)


def _survey_context(request: Request, target: Any, agencies: list[dict], values: dict, errors: list[str]) -> dict:
    lang = get_lang(request)
    en = lang == "en"
    elements = [{
        "code": code, "field": code.lower(), "name": (ikm_module.ELEMENTS_EN if en else ikm_module.ELEMENTS)[code],
        "question": (ikm_module.QUESTIONS_EN if en else ikm_module.QUESTIONS)[code],
        "options": list((ikm_module.ANSWER_OPTIONS_EN if en else ikm_module.ANSWER_OPTIONS)[code].items()),
    } for code in ikm_module.ELEMENTS]
    pick = 2 if en else 1
    profile = {name: [(row[0], row[pick]) for row in options] for name, options in (
        ("sex", ikm_module.SEX_OPTIONS), ("age_band", ikm_module.AGE_BANDS),
        ("education", ikm_module.EDUCATION_OPTIONS), ("occupation", ikm_module.OCCUPATION_OPTIONS))}
    return {"tx": texts(lang), "target": target, "agencies": agencies, "elements": elements,
            "profile": profile, "values": values, "errors": errors, "query": request.url.query or ""}


class QualityPublicController(Controller):
    path = "/"
    include_in_schema = False

    @get("/transparansi")
    async def transparency(self, request: Request, state: State) -> Template:
        data = await transparency_rows(tz=state.settings.timezone)
        return page(request, "quality/transparency.html", tx=texts(get_lang(request)), data=data)

    async def _target(self, request: Request):
        q = request.query_params
        return await resolve_target(ticket_code=q.get("ticket"), agency_code=q.get("agency"), channel=q.get("channel"))

    async def _agencies(self) -> list[dict]:
        return await Agency.select(Agency.code, Agency.name).where(Agency.active == True).order_by(Agency.name)  # noqa: E712

    @get("/survei")
    async def survey_form(self, request: Request) -> Template:
        try:
            target = await self._target(request)
        except InputError as exc:
            return self._error_page(request, exc)
        return page(request, "quality/survey.html", **_survey_context(request, target, await self._agencies(), {}, []))

    @post("/survei")
    async def survey_submit(self, request: Request, state: State) -> Template | Redirect:
        await state.rate_limiter.hit(request, "survey")
        form = await request.form()
        values = {k: v for k, v in form.items() if isinstance(v, str)}
        try:
            target = await self._target(request)
        except InputError as exc:
            return self._error_page(request, exc)
        try:
            await store_survey(values, target)
        except InputError as exc:
            lang = get_lang(request)
            messages = [e.message_en if lang == "en" else e.message for e in exc.errors]
            context = _survey_context(request, target, await self._agencies(), values, messages)
            return page(request, "quality/survey.html", status_code=exc.status_code, **context)
        return Redirect("/survei/terima-kasih", status_code=303)

    @get("/survei/terima-kasih")
    async def survey_thanks(self, request: Request) -> Template:
        return page(request, "quality/survey_thanks.html", tx=texts(get_lang(request)))

    def _error_page(self, request: Request, exc: InputError) -> Template:
        lang = get_lang(request)
        messages = [e.message_en if lang == "en" else e.message for e in exc.errors]
        return page(request, "quality/survey_error.html", status_code=exc.status_code, tx=texts(lang), errors=messages)


def route_handlers() -> list[Any]:
    return [QualityPublicController]
