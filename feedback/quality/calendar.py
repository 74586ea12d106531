"""Working-time calendar for SLA clocks.

Datetimes in and out are timezone-aware (UTC in the database); working hours are
counted in the calendar's local time zone (WIB, Asia/Jakarta, by default).  Work is
per calendar day, so spans of months cost a few hundred iterations, not minutes.
"""
from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


class CalendarError(ValueError):
    """Invalid calendar configuration or SLA clock input."""


Pause = tuple[datetime, datetime | None]

_MONDAY_TO_FRIDAY = frozenset(range(5))  # date.weekday(): Monday 0 .. Sunday 6
_HOLIDAYS_RESOURCE = "holidays_id.json"
WORKING_DAY = "working_day"  # kind of an override row that cancels the package's holiday on its date
HOLIDAY_YEARS_BACK = 1
HOLIDAY_YEARS_AHEAD = 5


@dataclass(frozen=True)
class WorkingCalendar:
    """Working days and hours in one local time zone, with holidays as data."""

    workdays: frozenset[int] = _MONDAY_TO_FRIDAY
    day_start: time = time(8, 0)
    day_end: time = time(16, 0)
    holidays: frozenset[date] = field(default_factory=frozenset)
    tz: str = "Asia/Jakarta"

    def __post_init__(self) -> None:
        # Accept any iterable for convenience, store immutable sets.
        object.__setattr__(self, "workdays", frozenset(self.workdays))
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        if not self.workdays or not self.workdays <= frozenset(range(7)):
            raise CalendarError("workdays must be a non-empty set of weekdays 0–6, "
                                f"got {sorted(self.workdays)}")
        if self.day_start.tzinfo or self.day_end.tzinfo or self.day_start >= self.day_end:
            raise CalendarError(f"working day must start before it ends (local, naive times), "
                                f"got {self.day_start}–{self.day_end}")
        try:
            ZoneInfo(self.tz)
        except (ZoneInfoNotFoundError, ValueError):
            raise CalendarError(f"unknown time zone {self.tz!r}") from None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    @property
    def hours_per_day(self) -> float:
        """Length of one full working day in hours (to turn working-day targets into hours)."""
        day = date(2000, 1, 3)
        length = datetime.combine(day, self.day_end) - datetime.combine(day, self.day_start)
        return length.total_seconds() / 3600

    def is_working_day(self, day: date) -> bool:
        return day.weekday() in self.workdays and day not in self.holidays

    def working_seconds_between(self, start: datetime, end: datetime,
                                pauses: Iterable[Pause] = ()) -> float:
        """Working seconds from start to end, not counting paused intervals.

        A pause whose end is None is still running (counted as paused up to `end`).
        If end is before start the result is negative (time left before a deadline).
        """
        start, end = _utc(start, "start"), _utc(end, "end")
        if end < start:
            return -self.working_seconds_between(end, start, pauses)
        total = timedelta(0)
        for a, b in self._intervals(start, _merge_pauses(pauses)):
            if a >= end:
                break
            total += min(b, end) - a
        return total.total_seconds()

    def add_working_hours(self, start: datetime, hours: float,
                          pauses: Iterable[Pause] = ()) -> datetime:
        """The aware UTC moment `hours` working hours after start, skipping pauses.

        A deadline that is exactly used up at the close of a working day is that
        close (16:00 local), not the next morning.
        """
        start = _utc(start, "start")
        if isinstance(hours, bool) or not isinstance(hours, int | float) \
                or not math.isfinite(hours) or hours < 0:
            raise CalendarError(f"hours must be a non-negative number, got {hours!r}")
        remaining = timedelta(hours=hours)
        if not remaining:
            return start
        for a, b in self._intervals(start, _merge_pauses(pauses)):
            if remaining <= b - a:
                return a + remaining
            remaining -= b - a
        raise CalendarError("the clock is paused indefinitely; no deadline can be computed")

    # --- internals ----------------------------------------------------------

    def _window(self, day: date) -> tuple[datetime, datetime]:
        zone = self.zone
        return (datetime.combine(day, self.day_start, zone).astimezone(UTC),
                datetime.combine(day, self.day_end, zone).astimezone(UTC))

    def _intervals(self, start: datetime, pauses: Sequence[Pause]) -> Iterator[tuple[datetime, datetime]]:
        """Running-clock intervals (UTC, ascending, non-empty) from start onwards.

        Stops at an open-ended pause; otherwise endless, so callers break out.
        """
        day = start.astimezone(self.zone).date()
        # Start of an endless pause (the ticket is still waiting): nothing runs after it.
        horizon = pauses[-1][0] if pauses and pauses[-1][1] is None else None
        p = 0  # index of the first pause that has not ended by the current point
        while True:
            a, b = self._window(day)
            if horizon is not None and a >= horizon:
                return
            if self.is_working_day(day):
                a = max(a, start)
                while a < b:
                    while p < len(pauses) and pauses[p][1] is not None and pauses[p][1] <= a:
                        p += 1
                    if p < len(pauses) and pauses[p][0] <= a:  # paused right now
                        if pauses[p][1] is None:
                            return
                        a = pauses[p][1]
                        continue
                    stop = min(b, pauses[p][0]) if p < len(pauses) else b
                    yield a, stop
                    a = stop
            day += timedelta(days=1)


def _utc(moment: Any, what: str) -> datetime:
    if not isinstance(moment, datetime) or moment.tzinfo is None or moment.utcoffset() is None:
        raise CalendarError(f"{what} must be a timezone-aware datetime, got {moment!r}")
    return moment.astimezone(UTC)


def _merge_pauses(pauses: Iterable[Pause]) -> list[Pause]:
    """Sorted, non-overlapping UTC pauses; an open-ended pause swallows everything after it."""
    spans: list[Pause] = []
    for index, pause in enumerate(pauses):
        try:
            p_start, p_end = pause
        except (TypeError, ValueError):
            raise CalendarError(f"pause #{index} must be a (start, end) pair") from None
        p_start = _utc(p_start, f"pause #{index} start")
        p_end = None if p_end is None else _utc(p_end, f"pause #{index} end")
        if p_end is not None and p_end < p_start:
            raise CalendarError(f"pause #{index} ends before it starts")
        if p_end != p_start:
            spans.append((p_start, p_end))
    spans.sort(key=lambda s: s[0])
    merged: list[Pause] = []
    for p_start, p_end in spans:
        if merged and (merged[-1][1] is None or p_start <= merged[-1][1]):
            last_start, last_end = merged[-1]
            open_end = last_end is None or p_end is None
            merged[-1] = (last_start, None if open_end else max(last_end, p_end))
        else:
            merged.append((p_start, p_end))
        if merged[-1][1] is None:
            break
    return merged


def load_holiday_entries() -> list[dict[str, Any]]:
    """Our own holiday rows (the bundled JSON): {"date", "name", "kind", "provisional"}.

    They are local overrides of the `holidays` package: a row wins over the package's entry for
    the same date, and a row of kind "working_day" removes the package's holiday on that date.
    """
    text = resources.files(__package__).joinpath(_HOLIDAYS_RESOURCE).read_text(encoding="utf-8")
    return json.loads(text)["holidays"]


def default_holiday_years(today: date | None = None) -> range:
    """The years seeded from the `holidays` package: last year to five years ahead."""
    year = (today or date.today()).year
    return range(year - HOLIDAY_YEARS_BACK, year + HOLIDAY_YEARS_AHEAD + 1)


def package_holiday_entries(years: Iterable[int]) -> list[dict[str, Any]]:
    """Indonesian holidays from the maintained `holidays` package, as rows like ours.

    Category "public" is libur nasional; "government" is cuti bersama (collective leave decreed by
    the SKB 3 Menteri; present for the years the package knows a decree for). Dates the package
    only estimates (lunar calendars, "(perkiraan)") are marked provisional.
    """
    import holidays

    years = sorted(set(years))
    if not years:
        return []
    kinds = {"public": "libur_nasional", "government": "cuti_bersama"}
    rows: dict[date, dict[str, Any]] = {}
    for category, kind in kinds.items():
        found = holidays.country_holidays("ID", years=years, categories=(category,), language="id")
        for day, name in sorted(found.items()):
            if day in rows:  # a national holiday and cuti bersama on one day: it is a holiday either way
                continue
            rows[day] = {"date": day.isoformat(), "name": name, "kind": kind,
                         "provisional": "(perkiraan)" in name or "(estimated)" in name}
    return [rows[day] for day in sorted(rows)]


def holiday_entries(years: Iterable[int] | None = None) -> list[dict[str, Any]]:
    """The package's holidays for `years` (default: around now) with our rows applied on top."""
    merged = {row["date"]: row for row in package_holiday_entries(default_holiday_years() if years is None else years)}
    for row in load_holiday_entries():
        if row["kind"] == WORKING_DAY:
            merged.pop(row["date"], None)
        else:
            merged[row["date"]] = row
    return [merged[key] for key in sorted(merged)]


def load_default_holidays(*, include_cuti_bersama: bool = True, include_provisional: bool = True,
                          years: Iterable[int] | None = None) -> frozenset[date]:
    """Indonesian national holidays (and, by default, cuti bersama): the package's, with our overrides.

    Deployments must check these against the current SKB and edit `holidays_id.json` (or the
    holiday table); provisional rows are computed or estimated dates, not yet officially decreed.
    """
    days = set()
    for entry in holiday_entries(years):
        if entry["kind"] == "cuti_bersama" and not include_cuti_bersama:
            continue
        if entry.get("provisional") and not include_provisional:
            continue
        days.add(date.fromisoformat(entry["date"]))
    return frozenset(days)
