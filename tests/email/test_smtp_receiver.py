"""Real SMTP over loopback (smtplib) to the aiosmtpd receiver, real PostgreSQL behind it."""
from __future__ import annotations

import hashlib
import smtplib

import pytest

from feedback.intake.email import parse_email
from feedback.intake.email_service import MAX_EMAIL_BYTES, mail_store
from feedback.intake.messages import Channel, IntakeMessage
from feedback.intake.services import create_ticket
from feedback.intake.smtp_server import start_in_thread
from feedback.tables import Attachment, InboundEmail, Ticket, TicketEvent, TicketMessage
from feedback.tracking.codes import find_codes, format_code, new_tracking_code
from tests.conftest import run_async
from tests.email.helpers import (
    IGNORED_FILES, INBOX, QUARANTINED_FILES, TICKET_FILES, complaint, corpus, free_port, send,
)

SPECIFIC = {
    "01_gmail_alternative.eml": {"text_has": ["Mohon segera ditambal"], "files": []},
    "06_base64_body.eml": {"title": "Pelayanan KTP-el lambat", "files": []},
    "07_iso_8859_1.eml": {"text_has": ["35°C"], "files": []},
    "10_photo_attachment.eml": {"files": [("IMG_20240612_105511.jpg", "image/jpeg")]},
    "11_pdf_attachment.eml": {"files": [("surat_keberatan_PKL.pdf", "application/pdf")]},
    "12_inline_image_cid.eml": {"files": [("genangan.png", "image/png")]},
    "20_disguised_exe_as_jpg.eml": {"files": [], "reason_has": "foto_kerusakan.jpg (executable)"},
    "22_zip_attachment.eml": {"files": [], "reason_has": "foto_drainase.zip (archive)"},
}


def _rows(table, *where):
    query = table.select()
    for condition in where:
        query = query.where(condition)
    return run_async(query)


def test_corpus_over_smtp(pg_settings, smtp_port):
    """Every corpus message: stored raw, then a ticket / ignored / quarantined as the README says."""
    names = TICKET_FILES + list(IGNORED_FILES) + list(QUARANTINED_FILES)
    for name in names:
        assert send(smtp_port, corpus(name)) == {}, name

    inbound = {row["message_id"]: row for row in _rows(InboundEmail)}
    assert len(inbound) == len(names)
    store = mail_store(pg_settings)
    for name in names:
        raw = corpus(name)
        parsed = parse_email(raw, find_codes=find_codes)
        row = inbound[parsed.message_id]
        assert row["source"] == "smtp" and row["processed_at"] is not None
        # The raw message on disk is the one sent (smtplib only normalises line endings).
        assert store.read(row["storage_key"]).replace(b"\r\n", b"\n") == raw.replace(b"\r\n", b"\n")
        if name in IGNORED_FILES:
            assert (row["status"], row["reason"], row["ticket"]) == ("ignored", f"auto: {IGNORED_FILES[name]}", None)
        elif name in QUARANTINED_FILES:
            assert row["status"] == "quarantined" and row["ticket"] is None
            assert row["reason"].startswith(QUARANTINED_FILES[name]), row["reason"]
        else:
            _check_ticket(name, parsed, row)
    # Nothing else became a ticket, and no auto-reply or quarantined mail got one.
    assert len(_rows(Ticket)) == len(TICKET_FILES)


def _check_ticket(name, parsed, row):
    assert row["status"] == "ticket", (name, row["reason"])
    ticket = _rows(Ticket, Ticket.id == row["ticket"])[0]
    assert ticket["channel"] == Channel.EMAIL.value and ticket["status"] == "received"
    assert ticket["title"] == parsed.subject[:200] and "\n" not in ticket["title"]
    assert ticket["reporter_email"] == parsed.from_address.lower()
    assert parsed.text.strip()[:50] in ticket["text"]
    spec = SPECIFIC.get(name, {})
    if "title" in spec:
        assert ticket["title"] == spec["title"]
    for fragment in spec.get("text_has", []):
        assert fragment in ticket["text"]
    files = sorted((a["filename"], a["content_type"], a["sha256"]) for a in _rows(Attachment, Attachment.ticket == ticket["id"]))
    expected = sorted((a.filename, a.data and hashlib.sha256(a.data).hexdigest()) for a in parsed.attachments)
    assert [(f, s) for f, _, s in files] == expected
    if "files" in spec:
        assert [(f, c) for f, c, _ in files] == spec["files"]
    if "reason_has" in spec:
        assert spec["reason_has"] in row["reason"]
    created = _rows(TicketEvent, TicketEvent.ticket == ticket["id"], TicketEvent.event_type == "created")[0]
    assert created["data"] and parsed.message_id in str(created["data"])


def test_same_message_id_twice_makes_one_ticket(pg_settings, smtp_port):
    raw = corpus("10_photo_attachment.eml")
    send(smtp_port, raw)
    send(smtp_port, raw)
    assert len(_rows(Ticket)) == 1
    assert len(_rows(Attachment)) == 1
    assert [r["status"] for r in _rows(InboundEmail)] == ["ticket"]


def _web_ticket(settings) -> dict:
    msg = IntakeMessage(text="Lampu jalan di depan SD Negeri 3 mati sejak seminggu.", channel=Channel.WEB,
                        reporter_email="sri.wahyuni76@gmail.com")
    return run_async(create_ticket(msg, settings))


def test_reply_with_tracking_code_threads_into_ticket(pg_settings, smtp_port):
    ticket = _web_ticket(pg_settings)
    code = format_code(ticket["tracking_code"])
    # The corpus reply (Gmail layout, quoted history) with this ticket's real code in it.
    raw = corpus("13_reply_with_tracking_code.eml").replace(b"7K3M-P9QX-2HZR", code.encode())
    send(smtp_port, raw)
    # A reply that only mentions the code in its body, written by another client.
    send(smtp_port, complaint("Tambahan informasi", f"Untuk laporan {code}: lampunya sekarang berkedip-kedip."))

    assert len(_rows(Ticket)) == 1
    messages = _rows(TicketMessage, TicketMessage.ticket == ticket["id"])
    assert len(messages) == 2 and {m["channel"] for m in messages} == {"email"}
    assert all(m["author_type"] == "citizen" for m in messages)
    assert any("berkedip-kedip" in m["body"] for m in messages)
    assert not any("menulis:" in m["body"] for m in messages)  # quoted history trimmed
    assert {r["status"] for r in _rows(InboundEmail)} == {"message"}
    assert {r["ticket"] for r in _rows(InboundEmail)} == {ticket["id"]}
    assert _rows(Ticket, Ticket.id == ticket["id"])[0]["status"] == "received"  # status untouched


def test_code_with_wrong_check_symbol_or_unknown_ticket_is_a_new_ticket(pg_settings, smtp_port):
    ticket = _web_ticket(pg_settings)
    code = ticket["tracking_code"]
    wrong = code[:-1] + next(ch for ch in "ABCDEFGH" if ch != code[-1])
    unknown = new_tracking_code()
    send(smtp_port, complaint(f"Re: [SW-{format_code(wrong)}] lampu", "Lampu di gang sebelah juga mati total."))
    send(smtp_port, complaint(f"Re: [SW-{format_code(unknown)}] lampu", "Lampu taman kota padam sejak kemarin."))
    assert _rows(TicketMessage) == []
    assert len(_rows(Ticket)) == 3


def test_short_body_keeps_subject(pg_settings, smtp_port):
    send(smtp_port, complaint("Got mampet di Jl. Magelang km 5", "Tolong."))
    ticket = _rows(Ticket)[0]
    assert ticket["text"].startswith("Got mampet di Jl. Magelang km 5") and "Tolong." in ticket["text"]


def test_wrong_recipient_is_refused_with_550(pg_settings, smtp_port):
    with pytest.raises(smtplib.SMTPRecipientsRefused) as caught:
        send(smtp_port, complaint("Halo", "Ini pesan untuk alamat lain sama sekali."), rcpt="orang.lain@example.org")
    assert caught.value.recipients["orang.lain@example.org"][0] == 550
    assert _rows(InboundEmail) == []


def test_message_over_25_mb_is_refused(pg_settings, smtp_port):
    line = b"A" * 76 + b"\r\n"
    big = complaint("Besar", "x") + line * (MAX_EMAIL_BYTES // len(line) + 2000)
    assert len(big) > MAX_EMAIL_BYTES
    # Declared with SIZE: refused at MAIL FROM, before any data is sent.
    with pytest.raises(smtplib.SMTPSenderRefused) as caught:
        send(smtp_port, big)
    assert caught.value.smtp_code == 552
    # Not declared: the DATA itself is cut off at the limit.
    with smtplib.SMTP("127.0.0.1", smtp_port, timeout=120) as client:
        client.ehlo()
        assert client.mail("warga@example.net")[0] == 250
        assert client.rcpt(INBOX)[0] == 250
        assert client.data(big)[0] == 552
    assert _rows(InboundEmail) == []
    # The receiver is still alive and accepting.
    send(smtp_port, corpus("01_gmail_alternative.eml"))
    assert len(_rows(Ticket)) == 1


def test_hostile_bytes_never_crash_the_receiver(pg_settings, smtp_port):
    noise = bytes(range(256)).replace(b"\n", b"").replace(b"\r", b"")
    send(smtp_port, (noise + b"\r\n") * 40 + b"\r\n" + b"\xff\xfe\x00" * 300)
    with pytest.raises(smtplib.SMTPDataError) as caught:  # a line over RFC 5321's 1000 octets
        send(smtp_port, b"Subject: x\r\n\r\n" + b"y" * 5000)
    assert caught.value.smtp_code == 500
    send(smtp_port, b"Subject: =?x-unknown?B?////?=\r\nFrom: <>\r\n\r\n\r\n")
    rows = _rows(InboundEmail)
    assert len(rows) == 2 and all(r["status"] == "quarantined" and r["reason"] for r in rows)
    assert _rows(Ticket) == []
    send(smtp_port, corpus("03_yahoo_android.eml"))
    assert len(_rows(Ticket)) == 1


def test_storage_failure_answers_451_and_keeps_nothing_half_done(pg_settings, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    port = free_port()
    controller = start_in_thread(pg_settings.with_overrides(data_dir=blocker), "127.0.0.1", port)
    try:
        with pytest.raises(smtplib.SMTPDataError) as caught:
            send(port, corpus("01_gmail_alternative.eml"))
        assert caught.value.smtp_code == 451
    finally:
        controller.stop()
    assert _rows(InboundEmail) == [] and _rows(Ticket) == []
