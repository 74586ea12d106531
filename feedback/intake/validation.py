"""Validation of citizen input, shared by every channel."""
from __future__ import annotations

import re

from feedback.errors import FieldError, InputError
from feedback.intake.messages import Channel, IntakeMessage, Privacy, TicketKind
from feedback.intake.nik import nik_problem
from feedback.settings import Settings

# A plain, routable address: dot-atom local part (no leading, trailing or double dots), dotted host name.
EMAIL_RE = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)
CONTROL_CHARS_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def normalize_phone(raw: str) -> str | None:
    """Indonesian phone numbers as +62…; None when the input is not a plausible number."""
    digits = re.sub(r"[\s\-().]", "", raw)
    if digits.startswith("+"):
        digits = digits[1:]
        if not digits.startswith("62"):
            return "+" + digits if re.fullmatch(r"\d{8,15}", digits) else None
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    if not re.fullmatch(r"62\d{7,13}", digits):
        return None
    return "+" + digits


def is_valid_email(address: str) -> bool:
    """True for an address every channel accepts (RFC 5321 limits: 254 in all, 64 before the '@')."""
    return len(address) <= 254 and EMAIL_RE.match(address) is not None and len(address.rpartition("@")[0]) <= 64


def _clean_optional(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


def validate_intake(msg: IntakeMessage, settings: Settings) -> IntakeMessage:
    """Check and normalise a submission in place; raise InputError listing every problem."""
    errors: list[FieldError] = []

    def err(field: str, code: str, id_msg: str, en_msg: str) -> None:
        errors.append(FieldError(field, code, id_msg, en_msg))

    try:
        msg.kind = TicketKind(msg.kind)
    except ValueError:
        err("kind", "invalid_choice", "Jenis laporan harus salah satu dari: complaint, suggestion, question, compliment.",
            "kind must be one of: complaint, suggestion, question, compliment.")
    try:
        msg.privacy = Privacy(msg.privacy)
    except ValueError:
        err("privacy", "invalid_choice", "Privasi harus salah satu dari: public, confidential, anonymous.",
            "privacy must be one of: public, confidential, anonymous.")
    msg.channel = Channel(msg.channel)

    text = msg.text if isinstance(msg.text, str) else ""
    stripped = text.strip()
    if "\x00" in text:
        err("text", "invalid_characters", "Isi laporan mengandung karakter yang tidak sah.", "text contains invalid characters.")
    elif len(stripped) < settings.min_text_chars:
        err("text", "too_short", f"Isi laporan terlalu pendek (minimal {settings.min_text_chars} karakter). Ceritakan masalahnya, lokasinya, dan sejak kapan.",
            f"text is too short (at least {settings.min_text_chars} characters).")
    elif len(stripped) > settings.max_text_chars:
        err("text", "too_long", f"Isi laporan terlalu panjang (maksimal {settings.max_text_chars} karakter).",
            f"text is too long (at most {settings.max_text_chars} characters).")

    for name, limit in (("title", 200), ("location", 300), ("kecamatan", 100), ("reporter_name", 200), ("office", 200)):
        value = _clean_optional(getattr(msg, name))
        if value is not None and (len(value) > limit or CONTROL_CHARS_RE.search(value)):
            err(name, "invalid", f"Kolom {name} terlalu panjang (maks {limit}) atau berisi karakter tidak sah.",
                f"{name} is longer than {limit} characters or has invalid characters.")
        setattr(msg, name, value)

    if (msg.lat is None) != (msg.long is None):
        err("lat", "incomplete", "Isi lintang dan bujur sekaligus, atau kosongkan keduanya.", "Give both lat and long, or neither.")
    if msg.lat is not None and not (-90 <= msg.lat <= 90):
        err("lat", "out_of_range", "Lintang harus antara -90 dan 90.", "lat must be between -90 and 90.")
    if msg.long is not None and not (-180 <= msg.long <= 180):
        err("long", "out_of_range", "Bujur harus antara -180 dan 180.", "long must be between -180 and 180.")

    email = _clean_optional(msg.reporter_email)
    if email is not None and not is_valid_email(email):
        err("reporter.email", "invalid_email", "Alamat email tidak valid.", "email address is not valid.")
    msg.reporter_email = email.lower() if email else None

    phone = _clean_optional(msg.reporter_phone)
    if phone is not None:
        normalized = normalize_phone(phone)
        if normalized is None:
            err("reporter.phone", "invalid_phone", "Nomor telepon tidak valid (contoh: 0812-3456-7890).",
                "phone number is not valid (e.g. 0812-3456-7890).")
        phone = normalized
    msg.reporter_phone = phone

    nik = _clean_optional(msg.reporter_nik)
    if nik is not None:
        problem = nik_problem(nik)
        if problem:
            err("reporter.nik", "invalid_nik", "NIK tidak valid: harus 16 digit dengan kode wilayah dan tanggal lahir yang benar.",
                f"NIK is not valid: {problem}.")
    msg.reporter_nik = nik

    if errors:
        raise InputError(errors)
    if msg.privacy == Privacy.ANONYMOUS:
        # Anonymous means no identity stored at all, whatever the form contained.
        msg.reporter_name = msg.reporter_email = msg.reporter_phone = msg.reporter_nik = None
    return msg
