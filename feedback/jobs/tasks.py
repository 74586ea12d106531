"""RQ job functions: small, importable, take ids only, re-read rows, idempotent."""
from __future__ import annotations

import logging
import os

from feedback.jobs.runtime import get_runtime

log = logging.getLogger(__name__)


def classify_ticket(ticket_id: int) -> str:
    """Classify and route one ticket. Safe to run twice: the second run is a no-op."""
    import time

    from feedback.observability import observe_confidence, observe_job
    from feedback.routing.service import route_ticket

    started = time.perf_counter()
    runtime = get_runtime()
    delay = float(os.environ.get("SUARA_TEST_JOB_DELAY", "0") or 0)
    if delay:  # lets fault-tolerance tests kill a worker in the middle of a job
        time.sleep(delay)
    outcome = runtime.run(route_ticket(ticket_id, runtime.classifier, runtime.settings))
    log.info("ticket %s: %s %s %s", ticket_id, outcome.outcome, outcome.category, outcome.confidence)
    observe_job("classify_ticket", time.perf_counter() - started)
    if outcome.outcome != "skipped":
        observe_confidence(outcome.confidence)
    return outcome.outcome


def sweep_received_tickets() -> int:
    from feedback.jobs.sweeper import sweep_received

    runtime = get_runtime()
    return runtime.run(sweep_received(runtime.settings))
