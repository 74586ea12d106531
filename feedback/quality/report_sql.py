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
EPOCH_DAY = date(1970, 1, 1)


def bucket_key(day_number: int, grain: str) -> str:
    """'YYYY-MM-DD' start of the day/week/month/quarter/year containing a local day number."""
    day = EPOCH_DAY + timedelta(days=int(day_number))
    if grain == "week":
        day -= timedelta(days=day.weekday())
    elif grain == "month":
        day = day.replace(day=1)
    elif grain == "quarter":
        day = day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    elif grain == "year":
        day = day.replace(month=1, day=1)
    elif grain != "day":
        raise ValueError(f"unknown grain {grain!r}")
    return day.isoformat()


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
    def offset_seconds(self) -> int:
        """The zone's current UTC offset. Indonesian zones (WIB/WITA/WIT) have no DST, so local days
        and hours are computed with plain integer arithmetic on the epoch, which is fast on both
        engines (a named-zone conversion per row costs ~10 µs on PostgreSQL)."""
        return int(datetime.now(ZoneInfo(self.tz)).utcoffset().total_seconds())

    def epoch(self, col: str) -> str:
        """Seconds since 1970-01-01 UTC as a double (milliseconds precision on SQLite)."""
        if self.is_pg:
            return f"date_part('epoch', {col})"
        return f"ROUND((julianday({col}) - 2440587.5) * 86400.0, 3)"

    def day_of(self, epoch_expr: str) -> str:
        """Local calendar day (whole days since 1970-01-01) of an epoch-seconds expression."""
        shifted = f"({epoch_expr} + {self.offset_seconds})"
        if self.is_pg:
            return f"CAST(floor({shifted} / 86400) AS INTEGER)"
        return f"CAST({shifted} / 86400 AS INTEGER)"

    def day_number(self, col: str) -> str:
        """Local calendar day of a timestamp column."""
        return self.day_of(self.epoch(col))

    def secs_of(self, epoch_expr: str) -> str:
        """Seconds since local midnight of an epoch-seconds expression."""
        return f"(({epoch_expr} + {self.offset_seconds}) - {self.day_of(epoch_expr)} * 86400.0)"

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

def _calendar_days(cal: WorkingCalendar, first: date, last: date) -> tuple[int, list[int], list[int]]:
    if (last - first).days > MAX_CALENDAR_DAYS:
        first = last - timedelta(days=MAX_CALENDAR_DAYS)
    day_seconds = int(cal.hours_per_day * 3600)
    cums, works, cum, day = [], [], 0, first
    while day <= last:
        working = cal.is_working_day(day)
        cums.append(cum)
        works.append(1 if working else 0)
        cum += day_seconds if working else 0
        day += timedelta(days=1)
    return (first - EPOCH_DAY).days, cums, works


def calendar_cte(d: Dialect, cal: WorkingCalendar, first: date, last: date) -> str:
    """The working calendar for local days first..last.

    PostgreSQL: one row `cal(base, cum, working)` with arrays indexed by day number - base + 1
    (cum = working seconds before that day); SQLite: rows `cal(day, cum, working)` to join on.
    """
    base, cums, works = _calendar_days(cal, first, last)
    if d.is_pg:
        # ARRAY[...] rather than '{...}' literals: braces are placeholders in Piccolo's raw SQL.
        return (f"cal AS (SELECT {base} AS base, ARRAY[{','.join(map(str, cums))}]::bigint[] AS cum, "
                f"ARRAY[{','.join(map(str, works))}]::smallint[] AS working)")
    rows = ", ".join(f"({base + i}, {c}, {w})" for i, (c, w) in enumerate(zip(cums, works)))
    return f"cal(day, cum, working) AS (VALUES {rows})"


def calendar_joins(d: Dialect, columns: dict[str, str]) -> str:
    """FROM-clause joins that make working_clock() usable for each alias -> epoch-seconds expression."""
    if d.is_pg:
        return " CROSS JOIN cal"
    return "".join(f" LEFT JOIN cal {alias} ON {alias}.day = {d.day_of(e)}" for alias, e in columns.items())


def working_clock(d: Dialect, cal: WorkingCalendar, epoch_expr: str, cal_alias: str) -> str:
    """W(t): working seconds from the calendar's first day to t, given as epoch seconds (NULL outside it)."""
    start = cal.day_start.hour * 3600 + cal.day_start.minute * 60
    length = int(cal.hours_per_day * 3600)
    secs = d.secs_of(epoch_expr)
    if d.is_pg:
        index = f"({d.day_of(epoch_expr)} - cal.base + 1)"
        worked = f"LEAST(GREATEST({secs} - {start}, 0), {length})"
        return f"(cal.cum[{index}] + CASE WHEN cal.working[{index}] = 1 THEN {worked} ELSE 0 END)"
    worked = f"MIN(MAX({secs} - {start}, 0), {length})"
    return f"({cal_alias}.cum + CASE WHEN {cal_alias}.working = 1 THEN {worked} ELSE 0 END)"
