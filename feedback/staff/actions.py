"""Write side of the staff UI: every staff action on a ticket, authorised and audited.

All actions first load the ticket through the staff member's scope (so ids of other agencies'
tickets behave as unknown), then check the role, then write through the lifecycle services.
"""
from __future__ import annotations

from typing import Any

from feedback.accounts.roles import Role, StaffContext
from feedback.db import transaction_for
from feedback.errors import InputError
from feedback.events import StaffResponded, emit
from feedback.quality.sla_jobs import escalate_ticket
from feedback.routing.service import route_manually
from feedback.settings import Settings
from feedback.staff.permissions import (
    NotAllowed, can_assign, can_escalate, can_note, can_reject, can_route, can_work_ticket,
)
from feedback.staff.queries import get_ticket
from feedback.tables import Agency, StaffUser, Ticket, TicketMessage
from feedback.tracking.codes import normalize_code
from feedback.tracking.lifecycle import change_status, record_event, utcnow
from feedback.tracking.statuses import ALLOWED_TRANSITIONS, OPEN_STATUSES, TicketStatus

S = TicketStatus
MAX_BODY = 5000
REJECT_REASONS = ("spam", "out_of_scope", "duplicate", "other")
# Statuses staff reach through the status buttons; routing and rejection have their own forms.
STATUS_ACTIONS = (S.IN_PROGRESS, S.WAITING_CITIZEN, S.RESOLVED, S.CLOSED, S.REOPENED, S.TRIAGE)


def _text(value: Any, field: str, *, required: bool = True, max_len: int = MAX_BODY) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if "\x00" in text or len(text) > max_len or (required and not text):
        raise InputError.single(field, "invalid_text", f"Isi teks wajib diisi (maks. {max_len} karakter).",
                                f"Text is required (at most {max_len} characters).", 422)
    return text


def allowed_status_actions(staff: StaffContext, ticket: dict[str, Any]) -> list[str]:
    if not can_work_ticket(staff, ticket):
        return []
    allowed = ALLOWED_TRANSITIONS[S(ticket["status"])]
    return [s.value for s in STATUS_ACTIONS if s in allowed]


async def respond_publicly(staff: StaffContext, ticket_id: int, body: Any) -> None:
    """A response the citizen sees on the tracking page; the first one stops the first-response clock.

    One transaction: the message, the clock, the audit event and the move to in_progress are stored
    together or not at all; the citizen is told (StaffResponded) after the commit.
    """
    ticket = await get_ticket(staff, ticket_id)
    if not can_work_ticket(staff, ticket):
        raise NotAllowed()
    body = _text(body, "body")
    if S(ticket["status"]) not in OPEN_STATUSES and ticket["status"] != S.RESOLVED:
        raise InputError.single("status", "ticket_closed", "Tiket sudah ditutup.", "The ticket is closed.", 409)
    now = utcnow()
    async with transaction_for(Ticket):
        rows = await TicketMessage.insert(TicketMessage(
            ticket=ticket_id, author_type="staff", visibility="public", author=staff.id, channel="web", body=body,
            created_at=now)).returning(TicketMessage.id)
        values: dict[Any, Any] = {Ticket.updated_at: now}
        if ticket["first_response_at"] is None:
            values[Ticket.first_response_at] = now
        await Ticket.update(values).where(Ticket.id == ticket_id)
        await record_event(ticket_id, "response", actor_id=staff.id, actor_label=staff.label, public=True)
        if ticket["status"] in (S.ROUTED, S.REOPENED):
            await change_status(ticket_id, S.IN_PROGRESS, actor_id=staff.id, actor_label=staff.label,
                                expected_status=ticket["status"])
        await emit(StaffResponded(ticket_id, rows[0]["id"], staff.id))


async def add_internal_note(staff: StaffContext, ticket_id: int, body: Any) -> None:
    """A note for colleagues only; never shown to the citizen."""
    ticket = await get_ticket(staff, ticket_id)
    if not can_note(staff, ticket):
        raise NotAllowed()
    body = _text(body, "body")
    await TicketMessage.insert(TicketMessage(ticket=ticket_id, author_type="staff", visibility="internal", author=staff.id,
                                             channel="web", body=body, created_at=utcnow()))
    await record_event(ticket_id, "internal_note", actor_id=staff.id, actor_label=staff.label, public=False)


async def set_status(staff: StaffContext, ticket_id: int, new_status: Any, note: Any = None,
                     expected_status: str | None = None) -> dict[str, Any]:
    ticket = await get_ticket(staff, ticket_id)
    if not isinstance(new_status, str) or new_status not in allowed_status_actions(staff, ticket):
        if not can_work_ticket(staff, ticket):
            raise NotAllowed()
        raise InputError.single("status", "illegal_transition", "Perubahan status ini tidak diizinkan.",
                                "This status change is not allowed.", 409)
    note_text = _text(note, "note", required=False, max_len=2000) or None
    return await change_status(ticket_id, new_status, actor_id=staff.id, actor_label=staff.label, note=note_text,
                               expected_status=expected_status or ticket["status"])


async def assign(staff: StaffContext, ticket_id: int, assignee_id: int | None) -> None:
    ticket = await get_ticket(staff, ticket_id)
    if not can_assign(staff, ticket, assignee_id):
        raise NotAllowed()
    if assignee_id is not None:
        user = await StaffUser.select(StaffUser.id, StaffUser.username).where(
            (StaffUser.id == assignee_id) & (StaffUser.agency == ticket["agency"]) & (StaffUser.active == True)).first()  # noqa: E712
        if user is None:
            raise InputError.single("assignee", "invalid_assignee", "Petugas harus anggota instansi tiket ini.",
                                    "The assignee must be active staff of this ticket's agency.", 422)
    await Ticket.update({Ticket.assigned_to: assignee_id, Ticket.updated_at: utcnow()}).where(Ticket.id == ticket_id)
    await record_event(ticket_id, "assigned", actor_id=staff.id, actor_label=staff.label,
                       old_value=str(ticket["assigned_to"] or ""), new_value=str(assignee_id or ""))


async def route(staff: StaffContext, ticket_id: int, category_code: Any, agency_id: int | None, reason: Any,
                settings: Settings) -> dict[str, Any]:
    """Route from triage, or re-route to another agency with a reason (kept as a RoutingCorrection)."""
    if not can_route(staff):
        raise NotAllowed()
    ticket = await get_ticket(staff, ticket_id)
    rerouting = ticket["agency"] is not None
    reason_text = _text(reason, "reason", required=rerouting, max_len=1000)
    if not isinstance(category_code, str) or not category_code:
        raise InputError.single("category", "category_required", "Pilih kategori.", "Choose a category.", 422)
    if S(ticket["status"]) not in OPEN_STATUSES:
        raise InputError.single("status", "not_open", "Hanya tiket yang masih terbuka yang bisa dirutekan.",
                                "Only open tickets can be routed.", 409)
    if agency_id is not None and not await Agency.exists().where((Agency.id == agency_id) & (Agency.active == True)):  # noqa: E712
        raise InputError.single("agency", "unknown_agency", "Instansi tidak dikenal.", "Unknown agency.", 422)
    try:
        result = await route_manually(ticket_id, category_code, actor_id=staff.id, actor_label=staff.label,
                                      agency_id=agency_id, reason=reason_text, settings=settings)
    except ValueError as exc:
        raise InputError.single("category", "cannot_route", "Tiket tidak dapat dirutekan: kategori atau instansi tidak valid.",
                                f"The ticket cannot be routed: {exc}.", 422) from exc
    if rerouting and result["agency_id"] != ticket["agency"]:
        await Ticket.update({Ticket.assigned_to: None}).where(Ticket.id == ticket_id)
    return result


async def reject(staff: StaffContext, ticket_id: int, reason_code: Any, reason: Any) -> None:
    """Mark as spam / out of scope / other with a reason the citizen will see."""
    ticket = await get_ticket(staff, ticket_id)
    if not can_reject(staff, ticket):
        raise NotAllowed()
    if reason_code not in REJECT_REASONS:
        raise InputError.single("reason_code", "invalid_reason", "Pilih alasan penolakan.", "Choose a rejection reason.", 422)
    text = _text(reason, "reason", max_len=1000)
    if S.REJECTED not in ALLOWED_TRANSITIONS[S(ticket["status"])]:
        raise InputError.single("status", "illegal_transition", "Tiket dengan status ini tidak dapat ditolak.",
                                "A ticket in this status cannot be rejected.", 409)
    await change_status(ticket_id, S.REJECTED, actor_id=staff.id, actor_label=staff.label, note=text,
                        expected_status=ticket["status"], event_data={"reason_code": reason_code})


async def merge_duplicate(staff: StaffContext, ticket_id: int, target_ref: Any) -> int:
    """Close ticket_id as a duplicate of another visible ticket (by id or tracking code)."""
    ticket = await get_ticket(staff, ticket_id)
    if not (can_work_ticket(staff, ticket) or can_route(staff)):
        raise NotAllowed()
    ref = target_ref.strip() if isinstance(target_ref, str) else ""
    target = None
    code = normalize_code(ref) if ref and not ref.isdigit() else None
    if ref.isdigit():
        target = await Ticket.select(Ticket.id).where(Ticket.id == int(ref)).first()
    elif code:
        target = await Ticket.select(Ticket.id).where(Ticket.tracking_code == code).first()
    if target is None:
        raise InputError.single("target", "unknown_target", "Tiket tujuan tidak ditemukan.", "Target ticket not found.", 422)
    target = await get_ticket(staff, target["id"])  # the target must be visible to this staff member too
    if target["id"] == ticket_id or target["merged_into"] == ticket_id:
        raise InputError.single("target", "same_ticket", "Tidak dapat menggabungkan tiket ke dirinya sendiri.",
                                "A ticket cannot be merged into itself.", 422)
    if S.REJECTED not in ALLOWED_TRANSITIONS[S(ticket["status"])]:
        raise InputError.single("status", "illegal_transition", "Tiket dengan status ini tidak dapat digabungkan.",
                                "A ticket in this status cannot be merged.", 409)
    # The citizen sees the reason, so it must not reveal the other ticket's tracking code.
    await change_status(ticket_id, S.REJECTED, actor_id=staff.id, actor_label=staff.label,
                        note="Laporan ini sama dengan laporan lain yang sedang ditangani; penanganan dilanjutkan di sana. / "
                             "This report duplicates another one that is being handled.",
                        expected_status=ticket["status"], fields={"merged_into": target["id"]},
                        event_data={"reason_code": "duplicate", "merged_into": target["id"]})
    await record_event(ticket_id, "merged", actor_id=staff.id, actor_label=staff.label, new_value=str(target["id"]))
    await record_event(target["id"], "merged_in", actor_id=staff.id, actor_label=staff.label, new_value=str(ticket_id))
    return target["id"]


async def escalate(staff: StaffContext, ticket_id: int) -> bool:
    """Manual escalation by an agency head or admin (once per ticket, like the SLA job)."""
    ticket = await get_ticket(staff, ticket_id)
    if not can_escalate(staff, ticket):
        raise NotAllowed()
    return await escalate_ticket(ticket_id, reason="manual", actor_id=staff.id, actor_label=staff.label)


def role_can_act(staff: StaffContext) -> bool:
    return staff.role != Role.MANAGER
