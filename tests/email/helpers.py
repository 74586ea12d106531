"""Shared pieces for the inbound email tests: the corpus, a free port, real SMTP sends."""
from __future__ import annotations

import smtplib
import socket
from email.message import EmailMessage
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "data" / "emails"
INBOX = "pengaduan@suarawarga.local"

TICKET_FILES = [
    "01_gmail_alternative.eml", "02_outlook_html_only.eml", "03_yahoo_android.eml", "04_iphone_sent_from.eml",
    "05_samsung_quoted_printable.eml", "06_base64_body.eml", "07_iso_8859_1.eml", "08_windows_1252.eml",
    "09_declared_utf8_actually_cp1252.eml", "10_photo_attachment.eml", "11_pdf_attachment.eml",
    "12_inline_image_cid.eml", "13_reply_with_tracking_code.eml", "14_forwarded_complaint.eml",
    "20_disguised_exe_as_jpg.eml", "21_header_injection_subject.eml", "22_zip_attachment.eml",
    "24_outlook_reply_original_message.eml", "25_forward_as_attachment.eml", "28_yahoo_reply_quoted_history.eml",
    "29_iphone_html_only_blockquote.eml",
]
IGNORED_FILES = {
    "15_out_of_office.eml": "auto_submitted", "16_dsn_bounce.eml": "delivery_report",
    "17_precedence_bulk_newsletter.eml": "precedence", "27_balasan_otomatis_x_autoreply.eml": "x_autoreply",
}
QUARANTINED_FILES = {
    "18_no_from.eml": "no_from", "19_empty_body.eml": "empty", "23_nested_archive.eml": "nested_archive",
    "26_hundreds_of_attachments.eml": "too_many_attachments",
}


def corpus(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def send(port: int, raw: bytes, *, rcpt: str = INBOX, mail_from: str = "warga@example.net") -> dict:
    """One real SMTP transaction over loopback; returns smtplib's refused-recipients dict.
    Line endings become CRLF as an MTA sends them (smtplib sends bytes as they are)."""
    with smtplib.SMTP("127.0.0.1", port, timeout=60) as client:
        return client.sendmail(mail_from, [rcpt], crlf(raw))


def crlf(raw: bytes) -> bytes:
    return raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def complaint(subject: str, body: str, *, sender: str = "Warga Kota <warga.kota@example.net>",
              message_id: str | None = None, headers: dict | None = None) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = INBOX
    msg["Subject"] = subject
    if message_id:
        msg["Message-ID"] = message_id
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(body)
    return msg.as_bytes()
