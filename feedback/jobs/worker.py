"""`feedback worker`: a non-forking RQ worker with the model preloaded, plus periodic jobs."""
from __future__ import annotations

import logging
import os
import threading
import time
from typing import Callable

from rq import SimpleWorker

from feedback.jobs.queues import redis_connection
from feedback.jobs.runtime import init_runtime
from feedback.settings import Settings

log = logging.getLogger(__name__)

# name → (interval seconds, job path). Each is enqueued by at most one worker per interval.
PERIODIC_JOBS: dict[str, tuple[Callable[[Settings], int], str]] = {
    "sweep": (lambda s: s.sweeper_interval_seconds, "feedback.jobs.tasks.sweep_received_tickets"),
}


def register_periodic(name: str, interval: Callable[[Settings], int], job_path: str) -> None:
    PERIODIC_JOBS[name] = (interval, job_path)


def _periodic_loop(settings: Settings, stop: threading.Event) -> None:
    from rq import Queue

    conn = redis_connection(settings)
    while not stop.is_set():
        for name, (interval_of, job_path) in list(PERIODIC_JOBS.items()):
            interval = max(1, int(interval_of(settings)))
            try:
                # A short-lived lock per interval: many workers, one enqueue.
                if conn.set(f"suara:periodic:{name}", "1", nx=True, ex=interval):
                    Queue(settings.queue_name, connection=conn).enqueue(job_path, job_timeout=600, result_ttl=60)
            except Exception as exc:
                log.warning("periodic job %s not enqueued: %s", name, exc)
        stop.wait(1.0)


def run_worker(settings: Settings, *, burst: bool = False, queues: list[str] | None = None, preload: bool = True) -> None:
    import feedback.notify.jobs  # noqa: F401  registers the notify-pending periodic job
    import feedback.intake.email_jobs  # noqa: F401  registers the imap poll periodic job
    from feedback.quality.sla_jobs import register as register_sla_scan

    register_sla_scan()
    # Workers scale by processes; one torch thread each avoids oversubscribing the cores.
    os.environ.setdefault("CLASSIFIER_THREADS", "1")
    runtime = init_runtime(settings)
    if preload:
        runtime.classifier  # load torch and the model once, before the first job
    from feedback.observability import start_worker_metrics_server

    start_worker_metrics_server()
    conn = redis_connection(settings)
    names = queues or [settings.queue_name, settings.notify_queue_name]
    stop = threading.Event()
    if not burst:
        threading.Thread(target=_periodic_loop, args=(settings, stop), daemon=True, name="periodic").start()
    worker = SimpleWorker(names, connection=conn)
    try:
        worker.work(burst=burst, with_scheduler=True, logging_level="INFO")
    finally:
        stop.set()
