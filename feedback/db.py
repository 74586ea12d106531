"""Database engines: SQLite for laptops, PostgreSQL (pooled) for production and tests."""
from __future__ import annotations

import sqlite3
from contextlib import asynccontextmanager
from pathlib import Path

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType

from feedback.events import publish_after_commit
from feedback.tables import ALL_TABLES


def engine_from_url(url: str) -> Engine:
    if url.startswith("sqlite:///"):
        path = Path(url.split("sqlite:///", 1)[1])
        path.parent.mkdir(parents=True, exist_ok=True)
        _enable_wal(path)
        # Web and worker are separate processes: wait for locks instead of failing.
        return SQLiteEngine(path=str(path), timeout=30)
    if url.startswith(("postgres://", "postgresql://")):
        return PostgresEngine(config={"dsn": url}, extensions=())
    raise ValueError(f"DATABASE_URL must start with sqlite:/// or postgresql://, got {url!r}")


def _enable_wal(path: Path) -> None:
    conn = sqlite3.connect(path, timeout=30)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
    finally:
        conn.close()


def bind_tables(engine: Engine) -> None:
    """Point every table at this engine (instead of piccolo_conf's global one)."""
    for table in ALL_TABLES:
        table._meta.db = engine


async def start_pool(engine: Engine, min_size: int, max_size: int) -> None:
    # max_size 0 means no pool: a connection per query, usable from any event loop (tests).
    if isinstance(engine, PostgresEngine) and max_size > 0:
        await engine.start_connection_pool(min_size=min_size, max_size=max_size)


async def close_pool(engine: Engine) -> None:
    if isinstance(engine, PostgresEngine) and engine.pool is not None:
        await engine.close_connection_pool()


def write_transaction(engine: Engine):
    """A transaction for writes; on SQLite take the write lock up front to avoid deadlocks."""
    if isinstance(engine, SQLiteEngine):
        return engine.transaction(transaction_type=TransactionType.immediate)
    return engine.transaction()


@asynccontextmanager
async def transaction_for(table):
    """A write transaction on `table`'s engine; domain events emitted inside are published after it commits."""
    async with publish_after_commit():
        async with write_transaction(table._meta.db) as txn:
            yield txn


async def with_database(database_url: str, coro_factory):
    """Run `await coro_factory()` with every table bound to this database (CLI commands)."""
    engine = engine_from_url(database_url)
    bind_tables(engine)
    try:
        return await coro_factory()
    finally:
        await close_pool(engine)
