"""The webhook channel against a real local HTTP server: signed events, retries with backoff, failures logged."""
from __future__ import annotations

import json
import time

from rq import Queue

from feedback.intake.messages import Channel, IntakeMessage, Privacy
from feedback.intake.services import create_ticket
from feedback.notify.service import notification_job_id, relay, resend_pending
from feedback.notify.webhook import verify_signature
from feedback.tables import Ticket
from feedback.tracking.codes import format_code
from tests.conftest import run_async
from tests.notify.conftest import WEBHOOK_SECRET, notification_rows, subscribed, wait_for

TEXT = "Lampu penerangan jalan di gang Mawar mati sejak seminggu, warga takut keluar malam."
REPORTER = dict(reporter_name="Rahmat Hidayat", reporter_email=None, reporter_phone="081377788899")


def _ticket(settings, privacy: Privacy = Privacy.PUBLIC):
    """A new ticket while notifications are subscribed with `settings` (the webhook URL under test)."""
    subscribed(settings)
    msg = IntakeMessage(text=TEXT, channel=Channel.WEB, privacy=privacy, **REPORTER)
    started = time.monotonic()
    ticket = run_async(create_ticket(msg, settings))
    return ticket, time.monotonic() - started


def test_webhook_event_is_signed_and_free_of_personal_data(notify_settings, webhook_receiver, notify_worker):
    s = notify_settings.with_overrides(webhook_url=webhook_receiver.base_url + "/ok")
    ticket, _ = _ticket(s)
    (hit,) = wait_for(lambda: webhook_receiver.on("/ok"), what="webhook delivery")
    assert verify_signature(WEBHOOK_SECRET, hit.body, hit.headers["x-suara-signature"])
    assert not verify_signature("another-secret", hit.body, hit.headers["x-suara-signature"])
    assert not verify_signature(WEBHOOK_SECRET, hit.body.replace(b"received", b"resolved"), hit.headers["x-suara-signature"])
    assert not verify_signature(WEBHOOK_SECRET, hit.body, None)
    assert hit.headers["x-suara-event"] == "received"
    assert hit.headers["content-type"].startswith("application/json")
    event = json.loads(hit.body)
    assert event["event"] == "received"
    assert event["tracking_code"] == format_code(ticket["tracking_code"])
    assert event["status"] == "received"
    assert set(event) >= {"category", "agency", "occurred_at", "message"}
    assert format_code(ticket["tracking_code"]) in event["message"]
    for personal in ("Rahmat", "081377788899", "Mawar"):
        assert personal not in hit.body.decode()
    (row,) = wait_for(lambda: [r for r in notification_rows(ticket["id"]) if r["status"] == "sent"], what="sent row")
    assert (row["channel"], row["attempts"], row["last_error"]) == ("webhook", 1, None)


def test_failing_and_slow_endpoints_are_retried_with_backoff_then_failed(notify_settings, webhook_receiver, notify_worker):
    failing = notify_settings.with_overrides(webhook_url=webhook_receiver.base_url + "/fail")
    slow = notify_settings.with_overrides(webhook_url=webhook_receiver.base_url + "/slow")
    t_fail, fail_seconds = _ticket(failing)
    t_slow, slow_seconds = _ticket(slow)
    # Intake never waits for a delivery.
    assert fail_seconds < 0.5 and slow_seconds < 0.5
    assert run_async(Ticket.count().where(Ticket.id.is_in([t_fail["id"], t_slow["id"]]))) == 2

    def finished():
        rows = notification_rows()
        return len(rows) == 2 and all(r["status"] == "failed" for r in rows) and rows

    rows = {r["ticket"]: r for r in wait_for(finished, timeout=40, what="both notifications failed")}
    assert rows[t_fail["id"]]["attempts"] == notify_settings.notify_max_attempts == 3
    assert rows[t_fail["id"]]["last_error"].startswith("WebhookError: HTTP 500")
    assert rows[t_slow["id"]]["attempts"] == 3
    assert "timeout" in rows[t_slow["id"]]["last_error"]
    assert all(r["sent_at"] is None for r in rows.values())

    hits = webhook_receiver.on("/fail")
    assert len(hits) == 3
    gaps = [b.at - a.at for a, b in zip(hits, hits[1:])]
    # Backoff from settings.notify_retry_intervals = (1, 3); RQ schedules in whole seconds, so
    # a wait may be up to a second shorter than asked. Without backoff the gaps would be ~0.
    assert gaps[0] >= 0.5 and gaps[1] >= 2.0 and gaps[1] > gaps[0], gaps
    assert len(webhook_receiver.on("/slow")) == 3


def test_redis_down_leaves_rows_pending_until_resend(notify_settings, webhook_receiver, redis_conn):
    down = notify_settings.with_overrides(redis_url="redis://127.0.0.1:1/0", webhook_url=webhook_receiver.base_url + "/ok")
    ticket, seconds = _ticket(down)
    assert seconds < 0.5
    assert relay.flush(10)
    (row,) = notification_rows(ticket["id"])
    assert row["status"] == "pending"
    q = Queue(notify_settings.notify_queue_name, connection=redis_conn)
    assert notification_job_id(row["id"]) not in q.job_ids

    # Too young for the periodic resend, then picked up once old enough.
    assert run_async(resend_pending(notify_settings, older_than_seconds=60)) == 0
    assert run_async(resend_pending(notify_settings, older_than_seconds=0)) == 1
    assert q.job_ids == [notification_job_id(row["id"])]
    # A notification whose job is already queued is not queued twice.
    assert run_async(resend_pending(notify_settings, older_than_seconds=0)) == 0


def test_confidential_ticket_sends_no_webhook(notify_settings, webhook_receiver):
    s = notify_settings.with_overrides(webhook_url=webhook_receiver.base_url + "/ok")
    ticket, _ = _ticket(s, Privacy.CONFIDENTIAL)
    assert notification_rows(ticket["id"]) == []


def test_missing_webhook_secret_is_visible(notify_settings, webhook_receiver):
    s = notify_settings.with_overrides(webhook_url=webhook_receiver.base_url + "/ok", webhook_secret=None)
    ticket, _ = _ticket(s)
    (row,) = notification_rows(ticket["id"])
    assert (row["status"], row["last_error"]) == ("skipped", "WEBHOOK_SECRET not configured")
