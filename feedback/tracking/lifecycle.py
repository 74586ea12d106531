"""change_status(): the single writer of a ticket's status, with its audit event."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from feedback.db import transaction_for
from feedback.events import TicketStatusChanged, emit
from feedback.tables import Ticket, TicketEvent
from feedback.tracking.statuses import ALLOWED_TRANSITIONS, TicketStatus


class TicketError(Exception):
    """A request about a ticket that cannot be honoured; carries bilingual messages."""

    status_code = 400

    def __init__(self, message_id: str, message_en: str, code: str = "ticket_error"):
        super().__init__(message_en)
        self.message_id = message_id
        self.message_en = message_en
        self.code = code


class IllegalTransition(TicketError):
    status_code = 409

    def __init__(self, old: str, new: str):
        super().__init__(
            f"Status tidak dapat diubah dari '{old}' ke '{new}'.",
            f"Cannot change status from '{old}' to '{new}'.",
            code="illegal_transition",
        )
        self.old = old
        self.new = new


class ConcurrentChange(TicketError):
    status_code = 409

    def __init__(self):
        super().__init__(
            "Tiket baru saja diubah oleh proses lain; muat ulang dan coba lagi.",
            "The ticket was changed by someone else; reload and try again.",
            code="concurrent_change",
        )


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _timestamps_for(new: TicketStatus, now: datetime) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if new == TicketStatus.ROUTED:
        fields["routed_at"] = now
    elif new == TicketStatus.RESOLVED:
        fields["resolved_at"] = now
    elif new == TicketStatus.CLOSED:
        fields["closed_at"] = now
    elif new == TicketStatus.WAITING_CITIZEN:
        fields["waiting_since"] = now
    return fields


async def change_status(
    ticket_id: int,
    new_status: TicketStatus | str,
    *,
    actor_id: int | None = None,
    actor_label: str = "system",
    note: str | None = None,
    expected_status: TicketStatus | str | None = None,
    fields: dict[str, Any] | None = None,
    event_data: dict[str, Any] | None = None,
    public: bool = True,
) -> dict[str, Any]:
    """Move a ticket to new_status, or raise IllegalTransition / ConcurrentChange.

    The update is conditional on the status we read, so two workers racing on the
    same ticket cannot both succeed (the loser gets ConcurrentChange). Subscribers hear
    a TicketStatusChanged once the (outermost) transaction has committed.
    """
    new = TicketStatus(new_status)
    async with transaction_for(Ticket):
        row = await Ticket.select(
            Ticket.id, Ticket.status, Ticket.waiting_since, Ticket.paused_seconds, Ticket.first_response_at,
            Ticket.reopen_count,
        ).where(Ticket.id == ticket_id).first()
        if row is None:
            raise TicketError("Tiket tidak ditemukan.", "Ticket not found.", code="not_found")
        old = TicketStatus(row["status"])
        if expected_status is not None and old != TicketStatus(expected_status):
            raise ConcurrentChange()
        if new not in ALLOWED_TRANSITIONS[old]:
            raise IllegalTransition(old, new)
        if new == TicketStatus.REJECTED and not (note and note.strip()):
            raise TicketError("Alasan penolakan wajib diisi.", "A reason is required to reject.", code="reason_required")
        now = utcnow()
        values: dict[Any, Any] = {"status": new.value, "updated_at": now, **_timestamps_for(new, now)}
        if old == TicketStatus.WAITING_CITIZEN and row["waiting_since"] is not None:
            values["paused_seconds"] = row["paused_seconds"] + int((now - row["waiting_since"]).total_seconds())
            values["waiting_since"] = None
        if new == TicketStatus.REJECTED:
            values["reject_reason"] = note
        if new == TicketStatus.REOPENED:
            values["reopen_count"] = row["reopen_count"] + 1
            values["resolved_at"] = None
        if fields:
            values.update(fields)
        updated = await Ticket.update(values).where(
            (Ticket.id == ticket_id) & (Ticket.status == old.value)
        ).returning(Ticket.id)
        if not updated:
            raise ConcurrentChange()
        await TicketEvent.insert(
            TicketEvent(
                ticket=ticket_id,
                actor=actor_id,
                actor_label=actor_label,
                event_type="status_changed",
                old_value=old.value,
                new_value=new.value,
                note=note,
                public=public,
                data=event_data or {},
                created_at=now,
            )
        )
        await emit(TicketStatusChanged(ticket_id, old.value, new.value, actor_id, actor_label, now))  # after commit
    return {"old": old.value, "new": new.value, "at": now}


async def record_event(
    ticket_id: int,
    event_type: str,
    *,
    actor_id: int | None = None,
    actor_label: str = "system",
    old_value: str | None = None,
    new_value: str | None = None,
    note: str | None = None,
    public: bool = False,
    data: dict[str, Any] | None = None,
) -> None:
    """Append an audit event that is not a status change (notes, assignment, routing...)."""
    await TicketEvent.insert(
        TicketEvent(
            ticket=ticket_id,
            actor=actor_id,
            actor_label=actor_label,
            event_type=event_type,
            old_value=old_value,
            new_value=new_value,
            note=note,
            public=public,
            data=data or {},
            created_at=utcnow(),
        )
    )
