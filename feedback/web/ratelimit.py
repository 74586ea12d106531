"""Per-client fixed-window rate limits, shared through Redis, per process when Redis is down."""
from __future__ import annotations

import time
from collections import defaultdict

from litestar import Request
from litestar.exceptions import HTTPException
from redis.asyncio import Redis

from feedback.settings import Settings


class TooManyRequests(HTTPException):
    status_code = 429


class RateLimiter:
    def __init__(self, settings: Settings, window_seconds: int = 60):
        self.limit = settings.rate_limit_per_minute
        self.window = window_seconds
        self.trust_forwarded_for = settings.trust_forwarded_for
        self._redis: Redis | None = Redis.from_url(settings.redis_url, socket_timeout=0.2, socket_connect_timeout=0.2) if settings.redis_url else None
        self._redis_down_until = 0.0
        self._memory: dict[str, int] = defaultdict(int)
        self._memory_window = 0

    def client_id(self, request: Request) -> str:
        if self.trust_forwarded_for:
            forwarded = request.headers.get("x-forwarded-for")
            if forwarded:
                return forwarded.split(",")[0].strip()
        return request.client.host if request.client else "unknown"

    async def hit(self, request: Request, bucket: str) -> None:
        """Count one request; raise 429 with Retry-After when over the limit."""
        if self.limit <= 0:
            return
        now = time.time()
        window = int(now // self.window)
        retry_after = int(self.window - now % self.window) + 1
        key = f"suara:rl:{bucket}:{self.client_id(request)}:{window}"
        count = await self._incr(key, window, now)
        if count > self.limit:
            raise TooManyRequests(
                detail="Terlalu banyak permintaan. Coba lagi sebentar lagi. / Too many requests, try again shortly.",
                headers={"Retry-After": str(retry_after)},
                extra={"retry_after": retry_after},
            )

    async def _incr(self, key: str, window: int, now: float) -> int:
        if self._redis is not None and now >= self._redis_down_until:
            try:
                pipe = self._redis.pipeline()
                pipe.incr(key)
                pipe.expire(key, self.window + 5)
                count, _ = await pipe.execute()
                return int(count)
            except Exception:
                self._redis_down_until = now + 5  # do not slow every request while Redis is away
        if window != self._memory_window:
            self._memory.clear()
            self._memory_window = window
        self._memory[key] += 1
        return self._memory[key]

    async def close(self) -> None:
        if self._redis is not None:
            await self._redis.aclose()
