"""notify_ticket_event(): decide recipients, log one Notification row each, queue their delivery.

Called by the subscribers in `feedback.notify.subscribers` (domain events, after commit) with
the settings they were subscribed with. Rows are written first and only then handed to RQ (from
a relay thread, off the event loop), so a Redis outage never blocks or fails intake: rows stay
`pending` and the periodic `resend_pending_job` queues them later. Statuses: pending → sent |
failed, or skipped (with the reason in last_error) when a channel is not configured.
"""
from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any, Iterable

from redis import Redis
from rq import Retry
from rq.job import Job, JobStatus

from feedback.intake.messages import Privacy
from feedback.jobs.queues import EnqueueRelay, IdJob, enqueue_ids, notify_queue, redis_connection
from feedback.notify.templates import EVENTS
from feedback.settings import Settings
from feedback.tables import Notification, Ticket
from feedback.tracking.lifecycle import utcnow

log = logging.getLogger(__name__)

DELIVER_JOB = "feedback.notify.jobs.deliver_notification"
PENDING, SENT, FAILED, SKIPPED = "pending", "sent", "failed", "skipped"
SMTP_NOT_CONFIGURED = "SMTP not configured"
WEBHOOK_SECRET_MISSING = "WEBHOOK_SECRET not configured"
ESCALATION_EVENT = "sla_escalation"


def notification_job_id(notification_id: int) -> str:
    return IdJob(DELIVER_JOB, "notify").job_id(notification_id)


def _retry(settings: Settings) -> Retry | None:
    retries = settings.notify_max_attempts - 1
    if retries < 1:
        return None
    return Retry(max=retries, interval=list(settings.notify_retry_intervals) or [0])


def notification_job(settings: Settings) -> IdJob:
    """The delivery job, with the retries these settings allow."""
    return IdJob(DELIVER_JOB, "notify", _retry(settings))


def enqueue_notifications(settings: Settings, ids: Iterable[int], connection: Redis | None = None) -> None:
    """One RQ job per notification id, in one round trip (raises on Redis errors)."""
    enqueue_ids(notify_queue(settings, connection), notification_job(settings), ids)


# Moves notification ids to RQ off the event loop, so async callers never wait on Redis.
relay = EnqueueRelay("notify-relay", enqueue_notifications, recovered_by="resend_pending_job")


def _email_row(ticket: dict[str, Any], event: str, settings: Settings, now) -> Notification | None:
    address = (ticket["reporter_email"] or "").strip()
    if not address:
        return None
    status, reason = PENDING, None
    if "@" not in address or any(ch in address for ch in " \r\n\t<>,;"):
        status, reason = SKIPPED, "invalid email address"
    elif not settings.smtp_host:
        status, reason = SKIPPED, SMTP_NOT_CONFIGURED
    return Notification(ticket=ticket["id"], channel="email", event=event, recipient=address[:300],
                        status=status, last_error=reason, created_at=now)


def _webhook_row(ticket: dict[str, Any], event: str, settings: Settings, now) -> Notification | None:
    # Confidential tickets are notified to their own reporter only: no third-party gateway.
    if not settings.webhook_url or ticket["privacy"] != Privacy.PUBLIC.value:
        return None
    status, reason = (PENDING, None) if settings.webhook_secret else (SKIPPED, WEBHOOK_SECRET_MISSING)
    return Notification(ticket=ticket["id"], channel="webhook", event=event, recipient=settings.webhook_url[:300],
                        status=status, last_error=reason, created_at=now)


async def notify_ticket_event(ticket_id: int, event: str, settings: Settings, *,
                              extra: dict | None = None) -> list[int]:
    """Log and queue the notifications for one ticket event; returns the new Notification ids.

    Events: received, routed, response (call after the public staff message is stored),
    resolved. Anonymous tickets get none. Fast: two queries; Redis is touched by the relay.
    `extra` is accepted for callers' context (logged only): the job renders from the
    database so a resend produces the same message.
    """
    if event not in EVENTS:
        raise ValueError(f"unknown notification event {event!r}")
    ticket = await Ticket.select(Ticket.id, Ticket.privacy, Ticket.reporter_email).where(Ticket.id == ticket_id).first()
    if ticket is None:
        return []
    if extra:
        log.debug("notification %s for ticket %s: %s", event, ticket_id, sorted(extra))
    return await _record(ticket, event, settings)


async def notify_received(ticket_id: int, privacy: str, reporter_email: str | None, settings: Settings) -> list[int]:
    """The receipt of a new ticket: recipients come from what was submitted, so a ticket without
    an address (or anonymous) costs no query at all."""
    ticket = {"id": ticket_id, "privacy": Privacy(privacy).value, "reporter_email": reporter_email}
    return await _record(ticket, "received", settings)


async def notify_escalation(ticket_id: int, recipients: Iterable[str], settings: Settings) -> list[int]:
    """One `sla_escalation` email per staff address (heads, managers), queued like the citizens' ones."""
    now = utcnow()
    rows = [Notification(ticket=ticket_id, channel="email", event=ESCALATION_EVENT, recipient=address[:300],
                         status=PENDING, created_at=now) for address in recipients]
    if not rows:
        return []
    inserted = await Notification.insert(*rows).returning(Notification.id)
    ids = [r["id"] for r in inserted]
    relay.submit(settings, ids)
    return ids


async def _record(ticket: dict[str, Any], event: str, settings: Settings) -> list[int]:
    if ticket["privacy"] == Privacy.ANONYMOUS.value:
        return []
    now = utcnow()
    rows = [row for row in (_email_row(ticket, event, settings, now), _webhook_row(ticket, event, settings, now)) if row]
    if not rows:
        return []
    inserted = await Notification.insert(*rows).returning(Notification.id, Notification.status)
    pending = [r["id"] for r in inserted if r["status"] == PENDING]
    if pending:
        relay.submit(settings, pending)
    return [r["id"] for r in inserted]


async def notify_safely(ticket_id: int, event: str, settings: Settings, *,
                        extra: dict | None = None) -> list[int]:
    """For callers that must not fail on a notification problem: it is logged, never raised."""
    try:
        return await notify_ticket_event(ticket_id, event, settings, extra=extra)
    except Exception:
        log.exception("notification %r for ticket %s could not be recorded", event, ticket_id)
        return []


_LIVE_JOB_STATES = {JobStatus.QUEUED, JobStatus.STARTED, JobStatus.SCHEDULED, JobStatus.DEFERRED}


async def resend_pending(settings: Settings, older_than_seconds: int = 60, limit: int = 500,
                         connection: Redis | None = None) -> int:
    """Queue pending notifications older than the grace period that have no live RQ job; returns how many."""
    cutoff = utcnow() - timedelta(seconds=older_than_seconds)
    rows = await Notification.select(Notification.id).where(
        (Notification.status == PENDING) & (Notification.created_at <= cutoff)
    ).order_by(Notification.id).limit(limit)
    if not rows:
        return 0
    conn = connection or redis_connection(settings)
    stale = []
    for row in rows:
        try:
            status = Job.fetch(notification_job_id(row["id"]), connection=conn).get_status(refresh=False)
        except Exception:  # NoSuchJobError: never queued (Redis was down) or expired
            status = None
        if status not in _LIVE_JOB_STATES:
            stale.append(row["id"])
    enqueue_notifications(settings, stale, conn)
    if stale:
        log.info("re-queued %d pending notifications", len(stale))
    return len(stale)


class NotificationDispatcher:
    """Sync wrapper for code without an event loop of its own (CLI commands, threads).

    Pass `loop` when the database engine belongs to a loop running in another thread
    (the web app's); otherwise a fresh loop is used (CLI with an unpooled engine).
    """

    def __init__(self, settings: Settings, loop: asyncio.AbstractEventLoop | None = None, timeout: float = 10.0):
        self.settings = settings
        self.loop = loop
        self.timeout = timeout

    def notify(self, ticket_id: int, event: str, extra: dict | None = None) -> list[int]:
        coro = notify_safely(ticket_id, event, self.settings, extra=extra)
        if self.loop is not None:
            return asyncio.run_coroutine_threadsafe(coro, self.loop).result(self.timeout)
        return asyncio.run(coro)

    def enqueue(self, ids: list[int]) -> bool:
        """Queue these ids now, synchronously; False (rows stay pending) if Redis is unavailable."""
        try:
            enqueue_notifications(self.settings, ids)
            return True
        except Exception as exc:
            log.warning("enqueue of notifications %s failed, resend_pending_job will retry: %s", ids, exc)
            return False

    def flush(self, timeout: float = 5.0) -> bool:
        return relay.flush(timeout)
