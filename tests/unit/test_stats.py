"""Report aggregates that must agree with the PostgreSQL SQL (percentile_cont, AVG)."""
from __future__ import annotations

import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from feedback.quality.stats import (
    AGING_BUCKETS,
    StatsError,
    aging_bucket,
    csat,
    mean,
    median,
    percentile,
)


# --- percentile_cont ---------------------------------------------------------------

@pytest.mark.parametrize(("values", "q", "expected"), [
    # SELECT percentile_cont(0.9) WITHIN GROUP (ORDER BY v) FROM unnest('{1,2,3,4}'::int[]) v → 3.7
    ([1, 2, 3, 4], 0.9, 3.7),        # position 0.9 × 3 = 2.7 → 3 + 0.7 × (4 − 3)
    ([1, 2, 3, 4], 0.5, 2.5),
    ([1, 2, 3, 4], 0.0, 1.0),
    ([1, 2, 3, 4], 1.0, 4.0),
    ([10, 20, 30, 40, 50], 0.25, 20.0),   # position 1.0 exactly
    ([10, 20, 30, 40, 50], 0.1, 14.0),    # position 0.4 → 10 + 0.4 × 10
    ([7], 0.9, 7.0),
    ([3, 1, 2], 0.5, 2.0),                # input order does not matter
])
def test_percentile_matches_percentile_cont(values, q, expected):
    assert percentile(values, q) == pytest.approx(expected)


def test_percentile_ignores_nulls_and_returns_none_for_no_values():
    assert percentile([None, 4, None, 2], 0.5) == 3.0
    assert percentile([], 0.5) is None
    assert percentile([None], 0.9) is None


@pytest.mark.parametrize("q", [-0.1, 1.1, True, "0.5"])
def test_percentile_rejects_bad_fraction(q):
    with pytest.raises(StatsError):
        percentile([1, 2], q)


@pytest.mark.parametrize("value", [float("nan"), "3", True])
def test_aggregates_reject_non_numbers(value):
    with pytest.raises(StatsError):
        percentile([1, value], 0.5)
    with pytest.raises(StatsError):
        mean([1, value])


@given(st.lists(st.floats(-1e6, 1e6), min_size=2, max_size=50))
def test_percentile_agrees_with_inclusive_quantiles(values):
    # statistics.quantiles(method="inclusive") uses the same (n − 1) interpolation.
    deciles = statistics.quantiles(values, n=10, method="inclusive")
    for i, expected in enumerate(deciles, start=1):
        assert percentile(values, i / 10) == pytest.approx(expected, rel=1e-9, abs=1e-6)


@given(st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=50), st.floats(0, 1), st.floats(0, 1))
def test_percentile_is_monotonic_and_bounded(values, q1, q2):
    lo, hi = sorted((q1, q2))
    assert min(values) <= percentile(values, lo) <= percentile(values, hi) <= max(values)


def test_median_and_mean():
    assert median([5, 1, 3]) == 3.0
    assert median([1, 2, 3, 10]) == 2.5
    assert median([]) is None
    assert mean([1, 2, 3, 4]) == 2.5
    assert mean([None, 2.0]) == 2.0
    assert mean([]) is None


# --- CSAT ---------------------------------------------------------------------------

def test_csat_is_share_of_four_and_five():
    assert csat([5, 4, 3, 2, 1]) == 0.4
    assert csat([5, 5, 4]) == 1.0
    assert csat([1, 2, 3]) == 0.0
    assert csat([None, 4, 2]) == 0.5
    assert csat([]) is None


@pytest.mark.parametrize("rating", [0, 6, 4.5, "5", True])
def test_csat_rejects_invalid_ratings(rating):
    with pytest.raises(StatsError):
        csat([5, rating])


# --- backlog aging --------------------------------------------------------------------

@pytest.mark.parametrize(("days", "bucket"), [
    (0, "0-3"), (3, "0-3"), (3.9, "0-3"),
    (4, "4-7"), (7, "4-7"), (7.99, "4-7"),
    (8, "8-14"), (14, "8-14"),
    (15, "15-30"), (30, "15-30"), (30.5, "15-30"),
    (31, ">30"), (1000, ">30"),
])
def test_aging_bucket_boundaries(days, bucket):
    assert aging_bucket(days) == bucket


def test_aging_buckets_in_display_order():
    assert AGING_BUCKETS == ("0-3", "4-7", "8-14", "15-30", ">30")
    assert [aging_bucket(d) for d in (0, 4, 8, 15, 31)] == list(AGING_BUCKETS)


@pytest.mark.parametrize("days", [-1, -0.5, float("nan"), float("inf"), "3", None, True])
def test_aging_bucket_rejects_invalid_ages(days):
    with pytest.raises(StatsError):
        aging_bucket(days)


def test_stats_error_is_a_value_error():
    assert issubclass(StatsError, ValueError)
