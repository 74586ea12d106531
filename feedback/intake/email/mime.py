"""The MIME walk: which parts are body text (one per multipart/alternative), which are files.

Limits on part count and depth are checked here; the caller quarantines what exceeds them.
"""
from __future__ import annotations

import email.message
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field

from feedback.intake.email.body import body_text
from feedback.intake.email.decoding import MALFORMED, clean_header_text, decode_bytes, decode_header_value

logger = logging.getLogger(__name__)

MAX_MIME_PARTS = 500
MAX_MIME_DEPTH = 20


@dataclass
class Walk:
    body_parts: list[tuple[str, str]] = field(default_factory=list)  # (kind, text) kind: plain|html
    forwarded_parts: list[str] = field(default_factory=list)
    candidates: list[tuple[str, bytes, str]] = field(default_factory=list)  # (filename, data, declared)
    notes: list[str] = field(default_factory=list)
    parts_seen: int = 0
    too_deep: bool = False
    too_many_parts: bool = False


def content_type(part: email.message.Message) -> str:
    try:
        return part.get_content_type()
    except MALFORMED:  # a malformed Content-Type means text/plain (RFC 2045)
        return "text/plain"


def _param(part: email.message.Message, getter: str) -> str | None:
    try:
        value = getattr(part, getter)()
    except MALFORMED:  # malformed parameters are treated as absent
        return None
    if value is None:
        return None
    return clean_header_text(decode_header_value(value) if isinstance(value, str) else str(value), limit=300) or None


def _disposition(part: email.message.Message) -> str:
    try:
        return (part.get_content_disposition() or "").lower()
    except MALFORMED:
        return ""


def _payload_bytes(part: email.message.Message) -> bytes:
    try:
        payload = part.get_payload(decode=True)
    except MALFORMED as exc:  # undecodable transfer encoding: no payload
        logger.info("email payload not decodable: %r", exc)
        return b""
    return payload if isinstance(payload, bytes) else b""


def _part_text(part: email.message.Message) -> str:
    return decode_bytes(_payload_bytes(part), _param(part, "get_content_charset"))


def _is_attachment(part: email.message.Message, ctype: str) -> bool:
    """Files and inline images are attachments; inline text without a name is body."""
    disposition = _disposition(part)
    if disposition == "attachment" or not ctype.startswith("text/"):
        return True
    return disposition != "inline" and _param(part, "get_filename") is not None


def walk_message(part: email.message.Message, walk: Walk, depth: int = 0, *, body_wanted: bool = True) -> None:
    """Collect `part`'s body texts, forwarded messages and attachment candidates into `walk`."""
    walk.parts_seen += 1
    if walk.parts_seen > MAX_MIME_PARTS:
        walk.too_many_parts = True
        return
    if depth > MAX_MIME_DEPTH:
        walk.too_deep = True
        return
    ctype = content_type(part)
    if ctype in ("message/rfc822", "message/global"):
        _walk_forwarded(part, walk, depth)
        return
    if ctype.startswith("message/"):
        return  # delivery-status and friends carry no citizen text
    if part.is_multipart():
        children = part.get_payload()
        if not isinstance(children, list):
            return
        if ctype == "multipart/alternative":
            best = _best_alternative(children)
            for child in children:
                walk_message(child, walk, depth + 1, body_wanted=body_wanted and child is best)
        else:
            for child in children:
                walk_message(child, walk, depth + 1, body_wanted=body_wanted)
        return
    if _is_attachment(part, ctype):
        walk.candidates.append((_param(part, "get_filename") or "", _payload_bytes(part), ctype))
        return
    if not body_wanted:
        return
    if ctype == "text/html":
        walk.body_parts.append(("html", _part_text(part)))
    elif ctype == "text/plain":
        walk.body_parts.append(("plain", _part_text(part)))
    # text/calendar, text/enriched... carry no usable complaint text: ignored


def _walk_forwarded(part: email.message.Message, walk: Walk, depth: int) -> None:
    payload = part.get_payload()
    inner = payload[0] if isinstance(payload, list) and payload else None
    if not isinstance(inner, email.message.Message):
        return
    nested = Walk(parts_seen=walk.parts_seen)
    walk_message(inner, nested, depth + 1)
    walk.parts_seen = nested.parts_seen
    walk.too_deep |= nested.too_deep
    walk.too_many_parts |= nested.too_many_parts
    walk.candidates.extend(nested.candidates)
    walk.notes.extend(nested.notes)
    text, _ = body_text(nested.body_parts, nested.notes)
    if text:
        walk.forwarded_parts.append(text)


def _best_alternative(children: list[email.message.Message]) -> email.message.Message | None:
    def has(part: email.message.Message, wanted: str) -> bool:
        for sub in _iter_parts(part):
            if content_type(sub) == wanted and _disposition(sub) != "attachment" and _payload_bytes(sub).strip():
                return True
        return False

    for wanted in ("text/plain", "text/html"):
        for child in children:
            if has(child, wanted):
                return child
    return children[0] if children else None


def _iter_parts(part: email.message.Message, depth: int = 0) -> Iterator[email.message.Message]:
    if depth > MAX_MIME_DEPTH:
        return
    yield part
    if part.is_multipart() and isinstance(part.get_payload(), list):
        for child in part.get_payload():
            yield from _iter_parts(child, depth + 1)
