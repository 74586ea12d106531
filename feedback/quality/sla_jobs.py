"""Scheduled SLA scan: flag breached deadlines and escalate each ticket once.

`scan_sla_breaches_job` runs in the RQ worker every 5 minutes (listed in `feedback.jobs.schedule`).
It is idempotent: flags are set once, and escalation is claimed with a conditional update on
`escalated_at`, so two workers or two runs never escalate twice. Who is told is decided here; the
telling follows the TicketEscalated event (notify subscribes to it).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from feedback.db import transaction_for
from feedback.events import TicketEscalated, emit
from feedback.observability import count_sla_breach
from feedback.quality.sla import load_calendar
from feedback.quality.sla_clock import load_pauses, sla_states
from feedback.settings import Settings
from feedback.tables import StaffUser, Ticket
from feedback.tracking.lifecycle import record_event, utcnow
from feedback.tracking.statuses import OPEN_STATUSES

log = logging.getLogger(__name__)


@dataclass
class ScanReport:
    checked: int = 0
    first_response_breaches: int = 0
    resolution_breaches: int = 0
    escalated: int = 0


async def _recipients(agency_id: int | None) -> list[dict[str, Any]]:
    """The agency's heads and all managers, active ones only."""
    heads = []
    if agency_id is not None:
        heads = await StaffUser.select(StaffUser.id, StaffUser.username, StaffUser.email).where(
            (StaffUser.agency == agency_id) & (StaffUser.is_agency_head == True) & (StaffUser.active == True))  # noqa: E712
    managers = await StaffUser.select(StaffUser.id, StaffUser.username, StaffUser.email).where(
        (StaffUser.role == "manager") & (StaffUser.active == True))  # noqa: E712
    return heads + managers


async def escalate_ticket(ticket_id: int, *, reason: str, actor_id: int | None = None, actor_label: str = "sla") -> bool:
    """Escalate once: claim escalated_at, record who is told, then emit TicketEscalated. False if already escalated."""
    async with transaction_for(Ticket):
        claimed = await Ticket.update({Ticket.escalated_at: utcnow()}).where(
            (Ticket.id == ticket_id) & Ticket.escalated_at.is_null()).returning(Ticket.id, Ticket.agency)
        if not claimed:
            return False
        recipients = await _recipients(claimed[0]["agency"])
        reachable = [user for user in recipients if user["email"]]
        await record_event(ticket_id, "escalated", actor_id=actor_id, actor_label=actor_label, new_value=reason,
                           data={"notified": [u["username"] for u in reachable],
                                 "without_email": [u["username"] for u in recipients if not u["email"]]})
        await emit(TicketEscalated(ticket_id, reason, tuple(user["email"] for user in reachable)))
    return True


async def scan_sla_breaches(settings: Settings, now: datetime | None = None) -> ScanReport:
    """Flag first-response and resolution breaches of open tickets and escalate newly breached ones."""
    now = now or utcnow()
    report = ScanReport()
    # Pauses only push deadlines later, so "deadline already past" is a safe superset to check exactly.
    candidates = await Ticket.select().where(
        Ticket.status.is_in([s.value for s in OPEN_STATUSES]) & (
            ((Ticket.first_response_breached == False) & Ticket.first_response_at.is_null() & (Ticket.first_response_due_at <= now))  # noqa: E712
            | ((Ticket.resolution_breached == False) & (Ticket.due_at <= now))))  # noqa: E712
    report.checked = len(candidates)
    if not candidates:
        return report
    calendar = await load_calendar(settings.timezone)
    pauses = await load_pauses([t["id"] for t in candidates])
    for ticket in candidates:
        first, resolution = sla_states(ticket, pauses.get(ticket["id"], []), now, calendar)
        breached = []
        if first.state == "overdue" and not ticket["first_response_breached"]:
            flagged = await Ticket.update({Ticket.first_response_breached: True}).where(
                (Ticket.id == ticket["id"]) & (Ticket.first_response_breached == False)).returning(Ticket.id)  # noqa: E712
            if flagged:
                report.first_response_breaches += 1
                breached.append("first_response")
        if resolution.state == "overdue" and not ticket["resolution_breached"]:
            flagged = await Ticket.update({Ticket.resolution_breached: True}).where(
                (Ticket.id == ticket["id"]) & (Ticket.resolution_breached == False)).returning(Ticket.id)  # noqa: E712
            if flagged:
                report.resolution_breaches += 1
                breached.append("resolution")
        for kind in breached:
            await record_event(ticket["id"], "sla_breached", actor_label="sla", new_value=kind)
            count_sla_breach(kind)
        if breached and await escalate_ticket(ticket["id"], reason="sla_" + "+".join(breached)):
            report.escalated += 1
    if report.escalated or report.first_response_breaches or report.resolution_breaches:
        log.info("SLA scan: %s", report)
    return report


def scan_sla_breaches_job() -> dict[str, int]:
    """RQ entry point (no arguments; re-reads everything)."""
    from feedback.jobs.runtime import get_runtime

    runtime = get_runtime()
    report = runtime.run(scan_sla_breaches(runtime.settings))
    return report.__dict__
