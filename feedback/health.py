"""Liveness and readiness probes."""
from __future__ import annotations

import asyncio

import msgspec

from litestar import Controller, Response, get
from litestar.datastructures import State
from litestar.openapi import ResponseSpec
from redis.asyncio import Redis

from feedback.tables import Ticket


async def check_database() -> str | None:
    try:
        await asyncio.wait_for(Ticket.raw("SELECT 1"), timeout=3)
        return None
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"[:300]


async def check_redis(url: str | None) -> str | None:
    if not url:
        return "REDIS_URL not set"
    client = Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    try:
        await client.ping()
        return None
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"[:300]
    finally:
        await client.aclose()


class ReadinessOut(msgspec.Struct):
    status: str
    checks: dict[str, str]


class HealthController(Controller):
    path = "/health"
    tags = ["health"]

    @get("/live", summary="Process is up")
    async def live(self) -> dict[str, str]:
        return {"status": "ok"}

    @get("/ready", summary="Database and Redis reachable", responses={503: ResponseSpec(data_container=ReadinessOut, description="Not ready")})
    async def ready(self, state: State) -> Response[ReadinessOut]:
        db_error, redis_error = await asyncio.gather(check_database(), check_redis(state.settings.redis_url))
        checks = {"database": db_error or "ok", "redis": redis_error or "ok"}
        ok = db_error is None and redis_error is None
        return Response(ReadinessOut(status="ok" if ok else "unavailable", checks=checks), status_code=200 if ok else 503)
