"""Attachment type checks shared by the web and email channels."""
from __future__ import annotations

import hashlib
import io
import re
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feedback.intake.attachment_types import (
    EXTENSIONS,
    MAX_FILENAME_LENGTH,
    AttachmentError,
    safe_filename,
    sniff_type,
    validate_attachment,
    validate_attachments,
)
from feedback.intake.messages import IntakeAttachment

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20 + b"\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 20
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (JPEG, "image/jpeg"),
        (PNG, "image/png"),
        (PDF, "application/pdf"),
        (b"GIF89a", None),
        (b"<svg xmlns=", None),
        (b"\x89PNG\r\n", None),  # truncated signature
        (b"", None),
        (b" %PDF-1.4", None),  # magic must be at offset 0
    ],
)
def test_sniff_type(data: bytes, expected: str | None) -> None:
    assert sniff_type(data) == expected


@pytest.mark.parametrize(
    ("name", "content_type", "expected"),
    [
        ("foto.jpg", "image/jpeg", "foto.jpg"),
        ("Foto Jalan (1).JPEG", "image/jpeg", "Foto Jalan (1).jpeg"),
        ("foto.jpg.exe", "image/jpeg", "foto_jpg_exe.jpg"),
        ("virus.exe.jpg", "image/jpeg", "virus_exe.jpg"),
        ("laporan.png", "application/pdf", "laporan_png.pdf"),
        ("../../etc/passwd", None, "passwd"),
        ("..\\..\\windows\\system32\\cmd.exe", None, "cmd.exe"),
        ("C:\\Users\\Budi\\surat.PDF", "application/pdf", "surat.pdf"),
        ("C:surat.pdf", "application/pdf", "surat.pdf"),
        (".htaccess", None, "htaccess"),
        ("...", "image/png", "lampiran.png"),
        ("", None, "lampiran"),
        (None, "image/jpeg", "lampiran.jpg"),
        ("a\x00b\r\nc.png", "image/png", "a b c.png"),
        ("foto<script>.jpg", "image/jpeg", "foto_script.jpg"),
        ("jalan rusak.pdf ", "application/pdf", "jalan rusak.pdf"),
        ("surat; rm -rf.pdf", "application/pdf", "surat_ rm -rf.pdf"),
    ],
)
def test_safe_filename(name: str | None, content_type: str | None, expected: str) -> None:
    assert safe_filename(name, content_type) == expected


def test_safe_filename_limits_length_and_keeps_extension() -> None:
    name = safe_filename("x" * 500 + ".jpeg.exe", "image/jpeg")
    assert len(name) == MAX_FILENAME_LENGTH
    assert name.endswith(".jpg")


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=300), st.sampled_from([None, *EXTENSIONS]))
def test_safe_filename_properties(name: str, content_type: str | None) -> None:
    result = safe_filename(name, content_type)
    assert result and len(result) <= MAX_FILENAME_LENGTH
    assert "/" not in result and "\\" not in result and ".." not in result
    assert not result.startswith((".", " "))
    assert not re.search(r"[\x00-\x1f\x7f]", result)
    assert result.count(".") <= 1
    if content_type:
        assert result.lower().endswith(EXTENSIONS[content_type])


def test_validate_attachments_accepts_and_describes() -> None:
    [photo, doc] = validate_attachments(
        [IntakeAttachment("jalan.jpg.exe", JPEG, "application/octet-stream"), IntakeAttachment("surat", PDF)]
    )
    assert (photo.filename, photo.content_type, photo.size) == ("jalan_jpg_exe.jpg", "image/jpeg", len(JPEG))
    assert photo.sha256 == hashlib.sha256(JPEG).hexdigest()
    assert (doc.filename, doc.content_type) == ("surat.pdf", "application/pdf")


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (b"MZ\x90\x00" + b"\x00" * 60, "executable"),
        (b"\x7fELF\x02\x01\x01", "executable"),
        (b"#!/bin/sh\nrm -rf /\n", "executable"),
        (b"\xcf\xfa\xed\xfe\x07\x00", "executable"),
        (zipped({"a.jpg": JPEG}), "archive"),
        (zipped({"inner.zip": zipped({"x.exe": b"MZ"})}), "nested_archive"),
        (zipped({"data.bin": b"Rar!\x1a\x07\x00" + b"\x00" * 10}), "nested_archive"),
        (b"Rar!\x1a\x07\x01\x00", "archive"),
        (b"7z\xbc\xaf\x27\x1c\x00\x04", "archive"),
        (b"\x1f\x8b\x08\x00", "archive"),
        (b"PK\x03\x04garbage-not-a-real-zip", "archive"),
        (b"GIF89a\x01\x00", "type_not_allowed"),
        (b"<html><script>alert(1)</script>", "type_not_allowed"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "type_not_allowed"),  # OLE (macro documents)
    ],
)
def test_validate_attachment_rejections(data: bytes, code: str) -> None:
    with pytest.raises(AttachmentError) as caught:
        validate_attachment(IntakeAttachment("foto.jpg", data, "image/jpeg"))
    error = caught.value
    assert isinstance(error, ValueError)
    assert error.code == code
    assert error.message_id and error.message_en and error.message_id != error.message_en


def test_too_big_and_too_many() -> None:
    with pytest.raises(AttachmentError) as caught:
        validate_attachments([IntakeAttachment("a.jpg", JPEG + b"\x00" * 100)], max_bytes=50)
    assert caught.value.code == "too_large"
    assert "MB" in caught.value.message_id
    with pytest.raises(AttachmentError) as caught:
        validate_attachments([IntakeAttachment(f"{i}.png", PNG) for i in range(6)])
    assert caught.value.code == "too_many"
    assert "5" in caught.value.message_id and "5" in caught.value.message_en
    assert len(validate_attachments([IntakeAttachment(f"{i}.png", PNG) for i in range(5)])) == 5


def test_error_message_shows_the_safe_name_only() -> None:
    with pytest.raises(AttachmentError) as caught:
        validate_attachment(IntakeAttachment("../../<b>x</b>.exe", b"MZ"))
    assert "<" not in caught.value.message_en and "../" not in caught.value.message_en
