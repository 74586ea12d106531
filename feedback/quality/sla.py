"""SLA deadlines: per category and priority, in working hours on the configured calendar."""
from __future__ import annotations

import time as _time
from datetime import datetime, timedelta

from feedback.quality.calendar import WorkingCalendar, load_default_holidays
from feedback.tables import Holiday, SlaTarget
from feedback.tracking.priority import Priority

# Emergencies are not worked office hours: their targets are calendar hours, and capped.
DARURAT_FIRST_RESPONSE_HOURS = 2
DARURAT_RESOLUTION_HOURS = 24

_calendar_cache: tuple[float, WorkingCalendar] | None = None


async def load_calendar(tz: str = "Asia/Jakarta", max_age_seconds: float = 300) -> WorkingCalendar:
    """The working calendar with holidays from the database (if empty: the `holidays` package's, with our overrides)."""
    global _calendar_cache
    now = _time.monotonic()
    if _calendar_cache and now - _calendar_cache[0] < max_age_seconds and _calendar_cache[1].tz == tz:
        return _calendar_cache[1]
    rows = await Holiday.select(Holiday.day)
    holidays = frozenset(r["day"] for r in rows) if rows else load_default_holidays()
    calendar = WorkingCalendar(holidays=holidays, tz=tz)
    _calendar_cache = (now, calendar)
    return calendar


def reset_calendar_cache() -> None:
    global _calendar_cache
    _calendar_cache = None


async def sla_hours(category: dict, priority: str) -> tuple[int, int]:
    """(first response hours, resolution hours) for a category row and a priority."""
    target = await SlaTarget.select().where(
        (SlaTarget.category == category["id"]) & (SlaTarget.priority == priority)
    ).first()
    if target:
        return target["first_response_hours"], target["resolution_hours"]
    return category["sla_first_response_hours"], category["sla_resolution_hours"]


async def compute_deadlines(category: dict, priority: str, start: datetime, tz: str = "Asia/Jakarta") -> tuple[datetime, datetime]:
    """(first response due, resolution due) for a ticket routed at `start`."""
    first_hours, resolution_hours = await sla_hours(category, priority)
    if priority == Priority.DARURAT:
        return (
            start + timedelta(hours=min(first_hours, DARURAT_FIRST_RESPONSE_HOURS)),
            start + timedelta(hours=min(resolution_hours, DARURAT_RESOLUTION_HOURS)),
        )
    calendar = await load_calendar(tz)
    return calendar.add_working_hours(start, first_hours), calendar.add_working_hours(start, resolution_hours)
