"""create_app(settings): the Litestar application."""
from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

from litestar import Litestar, MediaType, Request, Response
from litestar.config.response_cache import ResponseCacheConfig  # noqa: F401  (kept for deployments)
from litestar.contrib.jinja import JinjaTemplateEngine
from litestar.datastructures import State
from litestar.exceptions import HTTPException, NotFoundException, ValidationException
from litestar.logging.config import LoggingConfig
from litestar.openapi import OpenAPIConfig
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from feedback.db import bind_tables, close_pool, engine_from_url, start_pool
from feedback.errors import InputError
from feedback.events import Unsubscribe
from feedback.health import HealthController
from feedback.intake.api import TicketApiController, input_error_body
from feedback.intake.pages import PublicIntakeController
from feedback.jobs.relay import RelayDispatcher
from feedback.jobs.sweeper import sweep_received
from feedback.notify.subscribers import subscribe_notifications
from feedback.observability import configure_json_logging, metrics_endpoint, request_context_middleware
from feedback.open311.controllers import Open311Controller
from feedback.settings import Settings, load_settings
from feedback.tracking.lifecycle import TicketError
from feedback.tracking.pages import PublicTrackingController
from feedback.tracking.public import TicketNotFound
from feedback.web.ratelimit import RateLimiter
from feedback.web.security import security_headers_middleware

log = logging.getLogger(__name__)
PACKAGE_DIR = Path(__file__).parent
TEMPLATE_DIRS = [PACKAGE_DIR / "templates", PACKAGE_DIR.parent / "admin_ui" / "templates"]
STATIC_DIRS = [PACKAGE_DIR / "static", PACKAGE_DIR.parent / "admin_ui" / "static"]


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith(("/api/", "/health", "/open311/", "/schema")) or "application/json" in request.headers.get("accept", "")


def _error_response(request: Request, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
    if _wants_json(request):
        return Response(body, status_code=status, headers=headers, media_type=MediaType.JSON)
    text = f"{body.get('message', '')}\n\n{body.get('message_en', '')}"
    return Response(text, status_code=status, headers=headers, media_type=MediaType.TEXT)


def handle_input_error(request: Request, exc: InputError) -> Response:
    return _error_response(request, exc.status_code, input_error_body(exc))


def handle_not_found(request: Request, exc: Exception) -> Response:
    return _error_response(request, 404, {
        "error": "not_found",
        "message": "Tidak ditemukan. Periksa kembali kode atau alamatnya.",
        "message_en": "Not found. Check the code or address.",
    })


def handle_ticket_error(request: Request, exc: TicketError) -> Response:
    return _error_response(request, exc.status_code, {"error": exc.code, "message": exc.message_id, "message_en": exc.message_en})


def handle_validation(request: Request, exc: ValidationException) -> Response:
    details = exc.extra if isinstance(exc.extra, list) else []
    errors = [
        {"field": str(d.get("key", "body")), "code": "invalid", "message": str(d.get("message", "")), "message_en": str(d.get("message", ""))}
        for d in details if isinstance(d, dict)
    ]
    return _error_response(request, 400, {
        "error": "invalid_request",
        "message": "Permintaan tidak valid: periksa format JSON, tipe data, dan nilai pilihan.",
        "message_en": "Invalid request: check the JSON syntax, field types and allowed values. " + "; ".join(e["message"] for e in errors),
        "errors": errors,
    })


def handle_http_exception(request: Request, exc: HTTPException) -> Response:
    status = exc.status_code
    messages = {
        413: ("Data yang dikirim terlalu besar.", "The request body is too large."),
        429: ("Terlalu banyak permintaan. Coba lagi sebentar lagi.", "Too many requests. Please try again shortly."),
        405: ("Metode tidak diizinkan.", "Method not allowed."),
        403: ("Akses ditolak.", "Forbidden."),
        401: ("Silakan masuk terlebih dahulu.", "Please log in first."),
    }
    msg_id, msg_en = messages.get(status, (str(exc.detail), str(exc.detail)))
    body: dict[str, Any] = {"error": "http_error", "message": msg_id, "message_en": msg_en}
    if isinstance(exc.extra, dict):
        body.update(exc.extra)
    return _error_response(request, status, body, headers=exc.headers)


DATABASE_UNAVAILABLE_ERRORS: tuple[type[BaseException], ...] = (ConnectionError, OSError, TimeoutError)
try:
    import asyncpg

    DATABASE_UNAVAILABLE_ERRORS += (
        asyncpg.exceptions.PostgresConnectionError,
        asyncpg.exceptions.InterfaceError,
        asyncpg.exceptions.CannotConnectNowError,
        asyncpg.exceptions.AdminShutdownError,
    )
except ImportError:  # pragma: no cover - asyncpg is a dependency
    pass


def handle_internal_error(request: Request, exc: Exception) -> Response:
    if isinstance(exc, DATABASE_UNAVAILABLE_ERRORS):
        # The database is restarting or unreachable: say so, and let clients retry.
        log.warning("database unavailable on %s %s: %s", request.method, request.url.path, exc)
        return _error_response(request, 503, {
            "error": "service_unavailable",
            "message": "Layanan sedang mengalami gangguan sementara. Silakan coba lagi sebentar lagi; laporan Anda belum tersimpan.",
            "message_en": "The service is temporarily unavailable. Please try again shortly; your report was not stored.",
        }, headers={"Retry-After": "5"})
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return _error_response(request, 500, {
        "error": "internal_error",
        "message": "Terjadi kesalahan pada server. Laporan Anda yang sudah mendapat kode pelacakan tetap aman.",
        "message_en": "Server error. Reports that already received a tracking code are safe.",
    })


async def _sweeper_loop(settings: Settings) -> None:
    while True:
        await asyncio.sleep(settings.sweeper_interval_seconds)
        try:
            await sweep_received(settings)
        except Exception as exc:  # Redis or database away: try again next round
            log.warning("sweeper round failed: %s", exc)


def _extra_route_handlers(settings: Settings) -> list[Any]:
    """Route handlers of the staff UI (admin pages, reports, counter, Open311 keys) and public report pages."""
    from admin_ui.routes import route_handlers as admin_handlers
    from feedback.quality.pages import route_handlers as quality_public_handlers

    return [*admin_handlers(settings), *quality_public_handlers()]


def create_app(settings: Settings | None = None, *, run_sweeper: bool = True) -> Litestar:
    settings = settings or load_settings()
    engine = engine_from_url(settings.database_url)
    bind_tables(engine)
    dispatcher = RelayDispatcher(settings)
    rate_limiter = RateLimiter(settings)
    background: list[asyncio.Task] = []
    subscriptions: list[Unsubscribe] = []

    async def on_startup(app: Litestar) -> None:
        settings.upload_dir.mkdir(parents=True, exist_ok=True)
        bind_tables(engine)
        await start_pool(engine, settings.db_pool_min, settings.db_pool_max)
        dispatcher.start()
        # Domain events (new tickets, status changes, staff responses) notify with this app's settings.
        subscriptions.append(subscribe_notifications(settings))
        if run_sweeper and settings.redis_url:
            background.append(asyncio.create_task(_sweeper_loop(settings)))

    async def on_shutdown(app: Litestar) -> None:
        while subscriptions:
            subscriptions.pop()()
        for task in background:
            task.cancel()
        dispatcher.stop()
        await rate_limiter.close()
        await close_pool(engine)

    static_routers = [
        create_static_files_router(path="/static", directories=[d for d in STATIC_DIRS if d.exists()], include_in_schema=False)
    ]
    app = Litestar(
        route_handlers=[
            HealthController, TicketApiController, PublicIntakeController, PublicTrackingController,
            Open311Controller, metrics_endpoint, *static_routers, *_extra_route_handlers(settings),
        ],
        state=State({"settings": settings, "dispatcher": dispatcher, "rate_limiter": rate_limiter, "engine": engine}),
        on_startup=[on_startup],
        on_shutdown=[on_shutdown],
        template_config=TemplateConfig(directory=[d for d in TEMPLATE_DIRS if d.exists()], engine=JinjaTemplateEngine),
        openapi_config=OpenAPIConfig(title="Suara Warga API", version="1.0.0", path="/schema",
                                     description="Citizen feedback and complaint tracking for Indonesian public services."),
        exception_handlers={
            InputError: handle_input_error,
            TicketNotFound: handle_not_found,
            NotFoundException: handle_not_found,
            TicketError: handle_ticket_error,
            ValidationException: handle_validation,
            HTTPException: handle_http_exception,
            Exception: handle_internal_error,
        },
        middleware=[request_context_middleware, security_headers_middleware],
        request_max_body_size=settings.max_json_bytes,
        # Litestar configures the root logger itself (at INFO by default): keep LOG_LEVEL in charge, and
        # leave logging alone when JSON logs were set up (it would replace their handler).
        logging_config=None if settings.json_logs else LoggingConfig(
            root={"handlers": ["queue_listener"], "level": settings.log_level}),
        debug=False,
    )
    return app


def create_app_from_env() -> Litestar:
    """Factory for `uvicorn --factory feedback.app:create_app_from_env` (one app per web process)."""
    settings = load_settings()
    if settings.json_logs:  # uvicorn worker processes do not inherit the CLI's logging setup
        configure_json_logging(settings.log_level)
    return create_app(settings)
