"""`feedback seed-demo --tickets N`: a realistic history with ratings and IKM surveys, bulk-loaded.

PostgreSQL gets COPY through asyncpg (about a minute per million tickets); SQLite gets
batched executemany in one transaction.
"""
from __future__ import annotations

import asyncio
import random
import sqlite3
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from itertools import islice
from typing import Any

from feedback.quality import demo_data as demo
from feedback.settings import Settings

BATCH = 20_000
RATING_SHARE = 0.3
SURVEY_SHARE = 0.12
RATING_COLUMNS = ("ticket", "score", "comment", "created_at")
IKM_COLUMNS = ("ticket", "agency", "channel", "u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9",
               "sex", "age_band", "education", "occupation", "suggestion", "created_at")


class _NoBar:
    """Stands in for a tqdm bar when progress is off or tqdm (installed with the `ml` extra) is absent."""

    def __init__(self, iterable: Iterable | None = None):
        self._iterable = iterable or ()

    def __iter__(self):
        return iter(self._iterable)

    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


def _progress(iterable: Iterable | None = None, *, desc: str, total: int | None = None, unit: str = "it",
              enabled: bool = True):
    """A progress bar on stderr when wanted and tqdm is installed; otherwise silent."""
    if enabled:
        try:
            from tqdm import tqdm
        except ImportError:
            return _NoBar(iterable)
        return tqdm(iterable, total=total, desc=desc, unit=unit)
    return _NoBar(iterable)


def _batches(rows: Iterable[tuple], size: int = BATCH) -> Iterator[list[tuple]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


class _Writer:
    """Minimal bulk writer over asyncpg (COPY) or sqlite3 (executemany)."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.pg = None
        self.sqlite: sqlite3.Connection | None = None

    async def open(self) -> None:
        if self.settings.is_sqlite:
            self.sqlite = sqlite3.connect(self.settings.sqlite_path, timeout=60)
        else:
            import asyncpg

            self.pg = await asyncpg.connect(self.settings.database_url)

    async def close(self) -> None:
        if self.pg is not None:
            await self.pg.close()
        if self.sqlite is not None:
            self.sqlite.commit()
            self.sqlite.close()

    async def fetch(self, sql: str) -> list[tuple]:
        if self.pg is not None:
            return [tuple(r) for r in await self.pg.fetch(sql)]
        return self.sqlite.execute(sql).fetchall()

    async def copy(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        if self.pg is not None:
            await self.pg.copy_records_to_table(table, records=rows, columns=list(columns))
            return
        marks = ", ".join("?" for _ in columns)
        self.sqlite.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                                [tuple(_sqlite_value(v) for v in row) for row in rows])


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(sep=" ")
    if isinstance(value, bool):
        return int(value)
    return value


def _parse_ts(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


async def _categories(writer: _Writer) -> list[demo.CategoryInfo]:
    rows = await writer.fetch(
        "SELECT c.id, c.code, a.id, a.code, c.sla_first_response_hours, c.sla_resolution_hours "
        "FROM category c JOIN agency a ON a.id = c.default_agency WHERE c.active = true ORDER BY c.id")
    return [demo.CategoryInfo(*r) for r in rows]


async def seed_demo(settings: Settings, tickets: int, *, seed: int = 2017, years: float = 3,
                    progress: bool = True, now: datetime | None = None) -> dict[str, int]:
    """Generate and bulk-insert `tickets` tickets plus ratings and surveys; returns row counts.

    The taxonomy must be seeded first (`feedback seed`): its agencies and categories are the history's.
    """
    writer = _Writer(settings)
    await writer.open()
    try:
        categories = await _categories(writer)
        if not categories:
            raise RuntimeError("no categories with an agency: run `feedback seed` first")
        rng = random.Random(seed)
        start, end = demo.default_window(now, years)
        before = (await writer.fetch("SELECT COALESCE(MAX(id), 0) FROM ticket"))[0][0]
        bar = _progress(total=tickets, unit="tiket", desc="tickets", enabled=progress)
        for batch in _batches(demo.ticket_rows(rng, tickets, categories, start, end, end)):
            await writer.copy("ticket", demo.TICKET_COLUMNS, batch)
            bar.update(len(batch))
        bar.close()
        counts = await _seed_feedback(writer, rng, before, progress)
        counts["tickets"] = tickets
        return counts
    finally:
        await writer.close()


async def _seed_feedback(writer: _Writer, rng: random.Random, after_id: int, progress: bool) -> dict[str, int]:
    rows = await writer.fetch(
        "SELECT t.id, t.agency, a.code, t.channel, t.created_at, t.resolved_at FROM ticket t "
        f"JOIN agency a ON a.id = t.agency WHERE t.id > {int(after_id)} AND t.resolved_at IS NOT NULL")
    ratings, surveys = [], []
    for ticket_id, agency_id, agency_code, channel, created, resolved in _progress(rows, desc="ratings", enabled=progress):
        created, resolved = _parse_ts(created), _parse_ts(resolved)
        if rng.random() >= RATING_SHARE:
            continue
        hours = (resolved - created).total_seconds() / 3600
        score = demo.rating_for(rng, hours, agency_code)
        ratings.append((ticket_id, score, None, resolved + _minutes(rng)))
        if rng.random() < SURVEY_SHARE / RATING_SHARE:
            survey_channel = channel if channel in ("web", "counter", "email") else "web"
            surveys.append((ticket_id, agency_id, survey_channel, *demo.ikm_answers(rng, score), *demo.profile(rng),
                            None, resolved + _minutes(rng)))
    for batch in _batches(ratings):
        await writer.copy("satisfaction_rating", RATING_COLUMNS, batch)
    for batch in _batches(surveys):
        await writer.copy("ikm_response", IKM_COLUMNS, batch)
    return {"ratings": len(ratings), "surveys": len(surveys)}


def _minutes(rng: random.Random) -> timedelta:
    return timedelta(minutes=rng.randint(5, 60 * 24 * 3))


def cmd_seed_demo(args, settings: Settings) -> int:
    if args.tickets < 1:
        print("--tickets harus lebih dari 0 / must be positive")
        return 2
    counts = asyncio.run(seed_demo(settings, args.tickets, seed=args.seed, years=args.years,
                                   progress=not args.quiet))
    print(f"Data demo / demo data: {counts['tickets']} tiket, {counts['ratings']} penilaian, "
          f"{counts['surveys']} survei IKM")
    return 0


def register(sub) -> None:
    p = sub.add_parser("seed-demo", help="generate a realistic demo history (tickets, ratings, IKM surveys); after `feedback seed`")
    p.add_argument("--tickets", type=int, default=5000, help="number of tickets (default 5000)")
    p.add_argument("--years", type=float, default=3, help="length of the history in years (default 3)")
    p.add_argument("--seed", type=int, default=2017, help="random seed (same seed, same data)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_seed_demo)
