"""Outbound notifications to citizens (email) and gateways (signed webhook), delivered by RQ jobs.

Entry points: `service.notify_ticket_event` (async, for hooks and staff actions),
`service.NotificationDispatcher` (sync code), `jobs.deliver_notification` (RQ),
`webhook.verify_signature` (for receivers).
"""


def enqueue_notification(notification_id: int, settings) -> None:
    """Queue delivery of one recorded notification (used by the SLA escalation job)."""
    from feedback.notify.service import enqueue_notifications

    enqueue_notifications(settings, [notification_id])
