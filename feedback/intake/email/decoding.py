"""Charsets and headers: bytes and RFC 2047 words to text, never raising on malformed input.

Headers are read with the `compat32` policy and decoded here, because the modern policy can
raise deep inside its header parser on malformed input.
"""
from __future__ import annotations

import codecs
import email.errors
import email.header
import email.message
import unicodedata

# What the stdlib email package raises on malformed input it did not repair.
MALFORMED = (email.errors.MessageError, ValueError, TypeError, LookupError, IndexError, AttributeError)

# decode_header() slows down badly on huge headers; a subject needs 250 characters.
MAX_HEADER_CHARS = 4000
MAX_SUBJECT_LENGTH = 250

_SINGLE_BYTE_ALIASES = {"us-ascii", "ascii", "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "cp819"}
# Codecs that are not charsets (escape decoders) or are slow on hostile bytes.
_REFUSED_CODECS = frozenset({"unicode-escape", "raw-unicode-escape", "punycode", "idna", "undefined"})


def decode_bytes(data: bytes, declared: str | None) -> str:
    """Decode text honestly: declared charset if it fits, else UTF-8, else cp1252.

    Like browsers, ISO-8859-1 and US-ASCII labels are read as windows-1252.
    Bytes that are valid multi-byte UTF-8 under a single-byte label are UTF-8.
    Never raises.
    """
    label = (declared or "").strip().strip('"').lower()
    if not data:
        return ""
    if label in _SINGLE_BYTE_ALIASES or label in {"windows-1252", "cp1252"}:
        if not data.isascii():
            try:
                return data.decode("utf-8")
            except UnicodeDecodeError:
                pass
        return _decode_cp1252(data)
    codec = _lookup_codec(label) if label else None
    for candidate in (codec, "utf-8"):
        if candidate:
            try:
                return data.decode(candidate)
            except (UnicodeDecodeError, LookupError, ValueError):
                continue
    return _decode_cp1252(data)


def _lookup_codec(label: str) -> str | None:
    try:
        info = codecs.lookup(label)
    except (LookupError, ValueError):
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _REFUSED_CODECS:
        return None
    return info.name


def _decode_cp1252(data: bytes) -> str:
    # cp1252 leaves five bytes undefined; those become U+FFFD.
    return data.decode("cp1252", errors="replace")


def decode_header_value(value: object) -> str:
    """Decode an RFC 2047 header (or raw 8-bit header bytes) to str; never raises."""
    if value is None:
        return ""
    if isinstance(value, str) and len(value) > MAX_HEADER_CHARS:
        value = value[:MAX_HEADER_CHARS]
    try:
        chunks = email.header.decode_header(value)  # type: ignore[arg-type]
    except (email.errors.HeaderParseError, ValueError, TypeError, LookupError, AssertionError):
        return _raw_header_text(value)
    parts: list[str] = []
    for chunk, charset in chunks:
        if isinstance(chunk, str):
            parts.append(_raw_header_text(chunk))
        elif charset in (None, "unknown-8bit"):
            parts.append(decode_bytes(chunk, "utf-8"))
        else:
            parts.append(decode_bytes(chunk, charset))
    return "".join(parts)


def _raw_header_text(value: object) -> str:
    text = str(value)
    try:
        return decode_bytes(text.encode("ascii", "surrogateescape"), "utf-8")
    except UnicodeEncodeError:
        return text


def clean_header_text(text: str, limit: int = MAX_SUBJECT_LENGTH) -> str:
    """One line of printable text: CR, LF and every other control become spaces."""
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in text)
    return " ".join(text.split())[:limit]


def first_header(msg: email.message.Message, name: str) -> object | None:
    """The first raw value of header `name`, or None when absent or unreadable."""
    try:
        values = msg.get_all(name)
    except MALFORMED:
        return None
    return values[0] if values else None


def header(msg: email.message.Message, name: str) -> str:
    """Header `name` decoded to one clean line ('' when absent)."""
    return clean_header_text(decode_header_value(first_header(msg, name)), limit=2000)
