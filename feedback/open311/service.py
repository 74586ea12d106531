"""Open311 GeoReport v2 on top of our tickets: services = categories, requests = tickets.

Reporter identity (name, email, phone) is stored like any other channel's and never returned.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Mapping

from feedback.errors import InputError
from feedback.intake.messages import Channel, IntakeMessage, Privacy, TicketKind
from feedback.intake.services import TicketDispatcher, create_ticket
from feedback.privacy import mask_pii
from feedback.settings import Settings
from feedback.tables import Category, Ticket, TicketEvent
from feedback.tracking.codes import normalize_code
from feedback.tracking.lifecycle import record_event, utcnow
from feedback.tracking.statuses import OPEN_STATUSES, TicketStatus

MAX_DESCRIPTION_CHARS = 4000
MAX_RESULTS = 1000
DEFAULT_WINDOW = timedelta(days=90)
MAX_MEDIA_URL_CHARS = 1000
SUBMIT_EVENT = "open311_submitted"
OPEN_VALUES = frozenset(s.value for s in OPEN_STATUSES)
SERVICE_NOTICE = ("Simpan service_request_id ini sebagai kode pelacakan. / "
                  "Keep this service_request_id: it is the citizen's tracking code.")
# Where the Open311 field names differ from ours (used in error descriptions).
FIELD_NAMES = {"text": "description", "location": "address_string", "reporter.email": "email",
               "reporter.phone": "phone", "reporter_name": "first_name", "title": "service_code"}


class Open311Error(Exception):
    """One or more spec errors: each a (code, description) pair; the HTTP status is the first code."""

    def __init__(self, status: int, description: str, more: list[tuple[int, str]] | None = None):
        super().__init__(description)
        self.status = status
        self.errors = [(status, description), *(more or [])]


def _bilingual(en: str, id_: str) -> str:
    return f"{en} / {id_}"


def not_found(what: str) -> Open311Error:
    return Open311Error(404, _bilingual(f"{what} not found.", f"{what} tidak ditemukan."))


def iso(dt: datetime | None) -> str | None:
    return dt.astimezone(timezone.utc).replace(microsecond=0).isoformat() if dt else None


def open311_status(status: str) -> str:
    return "open" if status in OPEN_VALUES else "closed"


async def list_services() -> list[dict[str, Any]]:
    rows = await Category.select(
        Category.code, Category.name, Category.description, Category.default_agency.name.as_alias("agency_name"),
    ).where(Category.active == True).order_by(Category.code)  # noqa: E712
    return [
        {
            "service_code": row["code"],
            "service_name": row["name"],
            "description": row["description"],
            "metadata": False,
            "type": "realtime",
            "keywords": "",
            "group": row["agency_name"] or "",
        }
        for row in rows
    ]


async def service_definition(service_code: str) -> dict[str, Any]:
    if not await Category.exists().where((Category.code == service_code) & (Category.active == True)):  # noqa: E712
        raise not_found("service_code")
    return {"service_code": service_code, "attributes": []}


# ---------------------------------------------------------------- write side

def _field(form: Mapping[str, Any], name: str) -> str | None:
    value = form.get(name)
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value or None


def _coordinate(form: Mapping[str, Any], name: str, errors: list[tuple[int, str]]) -> float | None:
    raw = _field(form, name)
    if raw is None:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        errors.append((400, _bilingual(f"{name} must be a number.", f"{name} harus berupa angka.")))
        return None
    return value


@dataclass
class ParsedRequest:
    message: IntakeMessage
    service_code: str | None
    media_url: str | None


async def parse_request(form: Mapping[str, Any], key_name: str) -> ParsedRequest:
    """Turn a POST requests form into an IntakeMessage, or raise Open311Error (400) listing every problem."""
    errors: list[tuple[int, str]] = []
    description = form.get("description") if isinstance(form.get("description"), str) else None
    if not description or not description.strip():
        errors.append((400, _bilingual("description is required.", "description (isi laporan) wajib diisi.")))
    elif len(description) > MAX_DESCRIPTION_CHARS:
        errors.append((400, _bilingual(f"description is longer than {MAX_DESCRIPTION_CHARS} characters.",
                                       f"description lebih dari {MAX_DESCRIPTION_CHARS} karakter.")))
    lat, long = _coordinate(form, "lat", errors), _coordinate(form, "long", errors)
    address = _field(form, "address_string") or (f"address_id: {_field(form, 'address_id')}" if _field(form, "address_id") else None)
    if (lat is None or long is None) and address is None and not any(code == 400 and "lat" in d for code, d in errors):
        errors.append((400, _bilingual("A location is required: lat and long, or address_string.",
                                       "Lokasi wajib diisi: lat dan long, atau address_string.")))
    if lat is None or long is None:
        lat = long = None  # a lone coordinate is not a location; the address (if any) is
    service_code = _field(form, "service_code")
    service_name = None
    if service_code is not None:
        row = await Category.select(Category.name).where((Category.code == service_code) & (Category.active == True)).first()  # noqa: E712
        if row is None:
            errors.append((400, _bilingual(f"service_code {service_code[:64]!r} is not a known service.",
                                           f"service_code {service_code[:64]!r} tidak dikenal.")))
        else:
            service_name = row["name"]
    media_url = _field(form, "media_url")
    if media_url is not None and (len(media_url) > MAX_MEDIA_URL_CHARS or not media_url.lower().startswith(("http://", "https://"))
                                  or any(ch.isspace() for ch in media_url)):
        errors.append((400, _bilingual("media_url must be an http(s) URL of at most 1000 characters.",
                                       "media_url harus URL http(s) maksimal 1000 karakter.")))
    if errors:
        raise Open311Error(errors[0][0], errors[0][1], errors[1:])
    name = " ".join(part for part in (_field(form, "first_name"), _field(form, "last_name")) if part) or None
    message = IntakeMessage(
        text=description or "", channel=Channel.API, kind=TicketKind.COMPLAINT,
        # The service the partner chose is a hint for the classifier; routing still decides.
        title=service_name, location=address, lat=lat, long=long,
        reporter_name=name, reporter_email=_field(form, "email"), reporter_phone=_field(form, "phone"),
        privacy=Privacy.PUBLIC, source_ref=f"open311:{key_name}",
    )
    return ParsedRequest(message=message, service_code=service_code, media_url=media_url)


def input_error_to_open311(exc: InputError) -> Open311Error:
    pairs = [(400, _bilingual(f"{FIELD_NAMES.get(e.field, e.field)}: {e.message_en}", e.message)) for e in exc.errors]
    pairs = pairs or [(400, _bilingual("Invalid input.", "Data tidak valid."))]
    return Open311Error(pairs[0][0], pairs[0][1], pairs[1:])


async def submit_request(form: Mapping[str, Any], key: dict[str, Any], settings: Settings,
                         dispatcher: TicketDispatcher | None) -> dict[str, Any]:
    """Create the ticket for an authenticated partner; returns the spec's POST response item."""
    parsed = await parse_request(form, key["name"])
    try:
        ticket = await create_ticket(parsed.message, settings, dispatcher)
    except InputError as exc:
        raise input_error_to_open311(exc) from exc
    await Ticket.update({Ticket.open311_key: key["id"]}).where(Ticket.id == ticket["id"])
    # media_url is kept as text for staff and Open311 readers; it is never fetched.
    await record_event(ticket["id"], SUBMIT_EVENT, actor_label="open311",
                       note=f"media_url: {parsed.media_url}" if parsed.media_url else None,
                       data={"key_id": key["id"], "key_name": key["name"], "service_code": parsed.service_code,
                             "media_url": parsed.media_url})
    return {"service_request_id": ticket["tracking_code"], "service_notice": SERVICE_NOTICE, "account_id": None}


async def token_lookup(token: str) -> dict[str, Any]:
    """Our ids exist at once, so a token is the service_request_id itself."""
    code = normalize_code(token)
    if code is None or not await Ticket.exists().where(Ticket.tracking_code == code):
        raise not_found("token")
    return {"service_request_id": code, "token": code}


# ---------------------------------------------------------------- read side

def parse_datetime(name: str, raw: str | None) -> datetime | None:
    if raw is None or not raw.strip():
        return None
    try:
        value = datetime.fromisoformat(raw.strip().replace("z", "Z").replace("Z", "+00:00"))
    except ValueError as exc:
        raise Open311Error(400, _bilingual(f"{name} must be a W3C datetime such as 2026-01-31T00:00:00Z.",
                                           f"{name} harus berformat tanggal W3C, misalnya 2026-01-31T00:00:00Z.")) from exc
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _comma_list(raw: str | None) -> list[str]:
    return [part.strip() for part in (raw or "").split(",") if part.strip()]


def date_window(start_raw: str | None, end_raw: str | None, now: datetime | None = None) -> tuple[datetime, datetime]:
    """The spec's window: at most 90 days, the most recent 90 days by default."""
    start, end = parse_datetime("start_date", start_raw), parse_datetime("end_date", end_raw)
    now = now or utcnow()
    if start is None and end is None:
        end = now
    if start is None:
        start = end - DEFAULT_WINDOW
    if end is None:
        end = start + DEFAULT_WINDOW
    if start > end:
        raise Open311Error(400, _bilingual("start_date is after end_date.", "start_date lebih akhir dari end_date."))
    if end - start > DEFAULT_WINDOW:
        raise Open311Error(400, _bilingual("The date range may not span more than 90 days.",
                                           "Rentang tanggal tidak boleh lebih dari 90 hari."))
    return start, end


def _request_columns() -> list[Any]:
    return [
        Ticket.id, Ticket.tracking_code, Ticket.status, Ticket.text, Ticket.location, Ticket.lat, Ticket.long,
        Ticket.created_at, Ticket.updated_at, Ticket.due_at, Ticket.reject_reason,
        Ticket.category.code.as_alias("category_code"), Ticket.category.name.as_alias("category_name"),
        Ticket.agency.name.as_alias("agency_name"),
    ]


async def _submission_data(ticket_ids: list[int]) -> dict[int, dict[str, Any]]:
    if not ticket_ids:
        return {}
    rows = await TicketEvent.select(TicketEvent.ticket, TicketEvent.data).where(
        (TicketEvent.event_type == SUBMIT_EVENT) & TicketEvent.ticket.is_in(ticket_ids)
    ).output(load_json=True)
    return {row["ticket"]: row["data"] if isinstance(row["data"], dict) else {} for row in rows}


async def _hint_names(codes: set[str]) -> dict[str, str]:
    if not codes:
        return {}
    rows = await Category.select(Category.code, Category.name).where(Category.code.is_in(sorted(codes)))
    return {row["code"]: row["name"] for row in rows}


async def _render(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    extra = await _submission_data([row["id"] for row in rows])
    hints = await _hint_names({d["service_code"] for d in extra.values() if d.get("service_code")})
    out = []
    for row in rows:
        data = extra.get(row["id"], {})
        hint = data.get("service_code") if not row["category_code"] else None
        out.append({
            "service_request_id": row["tracking_code"],
            "status": open311_status(row["status"]),
            "status_notes": row["reject_reason"] if row["status"] == TicketStatus.REJECTED.value else None,
            "service_name": row["category_name"] or hints.get(hint),
            "service_code": row["category_code"] or hint,
            "description": mask_pii(row["text"]),
            "agency_responsible": row["agency_name"],
            "service_notice": None,
            "requested_datetime": iso(row["created_at"]),
            "updated_datetime": iso(row["updated_at"]),
            "expected_datetime": iso(row["due_at"]),
            "address": mask_pii(row["location"]) if row["location"] else None,
            "address_id": None,
            "zipcode": None,
            "lat": row["lat"],
            "long": row["long"],
            "media_url": data.get("media_url"),
        })
    return out


async def get_request(raw_id: str) -> dict[str, Any]:
    code = normalize_code(raw_id)
    row = await Ticket.select(*_request_columns()).where(Ticket.tracking_code == code).first() if code else None
    if row is None:
        raise not_found("service_request_id")
    return (await _render([row]))[0]


async def search_requests(params: Mapping[str, Any]) -> list[dict[str, Any]]:
    """GET requests: by id list (any ticket, the ids are tracking codes) or by filters (Open311 submissions)."""
    def param(name: str) -> str | None:
        value = params.get(name)
        return value if isinstance(value, str) else None

    ids = _comma_list(param("service_request_id"))
    if ids:
        codes = [c for c in (normalize_code(i) for i in ids[:MAX_RESULTS]) if c]
        if not codes:
            return []
        rows = await Ticket.select(*_request_columns()).where(Ticket.tracking_code.is_in(codes)).order_by(
            Ticket.created_at, ascending=False)
        return await _render(rows)
    statuses = [s.lower() for s in _comma_list(param("status"))]
    if any(s not in ("open", "closed") for s in statuses):
        raise Open311Error(400, _bilingual("status must be open or closed.", "status harus open atau closed."))
    start, end = date_window(param("start_date"), param("end_date"))
    # Only tickets that partners sent through Open311 are listed: a web or email report's
    # tracking code is a secret that lets its holder add messages and rate the answer.
    where = (Ticket.open311_key.is_not_null()) & (Ticket.created_at >= start) & (Ticket.created_at <= end)
    service_codes = _comma_list(param("service_code"))
    if service_codes:
        where &= Ticket.category.code.is_in(service_codes)
    if statuses and set(statuses) != {"open", "closed"}:
        if statuses[0] == "open":
            where &= Ticket.status.is_in(sorted(OPEN_VALUES))
        else:
            where &= Ticket.status.not_in(sorted(OPEN_VALUES))
    rows = await Ticket.select(*_request_columns()).where(where).order_by(Ticket.created_at, ascending=False).limit(MAX_RESULTS)
    return await _render(rows)


def discovery(base_url: str) -> dict[str, Any]:
    return {
        "changeset": "2026-01-01T00:00:00+00:00",
        "contact": _bilingual("Ask the Suara Warga administrators.", "Hubungi admin Suara Warga."),
        "key_service": _bilingual("API keys are issued by Suara Warga administrators.",
                                  "Kunci API diterbitkan oleh admin Suara Warga."),
        "endpoints": [{
            "specification": "http://wiki.open311.org/GeoReport_v2",
            "url": f"{base_url}/open311/v2",
            "changeset": "2026-01-01T00:00:00+00:00",
            "type": "production",
            "formats": ["application/json", "text/xml"],
        }],
    }
