"""The SQLite fallback (ranks read with ORDER BY/OFFSET, fixed-offset local time) gives PostgreSQL's figures."""
from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta

import pytest

from feedback.quality import ikm_service, reports
from feedback.tables import IkmResponse, SatisfactionRating
from tests.conftest import _bind, _truncate, run_async
from tests.quality import dataset as ds
from tests.quality.dataset import CALENDAR, MARCH, NOW


async def random_history(seed: int = 7) -> None:
    from feedback.routing.seed import seed_taxonomy

    await seed_taxonomy()
    rng = random.Random(seed)
    k = await ds.ids()
    for i in range(160):
        created = datetime(2025, 2, 1, tzinfo=UTC) + timedelta(seconds=rng.randrange(0, 62 * 86400))
        created = created.replace(microsecond=rng.choice([0, 250000, 999999]))
        resolved = created + timedelta(seconds=rng.randrange(600, 20 * 86400)) if rng.random() < 0.7 else None
        first = created + timedelta(seconds=rng.randrange(60, 3 * 86400)) if rng.random() < 0.8 else None
        tid = await ds.add_ticket(
            f"R{i}", agency=rng.choice([k["A"], k["B"], None]), channel=rng.choice(["web", "email", "counter"]),
            category=rng.choice([k["infra"], k["clean"]]), predicted_category=rng.choice(
                ["infrastruktur_jalan", "kebersihan_lingkungan", None]),
            status=rng.choice(["resolved", "closed"]) if resolved else rng.choice(["in_progress", "rejected", "routed"]),
            created_at=created, first_response_at=first, resolved_at=resolved,
            first_response_due_at=created + timedelta(hours=rng.choice([8, 24])),
            due_at=created + timedelta(hours=rng.choice([48, 120])) if rng.random() < 0.9 else None,
            paused_seconds=rng.choice([0, 0, 3600, 90000]), reroute_count=rng.choice([0, 0, 0, 1]),
            reopen_count=rng.choice([0, 0, 0, 0, 1]), priority=rng.choice(["normal", "tinggi"]))
        if resolved and rng.random() < 0.5:
            await SatisfactionRating(ticket=tid, score=rng.randint(1, 5), created_at=resolved + timedelta(hours=2)).save()
    for _ in range(40):
        await IkmResponse(agency=rng.choice([k["A"], k["B"]]), created_at=datetime(2025, 3, 1, tzinfo=UTC)
                          + timedelta(days=rng.randrange(28)),
                          **{f"u{i}": rng.choice([1, 2, 3, 4, None]) if i == 4 else rng.randint(1, 4)
                             for i in range(1, 10)}).save()


def figures(scope=None):
    report = run_async(reports.full_report(MARCH, scope_agency_id=scope, calendar=CALENDAR, now=NOW))
    report["ikm"] = run_async(ikm_service.ikm_summary(MARCH.start, MARCH.end, scope_agency_id=scope))
    report["ikm"].pop("result")
    report.pop("filter")
    report["previous"].pop("filter")
    return report


def assert_same(a, b, path="report"):
    if isinstance(a, dict):
        assert set(a) == set(b), path
        for key in a:
            assert_same(a[key], b[key], f"{path}.{key}")
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            assert_same(x, y, f"{path}[{i}]")
    elif isinstance(a, float) or isinstance(b, float):
        assert a is not None and b is not None, f"{path}: {a!r} != {b!r}"
        assert math.isclose(a, b, rel_tol=1e-9, abs_tol=0.01), f"{path}: {a!r} != {b!r}"
    else:
        assert a == b, f"{path}: {a!r} != {b!r}"


@pytest.mark.parametrize("scope", [None, "A"])
def test_sqlite_fallback_equals_postgresql(pg_database_url, sqlite_database_url, redis_conn, scope):
    results = []
    for url in (pg_database_url, sqlite_database_url):
        _bind(url)
        run_async(_truncate(url))
        run_async(random_history())
        agency = run_async(ds.ids())["A"] if scope else None
        results.append(figures(agency))
    pg, lite = results
    assert pg["counts"]["volume"] > 20 and pg["times"]["res_work"]["n"] > 10  # the data exercises the code
    assert_same(pg, lite)
