"""RQ jobs for notifications: ids only, the row is re-read, delivering twice sends once."""
from __future__ import annotations

import logging
from typing import Any

from feedback.jobs.runtime import get_runtime
from feedback.notify import mailer, templates, webhook
from feedback.notify.service import FAILED, PENDING, SENT, SKIPPED, SMTP_NOT_CONFIGURED, resend_pending
from feedback.privacy import mask_pii
from feedback.settings import Settings
from feedback.tables import Agency, Category, Notification, Ticket, TicketMessage
from feedback.tracking.codes import format_code
from feedback.tracking.lifecycle import utcnow

log = logging.getLogger(__name__)


class DeliveryFailed(Exception):
    """Raised so RQ retries the job with backoff; the reason is already on the row."""


def deliver_notification(notification_id: int) -> str:
    """Send one notification. Returns sent | failed | skipped | missing | busy (or its final status)."""
    runtime = get_runtime()
    return runtime.run(deliver(notification_id, runtime.settings))


def resend_pending_job() -> int:
    """Periodic (feedback.jobs.schedule): queue pending notifications that lost their RQ job."""
    runtime = get_runtime()
    return runtime.run(resend_pending(runtime.settings))


async def deliver(notification_id: int, settings: Settings) -> str:
    row = await Notification.select().where(Notification.id == notification_id).first()
    if row is None:
        return "missing"
    if row["status"] != PENDING:
        return row["status"]  # already sent, failed or skipped: idempotent
    if row["attempts"] >= settings.notify_max_attempts:
        await _finish(notification_id, FAILED, row["last_error"] or "maximum attempts reached")
        return FAILED
    # Claim this attempt: of two concurrent runs only one moves attempts from n to n+1.
    attempt = row["attempts"] + 1
    claimed = await Notification.update({Notification.attempts: attempt}).where(
        (Notification.id == notification_id) & (Notification.status == PENDING)
        & (Notification.attempts == row["attempts"])
    ).returning(Notification.id)
    if not claimed:
        return "busy"
    try:
        await _send(row, settings)
    except mailer.PermanentDeliveryError as exc:
        status = SKIPPED if str(exc) == SMTP_NOT_CONFIGURED else FAILED
        await _finish(notification_id, status, str(exc))
        return status
    except Exception as exc:
        reason = f"{type(exc).__name__}: {exc}"[:2000]
        if attempt >= settings.notify_max_attempts:
            await _finish(notification_id, FAILED, reason)
            log.warning("notification %s failed for good after %d attempts: %s", notification_id, attempt, reason)
            return FAILED
        await Notification.update({Notification.last_error: reason}).where(Notification.id == notification_id)
        log.info("notification %s attempt %d failed, will retry: %s", notification_id, attempt, reason)
        raise DeliveryFailed(reason) from exc
    await _finish(notification_id, SENT, None)
    return SENT


async def _finish(notification_id: int, status: str, reason: str | None) -> None:
    values: dict[Any, Any] = {Notification.status: status, Notification.last_error: reason}
    if status == SENT:
        values[Notification.sent_at] = utcnow()
    await Notification.update(values).where(Notification.id == notification_id)


async def _ticket_facts(ticket_id: int) -> dict[str, Any] | None:
    ticket = await Ticket.select(
        Ticket.id, Ticket.tracking_code, Ticket.status, Ticket.category, Ticket.agency
    ).where(Ticket.id == ticket_id).first()
    if ticket is None:
        return None
    agency = await Agency.select(Agency.name, Agency.name_en).where(Agency.id == ticket["agency"]).first() if ticket["agency"] else None
    category = await Category.select(Category.code).where(Category.id == ticket["category"]).first() if ticket["category"] else None
    ticket["agency_name"] = agency["name"] if agency else None
    ticket["agency_name_en"] = (agency["name_en"] or agency["name"]) if agency else None
    ticket["category_code"] = category["code"] if category else None
    return ticket


async def _response_text(ticket_id: int, created_before) -> str | None:
    """The public staff response this notification announces: the newest one when it was logged."""
    message = await TicketMessage.select(TicketMessage.body).where(
        (TicketMessage.ticket == ticket_id) & (TicketMessage.author_type == "staff")
        & (TicketMessage.visibility == "public") & (TicketMessage.created_at <= created_before)
    ).order_by(TicketMessage.created_at, ascending=False).order_by(TicketMessage.id, ascending=False).first()
    return mask_pii(message["body"]) if message else None


async def _send(row: dict[str, Any], settings: Settings) -> None:
    ticket = await _ticket_facts(row["ticket"])
    if ticket is None:
        raise mailer.PermanentDeliveryError("ticket no longer exists")
    message = None
    if row["event"] == "response":
        message = await _response_text(ticket["id"], row["created_at"])
        if message is None:
            raise mailer.PermanentDeliveryError("no public staff response to announce")
    code = ticket["tracking_code"]
    ctx = templates.context_for(row["event"], code, settings.base_url, agency=ticket["agency_name"],
                                agency_en=ticket["agency_name_en"], message=message,
                                staff_url=templates.staff_link(settings.base_url, ticket["id"]))
    if row["channel"] == "email":
        rendered = templates.render_email(row["event"], ctx, code)
        msg = mailer.build_email(settings, row["recipient"], rendered, tracking_code=code)
        mailer.send_email(settings, msg, row["recipient"])
    elif row["channel"] == "webhook":
        if not settings.webhook_secret:
            raise mailer.PermanentDeliveryError("WEBHOOK_SECRET not configured")
        event = {
            "event": row["event"],
            "notification_id": row["id"],
            "tracking_code": format_code(code),
            "status": ticket["status"],
            "category": ticket["category_code"],
            "agency": ticket["agency_name"],
            "occurred_at": row["created_at"].isoformat(),
            "tracking_url": ctx["track_url"],
            "message": templates.webhook_message(row["event"], ctx),
        }
        webhook.post_event(row["recipient"], settings.webhook_secret, event, delivery_id=row["id"],
                           timeout=settings.webhook_timeout_seconds)
    else:
        raise mailer.PermanentDeliveryError(f"unknown channel {row['channel']!r}")
