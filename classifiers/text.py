"""Input cleaning shared by training and prediction."""

from __future__ import annotations

import re

CHARS_PER_TOKEN_LIMIT = 16
"""Characters kept per allowed token; bounds tokenizer work on huge inputs (100 KB texts)."""

_LONG_NUMBER = re.compile(r"\d[\d.\- ]{6,}\d")
_REPEATED_LETTER = re.compile(r"([^\W\d_])\1{2,}")
_URL = re.compile(r"https?://\S+|www\.\S+")


def normalize_text(text: str) -> str:
    """What citizens type that only costs tokens: ID and phone numbers, URLs, stretched letters.

    A 16-digit NIK takes about eight word pieces and pushes the problem out of the model's window,
    so long numbers become one word (``nomor``); ``TERUUUS`` becomes ``TERUS``.
    """
    text = _URL.sub(" tautan ", text)
    text = _LONG_NUMBER.sub(" nomor ", text)
    return _REPEATED_LETTER.sub(r"\1", text)


def clean_text(value: object, max_len: int) -> str:
    """Turn anything into a string the tokenizer accepts, cut to what ``max_len`` tokens can use."""
    if value is None:
        return ""
    if isinstance(value, (bytes, bytearray, memoryview)):
        value = bytes(value).decode("utf-8", errors="replace")
    elif not isinstance(value, str):
        value = str(value)
    value = normalize_text(value[: max_len * CHARS_PER_TOKEN_LIMIT])
    # lone surrogates cannot be encoded to UTF-8 and would make the Rust tokenizer raise
    return value.encode("utf-8", errors="replace").decode("utf-8")
