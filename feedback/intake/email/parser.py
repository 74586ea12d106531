"""`parse_email()`: one raw inbound email to the fields a ticket needs; never raises."""
from __future__ import annotations

import email
import email.message
import hashlib
import logging
from collections.abc import Callable
from email.policy import compat32

from feedback.intake.email.attachments import accept_attachments
from feedback.intake.email.body import MAX_TEXT_CHARS, body_text, clean_body, extract_complaint_text, looks_garbled
from feedback.intake.email.headers import read_headers, tracking_codes
from feedback.intake.email.mime import MAX_MIME_DEPTH, MAX_MIME_PARTS, Walk, walk_message
from feedback.intake.email.model import ParsedEmail, QuarantineReason
from feedback.tracking.codes import find_tracking_candidates

logger = logging.getLogger(__name__)

MiB = 1024 * 1024


def parse_email(
    raw: bytes,
    *,
    max_bytes: int = 25 * MiB,
    max_attachments: int = 5,
    max_attachment_bytes: int = 10 * MiB,
    find_codes: Callable[[str], list[str]] = find_tracking_candidates,
) -> ParsedEmail:
    """Parse one raw RFC 5322 message; never raises, hostile mail is quarantined."""
    raw = bytes(raw)
    parsed = ParsedEmail(raw_sha256=hashlib.sha256(raw).hexdigest(), size=len(raw))
    too_large = len(raw) > max_bytes
    # Each MIME part starts with a "--boundary" line; thousands of them cost the stdlib parser seconds.
    too_many_parts = not too_large and raw.count(b"\n--") > 4 * MAX_MIME_PARTS
    try:
        # Over a limit only the headers are read, so admins still see who sent it.
        source = _header_block(raw) if too_large or too_many_parts else raw
        msg = email.message_from_bytes(source, policy=compat32)
        read_headers(msg, parsed)
        if too_large or too_many_parts:
            parsed.quarantine_reason = QuarantineReason.TOO_LARGE if too_large else QuarantineReason.TOO_MANY_PARTS
            parsed.notes.append(f"{len(raw)} bytes > {max_bytes}" if too_large else "more than 2000 '--' lines")
            return parsed
        full_text = _read_body(msg, parsed, max_attachments=max_attachments, max_attachment_bytes=max_attachment_bytes)
        # Codes are searched before trimming: a reply quotes our notice with its code.
        parsed.tracking_codes_found = tracking_codes(find_codes, parsed.subject, full_text)
    except RecursionError:
        parsed.quarantine_reason = QuarantineReason.INVALID_STRUCTURE
        parsed.notes.append("MIME nesting too deep for the parser")
    except Exception as exc:  # noqa: BLE001 - the receiver must never crash; the raw mail is kept
        logger.exception("parse_email: unexpected failure on message %s", parsed.raw_sha256)
        parsed.quarantine_reason = QuarantineReason.INVALID_STRUCTURE
        parsed.notes.append(f"parser error: {exc!r}"[:500])
    if parsed.quarantine_reason:
        logger.info("email %s quarantined: %s", parsed.message_id or parsed.raw_sha256, parsed.quarantine_reason)
    return parsed


def _header_block(raw: bytes, limit: int = 256 * 1024) -> bytes:
    head = raw[:limit]
    for separator in (b"\r\n\r\n", b"\n\n"):
        index = head.find(separator)
        if index >= 0:
            return head[: index + len(separator)]
    return head


def _read_body(msg: email.message.Message, parsed: ParsedEmail, *, max_attachments: int, max_attachment_bytes: int) -> str:
    """Fill text and attachments; return the untrimmed text for the code search."""
    walk = Walk()
    walk_message(msg, walk)
    if walk.too_many_parts:
        parsed.quarantine_reason = parsed.quarantine_reason or QuarantineReason.TOO_MANY_PARTS
    if walk.too_deep:
        parsed.quarantine_reason = parsed.quarantine_reason or QuarantineReason.INVALID_STRUCTURE
        parsed.notes.append(f"MIME nesting deeper than {MAX_MIME_DEPTH}")
    raw_text, parsed.html_converted = body_text(walk.body_parts, walk.notes)
    parsed.notes.extend(walk.notes)
    if len(raw_text) > MAX_TEXT_CHARS:
        parsed.notes.append(f"text cut from {len(raw_text)} to {MAX_TEXT_CHARS} characters")
        raw_text = raw_text[:MAX_TEXT_CHARS]
    garbled = looks_garbled(raw_text)
    raw_text = clean_body(raw_text)
    forwarded = [clean_body(text[:MAX_TEXT_CHARS]) for text in walk.forwarded_parts]
    own = extract_complaint_text(raw_text)
    forwarded_texts = [extract_complaint_text(text) for text in forwarded]
    # A message forwarded as an attachment: its text is the complaint when the note is empty.
    parsed.text = "\n\n".join(t for t in [own, *forwarded_texts] if t).strip()
    quarantine = accept_attachments(
        walk, parsed, max_attachments=max_attachments, max_attachment_bytes=max_attachment_bytes
    )
    parsed.quarantine_reason = parsed.quarantine_reason or quarantine
    if garbled:
        parsed.quarantine_reason = parsed.quarantine_reason or QuarantineReason.INVALID_ENCODING
    if not parsed.text and not parsed.attachments and parsed.auto_reason is None:
        parsed.quarantine_reason = parsed.quarantine_reason or QuarantineReason.EMPTY
    return "\n".join([raw_text, *forwarded])
