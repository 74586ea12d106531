"""Who sent a mail and which conversation it belongs to: From, Date, Subject, Message-ID,
In-Reply-To, References, and the tracking codes it mentions."""
from __future__ import annotations

import email.message
import email.utils
import re
from collections.abc import Callable
from datetime import datetime, timezone

from feedback.intake.email.auto_reply import detect_auto_reply
from feedback.intake.email.decoding import clean_header_text, decode_header_value, first_header, header
from feedback.intake.email.model import ParsedEmail, QuarantineReason
from feedback.intake.validation import is_valid_email

_MSGID = re.compile(r"<[^<>\s]{1,900}>")


def read_headers(msg: email.message.Message, parsed: ParsedEmail) -> None:
    """Fill the header fields of `parsed`; an unusable From quarantines the mail."""
    ids = _message_ids(header(msg, "Message-ID"))
    parsed.message_id = ids[0] if ids else None
    in_reply_to = _message_ids(header(msg, "In-Reply-To"))
    parsed.in_reply_to = in_reply_to[0] if in_reply_to else None
    parsed.references = _message_ids(header(msg, "References"))[:100]
    parsed.subject = clean_header_text(decode_header_value(first_header(msg, "Subject")))
    parsed.from_name, parsed.from_address = _parse_from(first_header(msg, "From"))
    parsed.date = _parse_date(header(msg, "Date"))
    parsed.auto_reason = detect_auto_reply(msg, parsed.subject, parsed.from_address)
    if parsed.from_address is None:
        parsed.quarantine_reason = QuarantineReason.NO_FROM
        parsed.notes.append(f"From header unusable: {header(msg, 'From')[:200]!r}")


def tracking_codes(find_codes: Callable[[str], list[str]], subject: str, body: str) -> list[str]:
    """Codes found by `find_codes` in the subject, then the body, without repeats."""
    found = [*find_codes(subject), *find_codes(body)]
    return list(dict.fromkeys(found))


def validate_address(address: str) -> str | None:
    """The address with a lower-cased domain if it is a plain, routable address."""
    address = address.strip()
    if not is_valid_email(address):
        return None
    local, _, domain = address.rpartition("@")
    return f"{local}@{domain.lower()}"


def _message_ids(value: str) -> list[str]:
    return _MSGID.findall(value)


def _parse_from(raw_value: object | None) -> tuple[str | None, str | None]:
    if raw_value is None:
        return None, None
    # Raw 8-bit headers arrive as Header objects and hold no encoded words: decode first.
    raw_text = raw_value if isinstance(raw_value, str) else decode_header_value(raw_value)
    raw_text = raw_text.replace("\r", " ").replace("\n", " ")
    try:
        pairs = email.utils.getaddresses([raw_text])
    except (ValueError, TypeError, IndexError):
        return None, None
    pairs = [(name, addr) for name, addr in pairs if addr]
    if len(pairs) != 1:
        return None, None
    name, addr = pairs[0]
    name = clean_header_text(decode_header_value(name), limit=200) or None
    return name, validate_address(decode_header_value(addr))


def _parse_date(value: str) -> datetime | None:
    if not value:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
