"""SLA state of a ticket (time left / overdue) on the working calendar, with waiting-for-citizen pauses.

Deadlines are set at routing (feedback.quality.sla.compute_deadlines) without pauses; while a ticket
waits for the citizen the clock stops, so the time left is the working time to the deadline plus the
working time spent paused since the clock started.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable

from feedback.quality.calendar import Pause, WorkingCalendar
from feedback.tables import TicketEvent
from feedback.tracking.priority import Priority
from feedback.tracking.statuses import OPEN_STATUSES, TicketStatus

WAITING = TicketStatus.WAITING_CITIZEN.value


@dataclass(frozen=True)
class SlaState:
    kind: str  # first_response | resolution
    state: str  # ok | soon | overdue | paused | met | missed | none
    seconds_left: float | None = None  # working seconds (calendar seconds for darurat)

    @property
    def hours_left(self) -> float | None:
        return None if self.seconds_left is None else round(self.seconds_left / 3600, 1)


def pauses_from_events(events: Iterable[dict[str, Any]]) -> list[Pause]:
    """(start, end) intervals spent in waiting_citizen, from status_changed events in id order."""
    pauses: list[Pause] = []
    start: datetime | None = None
    for ev in events:
        if ev["new_value"] == WAITING and start is None:
            start = ev["created_at"]
        elif ev["old_value"] == WAITING and start is not None:
            pauses.append((start, ev["created_at"]))
            start = None
    if start is not None:
        pauses.append((start, None))
    return pauses


async def load_pauses(ticket_ids: list[int]) -> dict[int, list[Pause]]:
    """Pause intervals of many tickets in one query."""
    if not ticket_ids:
        return {}
    rows = await TicketEvent.select(TicketEvent.ticket, TicketEvent.old_value, TicketEvent.new_value, TicketEvent.created_at).where(
        (TicketEvent.ticket.is_in(ticket_ids)) & (TicketEvent.event_type == "status_changed")
        & ((TicketEvent.old_value == WAITING) | (TicketEvent.new_value == WAITING))
    ).order_by(TicketEvent.id)
    grouped: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        grouped[row["ticket"]].append(row)
    return {tid: pauses_from_events(grouped.get(tid, [])) for tid in ticket_ids}


def _paused_seconds(pauses: list[Pause], since: datetime | None, now: datetime, calendar: WorkingCalendar | None) -> float:
    total = 0.0
    for start, end in pauses:
        end = end or now
        if since is not None and end <= since:
            continue
        start = max(start, since) if since is not None else start
        if end <= start:
            continue
        total += calendar.working_seconds_between(start, end) if calendar else (end - start).total_seconds()
    return total


def seconds_left(due: datetime, now: datetime, pauses: list[Pause], since: datetime | None, priority: str,
                 calendar: WorkingCalendar) -> float:
    """Time left before `due` once paused time is given back (negative: overdue)."""
    if priority == Priority.DARURAT:  # emergencies run on the wall clock
        return (due - now).total_seconds() + _paused_seconds(pauses, since, now, None)
    return calendar.working_seconds_between(now, due) + _paused_seconds(pauses, since, now, calendar)


def sla_states(ticket: dict[str, Any], pauses: list[Pause], now: datetime, calendar: WorkingCalendar,
               soon_seconds: float = 4 * 3600) -> tuple[SlaState, SlaState]:
    """(first response, resolution) states of one ticket row."""
    status = TicketStatus(ticket["status"])
    is_open = status in OPEN_STATUSES
    since = ticket.get("routed_at")
    waiting = status == TicketStatus.WAITING_CITIZEN

    def one(kind: str, due: datetime | None, done_at: datetime | None) -> SlaState:
        if due is None:
            return SlaState(kind, "none")
        if done_at is not None or not is_open:
            end = done_at or ticket.get("resolved_at") or ticket.get("closed_at") or ticket.get("updated_at") or now
            if status == TicketStatus.REJECTED and done_at is None:
                return SlaState(kind, "none")
            left = seconds_left(due, end, pauses, since, ticket["priority"], calendar)
            return SlaState(kind, "met" if left >= 0 else "missed", left)
        left = seconds_left(due, now, pauses, since, ticket["priority"], calendar)
        if waiting and kind == "resolution":
            return SlaState(kind, "paused", left)
        if left < 0:
            return SlaState(kind, "overdue", left)
        return SlaState(kind, "soon" if left <= soon_seconds else "ok", left)

    return (one("first_response", ticket.get("first_response_due_at"), ticket.get("first_response_at")),
            one("resolution", ticket.get("due_at"), ticket.get("resolved_at")))
