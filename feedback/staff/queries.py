"""Read side of the staff UI: inbox, triage queue, my work, ticket detail — always role-scoped in SQL."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from piccolo.columns.combination import Where
from piccolo.query.functions.aggregate import Count

from feedback.accounts.roles import Role, StaffContext
from feedback.errors import FieldError, InputError
from feedback.intake.nik import mask_nik
from feedback.quality.sla import load_calendar
from feedback.quality.sla_clock import load_pauses, sla_states
from feedback.staff.permissions import NotAllowed, can_see_identity, ticket_scope
from feedback.tables import Agency, Attachment, Category, StaffUser, Ticket, TicketEvent, TicketMessage
from feedback.tracking.lifecycle import utcnow
from feedback.tracking.priority import Priority
from feedback.tracking.statuses import OPEN_STATUSES, TicketStatus

PAGE_SIZE = 25
UNROUTED_AFTER_MINUTES = 15
SORTS = {
    "newest": (Ticket.created_at, False), "oldest": (Ticket.created_at, True),
    "due": (Ticket.due_at, True), "updated": (Ticket.updated_at, False), "priority": (Ticket.priority, True),
}
LIST_COLUMNS = (Ticket.id, Ticket.tracking_code, Ticket.title, Ticket.text, Ticket.status, Ticket.priority, Ticket.channel,
                Ticket.category, Ticket.agency, Ticket.assigned_to, Ticket.created_at, Ticket.updated_at, Ticket.routed_at,
                Ticket.first_response_at, Ticket.first_response_due_at, Ticket.due_at, Ticket.resolved_at, Ticket.closed_at,
                Ticket.waiting_since, Ticket.confidence, Ticket.suggestions, Ticket.predicted_category,
                Ticket.first_response_breached, Ticket.resolution_breached)


class TicketNotVisible(Exception):
    """Unknown ticket or outside the staff member's scope: both look the same (HTTP 404)."""


@dataclass
class InboxFilters:
    status: str = ""
    category: str = ""
    priority: str = ""
    channel: str = ""
    overdue: bool = False
    date_from: date | None = None
    date_to: date | None = None
    assignee: str = ""  # "" | "me" | "none" | user id
    q: str = ""
    sort: str = "newest"
    page: int = 1
    agency: str = ""  # agency code, for roles that see all agencies

    @classmethod
    def from_params(cls, params: dict[str, str]) -> "InboxFilters":
        errors: list[FieldError] = []

        def day(name: str) -> date | None:
            raw = (params.get(name) or "").strip()
            if not raw:
                return None
            try:
                return date.fromisoformat(raw)
            except ValueError:
                errors.append(FieldError(name, "invalid_date", "Tanggal harus berformat YYYY-MM-DD.", "Dates must be YYYY-MM-DD."))
                return None

        try:
            page = max(1, min(10_000, int(params.get("page") or 1)))
        except ValueError:
            page = 1
        status = (params.get("status") or "").strip()
        if status and status not in {s.value for s in TicketStatus} | {"open"}:
            errors.append(FieldError("status", "invalid_status", "Status tidak dikenal.", "Unknown status."))
        priority = (params.get("priority") or "").strip()
        if priority and priority not in Priority.ALL:
            errors.append(FieldError("priority", "invalid_priority", "Prioritas tidak dikenal.", "Unknown priority."))
        sort = params.get("sort") or "newest"
        filters = cls(status=status, category=(params.get("category") or "").strip()[:64], priority=priority,
                      channel=(params.get("channel") or "").strip()[:16], overdue=params.get("overdue") in ("1", "on", "true"),
                      date_from=day("date_from"), date_to=day("date_to"), assignee=(params.get("assignee") or "").strip()[:12],
                      q=(params.get("q") or "").strip()[:200], sort=sort if sort in SORTS else "newest", page=page,
                      agency=(params.get("agency") or "").strip()[:64])
        if errors:
            raise InputError(errors, 400)
        return filters


def _and(a: Where | None, b: Where | None) -> Where | None:
    if a is None:
        return b
    if b is None:
        return a
    return a & b


def overdue_clause(now: datetime) -> Where:
    """Open tickets past a deadline: breach flags from the SLA job (exact, with pauses), or a plain
    past deadline for tickets that were never paused."""
    never_paused = (Ticket.paused_seconds == 0) & (Ticket.waiting_since.is_null())
    return (Ticket.status.is_in([s.value for s in OPEN_STATUSES]) & (
        (Ticket.resolution_breached == True) | ((Ticket.first_response_breached == True) & Ticket.first_response_at.is_null())  # noqa: E712
        | (never_paused & (Ticket.due_at < now))
        | (never_paused & Ticket.first_response_at.is_null() & (Ticket.first_response_due_at < now))))


async def _filter_where(staff: StaffContext, f: InboxFilters, *, with_status: bool) -> Where | None:
    where = ticket_scope(staff)
    if with_status and f.status:
        where = _and(where, Ticket.status.is_in([s.value for s in OPEN_STATUSES]) if f.status == "open" else Ticket.status == f.status)
    if f.category:
        cat = await Category.select(Category.id).where(Category.code == f.category).first()
        where = _and(where, Ticket.category == (cat["id"] if cat else -1))
    if f.agency and staff.role != "agency_staff":
        ag = await Agency.select(Agency.id).where(Agency.code == f.agency).first()
        where = _and(where, Ticket.agency == (ag["id"] if ag else -1))
    if f.priority:
        where = _and(where, Ticket.priority == f.priority)
    if f.channel:
        where = _and(where, Ticket.channel == f.channel)
    if f.overdue:
        where = _and(where, overdue_clause(utcnow()))
    if f.date_from:
        where = _and(where, Ticket.created_at >= datetime.combine(f.date_from, time.min, timezone.utc))
    if f.date_to:
        where = _and(where, Ticket.created_at < datetime.combine(f.date_to + timedelta(days=1), time.min, timezone.utc))
    if f.assignee == "me":
        where = _and(where, Ticket.assigned_to == staff.id)
    elif f.assignee == "none":
        where = _and(where, Ticket.assigned_to.is_null())
    elif f.assignee.isdigit():
        where = _and(where, Ticket.assigned_to == int(f.assignee))
    if f.q:
        pattern = "%" + f.q.replace("\\", "").replace("%", "").replace("_", " ").strip() + "%"
        where = _and(where, Ticket.title.ilike(pattern) | Ticket.text.ilike(pattern))
    return where


async def decorate(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add SLA states, category/agency codes and assignee names to ticket rows."""
    if not rows:
        return rows
    calendar = await load_calendar()
    pauses = await load_pauses([r["id"] for r in rows])
    categories = {c["id"]: c for c in await Category.select(Category.id, Category.code, Category.name, Category.name_en)}
    agencies = {a["id"]: a for a in await Agency.select(Agency.id, Agency.code, Agency.name)}
    assignee_ids = list({r["assigned_to"] for r in rows if r.get("assigned_to")})
    users = {u["id"]: u for u in await StaffUser.select(StaffUser.id, StaffUser.username, StaffUser.full_name).where(
        StaffUser.id.is_in(assignee_ids))} if assignee_ids else {}
    now = utcnow()
    for r in rows:
        if isinstance(r.get("suggestions"), str):  # JSON columns come back as text unless asked otherwise
            r["suggestions"] = json.loads(r["suggestions"] or "[]")
        r["sla_first"], r["sla_resolution"] = sla_states(r, pauses.get(r["id"], []), now, calendar)
        r["category_row"] = categories.get(r["category"])
        r["agency_row"] = agencies.get(r["agency"])
        r["assignee_row"] = users.get(r.get("assigned_to"))
    return rows


async def inbox(staff: StaffContext, f: InboxFilters, page_size: int = PAGE_SIZE) -> dict[str, Any]:
    """One page of tickets with the total and the counts per status (same filters, all statuses)."""
    where = await _filter_where(staff, f, with_status=True)
    query = Ticket.select(*LIST_COLUMNS)
    count_query = Ticket.count()
    if where is not None:
        query, count_query = query.where(where), count_query.where(where)
    column, ascending = SORTS[f.sort]
    total = await count_query
    rows = await query.order_by(column, ascending=ascending).order_by(Ticket.id, ascending=False).limit(page_size).offset(
        (f.page - 1) * page_size)
    return {"rows": await decorate(rows), "total": total, "page": f.page, "pages": max(1, -(-total // page_size)),
            "counts": await status_counts(staff, f)}


async def status_counts(staff: StaffContext, f: InboxFilters | None = None) -> dict[str, int]:
    where = await _filter_where(staff, f or InboxFilters(), with_status=False)
    query = Ticket.select(Ticket.status, Count()).group_by(Ticket.status)
    rows = await (query.where(where) if where is not None else query)
    counts = {status.value: 0 for status in TicketStatus}
    for row in rows:
        counts[row["status"]] = row["count"]
    return counts


async def triage_queue(staff: StaffContext, page: int = 1, low_confidence: float = 0.6) -> dict[str, Any]:
    """Tickets waiting for a human router: status triage (unrouted and low-confidence predictions)."""
    where = ticket_scope(staff)
    # Triage proper, plus tickets the classifier never picked up (worker down for a while).
    stuck = (Ticket.status == TicketStatus.RECEIVED.value) & (Ticket.created_at < utcnow() - timedelta(minutes=UNROUTED_AFTER_MINUTES))
    where = _and(where, (Ticket.status == TicketStatus.TRIAGE.value) | stuck)
    total = await Ticket.count().where(where)
    rows = await Ticket.select(*LIST_COLUMNS).where(where).order_by(Ticket.created_at).limit(PAGE_SIZE).offset((max(1, page) - 1) * PAGE_SIZE)
    return {"rows": await decorate(rows), "total": total, "page": page, "pages": max(1, -(-total // PAGE_SIZE)),
            "low_confidence": low_confidence}


async def get_ticket(staff: StaffContext, ticket_id: int) -> dict[str, Any]:
    """One ticket row, or TicketNotVisible if it does not exist or lies outside the staff scope."""
    try:
        where = _and(ticket_scope(staff), Ticket.id == ticket_id)
    except NotAllowed:
        raise TicketNotVisible() from None
    row = await Ticket.select().where(where).first()
    if row is None:
        raise TicketNotVisible()
    return row


async def ticket_detail(staff: StaffContext, ticket_id: int) -> dict[str, Any]:
    ticket = (await decorate([await get_ticket(staff, ticket_id)]))[0]
    if ticket.get("reporter_nik") and staff.role != Role.ADMIN:
        ticket["reporter_nik"] = mask_nik(ticket["reporter_nik"])  # full NIK for admins only
    if not can_see_identity(staff, ticket):
        for key in ("reporter_name", "reporter_email", "reporter_phone", "reporter_nik"):
            ticket[key] = None
        ticket["identity_hidden"] = ticket["privacy"] == "confidential"
    events = await TicketEvent.select(*TicketEvent.all_columns(), TicketEvent.actor.username.as_alias("actor_username")).where(
        TicketEvent.ticket == ticket_id).order_by(TicketEvent.id)
    messages = await TicketMessage.select(*TicketMessage.all_columns(), TicketMessage.author.username.as_alias("author_username")).where(
        TicketMessage.ticket == ticket_id).order_by(TicketMessage.id)
    attachments = await Attachment.select(Attachment.id, Attachment.filename, Attachment.content_type, Attachment.size,
                                          Attachment.created_at).where(Attachment.ticket == ticket_id).order_by(Attachment.id)
    colleagues = []
    if ticket["agency"]:
        colleagues = await StaffUser.select(StaffUser.id, StaffUser.username, StaffUser.full_name).where(
            (StaffUser.agency == ticket["agency"]) & (StaffUser.active == True)).order_by(StaffUser.username)  # noqa: E712
    return {"ticket": ticket, "events": events, "messages": messages, "attachments": attachments, "colleagues": colleagues}


async def attachment_for(staff: StaffContext, ticket_id: int, attachment_id: int) -> dict[str, Any]:
    await get_ticket(staff, ticket_id)
    row = await Attachment.select().where((Attachment.id == attachment_id) & (Attachment.ticket == ticket_id)).first()
    if row is None:
        raise TicketNotVisible()
    return row


async def my_work(staff: StaffContext) -> dict[str, Any]:
    """Open tickets assigned to me, most urgent deadline first."""
    where = _and(ticket_scope(staff), (Ticket.assigned_to == staff.id) & Ticket.status.is_in([s.value for s in OPEN_STATUSES]))
    rows = await Ticket.select(*LIST_COLUMNS).where(where).order_by(Ticket.due_at).limit(200)
    return {"rows": await decorate(rows), "total": len(rows)}
