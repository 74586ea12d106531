"""The citizen's own words: quoted history, forwards and signatures."""
from __future__ import annotations

import pytest

from feedback.intake.email.body import extract_complaint_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jalan rusak.\n\nOn Mon, 3 Jun 2024 at 10:00, Dinas <d@x.id> wrote:\n> lama\n", "Jalan rusak."),
        ("Jalan rusak.\n\nPada Sen, 3 Jun 2024 pukul 10.00 Dinas <d@x.id> menulis:\n> lama", "Jalan rusak."),
        ("Jalan rusak.\n\n-----Original Message-----\nFrom: x\nlama", "Jalan rusak."),
        ("Jalan rusak.\n\n-------- Pesan asli --------\nDari: x\nlama", "Jalan rusak."),
        ("Jalan rusak.\n\n________________________________\nFrom: Dinas\nSent: Monday\nlama", "Jalan rusak."),
        ("Jalan rusak.\n\nFrom: Dinas <d@x.id>\nSent: Monday, June 3\nTo: saya\nSubject: lama\n\nlama", "Jalan rusak."),
        ("Jalan rusak.\n-- \nBudi\n0812-xxxx", "Jalan rusak."),
        ("Jalan rusak.\n\nSent from my Samsung Galaxy smartphone.", "Jalan rusak."),
        ("Jalan rusak.\n\nDikirim dari iPhone saya", "Jalan rusak."),
        ("Jalan rusak.\n\nGet Outlook for Android", "Jalan rusak."),
        ("Jalan rusak.\n\nSalam,\nBudi", "Jalan rusak.\n\nSalam,\nBudi"),
        ("> pertanyaan lama\njawaban saya\n> lagi\njawaban dua", "jawaban saya\njawaban dua"),
        ("On Mon, Dinas wrote:\n> pertanyaan\n\nJawaban di bawah.", "Jawaban di bawah."),
        ("Begin forwarded message:\n\nFrom: A <a@x.id>\nSubject: s\n\nIsi asli.\n", "Isi asli."),
        ("Tolong dicek.\n\n---------- Forwarded message ---------\nFrom: A\n\nIsi asli.", "Tolong dicek.\n\nIsi asli."),
        ("Dikirim dari kantor kecamatan pukul 9.\nJalan rusak.", "Dikirim dari kantor kecamatan pukul 9.\nJalan rusak."),
    ],
)
def test_extract_complaint_text(text: str, expected: str) -> None:
    assert extract_complaint_text(text) == expected
