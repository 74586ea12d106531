"""Report queries on 1,000,000 tickets (PostgreSQL), each timed next to a plain SELECT count(*).

    python -m benchmarks.reports [--tickets 1000000] [--reuse] [--runs 5]

Creates (or, with --reuse, keeps) the database `bench_reports`, seeds the taxonomy and
`feedback seed-demo`, runs ANALYZE, then prints the median time of each main report
query and its ratio to the median time of `SELECT count(*) FROM ticket` measured in the
same run. Target: every ratio <= 3.
"""
from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from datetime import UTC, datetime, timedelta

from benchmarks.common import PG_ADMIN, fresh_database

DB_NAME = "bench_reports"
TARGET_RATIO = 3.0


async def _ticket_count(url: str) -> int:
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        return await conn.fetchval("SELECT count(*) FROM ticket")
    finally:
        await conn.close()


async def _timed(factory, runs: int) -> float:
    await factory()  # warm-up: caches, plans
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        await factory()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


async def _measure(url: str, runs: int) -> list[tuple[str, float]]:
    from feedback.db import bind_tables, close_pool, engine_from_url, start_pool
    from feedback.quality import ikm_service, reports
    from feedback.quality.pages import transparency_rows
    from feedback.quality.periods import ReportFilter, period_bounds
    from feedback.quality.sla import load_calendar
    from feedback.tables import Ticket

    engine = engine_from_url(url)
    bind_tables(engine)
    await start_pool(engine, 1, 4)
    try:
        calendar = await load_calendar()
        now = datetime.now(UTC)
        last_month = (now.astimezone(calendar.zone).replace(day=1) - timedelta(days=1)).date()
        month = ReportFilter(*period_bounds("month", last_month), period="month")
        year = ReportFilter(now - timedelta(days=365), now, period="custom")
        kw = {"scope_agency_id": None, "now": now}
        agency_id = (await Ticket.raw("SELECT agency FROM ticket WHERE agency IS NOT NULL LIMIT 1"))[0]["agency"]
        cases = [
            ("SELECT count(*) FROM ticket", lambda: Ticket.raw("SELECT count(*) FROM ticket")),
            ("counts + SLA + rates (month)", lambda: reports.counts(month, **kw)),
            ("response/resolution times, calendar+working (month)",
             lambda: reports.response_times(month, calendar=calendar, **kw)),
            ("backlog with aging (end of month)", lambda: reports.backlog(month, **kw)),
            ("volume & backlog series (month, daily)", lambda: reports.time_series(month, **kw)),
            ("channels + per-channel resolution (month)", lambda: reports.channels(month, calendar=calendar, **kw)),
            ("satisfaction (month)", lambda: reports.satisfaction(month, scope_agency_id=None)),
            ("resolution histogram (month)", lambda: reports.resolution_histogram(month, scope_agency_id=None)),
            ("agencies ranked by SLA (month)", lambda: reports.agencies(month, calendar=calendar, **kw)),
            ("one agency's full report (month, scoped, with comparison)",
             lambda: reports.full_report(month, scope_agency_id=agency_id, calendar=calendar, now=now)),
            ("IKM per agency (12 months)", lambda: ikm_service.ikm_by_agency(year.start, year.end, scope_agency_id=None)),
            ("series by month (12 months)", lambda: reports.time_series(year, grain="month", **kw)),
            ("transparency page figures (12 months)", lambda: transparency_rows(now=now)),
        ]
        return [(name, await _timed(factory, runs)) for name, factory in cases]
    finally:
        await close_pool(engine)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="keep an existing bench_reports database")
    args = parser.parse_args()

    url = PG_ADMIN.rsplit("/", 1)[0] + "/" + DB_NAME
    existing = 0
    if args.reuse:
        try:
            existing = asyncio.run(_ticket_count(url))
        except Exception as exc:  # database missing: build it
            print(f"reuse impossible ({exc.__class__.__name__}); creating {DB_NAME}")
    if existing < args.tickets:
        url = fresh_database(DB_NAME)
        from feedback.db import with_database
        from feedback.quality.commands import seed_demo
        from feedback.routing.seed import seed_taxonomy
        from feedback.settings import Settings

        asyncio.run(with_database(url, seed_taxonomy))
        started = time.perf_counter()
        counts = asyncio.run(seed_demo(Settings(database_url=url, db_pool_max=0), args.tickets))
        print(f"seeded {counts['tickets']:,} tickets, {counts['ratings']:,} ratings, {counts['surveys']:,} surveys "
              f"in {time.perf_counter() - started:.1f} s")
    asyncio.run(_analyze(url))
    results = _measure_sync(url, args.runs)
    baseline = results[0][1]
    print(f"\n{'query':58} {'median ms':>10} {'x count(*)':>11}")
    worst = 0.0
    for name, seconds in results:
        ratio = seconds / baseline
        worst = max(worst, ratio)
        flag = "" if ratio <= TARGET_RATIO else "  > target"
        print(f"{name:58} {seconds * 1000:10.1f} {ratio:11.2f}{flag}")
    print(f"\nworst ratio {worst:.2f} (target <= {TARGET_RATIO})")
    return 0


async def _analyze(url: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()


def _measure_sync(url: str, runs: int) -> list[tuple[str, float]]:
    return asyncio.run(_measure(url, runs))


if __name__ == "__main__":
    raise SystemExit(main())
