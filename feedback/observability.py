"""Prometheus metrics, request ids and structured JSON logs.

Metrics live in prometheus_client's default registry (one per process). With several web
processes (`feedback web --workers N`, gunicorn) set PROMETHEUS_MULTIPROC_DIR to an empty,
writable directory before the processes start; /metrics then aggregates every process's files.
"""
from __future__ import annotations

import asyncio
import contextvars
import json
import logging
import re
import sys
import time
import uuid
from datetime import datetime, timezone

from litestar import Response, get
from litestar.datastructures import State
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily

from feedback.settings import Settings

access_log = logging.getLogger("feedback.access")
request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

REQUEST_LATENCY = Histogram(
    "suara_http_request_duration_seconds", "HTTP request latency by route template and status",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
JOB_DURATION = Histogram(
    "suara_job_duration_seconds", "Background job duration", ["job"],
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120),
)
CLASSIFICATION_CONFIDENCE = Histogram(
    "suara_classification_confidence", "Top-1 classifier confidence per classified ticket",
    buckets=(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0),
)
SLA_BREACHES = Counter("suara_sla_breaches", "SLA deadlines found breached", ["kind"])


def observe_job(name: str, seconds: float) -> None:
    JOB_DURATION.labels(job=name).observe(max(0.0, seconds))


def observe_confidence(value: float | None) -> None:
    if value is not None:
        CLASSIFICATION_CONFIDENCE.observe(min(1.0, max(0.0, float(value))))


def count_sla_breach(kind: str = "resolution", count: int = 1) -> None:
    """kind: first_response or resolution."""
    if count > 0:
        SLA_BREACHES.labels(kind=kind).inc(count)


# ---------------------------------------------------------------- scrape

def read_queue_depths(settings: Settings) -> dict[str, int] | None:
    """RQ queue lengths now (blocking Redis calls: run it in a thread); None when Redis is away."""
    if not settings.redis_url:
        return None
    from redis import Redis
    from rq import Queue

    conn = Redis.from_url(settings.redis_url, socket_connect_timeout=1, socket_timeout=1)
    try:
        return {name: Queue(name, connection=conn).count for name in (settings.queue_name, settings.notify_queue_name)}
    except Exception:
        return None
    finally:
        conn.close()


class _QueueCollector:
    def __init__(self, depths: dict[str, int] | None):
        self.depths = depths

    def collect(self):
        depth = GaugeMetricFamily("suara_queue_depth", "Jobs waiting in each RQ queue (read at scrape time)", labels=["queue"])
        for name, value in (self.depths or {}).items():
            depth.add_metric([name], value)
        up = GaugeMetricFamily("suara_queue_up", "1 when Redis answered the queue-depth read")
        up.add_metric([], 1 if self.depths is not None else 0)
        return [depth, up]


def metrics_text(depths: dict[str, int] | None, *, multiprocess: bool = False) -> bytes:
    """The exposition text; `multiprocess` (PROMETHEUS_MULTIPROC_DIR set) sums every process's files."""
    if multiprocess:
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        body = generate_latest(registry)
    else:
        body = generate_latest(REGISTRY)
    queues = CollectorRegistry()
    queues.register(_QueueCollector(depths))
    return body + generate_latest(queues)


@get("/metrics", include_in_schema=False)
async def metrics_endpoint(state: State) -> Response:
    settings: Settings = state.settings
    depths = await asyncio.to_thread(read_queue_depths, settings)
    body = metrics_text(depths, multiprocess=settings.prometheus_multiproc_dir is not None)
    return Response(body, media_type=CONTENT_TYPE_LATEST)


# ---------------------------------------------------------------- requests

def _incoming_request_id(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"x-request-id":
            candidate = value.decode("latin-1").strip()
            return candidate if _REQUEST_ID_RE.match(candidate) else None
    return None


_latency_children: dict[tuple[str, str, int], object] = {}


def _latency_child(method: str, route: str, status: int):
    """REQUEST_LATENCY's child for these labels, looked up once (labels() locks and rebuilds the key)."""
    key = (method, route, status)
    child = _latency_children.get(key)
    if child is None:
        child = _latency_children[key] = REQUEST_LATENCY.labels(method=method, route=route, status=str(status))
    return child


def _set_request_id_header(message: Message, request_id: str) -> None:
    headers = message.get("headers")
    headers = [h for h in headers or () if h[0].lower() != b"x-request-id"]
    headers.append((b"x-request-id", request_id.encode("latin-1")))
    message["headers"] = headers


def request_context_middleware(app: ASGIApp) -> ASGIApp:
    """X-Request-ID in and out, one access log line and one latency observation per request."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        request_id = _incoming_request_id(scope) or uuid.uuid4().hex
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                _set_request_id_header(message, request_id)
            await send(message)

        try:
            await app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route = scope.get("path_template") or "unmatched"
            _latency_child(scope["method"], route, status).observe(elapsed)
            if access_log.isEnabledFor(logging.INFO):
                access_log.info(
                    "%s %s %s %.1fms", scope["method"], scope["path"], status, elapsed * 1000,
                    extra={"fields": {"method": scope["method"], "path": scope["path"], "route": route, "status": status,
                                      "duration_ms": round(elapsed * 1000, 2), "request_id": request_id}},
                )
            request_id_var.reset(token)

    return middleware


# ---------------------------------------------------------------- logs

class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id and any `fields` extra."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = request_id_var.get()
        if request_id:
            entry["request_id"] = request_id
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            entry.update(fields)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_json_logging(level: str = "INFO", stream=None) -> logging.Handler:
    """Route the root logger (and uvicorn's) to one JSON-lines handler on stderr."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers[:] = []
        logger.propagate = True
    return handler


def start_worker_metrics_server(settings: Settings) -> int | None:
    """For workers on other machines: serve their metrics on WORKER_METRICS_PORT (unset: off)."""
    if not settings.worker_metrics_port:
        return None
    from prometheus_client import start_http_server

    start_http_server(settings.worker_metrics_port, addr=settings.worker_metrics_addr)
    return settings.worker_metrics_port
