"""Mail written by a machine (auto-replies, bounces, lists): never answer it, never make a ticket of it."""
from __future__ import annotations

import email.message
import re

from feedback.intake.email.decoding import first_header, header
from feedback.intake.email.mime import content_type
from feedback.intake.email.model import AutoReason

_AUTO_SUBJECT = re.compile(
    r"^\s*(out of (the )?office|automatic reply|auto[- ]?reply|autoreply|auto[- ]?response|balasan otomatis|"
    r"di luar kantor|undeliverable|undelivered mail|delivery status notification|delivery failure|"
    r"mail delivery (failed|failure|system)|returned mail|failure notice|tidak dapat dikirim|tidak terkirim|"
    r"pemberitahuan status pengiriman)",
    re.IGNORECASE,
)
_SYSTEM_SENDERS = re.compile(r"^(mailer-daemon|postmaster|no-?reply|do-?not-?reply|bounces?)([+-].*)?@", re.IGNORECASE)


def detect_auto_reply(msg: email.message.Message, subject: str, from_address: str | None) -> AutoReason | None:
    """Why this mail was written by a machine (never answer it), or None."""
    auto_submitted = header(msg, "Auto-Submitted").lower()
    if auto_submitted and auto_submitted != "no":
        return AutoReason.AUTO_SUBMITTED
    if first_header(msg, "X-Autoreply") is not None or first_header(msg, "X-Autorespond") is not None:
        return AutoReason.X_AUTOREPLY
    if header(msg, "Precedence").lower() in {"bulk", "junk", "list", "auto_reply"}:
        return AutoReason.PRECEDENCE
    if first_header(msg, "List-Id") is not None or first_header(msg, "List-Unsubscribe") is not None:
        return AutoReason.MAILING_LIST
    if content_type(msg) == "multipart/report":
        return AutoReason.DELIVERY_REPORT
    if first_header(msg, "X-Failed-Recipients") is not None:
        return AutoReason.FAILED_RECIPIENTS
    raw_from = header(msg, "From")
    if (from_address and _SYSTEM_SENDERS.match(from_address)) or re.search(r"\bmailer-daemon\b", raw_from, re.IGNORECASE):
        return AutoReason.SYSTEM_SENDER
    if header(msg, "Return-Path").replace(" ", "") == "<>":
        return AutoReason.NULL_RETURN_PATH
    if _AUTO_SUBJECT.match(subject):
        return AutoReason.AUTO_SUBJECT
    return None
