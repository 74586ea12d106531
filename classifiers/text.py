"""Input cleaning shared by training and prediction."""

from __future__ import annotations

CHARS_PER_TOKEN_LIMIT = 16
"""Characters kept per allowed token; bounds tokenizer work on huge inputs (100 KB texts)."""


def clean_text(value: object, max_len: int) -> str:
    """Turn anything into a string the tokenizer accepts, cut to what ``max_len`` tokens can use."""
    if value is None:
        return ""
    if isinstance(value, (bytes, bytearray, memoryview)):
        value = bytes(value).decode("utf-8", errors="replace")
    elif not isinstance(value, str):
        value = str(value)
    value = value[: max_len * CHARS_PER_TOKEN_LIMIT]
    # lone surrogates cannot be encoded to UTF-8 and would make the Rust tokenizer raise
    return value.encode("utf-8", errors="replace").decode("utf-8")
