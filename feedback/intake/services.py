"""create_ticket(): every channel's submission becomes a stored ticket, then is queued."""
from __future__ import annotations

import functools
import json
import logging
from datetime import datetime
from typing import Any, Protocol

from piccolo.engine.postgres import PostgresEngine

from feedback.db import transaction_for
from feedback.errors import InputError
from feedback.events import TicketCreated, emit
from feedback.intake.attachment_types import AttachmentError, validate_attachments
from feedback.intake.messages import IntakeAttachment, IntakeMessage, Privacy
from feedback.intake.validation import validate_intake
from feedback.settings import Settings
from feedback.storage import FileStore
from feedback.tables import Attachment, Ticket, TicketEvent, TicketMessage
from feedback.tracking.codes import new_tracking_code
from feedback.tracking.lifecycle import utcnow
from feedback.tracking.statuses import TicketStatus

log = logging.getLogger(__name__)


class TicketDispatcher(Protocol):
    """Hands a committed ticket id to the classification queue (never raises)."""

    def submit(self, ticket_id: int) -> None: ...


class CreatedTicket(dict):
    """The stored ticket row; `.created` is False when an idempotent replay returned an old one."""

    created: bool = True


def _attachment_error_to_input(exc: AttachmentError) -> InputError:
    status = 413 if exc.code == "too_large" else 400
    return InputError.single("attachments", exc.code, exc.message_id, exc.message_en, status_code=status)


async def _existing_by_key(key: str) -> CreatedTicket | None:
    row = await Ticket.select().where(Ticket.idempotency_key == key).first()
    if row is None:
        return None
    ticket = CreatedTicket(row)
    ticket.created = False
    return ticket


async def store_attachments(
    ticket_id: int,
    validated: list,
    store: FileStore,
    message_id: int | None = None,
) -> None:
    for item in validated:
        key = store.save(item.data)
        await Attachment.insert(
            Attachment(
                ticket=ticket_id,
                message=message_id,
                filename=item.filename,
                content_type=item.content_type,
                size=item.size,
                sha256=item.sha256,
                storage_key=key,
            )
        )


async def create_ticket(
    msg: IntakeMessage,
    settings: Settings,
    dispatcher: TicketDispatcher | None = None,
) -> CreatedTicket:
    """Validate, store and queue a submission. The ticket is committed before it is queued and announced
    (TicketCreated); an idempotent replay returns the stored ticket and announces nothing."""
    validate_intake(msg, settings)
    try:
        validated = validate_attachments(
            msg.attachments, max_bytes=settings.max_attachment_bytes, max_count=settings.max_attachments
        )
    except AttachmentError as exc:
        raise _attachment_error_to_input(exc) from exc

    if msg.idempotency_key:
        existing = await _existing_by_key(msg.idempotency_key)
        if existing is not None:
            return existing
    try:
        ticket = await _store_ticket(msg, validated, settings)
    except Exception:
        if msg.idempotency_key:
            # A concurrent request with the same key won the unique constraint.
            existing = await _existing_by_key(msg.idempotency_key)
            if existing is not None:
                return existing
        raise
    return await _announce(ticket, msg, dispatcher)


async def _announce(ticket: CreatedTicket, msg: IntakeMessage, dispatcher: TicketDispatcher | None) -> CreatedTicket:
    """After commit: queue the ticket for classification and tell subscribers (the receipt) that it exists."""
    if dispatcher is not None:
        dispatcher.submit(ticket["id"])
    await emit(TicketCreated(ticket["id"], msg.channel.value, Privacy(msg.privacy).value, msg.reporter_email))
    return ticket


# The columns create_ticket returns, whichever engine stored the ticket.
_RETURNED = ("id", "tracking_code", "kind", "channel", "status", "privacy", "created_at")


def _ticket_row(msg: IntakeMessage, now: datetime) -> dict[str, Any]:
    """The new ticket's column values: the one mapping from a submission to a row."""
    return {
        "tracking_code": new_tracking_code(),
        "kind": msg.kind.value,
        "channel": msg.channel.value,
        "title": msg.title,
        "text": msg.text,
        "location": msg.location,
        "kecamatan": msg.kecamatan,
        "lat": msg.lat,
        "long": msg.long,
        "reporter_name": msg.reporter_name,
        "reporter_email": msg.reporter_email,
        "reporter_phone": msg.reporter_phone,
        "reporter_nik": msg.reporter_nik,
        "privacy": msg.privacy.value,
        "status": TicketStatus.RECEIVED.value,
        "office": msg.office,
        "received_by": msg.received_by_id,
        "idempotency_key": msg.idempotency_key,
        "created_at": now,
        "updated_at": now,
    }


def _created_event(msg: IntakeMessage) -> dict[str, Any]:
    """Who created the ticket, for its `created` audit event (the rest follows from the row)."""
    data = {"channel": msg.channel.value, "source_ref": msg.source_ref} if msg.source_ref else {"channel": msg.channel.value}
    return {"actor": msg.received_by_id, "actor_label": "citizen" if msg.received_by_id is None else "staff", "data": data}


async def _store_ticket(msg: IntakeMessage, validated: list, settings: Settings) -> CreatedTicket:
    """The ticket, its `created` event and its files, all or nothing."""
    row, event = _ticket_row(msg, utcnow()), _created_event(msg)
    if not validated and isinstance(Ticket._meta.db, PostgresEngine):
        return await _insert_ticket(row, event)  # one atomic statement: no transaction needed
    async with transaction_for(Ticket):
        ticket = await _insert_ticket(row, event)
        if validated:
            await store_attachments(ticket["id"], validated, FileStore(settings.upload_dir))
    return ticket


async def _insert_ticket(row: dict[str, Any], event: dict[str, Any]) -> CreatedTicket:
    """Insert the ticket row and its `created` event. On PostgreSQL this is one statement (the hot path
    of intake: one round trip); elsewhere two ORM inserts, which the caller's transaction makes atomic."""
    engine = Ticket._meta.db
    if isinstance(engine, PostgresEngine):
        columns = tuple(row)
        args = (*row.values(), event["actor"], event["actor_label"], json.dumps(event["data"]))
        return CreatedTicket((await _fetch_one(engine, _single_statement_sql(columns), args)).items())
    rows = await Ticket.insert(Ticket(**row)).returning(*(getattr(Ticket, name) for name in _RETURNED))
    ticket = CreatedTicket(rows[0])
    await TicketEvent.insert(
        TicketEvent(ticket=ticket["id"], event_type="created", new_value=row["status"], public=True,
                    created_at=row["created_at"], **event)
    )
    return ticket


@functools.cache
def _single_statement_sql(columns: tuple[str, ...]) -> str:
    """INSERT of the ticket with these columns plus its `created` event, in one statement."""
    n = len(columns)
    return f"""
WITH t AS (
    INSERT INTO ticket ({", ".join(f'"{name}"' for name in columns)})
    VALUES ({", ".join(f"${i}" for i in range(1, n + 1))})
    RETURNING {", ".join(_RETURNED)}
), e AS (
    INSERT INTO ticket_event (ticket, actor, actor_label, event_type, new_value, public, data, created_at)
    SELECT id, ${n + 1}, ${n + 2}, 'created', status, true, ${n + 3}::json, created_at FROM t
)
SELECT * FROM t
"""


async def _fetch_one(engine: PostgresEngine, sql: str, args: tuple) -> Any:
    """One statement straight on asyncpg: the open Piccolo transaction's connection if any, else a
    pooled one (no pool: a fresh connection, as Piccolo does). Skips Piccolo's query-string
    compilation and result conversion, which cost more CPU than the statement itself."""
    transaction = engine.current_transaction.get()
    if transaction is not None:
        return await transaction.connection.fetchrow(sql, *args)
    if engine.pool is not None:
        async with engine.pool.acquire() as connection:
            return await connection.fetchrow(sql, *args)
    connection = await engine.get_new_connection()
    try:
        return await connection.fetchrow(sql, *args)
    finally:
        await connection.close()


async def add_citizen_message(
    ticket_id: int,
    text: str,
    *,
    channel: str,
    settings: Settings,
    attachments: list[IntakeAttachment] | None = None,
) -> dict[str, Any]:
    """A follow-up from the citizen (e.g. an email reply) threaded into an existing ticket."""
    try:
        validated = validate_attachments(
            attachments or [], max_bytes=settings.max_attachment_bytes, max_count=settings.max_attachments
        )
    except AttachmentError as exc:
        raise _attachment_error_to_input(exc) from exc
    body = (text or "").strip() or "(lampiran)"
    if "\x00" in body:
        body = body.replace("\x00", "")
    store = FileStore(settings.upload_dir)
    async with transaction_for(Ticket):
        rows = await TicketMessage.insert(
            TicketMessage(ticket=ticket_id, author_type="citizen", visibility="public", channel=channel, body=body[: settings.max_text_chars * 2])
        ).returning(TicketMessage.id)
        message_id = rows[0]["id"]
        await store_attachments(ticket_id, validated, store, message_id=message_id)
        await TicketEvent.insert(
            TicketEvent(ticket=ticket_id, actor_label="citizen", event_type="citizen_message", public=True,
                        data={"message_id": message_id, "channel": channel}, created_at=utcnow())
        )
    return {"id": message_id, "ticket_id": ticket_id}
