"""Real IMAP: Dovecot from .ci/dovecot.sh, corpus APPENDed, the poll run against PostgreSQL."""
from __future__ import annotations

import imaplib
import os
import ssl
import subprocess
import sys
import uuid

import pytest

from feedback.intake.email_jobs import poll_imap
from feedback.intake.imap_client import quote_mailbox
from feedback.tables import InboundEmail, Ticket
from tests.conftest import ROOT, run_async
from tests.dovecot import CAFILE, HOST, PASSWORD, PORT, TLS_PORT, USER, dovecot  # noqa: F401 (fixture)
from tests.email.helpers import IGNORED_FILES, QUARANTINED_FILES, TICKET_FILES, corpus



def _imap() -> imaplib.IMAP4:
    conn = imaplib.IMAP4(HOST, PORT, timeout=20)
    conn.login(USER, PASSWORD)
    return conn


@pytest.fixture
def folders(dovecot):
    """Own inbox and processed folders: other test runs share this Dovecot user."""
    tag = uuid.uuid4().hex[:10]
    inbox, processed = f"EmailSvc-{tag}", f"EmailSvc-{tag}-Processed"
    conn = _imap()
    conn.create(quote_mailbox(inbox))
    conn.logout()
    yield inbox, processed
    conn = _imap()
    for name in (inbox, processed):
        conn.delete(quote_mailbox(name))
    conn.logout()


def append(mailbox: str, *raws: bytes) -> None:
    conn = _imap()
    for raw in raws:
        typ, data = conn.append(quote_mailbox(mailbox), None, None, raw)
        assert typ == "OK", data
    conn.logout()


def count(mailbox: str) -> int:
    conn = _imap()
    typ, data = conn.select(quote_mailbox(mailbox), readonly=True)
    conn.logout()
    return int(data[0]) if typ == "OK" else 0


def imap_settings(settings, inbox: str, **overrides):
    values = dict(imap_host=HOST, imap_port=PORT, imap_user=USER, imap_password=PASSWORD, imap_tls=False,
                  imap_mailbox=inbox)
    values.update(overrides)
    return settings.with_overrides(**values)


def test_poll_corpus_creates_tickets_once(pg_settings, folders):
    inbox, processed = folders
    names = TICKET_FILES + list(IGNORED_FILES) + list(QUARANTINED_FILES)
    append(inbox, *(corpus(name) for name in names))
    settings = imap_settings(pg_settings, inbox)

    report = poll_imap(settings, run_async, processed_mailbox=processed)
    assert report.fetched == len(names) and report.failed == 0
    assert (report.count("ticket"), report.count("ignored"), report.count("quarantined")) == (
        len(TICKET_FILES), len(IGNORED_FILES), len(QUARANTINED_FILES))
    tickets = run_async(Ticket.select(Ticket.title, Ticket.channel, Ticket.reporter_email))
    assert len(tickets) == len(TICKET_FILES) and {t["channel"] for t in tickets} == {"email"}
    assert {"Jalan berlubang di Jl. Kaliurang km 7", "Pelayanan KTP-el lambat"} <= {t["title"] for t in tickets}
    sources = run_async(InboundEmail.select(InboundEmail.source, InboundEmail.status))
    assert {r["source"] for r in sources} == {"imap"} and "received" not in {r["status"] for r in sources}
    assert count(inbox) == 0 and count(processed) == len(names)

    # A second pass finds nothing; the same message delivered again is not a second ticket.
    assert poll_imap(settings, run_async, processed_mailbox=processed).fetched == 0
    append(inbox, corpus("01_gmail_alternative.eml"))
    again = poll_imap(settings, run_async, processed_mailbox=processed)
    assert again.fetched == 1 and again.results[0].duplicate and again.results[0].status == "ticket"
    assert len(run_async(Ticket.select(Ticket.id))) == len(TICKET_FILES)
    assert len(run_async(InboundEmail.select(InboundEmail.id))) == len(names)
    assert count(inbox) == 0 and count(processed) == len(names) + 1


def test_poll_over_tls(pg_settings, folders):
    inbox, processed = folders
    append(inbox, corpus("10_photo_attachment.eml"))
    settings = imap_settings(pg_settings, inbox, imap_port=TLS_PORT, imap_tls=True)
    context = ssl.create_default_context(cafile=str(CAFILE))
    report = poll_imap(settings, run_async, processed_mailbox=processed, ssl_context=context)
    assert report.count("ticket") == 1
    assert run_async(Ticket.select(Ticket.title))[0]["title"].startswith("Trotoar rusak depan Pasar Beringharjo")


def test_imap_poll_command(pg_settings, folders):
    inbox, processed = folders
    append(inbox, corpus("02_outlook_html_only.eml"), corpus("15_out_of_office.eml"))
    env = {**os.environ, "DATABASE_URL": pg_settings.database_url, "REDIS_URL": pg_settings.redis_url,
           "SUARA_DATA_DIR": str(pg_settings.data_dir), "UPLOAD_DIR": str(pg_settings.upload_dir),
           "SECRET_KEY": "x" * 32, "IMAP_HOST": HOST, "IMAP_PORT": str(PORT), "IMAP_USER": USER,
           "IMAP_PASSWORD": PASSWORD, "IMAP_TLS": "0", "IMAP_MAILBOX": inbox, "QUEUE_NAME": pg_settings.queue_name}
    result = subprocess.run([sys.executable, "-m", "feedback.cli", "imap-poll", "--processed", processed],
                            env=env, capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "fetched 2: tickets 1, messages 0, ignored 1" in result.stdout
    assert [t["title"] for t in run_async(Ticket.select(Ticket.title))] == ["Sampah TPS Pasar Kranggan tidak diangkut"]
    assert count(processed) == 2


def test_poll_job_is_scheduled_and_runs_in_the_worker_runtime(pg_settings, folders):
    from feedback.db import bind_tables, close_pool, engine_from_url
    from feedback.intake import email_jobs
    from feedback.jobs.runtime import init_runtime
    from feedback.jobs.schedule import SCHEDULE

    (job,) = [job for job in SCHEDULE if job.name == "imap"]
    assert job.job_path == "feedback.intake.email_jobs.poll_imap_job"
    inbox, processed = folders
    settings = imap_settings(pg_settings, inbox)
    assert job.seconds(settings) == 60 and job.seconds(pg_settings) is None  # no IMAP_HOST: not scheduled
    append(inbox, corpus("04_iphone_sent_from.eml"))
    runtime = init_runtime(settings)
    try:
        # The job moves processed mail to the default folder; count it there before and after.
        before = count(email_jobs.PROCESSED_MAILBOX)
        assert email_jobs.poll_imap_job() == 1
        assert runtime.run(Ticket.count()) == 1
        assert count(email_jobs.PROCESSED_MAILBOX) == before + 1
    finally:
        runtime.run(close_pool(runtime.engine))
        bind_tables(engine_from_url(pg_settings.database_url))
