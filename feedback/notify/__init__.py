"""Outbound notifications to citizens (email) and gateways (signed webhook), delivered by RQ jobs.

Entry points: `subscribers.subscribe_notifications(settings)` (wires domain events to notifications
where a process is assembled), `service.notify_ticket_event` (async), `jobs.deliver_notification`
(RQ), `webhook.verify_signature` (for receivers).
"""
