"""The worker's periodic jobs, as data: one list, read by `run_worker` at start-up.

Jobs are named by their RQ path (RQ imports a job where it runs), so this module imports no
domain package; the worker imports every path when it starts and refuses to start if one fails.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from feedback.settings import Settings


@dataclass(frozen=True)
class PeriodicJob:
    name: str  # also its lock in Redis: suara:periodic:<name>
    job_path: str
    interval: Callable[[Settings], int | None]  # seconds; None: not scheduled with these settings

    def seconds(self, settings: Settings) -> int | None:
        interval = self.interval(settings)
        return None if interval is None else max(1, int(interval))


SCHEDULE: tuple[PeriodicJob, ...] = (
    PeriodicJob("sweep", "feedback.jobs.tasks.sweep_received_tickets", lambda s: s.sweeper_interval_seconds),
    PeriodicJob("notify-pending", "feedback.notify.jobs.resend_pending_job", lambda s: 60),
    PeriodicJob("imap", "feedback.intake.email_jobs.poll_imap_job", lambda s: 60 if s.imap_host else None),
    PeriodicJob("sla", "feedback.quality.sla_jobs.scan_sla_breaches_job", lambda s: 300),
)
