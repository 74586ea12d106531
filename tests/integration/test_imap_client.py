"""Real IMAP against a Dovecot started by .ci/dovecot.sh (installed with apt if missing)."""
from __future__ import annotations

import imaplib
import ssl
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from feedback.intake.email import parse_email
from feedback.intake.imap_client import (
    FetchedMessage,
    ImapMailbox,
    append_message,
    fetch_new_messages,
    mark_processed,
    quote_mailbox,
)

from tests.dovecot import CAFILE, HOST, PASSWORD, PORT, ROOT, TLS_PORT, USER, dovecot  # noqa: F401 (fixture)

CORPUS = ROOT / "tests" / "data" / "emails"


@pytest.fixture
def folders(dovecot: None) -> Iterator[tuple[str, str]]:
    """A fresh inbox and processed folder per test, so runs never see each other's mail."""
    tag = uuid.uuid4().hex[:10]
    inbox, processed = f"Test-{tag}", f"Test-{tag}-Processed"
    conn = imaplib.IMAP4(HOST, PORT, timeout=10)
    conn.login(USER, PASSWORD)
    conn.create(quote_mailbox(inbox))
    conn.logout()
    yield inbox, processed
    conn = imaplib.IMAP4(HOST, PORT, timeout=10)
    conn.login(USER, PASSWORD)
    for name in (inbox, processed):
        conn.delete(quote_mailbox(name))
    conn.logout()


def open_box(inbox: str, processed: str) -> ImapMailbox:
    return ImapMailbox.connect(HOST, PORT, USER, PASSWORD, mailbox=inbox, processed_mailbox=processed, timeout=10)


def count(mailbox: str) -> int:
    conn = imaplib.IMAP4(HOST, PORT, timeout=10)
    conn.login(USER, PASSWORD)
    typ, data = conn.select(quote_mailbox(mailbox), readonly=True)
    conn.logout()
    assert typ == "OK", data
    return int(data[0])


def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*.eml"))


def test_corpus_round_trip_fetch_parse_mark_processed(folders: tuple[str, str]) -> None:
    inbox, processed = folders
    files = corpus_files()
    for path in files:
        append_message(HOST, PORT, USER, PASSWORD, path.read_bytes(), mailbox=inbox)

    fetched: list[FetchedMessage] = []
    for message in fetch_new_messages(HOST, PORT, USER, PASSWORD, mailbox=inbox, processed_mailbox=processed):
        fetched.append(message)  # "store the raw message first" ...
        mark_processed(message)  # ... and only then move it away
    assert len(fetched) == len(files)
    assert all(m.uidvalidity for m in fetched)

    # What came over IMAP parses exactly like the file on disk (only line endings differ).
    for path, message in zip(files, fetched, strict=True):
        from_disk, from_imap = parse_email(path.read_bytes()), parse_email(message.raw_bytes)
        for name in ("message_id", "subject", "from_address", "text", "auto_reason", "quarantine_reason",
                     "tracking_codes_found", "rejected_attachments"):
            assert getattr(from_imap, name) == getattr(from_disk, name), (path.name, name)
        assert [a.data for a in from_imap.attachments] == [a.data for a in from_disk.attachments], path.name

    assert list(fetch_new_messages(HOST, PORT, USER, PASSWORD, mailbox=inbox, processed_mailbox=processed)) == []
    assert count(inbox) == 0
    assert count(processed) == len(files)


def test_unmarked_messages_are_fetched_again_and_stay_unseen(folders: tuple[str, str]) -> None:
    inbox, processed = folders
    raw = (CORPUS / "01_gmail_alternative.eml").read_bytes()
    append_message(HOST, PORT, USER, PASSWORD, raw, mailbox=inbox)

    first = list(fetch_new_messages(HOST, PORT, USER, PASSWORD, mailbox=inbox, processed_mailbox=processed))
    # processing "failed": nothing marked
    second = list(fetch_new_messages(HOST, PORT, USER, PASSWORD, mailbox=inbox, processed_mailbox=processed))
    assert [m.uid for m in first] == [m.uid for m in second]
    assert parse_email(second[0].raw_bytes).message_id == "<CAJx7b2fGmailPlainHtml01@mail.gmail.com>"

    with open_box(inbox, processed) as box:
        typ, data = box.conn.uid("FETCH", str(first[0].uid), "(FLAGS)")
        assert typ == "OK" and b"\\Seen" not in data[0]
        assert box.uidvalidity == first[0].uidvalidity


@pytest.mark.parametrize("drop", [{"MOVE"}, {"MOVE", "UIDPLUS"}], ids=["copy-uid-expunge", "copy-expunge"])
def test_mark_processed_without_move_capability(folders: tuple[str, str], drop: set[str]) -> None:
    inbox, processed = folders
    for name in ("03_yahoo_android.eml", "04_iphone_sent_from.eml"):
        append_message(HOST, PORT, USER, PASSWORD, (CORPUS / name).read_bytes(), mailbox=inbox)
    with open_box(inbox, processed) as box:
        assert "MOVE" in box.capabilities  # Dovecot has it; pretend it does not
        box.capabilities = box.capabilities - drop
        messages = list(box.fetch_new())
        box.mark_processed(messages[0].uid)
        assert [m.uid for m in box.fetch_new()] == [messages[1].uid]
        messages[1].mark_processed()
        assert list(box.fetch_new()) == []
    assert count(inbox) == 0 and count(processed) == 2


def test_existing_processed_folder_is_reused(folders: tuple[str, str]) -> None:
    inbox, processed = folders
    with open_box(inbox, processed) as box:
        box.ensure_mailbox(processed)
        box.ensure_mailbox(processed)  # idempotent
        box.append((CORPUS / "06_base64_body.eml").read_bytes())
        [message] = box.fetch_new()
        box.mark_processed(message.uid)
    assert count(processed) == 1


def test_implicit_tls_with_self_signed_certificate(folders: tuple[str, str]) -> None:
    inbox, processed = folders
    context = ssl.create_default_context(cafile=str(CAFILE))
    append_message(HOST, TLS_PORT, USER, PASSWORD, (CORPUS / "10_photo_attachment.eml").read_bytes(),
                   mailbox=inbox, use_tls=True, ssl_context=context)
    [message] = fetch_new_messages(HOST, TLS_PORT, USER, PASSWORD, use_tls=True, ssl_context=context,
                                   mailbox=inbox, processed_mailbox=processed)
    assert parse_email(message.raw_bytes).attachments[0].filename == "IMG_20240612_105511.jpg"


def test_tls_refuses_unknown_certificate(dovecot: None) -> None:
    with pytest.raises(ssl.SSLCertVerificationError):
        ImapMailbox.connect(HOST, TLS_PORT, USER, PASSWORD, use_tls=True, timeout=10)


def test_starttls_on_the_plain_port(folders: tuple[str, str]) -> None:
    inbox, processed = folders
    context = ssl.create_default_context(cafile=str(CAFILE))
    with ImapMailbox.connect(HOST, PORT, USER, PASSWORD, starttls=True, ssl_context=context,
                             mailbox=inbox, processed_mailbox=processed, timeout=10) as box:
        assert list(box.fetch_new()) == []


def test_wrong_password_is_an_error(dovecot: None) -> None:
    with pytest.raises(imaplib.IMAP4.error):
        ImapMailbox.connect(HOST, PORT, USER, "salah", timeout=10)


def test_mailbox_names_are_quoted_and_checked() -> None:
    assert quote_mailbox('Pengaduan "Baru"') == '"Pengaduan \\"Baru\\""'
    for bad in ["", "Kotak*", "Kotak%", "Kotak\r\nA001 LOGOUT", "Pesan-Masuk-ñ"]:
        with pytest.raises(ValueError):
            quote_mailbox(bad)
