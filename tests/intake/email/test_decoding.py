"""Charsets: the declared one if it fits, else UTF-8, else cp1252 (as browsers read latin-1 labels)."""
from __future__ import annotations

import pytest

from feedback.intake.email.decoding import decode_bytes


@pytest.mark.parametrize(
    ("data", "declared", "expected"),
    [
        ("café".encode("utf-8"), "utf-8", "café"),
        ("café".encode("latin-1"), "iso-8859-1", "café"),
        ("“ok”".encode("cp1252"), "iso-8859-1", "“ok”"),  # the WHATWG reading of latin-1 labels
        ("“ok”".encode("cp1252"), "utf-8", "“ok”"),
        ("café".encode("utf-8"), "iso-8859-1", "café"),  # UTF-8 mislabelled as Latin-1
        ("café".encode("utf-8"), "x-unknown-charset", "café"),
        ("café".encode("cp1252"), None, "café"),
        (b"\x81\x8d", "windows-1252", "\ufffd\ufffd"),
        ("Привет".encode("koi8-r"), "koi8-r", "Привет"),
    ],
)
def test_decode_bytes(data: bytes, declared: str | None, expected: str) -> None:
    assert decode_bytes(data, declared) == expected
