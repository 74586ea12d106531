"""Public tracking codes: 11 random symbols + 1 check symbol (weighted mod 31), no ambiguous letters."""
from __future__ import annotations

import re
import secrets

# No 0/O, 1/I/L: citizens read these codes aloud and copy them from paper receipts.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RANDOM_LENGTH = 11
CODE_LENGTH = RANDOM_LENGTH + 1
_INDEX = {ch: i for i, ch in enumerate(ALPHABET)}
_SYMBOL = f"[{ALPHABET}]"
CODE_PATTERN = re.compile(rf"\b{_SYMBOL}{{4}}-?{_SYMBOL}{{4}}-?{_SYMBOL}{{4}}\b", re.I)
# Code-shaped strings in mail: the dashed form in any case, the undashed form only in capitals
# (lower-case runs of 12 alphabet letters are ordinary words).
_GROUP = rf"({_SYMBOL}{{4}})"
_DASHED_CANDIDATE = re.compile(rf"(?<![0-9A-Za-z]){_GROUP}-{_GROUP}-{_GROUP}(?![0-9A-Za-z])", re.I)
_PLAIN_CANDIDATE = re.compile(rf"(?<![0-9A-Za-z]){_GROUP}{_GROUP}{_GROUP}(?![0-9A-Za-z])")


def _check_symbol(body: str) -> str:
    """Position-weighted sum modulo 31 (a prime): every single-symbol error and every
    adjacent transposition in the body changes the check symbol."""
    total = sum((i + 1) * _INDEX[ch] for i, ch in enumerate(body))
    return ALPHABET[total % len(ALPHABET)]


def new_tracking_code() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return body + _check_symbol(body)


def normalize_code(raw: str) -> str | None:
    """Canonical 12-symbol form of user input, or None if it cannot be a valid code."""
    if not isinstance(raw, str):
        return None
    cleaned = re.sub(r"[\s\-_.]", "", raw).upper()
    if len(cleaned) != CODE_LENGTH or any(ch not in _INDEX for ch in cleaned):
        return None
    if _check_symbol(cleaned[:-1]) != cleaned[-1]:
        return None
    return cleaned


def format_code(code: str) -> str:
    return f"{code[0:4]}-{code[4:8]}-{code[8:12]}"


def find_codes(text: str) -> list[str]:
    """Valid tracking codes mentioned in free text (email subjects and bodies)."""
    found: list[str] = []
    for match in CODE_PATTERN.finditer(text or ""):
        code = normalize_code(match.group(0))
        if code and code not in found:
            found.append(code)
    return found


def find_tracking_candidates(text: str) -> list[str]:
    """Tracking-code shaped strings, normalised to XXXX-XXXX-XXXX, in order, no repeats; check symbol not checked."""
    found: list[tuple[int, str]] = []
    for pattern in (_DASHED_CANDIDATE, _PLAIN_CANDIDATE):
        for match in pattern.finditer(text):
            found.append((match.start(), "-".join(match.groups()).upper()))
    return list(dict.fromkeys(code for _, code in sorted(found)))
