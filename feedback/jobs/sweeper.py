"""Re-enqueue tickets that were stored but never classified (Redis was down, worker killed)."""
from __future__ import annotations

import logging
from datetime import timedelta

from feedback.jobs.queues import classify_queue, enqueue_classification
from feedback.settings import Settings
from feedback.tables import Ticket
from feedback.tracking.lifecycle import utcnow
from feedback.tracking.statuses import TicketStatus

log = logging.getLogger(__name__)


async def stale_received_ids(grace_seconds: int, limit: int = 1000) -> list[int]:
    cutoff = utcnow() - timedelta(seconds=grace_seconds)
    rows = await Ticket.select(Ticket.id).where(
        (Ticket.status == TicketStatus.RECEIVED.value) & (Ticket.created_at < cutoff)
    ).order_by(Ticket.id).limit(limit)
    return [r["id"] for r in rows]


async def sweep_received(settings: Settings, grace_seconds: int | None = None) -> int:
    """Enqueue every ticket still in `received` after the grace period; returns how many."""
    ids = await stale_received_ids(settings.sweeper_grace_seconds if grace_seconds is None else grace_seconds)
    if not ids:
        return 0
    enqueue_classification(classify_queue(settings), ids)
    log.info("sweeper re-enqueued %d tickets", len(ids))
    return len(ids)
