"""Inbound email: one raw message to the fields a ticket needs.

`parse_email()` never raises for any input: hostile or broken mail comes back
with `quarantine_reason` set, auto-replies and bounces with `auto_reason` set.
The caller stores the raw bytes first, then parses, then decides:

* `quarantine_reason` set → keep the raw message for admins, create nothing;
* `auto_reason` set → create nothing and send nothing (no mail loops);
* otherwise → a new ticket, or a citizen message on the ticket whose tracking
  code appears in `tracking_codes_found`.

Modules, in the order a message goes through them: `decoding` (charsets, headers),
`headers` (sender, threading, tracking codes), `auto_reply`, `mime` (the part walk),
`html_text` and `body` (text, quotes and signatures), `attachments`; `parser` ties them together.
"""
from __future__ import annotations

from feedback.intake.email.auto_reply import detect_auto_reply
from feedback.intake.email.body import MAX_TEXT_CHARS, extract_complaint_text
from feedback.intake.email.decoding import clean_header_text, decode_bytes, decode_header_value
from feedback.intake.email.headers import validate_address
from feedback.intake.email.html_text import defuse_markup, html_to_text
from feedback.intake.email.model import AutoReason, ParsedEmail, QuarantineReason
from feedback.intake.email.parser import parse_email

__all__ = [
    "MAX_TEXT_CHARS",
    "AutoReason",
    "ParsedEmail",
    "QuarantineReason",
    "clean_header_text",
    "decode_bytes",
    "decode_header_value",
    "defuse_markup",
    "detect_auto_reply",
    "extract_complaint_text",
    "html_to_text",
    "parse_email",
    "validate_address",
]
