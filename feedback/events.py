"""Domain events: what happened to a ticket, published to subscribers after the change is committed.

Lower layers (tracking, routing, intake, staff, quality) `emit` events and know nothing of who
listens; the packages that react (notify) `subscribe` where a process is assembled: the app
factory and the CLI, which also starts the worker. Inside `feedback.db.transaction_for` an event
waits for the outermost transaction to commit and is dropped on rollback. A failing subscriber
is logged, never raised: the change it reacts to is already committed.

This module imports no domain package, so any of them may emit.
"""
from __future__ import annotations

import inspect
import logging
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Any

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TicketCreated:
    """A new ticket was stored (any channel); its reporter's contact as submitted."""

    ticket_id: int
    channel: str
    privacy: str
    reporter_email: str | None


@dataclass(frozen=True)
class TicketStatusChanged:
    """change_status() moved a ticket: routing, triage, staff work, resolution, rejection..."""

    ticket_id: int
    old_status: str
    new_status: str
    actor_id: int | None
    actor_label: str
    at: datetime


@dataclass(frozen=True)
class TicketRerouted:
    """A dispatcher moved an open ticket to another agency without changing its status."""

    ticket_id: int
    old_agency_id: int | None
    new_agency_id: int
    actor_label: str


@dataclass(frozen=True)
class StaffResponded:
    """Staff posted a public response that the citizen sees on the tracking page."""

    ticket_id: int
    message_id: int
    staff_id: int


@dataclass(frozen=True)
class TicketEscalated:
    """A ticket was escalated (SLA breach or by hand); `recipients` are the addresses to tell."""

    ticket_id: int
    reason: str
    recipients: tuple[str, ...]


Handler = Callable[[Any], Awaitable[None] | None]
Unsubscribe = Callable[[], None]

_subscribers: dict[type, dict[str, Handler]] = {}
_lock = threading.Lock()
_pending: ContextVar[list[Any] | None] = ContextVar("feedback_pending_events", default=None)


def subscribe(event_type: type, handler: Handler, *, key: str | None = None) -> Unsubscribe:
    """Call `handler(event)` (sync or async) for every `event_type` published; returns an unsubscribe.

    One handler per (event type, key): subscribing again under the same key replaces the earlier
    handler, so a process that assembles twice (a second app in tests) never notifies twice.
    The key defaults to the handler's qualified name.
    """
    key = key or f"{handler.__module__}.{getattr(handler, '__qualname__', repr(handler))}"
    with _lock:
        _subscribers.setdefault(event_type, {})[key] = handler

    def unsubscribe() -> None:
        with _lock:
            handlers = _subscribers.get(event_type, {})
            if handlers.get(key) is handler:  # leave a newer subscription under the same key alone
                del handlers[key]

    return unsubscribe


def subscribe_all(handlers: dict[type, Handler], *, key: str) -> Unsubscribe:
    """Subscribe several handlers under one key; the returned function unsubscribes them all."""
    unsubscribes = [subscribe(event_type, handler, key=key) for event_type, handler in handlers.items()]

    def unsubscribe() -> None:
        for undo in unsubscribes:
            undo()

    return unsubscribe


def subscribers(event_type: type) -> list[Handler]:
    with _lock:
        return list(_subscribers.get(event_type, {}).values())


def clear() -> None:
    """Forget every subscription (tests)."""
    with _lock:
        _subscribers.clear()


async def emit(event: Any) -> None:
    """Publish `event` now, or, inside `transaction_for`, once the outermost transaction commits."""
    pending = _pending.get()
    if pending is not None:
        pending.append(event)
        return
    await _publish(event)


@asynccontextmanager
async def publish_after_commit() -> AsyncIterator[None]:
    """Hold the events emitted inside until the block exits without error (outermost block only).

    `feedback.db.transaction_for` wraps its transaction in this, so events follow the commit.
    """
    if _pending.get() is not None:  # nested: the outermost block publishes
        yield
        return
    pending: list[Any] = []
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    for event in pending:  # reached only when the block committed
        await _publish(event)


async def _publish(event: Any) -> None:
    for handler in subscribers(type(event)):
        try:
            result = handler(event)
            if inspect.isawaitable(result):
                await result
        except Exception:
            log.exception("subscriber %r failed on %r", handler, event)
