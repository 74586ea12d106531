"""Small aggregate helpers matching the SQL used on PostgreSQL (the SQLite fallback and tests).

Like SQL aggregates, they ignore None values and return None for no values.
"""
from __future__ import annotations

import math
from collections.abc import Iterable
from numbers import Real


class StatsError(ValueError):
    """Invalid input to a report aggregate."""


AGING_BUCKETS: tuple[str, ...] = ("0-3", "4-7", "8-14", "15-30", ">30")
# Upper bound (inclusive, whole days) of each bucket but the last.
_AGING_UPPER = (3, 7, 14, 30)

SATISFIED_RATINGS = frozenset({4, 5})


def _numbers(values: Iterable[float | None]) -> list[float]:
    out = []
    for value in values:
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, Real) or math.isnan(value):
            raise StatsError(f"not a number: {value!r}")
        out.append(value)
    return out


def percentile(values: Iterable[float | None], q: float) -> float | None:
    """PostgreSQL's percentile_cont(q): linear interpolation between the closest ranks.

    With n sorted values the result sits at position q*(n-1) (0-based).
    """
    if isinstance(q, bool) or not isinstance(q, Real) or not 0 <= q <= 1:
        raise StatsError(f"percentile must be between 0 and 1, got {q!r}")
    data = sorted(_numbers(values))
    if not data:
        return None
    position = q * (len(data) - 1)
    lower = math.floor(position)
    upper = min(lower + 1, len(data) - 1)
    fraction = position - lower
    return float(data[lower] + (data[upper] - data[lower]) * fraction)


def median(values: Iterable[float | None]) -> float | None:
    """percentile_cont(0.5)."""
    return percentile(values, 0.5)


def mean(values: Iterable[float | None]) -> float | None:
    """AVG(): the arithmetic mean, None when there are no values."""
    data = _numbers(values)
    return math.fsum(data) / len(data) if data else None


def csat(ratings: Iterable[int | None]) -> float | None:
    """Customer satisfaction: the share (0..1) of 1–5 ratings that are 4 or 5."""
    data = [r for r in ratings if r is not None]
    for rating in data:
        if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
            raise StatsError(f"rating must be a whole number 1–5, got {rating!r}")
    if not data:
        return None
    return sum(r in SATISFIED_RATINGS for r in data) / len(data)


def aging_bucket(days: float) -> str:
    """Backlog aging bucket label for an age in days.

    Ages count completed days (3.9 days old is still "0-3"), the same as
    flooring the age in SQL before bucketing.
    """
    if isinstance(days, bool) or not isinstance(days, Real) or not math.isfinite(days) or days < 0:
        raise StatsError(f"age in days must be a non-negative number, got {days!r}")
    whole = math.floor(days)
    for label, upper in zip(AGING_BUCKETS, _AGING_UPPER):
        if whole <= upper:
            return label
    return AGING_BUCKETS[-1]
