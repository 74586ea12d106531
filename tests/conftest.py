"""Shared fixtures: real PostgreSQL and Redis (loopback), SQLite in a temp dir, app clients."""
from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest
from redis import Redis

from feedback.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get("TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
PG_URL = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def run_async(awaitable):
    """Run a coroutine or Piccolo query from a synchronous test (a fresh loop each time)."""

    async def wrapper():
        return await awaitable

    return asyncio.run(wrapper())


def migrate(database_url: str) -> None:
    env = {**os.environ, "DATABASE_URL": database_url}
    result = subprocess.run([sys.executable, "-m", "feedback.cli", "migrate"], env=env, capture_output=True, text=True, cwd=ROOT)
    if result.returncode != 0:
        raise RuntimeError(f"migration failed:\n{result.stdout}\n{result.stderr}")


def reset_postgres_schema(url: str) -> None:
    import asyncpg

    async def create_database_if_missing():
        name = url.rsplit("/", 1)[1]
        admin = await asyncpg.connect(PG_ADMIN_URL)
        try:
            if not await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
                await admin.execute(f'CREATE DATABASE "{name}"')
        finally:
            await admin.close()

    async def reset():
        await create_database_if_missing()
        conn = await asyncpg.connect(url)
        try:
            await conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        finally:
            await conn.close()

    run_async(reset())


@pytest.fixture(scope="session")
def pg_database_url() -> str:
    reset_postgres_schema(PG_URL)
    migrate(PG_URL)
    return PG_URL


@pytest.fixture(scope="session")
def sqlite_database_url(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("sqlite") / "suara-test.sqlite"
    url = f"sqlite:///{path}"
    migrate(url)
    return url


def _table_names() -> list[str]:
    from feedback.tables import ALL_TABLES

    return [t._meta.tablename for t in ALL_TABLES]


async def _truncate(database_url: str) -> None:
    from feedback.tables import ALL_TABLES

    engine = ALL_TABLES[0]._meta.db
    if database_url.startswith("postgres"):
        await engine.run_ddl("TRUNCATE " + ", ".join(_table_names()) + " RESTART IDENTITY CASCADE")
    else:
        for name in reversed(_table_names()):
            await engine.run_ddl(f"DELETE FROM {name}")


def make_settings(database_url: str, tmp_path: Path, **overrides) -> Settings:
    values = dict(
        database_url=database_url,
        redis_url=REDIS_URL,
        secret_key="test-secret-key-0123456789",
        data_dir=tmp_path / "data",
        upload_dir=tmp_path / "uploads",
        base_url="http://testserver",
        queue_name=f"classify-test-{os.getpid()}",
        notify_queue_name=f"notify-test-{os.getpid()}",
        rate_limit_per_minute=100000,
        db_pool_max=0,
        sweeper_grace_seconds=0,
    )
    values.update(overrides)
    return Settings(**values)


@pytest.fixture(autouse=True)
def _no_leftover_subscriptions():
    """Each test wires its own domain-event subscribers (an app client, a CLI call, subscribe_notifications)."""
    from feedback import events

    yield
    events.clear()


@pytest.fixture
def redis_conn():
    conn = Redis.from_url(REDIS_URL)
    conn.flushdb()
    yield conn
    conn.flushdb()
    conn.close()


def _bind(database_url: str):
    from feedback.db import bind_tables, engine_from_url

    engine = engine_from_url(database_url)
    bind_tables(engine)
    return engine


@pytest.fixture(params=["postgres", "sqlite"])
def database_url(request) -> str:
    """Both backends: tests using this run once on PostgreSQL and once on SQLite."""
    url = request.getfixturevalue("pg_database_url" if request.param == "postgres" else "sqlite_database_url")
    _bind(url)
    run_async(_truncate(url))
    from feedback.quality.sla import reset_calendar_cache
    from feedback.routing.seed import seed_taxonomy

    run_async(seed_taxonomy())
    reset_calendar_cache()
    return url


@pytest.fixture
def pg_url(pg_database_url) -> str:
    """PostgreSQL only, clean tables, taxonomy seeded."""
    _bind(pg_database_url)
    run_async(_truncate(pg_database_url))
    from feedback.quality.sla import reset_calendar_cache
    from feedback.routing.seed import seed_taxonomy

    run_async(seed_taxonomy())
    reset_calendar_cache()
    return pg_database_url


@pytest.fixture
def settings(database_url, tmp_path, redis_conn) -> Settings:
    return make_settings(database_url, tmp_path)


@pytest.fixture
def pg_settings(pg_url, tmp_path, redis_conn) -> Settings:
    return make_settings(pg_url, tmp_path)


@pytest.fixture
def client(settings):
    from litestar.testing import TestClient

    from feedback.app import create_app

    app = create_app(settings, run_sweeper=False)
    with TestClient(app=app, base_url="http://testserver.local") as test_client:
        yield test_client
    _bind(settings.database_url)


@pytest.fixture
def pg_client(pg_settings):
    from litestar.testing import TestClient

    from feedback.app import create_app

    app = create_app(pg_settings, run_sweeper=False)
    with TestClient(app=app, base_url="http://testserver.local") as test_client:
        yield test_client
