"""RQ job functions of the queue itself: small, importable, idempotent.

Domain jobs live with their domain (routing.jobs, notify.jobs, intake.email_jobs, quality.sla_jobs).
"""
from __future__ import annotations

from feedback.jobs.runtime import get_runtime


def sweep_received_tickets() -> int:
    """Periodic (feedback.jobs.schedule): re-enqueue tickets stuck in `received`."""
    from feedback.jobs.sweeper import sweep_received

    runtime = get_runtime()
    return runtime.run(sweep_received(runtime.settings))
