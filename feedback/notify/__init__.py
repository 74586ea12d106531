"""Outbound notifications to citizens (email) and gateways (signed webhook), delivered by RQ jobs.

Entry points: `service.notify_ticket_event` (async, for hooks and staff actions),
`service.NotificationDispatcher` (sync code), `jobs.deliver_notification` (RQ),
`webhook.verify_signature` (for receivers).
"""
