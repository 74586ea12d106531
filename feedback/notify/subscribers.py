"""Notifications react to domain events: `subscribe_notifications(settings)` where a process is assembled.

The app factory and the CLI (worker, mail intake, other commands) call it with their settings;
tests call it with theirs. Citizens hear: received, routed (also on a re-route), response,
resolved; staff hear escalations. Anonymous tickets get nothing, confidential ones no webhook
(both decided in `service`).
"""
from __future__ import annotations

from feedback import events
from feedback.notify.service import notify_escalation, notify_received, notify_ticket_event
from feedback.settings import Settings
from feedback.tracking.statuses import TicketStatus

SUBSCRIPTION_KEY = "notify"
STATUS_NOTIFICATIONS = {TicketStatus.ROUTED: "routed", TicketStatus.RESOLVED: "resolved"}


class Notifier:
    """Turns domain events into Notification rows with the settings it was subscribed with."""

    def __init__(self, settings: Settings):
        self.settings = settings

    async def ticket_created(self, event: events.TicketCreated) -> None:
        await notify_received(event.ticket_id, event.privacy, event.reporter_email, self.settings)

    async def status_changed(self, event: events.TicketStatusChanged) -> None:
        notification = STATUS_NOTIFICATIONS.get(TicketStatus(event.new_status))
        if notification:
            await notify_ticket_event(event.ticket_id, notification, self.settings)

    async def rerouted(self, event: events.TicketRerouted) -> None:
        await notify_ticket_event(event.ticket_id, "routed", self.settings)

    async def staff_responded(self, event: events.StaffResponded) -> None:
        await notify_ticket_event(event.ticket_id, "response", self.settings)

    async def escalated(self, event: events.TicketEscalated) -> None:
        await notify_escalation(event.ticket_id, event.recipients, self.settings)


def subscribe_notifications(settings: Settings) -> events.Unsubscribe:
    """Subscribe the notifier (replacing an earlier one of this process); returns an unsubscribe."""
    notifier = Notifier(settings)
    return events.subscribe_all({
        events.TicketCreated: notifier.ticket_created,
        events.TicketStatusChanged: notifier.status_changed,
        events.TicketRerouted: notifier.rerouted,
        events.StaffResponded: notifier.staff_responded,
        events.TicketEscalated: notifier.escalated,
    }, key=SUBSCRIPTION_KEY)
