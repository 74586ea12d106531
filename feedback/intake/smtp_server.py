"""`feedback smtpd`: an aiosmtpd receiver that turns mail for our inbound addresses into tickets.

Replies: 250 once the raw message is stored (parsing problems are recorded on the stored
row, not bounced), 550 for recipients that are not ours (no open relay), 552 above 25 MB
(aiosmtpd's DATA limit, also announced with SIZE), 451 when the message could not be
stored (database or disk down: the sending server retries later).
"""
from __future__ import annotations

import asyncio
import logging
import signal
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from feedback.intake.email_service import MAX_EMAIL_BYTES, ingest_email
from feedback.intake.services import TicketDispatcher
from feedback.settings import Settings

log = logging.getLogger(__name__)

MAX_RECIPIENTS = 20
SMTP_TIMEOUT_SECONDS = 60


def _address(value: str) -> str:
    return value.strip().strip("<>").lower()


class InboundHandler:
    """aiosmtpd handler: RCPT checks and DATA → ingest_email. Never lets an exception escape."""

    def __init__(self, settings: Settings, dispatcher: TicketDispatcher | None = None):
        self.settings = settings
        self.dispatcher = dispatcher
        self.allowed = frozenset(_address(a) for a in settings.inbound_addresses)

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope, address: str,
                          rcpt_options: list[str]) -> str:
        if _address(address) not in self.allowed:
            log.info("smtpd: refused recipient %r from %s", address[:200], session.peer)
            return "550 5.1.1 Recipient not accepted here / alamat tujuan tidak dikenal"
        if len(envelope.rcpt_tos) >= MAX_RECIPIENTS:
            return "452 4.5.3 Too many recipients"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or envelope.content or b""
        if isinstance(raw, str):  # only with decode_data=True, which we never set
            raw = raw.encode("utf-8", "surrogateescape")
        if len(raw) > MAX_EMAIL_BYTES:
            return "552 5.3.4 Message too big / pesan terlalu besar"
        try:
            result = await ingest_email(raw, source="smtp", settings=self.settings, dispatcher=self.dispatcher)
        except Exception as exc:  # noqa: BLE001 - storage failed: ask the sender to retry, never crash
            log.exception("smtpd: could not store a message from %s (%d bytes)", session.peer, len(raw))
            return f"451 4.3.0 Temporary failure, try again later ({type(exc).__name__})"
        log.info("smtpd: inbound #%s from %s → %s%s", result.inbound_id, envelope.mail_from, result.status,
                 f" ({result.reason})" if result.reason else "")
        return f"250 2.0.0 Accepted as #{result.inbound_id}"


def smtp_kwargs() -> dict[str, Any]:
    return {"data_size_limit": MAX_EMAIL_BYTES, "enable_SMTPUTF8": True, "decode_data": False,
            "timeout": SMTP_TIMEOUT_SECONDS,
            "command_call_limit": {"RCPT": MAX_RECIPIENTS + 10, "*": 200}}


def start_in_thread(settings: Settings, host: str, port: int,
                    dispatcher: TicketDispatcher | None = None) -> Controller:
    """Run the receiver on aiosmtpd's own loop thread (tests). Tables must already be bound to
    an engine usable from that loop (PostgreSQL without a pool, or SQLite)."""
    controller = Controller(InboundHandler(settings, dispatcher), hostname=host, port=port,
                            ready_timeout=10, **smtp_kwargs())
    controller.start()
    return controller


async def serve(settings: Settings, host: str, port: int) -> None:
    """`feedback smtpd`: one event loop owns the database pool and the SMTP server."""
    from feedback.db import bind_tables, close_pool, engine_from_url, start_pool
    from feedback.jobs.relay import RelayDispatcher

    engine = engine_from_url(settings.database_url)
    bind_tables(engine)
    await start_pool(engine, settings.db_pool_min, max(1, min(settings.db_pool_max, 4)))
    dispatcher = RelayDispatcher(settings) if settings.redis_url else None
    if dispatcher is not None:
        dispatcher.start()
    loop = asyncio.get_running_loop()
    handler = InboundHandler(settings, dispatcher)
    server = await loop.create_server(lambda: SMTP(handler, loop=loop, **smtp_kwargs()), host=host, port=port)
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):
            pass
    print(f"SMTP penerima / receiver on {host}:{port} for {', '.join(settings.inbound_addresses)}", flush=True)
    try:
        await stop.wait()
    finally:
        server.close()
        await server.wait_closed()
        if dispatcher is not None:
            dispatcher.stop()
        await close_pool(engine)
