"""SQL building blocks for reports, for PostgreSQL and SQLite.

Aggregates run in the database.  PostgreSQL computes percentiles with
percentile_cont; SQLite has no such aggregate, so it counts the values and reads
the one or two needed ranks with ORDER BY ... LIMIT 2 OFFSET k — the same linear
interpolation as percentile_cont, without fetching the column into Python.

Working time is computed in SQL too: a small calendar CTE holds, per local day,
the working seconds elapsed before that day; W(t) = cum(day(t)) + worked part of
that day, and a duration in working time is W(end) - W(start).
"""
from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from feedback.quality.calendar import WorkingCalendar
from feedback.quality.periods import ReportFilter
from feedback.tables import Ticket

_TZ_RE = re.compile(r"^[A-Za-z0-9_+\-/]+$")
MAX_CALENDAR_DAYS = 3700
GRAINS = ("day", "week", "month", "quarter", "year")


@dataclass(frozen=True)
class Dist:
    """Distribution summary of one measure (seconds): n, mean, median, p90."""

    n: int
    mean: float | None
    median: float | None
    p90: float | None


@dataclass(frozen=True)
class Dialect:
    is_pg: bool
    tz: str = "Asia/Jakarta"

    def __post_init__(self) -> None:
        if not _TZ_RE.match(self.tz):
            raise ValueError(f"unsafe time zone name {self.tz!r}")
        ZoneInfo(self.tz)

    @property
    def _offset(self) -> str:
        # SQLite has no time zones: use the zone's current fixed offset (WIB/WITA/WIT have no DST).
        seconds = int(datetime.now(ZoneInfo(self.tz)).utcoffset().total_seconds())
        return f"'{seconds:+d} seconds'"

    def seconds_between(self, later: str, earlier: str) -> str:
        if self.is_pg:
            return f"EXTRACT(EPOCH FROM ({later} - {earlier}))"
        # julianday() is a double in days: round to milliseconds to drop its binary noise.
        return f"ROUND((julianday({later}) - julianday({earlier})) * 86400.0, 3)"

    def plus_seconds(self, col: str, seconds_expr: str) -> str:
        """A comparable timestamp: col + seconds (for due dates extended by pauses)."""
        if self.is_pg:
            return f"({col} + ({seconds_expr}) * INTERVAL '1 second')"
        return f"(julianday({col}) + ({seconds_expr}) / 86400.0)"

    def ts_param(self) -> str:
        """A timestamp placeholder usable in arithmetic."""
        return "CAST({} AS TIMESTAMPTZ)" if self.is_pg else "{}"

    def comparable(self, col: str) -> str:
        return col if self.is_pg else f"julianday({col})"

    def local_day(self, col: str) -> str:
        if self.is_pg:
            return f"(({col}) AT TIME ZONE '{self.tz}')::date"
        return f"date({col}, {self._offset})"

    def local_seconds(self, col: str) -> str:
        """Seconds since local midnight."""
        if self.is_pg:
            return f"EXTRACT(EPOCH FROM (({col}) AT TIME ZONE '{self.tz}')::time)"
        return (f"ROUND((julianday({col}, {self._offset}) - julianday(date({col}, {self._offset}))) * 86400.0, 3)")

    def bucket(self, col: str, grain: str) -> str:
        """Local start date of the day/week/month/quarter/year as 'YYYY-MM-DD' text."""
        if grain not in GRAINS:
            raise ValueError(f"unknown grain {grain!r}")
        if self.is_pg:
            return f"to_char(date_trunc('{grain}', ({col}) AT TIME ZONE '{self.tz}'), 'YYYY-MM-DD')"
        local = f"datetime({col}, {self._offset})"
        return {
            "day": f"date({local})",
            "week": f"date({local}, 'weekday 0', '-6 days')",
            "month": f"strftime('%Y-%m-01', {local})",
            "quarter": (f"printf('%s-%02d-01', strftime('%Y', {local}), "
                        f"((CAST(strftime('%m', {local}) AS INTEGER) - 1) / 3) * 3 + 1)"),
            "year": f"strftime('%Y-01-01', {local})",
        }[grain]

    def date_literal(self, day: date) -> str:
        return f"DATE '{day.isoformat()}'" if self.is_pg else f"'{day.isoformat()}'"


def dialect_for(settings_or_url: Any, tz: str | None = None) -> Dialect:
    url = getattr(settings_or_url, "database_url", settings_or_url)
    zone = tz or getattr(settings_or_url, "timezone", "Asia/Jakarta")
    return Dialect(is_pg=str(url).startswith("postgres"), tz=zone)


def current_dialect(tz: str = "Asia/Jakarta") -> Dialect:
    """Dialect of the engine the tables are bound to."""
    engine_type = getattr(Ticket._meta.db, "engine_type", "")
    return Dialect(is_pg=engine_type in ("postgres", "cockroach"), tz=tz)


# --- filters ----------------------------------------------------------------

def ticket_where(f: ReportFilter, alias: str = "t", time_col: str = "created_at",
                 *, period: bool = True) -> tuple[str, list[Any]]:
    """WHERE clause (with {} placeholders) and params for a filter on the ticket table."""
    parts: list[str] = []
    params: list[Any] = []
    if period:
        parts.append(f"{alias}.{time_col} >= {{}} AND {alias}.{time_col} < {{}}")
        params += [f.start.astimezone(UTC), f.end.astimezone(UTC)]
    for column, value in (("agency", f.agency_id), ("category", f.category_id), ("channel", f.channel),
                          ("priority", f.priority), ("kecamatan", f.kecamatan)):
        if value is not None:
            parts.append(f"{alias}.{column} = {{}}")
            params.append(value)
    return (" AND ".join(parts) or "1=1"), params


async def fetch(sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    return await Ticket.raw(sql, *params)


# --- percentiles ----------------------------------------------------------------

async def distributions(d: Dialect, inner: str, params: list[Any], measures: Sequence[str],
                        grouped: bool = False) -> dict[Any, dict[str, Dist]]:
    """Per group (key None when not grouped) and measure: n, mean, median, p90.

    `inner` is a SELECT yielding a column `g` (when grouped) and one column per measure.
    """
    group_sel = "g" if grouped else "NULL"
    group_by = "GROUP BY g" if grouped else ""
    if d.is_pg:
        cols = ", ".join(
            f"COUNT({m}) AS {m}_n, AVG({m}) AS {m}_mean, "
            f"percentile_cont(0.5) WITHIN GROUP (ORDER BY {m}) AS {m}_p50, "
            f"percentile_cont(0.9) WITHIN GROUP (ORDER BY {m}) AS {m}_p90" for m in measures)
        rows = await fetch(f"SELECT {group_sel} AS g, {cols} FROM ({inner}) s {group_by}", params)
        return {r["g"]: {m: Dist(int(r[f"{m}_n"]), _f(r[f"{m}_mean"]), _f(r[f"{m}_p50"]), _f(r[f"{m}_p90"]))
                         for m in measures} for r in rows}
    cols = ", ".join(f"COUNT({m}) AS {m}_n, AVG({m}) AS {m}_mean" for m in measures)
    rows = await fetch(f"SELECT {group_sel} AS g, {cols} FROM ({inner}) s {group_by}", params)
    out: dict[Any, dict[str, Dist]] = {}
    for r in rows:
        out[r["g"]] = {}
        for m in measures:
            n = int(r[f"{m}_n"])
            p50 = await _sqlite_percentile(inner, params, m, n, 0.5, grouped, r["g"])
            p90 = await _sqlite_percentile(inner, params, m, n, 0.9, grouped, r["g"])
            out[r["g"]][m] = Dist(n, _f(r[f"{m}_mean"]), p50, p90)
    return out


async def _sqlite_percentile(inner: str, params: list[Any], measure: str, n: int, q: float,
                             grouped: bool, group: Any) -> float | None:
    if n == 0:
        return None
    position = q * (n - 1)
    lower = math.floor(position)
    where = f"{measure} IS NOT NULL" + (" AND g IS {}" if grouped else "")
    extra = [group] if grouped else []
    rows = await fetch(f"SELECT {measure} AS v FROM ({inner}) s WHERE {where} ORDER BY {measure} "
                       f"LIMIT 2 OFFSET {lower}", [*params, *extra])
    values = [float(r["v"]) for r in rows]
    if len(values) == 1:
        return values[0]
    return values[0] + (values[1] - values[0]) * (position - lower)


def _f(value: Any) -> float | None:
    return None if value is None else float(value)


# --- working-time calendar ---------------------------------------------------------

def calendar_cte(d: Dialect, cal: WorkingCalendar, first: date, last: date) -> str:
    """`cal(day, cum, working)` rows for first..last (local dates): cum = working seconds before day."""
    if (last - first).days > MAX_CALENDAR_DAYS:
        first = last - timedelta(days=MAX_CALENDAR_DAYS)
    day_seconds = int(cal.hours_per_day * 3600)
    rows, cum, day = [], 0, first
    while day <= last:
        working = cal.is_working_day(day)
        rows.append(f"({d.date_literal(day)}, {cum}, {1 if working else 0})")
        cum += day_seconds if working else 0
        day += timedelta(days=1)
    return f"cal(day, cum, working) AS (VALUES {', '.join(rows)})"


def working_clock(d: Dialect, cal: WorkingCalendar, col: str, cal_alias: str) -> str:
    """W(col): working seconds from the calendar's first day to col (needs a join on cal_alias)."""
    start = cal.day_start.hour * 3600 + cal.day_start.minute * 60
    length = int(cal.hours_per_day * 3600)
    secs = d.local_seconds(col)
    worked = f"MIN(MAX({secs} - {start}, 0), {length})"
    if d.is_pg:
        worked = f"LEAST(GREATEST({secs} - {start}, 0), {length})"
    return f"({cal_alias}.cum + CASE WHEN {cal_alias}.working = 1 THEN {worked} ELSE 0 END)"
