"""Masking of personal data (NIK, phone numbers, email addresses) in text shown publicly."""
from __future__ import annotations

import re

NIK_RE = re.compile(r"(?<!\d)(\d{4})[ .-]?(\d{4})[ .-]?(\d{4})[ .-]?(\d{4})(?!\d)")
PHONE_RE = re.compile(r"(?<![\w+])(?:\+62|62|0)[ .-]?8\d(?:[ .-]?\d){6,11}(?!\d)")
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


def mask_pii(text: str | None) -> str:
    """Replace NIKs, phone numbers and email addresses with masked forms."""
    if not text:
        return text or ""
    text = EMAIL_RE.sub(lambda m: m.group(0)[0] + "***@***", text)
    text = NIK_RE.sub(lambda m: m.group(1) + "********" + m.group(4), text)
    text = PHONE_RE.sub(lambda m: m.group(0)[:4] + "****" + re.sub(r"\D", "", m.group(0))[-2:], text)
    return text


def contains_pii(text: str) -> bool:
    return bool(NIK_RE.search(text) or PHONE_RE.search(text) or EMAIL_RE.search(text))
