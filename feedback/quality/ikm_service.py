"""IKM survey responses: validation and storage, and the index per agency and period (PermenPANRB 14/2017).

The index is computed by compute_ikm from per-element score counts aggregated in SQL
(NRR depends only on each element's total and number of answers), so no response rows
are loaded.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from feedback.errors import FieldError, InputError
from feedback.quality.ikm import (
    AGE_BANDS, EDUCATION_OPTIONS, ELEMENTS, ELEMENTS_EN, OCCUPATION_OPTIONS, SEX_OPTIONS,
    IkmError, IkmResult, age_band, compute_ikm, required_sample_size,
)
from feedback.quality.report_sql import bucket_key, current_dialect, fetch
from feedback.tables import Agency, IkmResponse
from feedback.tracking.public import TicketNotFound, find_ticket_by_code

SURVEY_CHANNELS = ("web", "counter", "email")
MAX_SUGGESTION_CHARS = 2000
_CODES = {
    "sex": {c for c, _, _ in SEX_OPTIONS},
    "age_band": {c for c, _, _ in AGE_BANDS},
    "education": {c for c, _, _ in EDUCATION_OPTIONS},
    "occupation": {c for c, _, _ in OCCUPATION_OPTIONS},
}
_PROFILE_LABELS = {"sex": ("Jenis kelamin", "Sex"), "age_band": ("Usia", "Age"),
                   "education": ("Pendidikan", "Education"), "occupation": ("Pekerjaan", "Occupation")}
_SURVEYABLE_STATUSES = ("resolved", "closed")


@dataclass(frozen=True)
class SurveyTarget:
    """Who the survey is about: an agency, optionally a resolved ticket, and the channel."""

    agency_id: int | None
    agency_code: str | None
    agency_name: str | None
    ticket_id: int | None
    channel: str


def _field(name: str, message: str, message_en: str, code: str = "invalid") -> FieldError:
    return FieldError(name, code, message, message_en)


def validate_survey(form: Mapping[str, Any]) -> dict[str, Any]:
    """Check a submitted survey form; returns clean values or raises InputError listing every problem."""
    errors: list[FieldError] = []
    clean: dict[str, Any] = {}
    for code in ELEMENTS:
        raw = form.get(code.lower()) or form.get(code)
        try:
            score = int(str(raw).strip()) if raw not in (None, "") else None
        except ValueError:
            score = None
        if score is None or not 1 <= score <= 4:
            errors.append(_field(code.lower(), f"{code} ({ELEMENTS[code]}): pilih salah satu jawaban 1–4.",
                                 f"{code} ({ELEMENTS_EN[code]}): choose one answer, 1–4.", "required"))
        else:
            clean[code.lower()] = score
    raw_age = str(form.get("age") or "").strip()
    if raw_age and not form.get("age_band"):
        # The regulation's form asks the age in years; we store its band.
        try:
            clean["age_band"] = age_band(int(raw_age))
        except (ValueError, IkmError):
            errors.append(_field("age", "Usia harus berupa angka tahun.", "Age must be a whole number of years."))
    for name, allowed in _CODES.items():
        if name in clean or (name == "age_band" and raw_age and not form.get("age_band")):
            continue
        value = str(form.get(name) or "").strip()
        if value not in allowed:
            label_id, label_en = _PROFILE_LABELS[name]
            errors.append(_field(name, f"{label_id}: pilih salah satu pilihan.", f"{label_en}: choose one option.", "required"))
        else:
            clean[name] = value
    suggestion = str(form.get("suggestion") or "").strip()
    if len(suggestion) > MAX_SUGGESTION_CHARS:
        errors.append(_field("suggestion", f"Saran paling banyak {MAX_SUGGESTION_CHARS} karakter.",
                             f"The suggestion may be at most {MAX_SUGGESTION_CHARS} characters."))
    clean["suggestion"] = suggestion or None
    if errors:
        raise InputError(errors, 400)
    return clean


async def resolve_target(*, ticket_code: str | None = None, agency_code: str | None = None,
                         channel: str | None = None) -> SurveyTarget:
    """Who a survey is for: ?ticket=<code> (a resolved ticket) or ?agency=CODE (counter or web)."""
    channel = (channel or "web").strip()
    if channel not in SURVEY_CHANNELS:
        raise InputError.single("channel", "invalid", "Kanal survei tidak dikenal.", "Unknown survey channel.")
    if ticket_code:
        try:
            ticket = await find_ticket_by_code(ticket_code)
        except TicketNotFound:
            raise InputError.single("ticket", "not_found", "Kode pelacakan tidak ditemukan.",
                                    "Tracking code not found.", 404) from None
        if ticket["status"] not in _SURVEYABLE_STATUSES:
            raise InputError.single("ticket", "not_resolved", "Survei dapat diisi setelah laporan selesai ditangani.",
                                    "The survey opens once the report has been resolved.", 409)
        agency = None
        if ticket["agency"]:
            agency = await Agency.select(Agency.id, Agency.code, Agency.name).where(Agency.id == ticket["agency"]).first()
        return SurveyTarget(agency and agency["id"], agency and agency["code"], agency and agency["name"],
                            ticket["id"], channel if channel != "web" else ticket["channel"] if ticket["channel"] in SURVEY_CHANNELS else "web")
    if agency_code:
        agency = await Agency.select(Agency.id, Agency.code, Agency.name).where(
            (Agency.code == agency_code.strip().lower()) & (Agency.active == True)  # noqa: E712
        ).first()
        if agency is None:
            raise InputError.single("agency", "not_found", "Instansi tidak ditemukan.", "Agency not found.", 404)
        return SurveyTarget(agency["id"], agency["code"], agency["name"], None, channel)
    if channel == "counter":
        raise InputError.single("agency", "required", "Survei loket memerlukan kode instansi.",
                                "A counter survey needs the agency code.")
    return SurveyTarget(None, None, None, None, channel)


async def store_survey(form: Mapping[str, Any], target: SurveyTarget) -> int:
    """Validate and store one respondent's answers; returns the new response id."""
    clean = validate_survey(form)
    agency_id = target.agency_id
    if agency_id is None:
        agency_code = str(form.get("agency") or "").strip()
        if not agency_code:
            raise InputError.single("agency", "required", "Pilih instansi yang Anda nilai.", "Choose the agency you are rating.")
        agency_id = (await resolve_target(agency_code=agency_code, channel=target.channel)).agency_id
    if target.ticket_id is not None:
        exists = await IkmResponse.exists().where(IkmResponse.ticket == target.ticket_id)
        if exists:
            raise InputError.single("ticket", "duplicate", "Survei untuk laporan ini sudah diisi. Terima kasih.",
                                    "A survey for this report has already been submitted. Thank you.", 409)
    row = IkmResponse(ticket=target.ticket_id, agency=agency_id, channel=target.channel,
                      created_at=datetime.now(UTC), **clean)
    await row.save()
    return row.id


# --- the index ------------------------------------------------------------------

def _count_columns() -> str:
    return ", ".join(f"SUM(CASE WHEN r.{e.lower()} = {s} THEN 1 ELSE 0 END) AS {e.lower()}_{s}"
                     for e in ELEMENTS for s in range(1, 5))


def _responses_from_counts(row: Mapping[str, Any]) -> Iterator[dict[str, int]]:
    """Responses with the same per-element score counts as the stored ones (all NRR needs)."""
    columns = {e: [s for s in range(1, 5) for _ in range(int(row.get(f"{e.lower()}_{s}") or 0))] for e in ELEMENTS}
    longest = max((len(v) for v in columns.values()), default=0)
    for i in range(longest):
        yield {e: scores[i] for e, scores in columns.items() if i < len(scores)}


def _where(start: datetime, end: datetime, agency_id: int | None, scope_agency_id: int | None,
           channel: str | None = None) -> tuple[str, list[Any]]:
    parts, params = ["r.created_at >= {}", "r.created_at < {}"], [start.astimezone(UTC), end.astimezone(UTC)]
    for value in (agency_id, scope_agency_id):
        if value is not None:
            parts.append("r.agency = {}")
            params.append(value)
    if channel:
        parts.append("r.channel = {}")
        params.append(channel)
    return " AND ".join(parts), params


def _summary(row: Mapping[str, Any], population: int | None) -> dict[str, Any]:
    respondents = int(row.get("respondents") or 0)
    result: IkmResult | None = None
    error = None
    try:
        result = compute_ikm(_responses_from_counts(row)) if respondents else None
    except IkmError as exc:
        error = str(exc)
    required = required_sample_size(population) if population else None
    return {
        "respondents": respondents,
        "population": population,
        "required_sample": required,
        "sample_sufficient": None if required is None else respondents >= required,
        "result": result,
        "ikm": result.ikm if result else None,
        "grade": result.grade if result else None,
        "label": result.label if result else None,
        "nrr": dict(result.nrr) if result else {},
        "weakest": result.weakest_elements()[:3] if result else [],
        "error": error,
    }


async def _population(start: datetime, end: datetime, agency_id: int | None) -> int:
    where = "created_at >= {} AND created_at < {}" + (" AND agency = {}" if agency_id is not None else "")
    params = [start.astimezone(UTC), end.astimezone(UTC)] + ([agency_id] if agency_id is not None else [])
    rows = await fetch(f"SELECT COUNT(*) AS n FROM ticket WHERE {where}", params)
    return int(rows[0]["n"])


async def ikm_summary(start: datetime, end: datetime, *, scope_agency_id: int | None, agency_id: int | None = None,
                      channel: str | None = None, population: int | None = None) -> dict[str, Any]:
    """IKM, NRR per element and respondents vs required sample for one agency (or all) and period.

    population defaults to the tickets received in the period (the service users we know of).
    """
    where, params = _where(start, end, agency_id, scope_agency_id, channel)
    rows = await fetch(f"SELECT COUNT(*) AS respondents, {_count_columns()} FROM ikm_response r WHERE {where}", params)
    if population is None:
        population = await _population(start, end, scope_agency_id if scope_agency_id is not None else agency_id)
    return _summary(rows[0], population or None)


async def ikm_by_agency(start: datetime, end: datetime, *, scope_agency_id: int | None) -> list[dict[str, Any]]:
    """The IKM of every agency with responses in the period (ranked by IKM, highest first)."""
    where, params = _where(start, end, None, scope_agency_id)
    rows = await fetch(f"SELECT r.agency AS agency, COUNT(*) AS respondents, {_count_columns()} "
                       f"FROM ikm_response r WHERE {where} AND r.agency IS NOT NULL GROUP BY r.agency", params)
    pops = await fetch("SELECT agency, COUNT(*) AS n FROM ticket WHERE created_at >= {} AND created_at < {} "
                       "AND agency IS NOT NULL GROUP BY agency", [start.astimezone(UTC), end.astimezone(UTC)])
    population = {r["agency"]: int(r["n"]) for r in pops}
    names = {r["id"]: r for r in await Agency.select(Agency.id, Agency.code, Agency.name)}
    out = []
    for r in rows:
        agency = names.get(r["agency"], {})
        out.append({"agency_id": r["agency"], "code": agency.get("code"), "name": agency.get("name"),
                    **_summary(r, population.get(r["agency"]))})
    out.sort(key=lambda a: (-(a["ikm"] or 0), str(a["name"])))
    return out


async def ikm_series(start: datetime, end: datetime, *, scope_agency_id: int | None, grain: str = "month",
                     tz: str = "Asia/Jakarta", agency_id: int | None = None) -> list[dict[str, Any]]:
    """IKM per month/quarter/year (buckets with no responses are left out)."""
    d = current_dialect(tz)
    where, params = _where(start, end, agency_id, scope_agency_id)
    rows = await fetch(f"SELECT {d.day_number('r.created_at')} AS dn, COUNT(*) AS respondents, {_count_columns()} "
                       f"FROM ikm_response r WHERE {where} GROUP BY dn", params)
    buckets: dict[str, dict[str, int]] = {}
    for r in rows:  # per-day counts add up to per-bucket counts
        total = buckets.setdefault(bucket_key(r["dn"], grain), {})
        for key, value in r.items():
            if key != "dn":
                total[key] = total.get(key, 0) + int(value or 0)
    return [{"bucket": key, **_summary(buckets[key], None)} for key in sorted(buckets)]
