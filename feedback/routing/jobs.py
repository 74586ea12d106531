"""RQ job of routing: classify and route one ticket (ids only, the row is re-read, idempotent)."""
from __future__ import annotations

import logging
import time

from feedback.jobs.runtime import get_runtime
from feedback.observability import observe_confidence, observe_job
from feedback.routing.service import route_ticket

log = logging.getLogger(__name__)


def classify_ticket(ticket_id: int) -> str:
    """Classify and route one ticket. Safe to run twice: the second run is a no-op."""
    started = time.perf_counter()
    runtime = get_runtime()
    outcome = runtime.run(route_ticket(ticket_id, runtime.classifier, runtime.settings))
    log.info("ticket %s: %s %s %s", ticket_id, outcome.outcome, outcome.category, outcome.confidence)
    observe_job("classify_ticket", time.perf_counter() - started)
    if outcome.outcome != "skipped":
        observe_confidence(outcome.confidence)
    return outcome.outcome
