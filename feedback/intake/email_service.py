"""Inbound email → stored raw message → ticket, citizen message, ignored or quarantined.

`ingest_email()` is shared by the SMTP receiver and the IMAP poller. The raw bytes are
written to disk and recorded as an `InboundEmail` row (status `received`) *before* any
parsing, so a crash, a parser bug or a database hiccup later on loses nothing: the row
stays visible to admins and `reprocess_inbound()` can run it again.
"""
from __future__ import annotations

import email.utils
import hashlib
import logging
import re
from dataclasses import dataclass
from email.parser import BytesHeaderParser
from email.policy import compat32

from feedback.errors import InputError
from feedback.intake.email import ParsedEmail, clean_header_text, decode_header_value, parse_email
from feedback.intake.services import TicketDispatcher, add_citizen_message, create_ticket
from feedback.settings import Settings
from feedback.storage import FileStore
from feedback.tables import InboundEmail, Ticket
from feedback.tracking.codes import find_codes
from feedback.tracking.lifecycle import utcnow

log = logging.getLogger(__name__)

MiB = 1024 * 1024
MAX_EMAIL_BYTES = 25 * MiB  # the SMTP receiver refuses larger DATA with 552
RECEIVED, TICKET, MESSAGE, IGNORED, QUARANTINED = "received", "ticket", "message", "ignored", "quarantined"
DONE_STATUSES = (TICKET, MESSAGE, IGNORED, QUARANTINED)
_MSGID = re.compile(r"<[^<>\s]{1,900}>")


@dataclass(frozen=True)
class InboundResult:
    """What happened to one inbound message (`duplicate`: an earlier copy was already handled)."""

    inbound_id: int
    status: str
    reason: str | None = None
    ticket_id: int | None = None
    tracking_code: str | None = None
    duplicate: bool = False


def mail_store(settings: Settings) -> FileStore:
    return FileStore(settings.data_dir / "mail")


def _cut(value: str | None, limit: int = 300) -> str | None:
    return value[:limit] if value else None


def peek_headers(raw: bytes) -> tuple[str | None, str | None, str | None]:
    """(Message-ID, sender address, subject) from the header block only; never raises."""
    try:
        head = raw[: 256 * 1024]
        end = min((i for i in (head.find(b"\r\n\r\n"), head.find(b"\n\n")) if i >= 0), default=len(head))
        msg = BytesHeaderParser(policy=compat32).parsebytes(head[: end + 4])
        ids = _MSGID.findall(str(msg.get("Message-ID", "") or ""))
        sender = email.utils.parseaddr(decode_header_value(msg.get("From")))[1] or None
        subject = clean_header_text(decode_header_value(msg.get("Subject"))) or None
        return _cut(ids[0] if ids else None), _cut(sender), _cut(subject)
    except Exception:  # noqa: BLE001 - headers we cannot read are just not shown in the list
        log.warning("could not read the headers of an inbound message", exc_info=True)
        return None, None, None


def _idempotency_key(message_id: str | None, raw: bytes) -> str:
    """Ticket.idempotency_key for a mail: its Message-ID, else its content hash (≤ 200 chars)."""
    if message_id and len(message_id) <= 180:
        return f"email:{message_id}"
    basis = message_id.encode() if message_id else raw
    return f"email:sha256:{hashlib.sha256(basis).hexdigest()}"


async def _finish(inbound_id: int, status: str, reason: str | None = None, ticket_id: int | None = None) -> None:
    await InboundEmail.update({
        InboundEmail.status: status, InboundEmail.reason: reason, InboundEmail.ticket: ticket_id,
        InboundEmail.processed_at: utcnow(),
    }).where(InboundEmail.id == inbound_id)


async def _already_handled(message_id: str | None) -> dict | None:
    if not message_id:
        return None
    return await InboundEmail.select().where(
        (InboundEmail.message_id == message_id) & InboundEmail.status.is_in(list(DONE_STATUSES))
    ).order_by(InboundEmail.id).first()


async def store_raw(raw: bytes, *, source: str, settings: Settings) -> int:
    """Write the raw message to disk and record it (status `received`); returns the row id."""
    message_id, sender, subject = peek_headers(raw)
    key = mail_store(settings).save(raw, suffix=".eml")
    rows = await InboundEmail.insert(InboundEmail(
        source=source, message_id=message_id, sender=sender, subject=subject, size=len(raw), storage_key=key,
        status=RECEIVED, created_at=utcnow(),
    )).returning(InboundEmail.id)
    return rows[0]["id"]


async def ingest_email(raw: bytes, *, source: str, settings: Settings,
                       dispatcher: TicketDispatcher | None = None) -> InboundResult:
    """Store, then parse and act on one inbound message. Raises only if the raw message
    could not be stored (the SMTP receiver then answers 451 and the sender retries)."""
    raw = bytes(raw)
    message_id, _, _ = peek_headers(raw)
    earlier = await _already_handled(message_id)
    if earlier is not None:
        log.info("inbound %s: Message-ID already handled as #%s", message_id, earlier["id"])
        return await _result_for(earlier, duplicate=True)
    inbound_id = await store_raw(raw, source=source, settings=settings)
    return await _process(inbound_id, raw, settings, dispatcher)


async def reprocess_inbound(inbound_id: int, settings: Settings,
                            dispatcher: TicketDispatcher | None = None) -> InboundResult:
    """Run a stored message through parsing again (admins: after a fix or a database outage).
    A message that already became a ticket or a citizen message is not processed twice."""
    row = await InboundEmail.select().where(InboundEmail.id == inbound_id).first()
    if row is None:
        raise LookupError(f"inbound email {inbound_id} does not exist")
    if row["status"] in (TICKET, MESSAGE):
        return await _result_for(row, duplicate=True)
    raw = mail_store(settings).read(row["storage_key"])
    return await _process(inbound_id, raw, settings, dispatcher)


async def _result_for(row: dict, *, duplicate: bool = False) -> InboundResult:
    code = None
    if row["ticket"]:
        ticket = await Ticket.select(Ticket.tracking_code).where(Ticket.id == row["ticket"]).first()
        code = ticket["tracking_code"] if ticket else None
    return InboundResult(row["id"], row["status"], row["reason"], row["ticket"], code, duplicate)


async def _process(inbound_id: int, raw: bytes, settings: Settings,
                   dispatcher: TicketDispatcher | None) -> InboundResult:
    try:
        parsed = parse_email(raw, max_bytes=MAX_EMAIL_BYTES, max_attachments=settings.max_attachments,
                             max_attachment_bytes=settings.max_attachment_bytes, find_codes=find_codes)
        return await _act(inbound_id, parsed, raw, settings, dispatcher)
    except Exception as exc:  # noqa: BLE001 - never crash on mail: keep it quarantined with the error
        log.exception("inbound email #%s could not be processed", inbound_id)
        reason = f"error: {type(exc).__name__}: {exc}"[:1000]
        try:
            await _finish(inbound_id, QUARANTINED, reason)
        except Exception:  # noqa: BLE001 - the row stays `received`; reprocess_inbound can retry it
            log.exception("inbound email #%s: could not record the failure", inbound_id)
            return InboundResult(inbound_id, RECEIVED, reason)
        return InboundResult(inbound_id, QUARANTINED, reason)


def _notes(parsed: ParsedEmail) -> str:
    return "; ".join(parsed.notes)[:900]


async def _act(inbound_id: int, parsed: ParsedEmail, raw: bytes, settings: Settings,
               dispatcher: TicketDispatcher | None) -> InboundResult:
    if parsed.quarantine_reason is not None:
        reason = f"{parsed.quarantine_reason.value}: {_notes(parsed)}".rstrip(": ")
        await _finish(inbound_id, QUARANTINED, reason)
        return InboundResult(inbound_id, QUARANTINED, reason)
    if parsed.auto_reason is not None:
        reason = f"auto: {parsed.auto_reason.value}"
        await _finish(inbound_id, IGNORED, reason)
        return InboundResult(inbound_id, IGNORED, reason)
    rejected = "; ".join(f"{name} ({why})" for name, why in parsed.rejected_attachments)
    rejected_note = f"attachments rejected: {rejected}" if rejected else None
    ticket = await _ticket_for_reply(parsed.tracking_codes_found)
    if ticket is not None:
        await add_citizen_message(ticket["id"], parsed.text, channel="email", settings=settings,
                                  attachments=parsed.attachments)
        await _finish(inbound_id, MESSAGE, rejected_note, ticket["id"])
        return InboundResult(inbound_id, MESSAGE, rejected_note, ticket["id"], ticket["tracking_code"])
    msg = parsed.to_intake_message()
    msg.idempotency_key = _idempotency_key(parsed.message_id, raw)
    msg.title = (parsed.subject or "")[:200] or None
    msg.text = _ticket_text(parsed, settings)
    try:
        created = await create_ticket(msg, settings, dispatcher)
    except InputError as exc:
        reason = f"invalid: {exc}"[:1000]
        await _finish(inbound_id, QUARANTINED, reason)
        return InboundResult(inbound_id, QUARANTINED, reason)
    await _finish(inbound_id, TICKET, rejected_note, created["id"])
    return InboundResult(inbound_id, TICKET, rejected_note, created["id"], created["tracking_code"],
                         duplicate=not getattr(created, "created", True))


def _ticket_text(parsed: ParsedEmail, settings: Settings) -> str:
    """The complaint text; a short body (a photo with one line) keeps the subject in front
    so the ticket passes the minimum length instead of being dropped."""
    text = (parsed.text or "").strip()
    if len(text) < settings.min_text_chars and parsed.subject and parsed.subject not in text:
        text = f"{parsed.subject}\n\n{text}".strip()
    if len(text) < settings.min_text_chars and parsed.attachments:
        text = f"{text}\n\n(laporan melalui email dengan {len(parsed.attachments)} lampiran)".strip()
    if len(text) > settings.max_text_chars:
        # The full message stays in the raw store; the ticket gets what fits.
        text = text[: settings.max_text_chars - 20].rstrip() + "\n[…dipotong]"
    return text


async def _ticket_for_reply(codes: list[str]) -> dict | None:
    """The first existing ticket named by a (check-symbol valid) code; merged tickets follow
    their target so the citizen's message lands where staff work on it."""
    for code in codes:
        ticket = await Ticket.select(Ticket.id, Ticket.tracking_code, Ticket.merged_into).where(
            Ticket.tracking_code == code).first()
        if ticket is None:
            continue
        if ticket["merged_into"]:
            target = await Ticket.select(Ticket.id, Ticket.tracking_code).where(
                Ticket.id == ticket["merged_into"]).first()
            if target is not None:
                return target
        return ticket
    return None
