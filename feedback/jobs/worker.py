"""`feedback worker`: a non-forking RQ worker with the model preloaded, plus the periodic jobs of the schedule."""
from __future__ import annotations

import importlib
import importlib.util
import logging
import threading
from collections.abc import Sequence

from rq import SimpleWorker

from feedback.jobs.queues import redis_connection
from feedback.jobs.runtime import init_runtime
from feedback.jobs.schedule import SCHEDULE, PeriodicJob
from feedback.settings import Settings

log = logging.getLogger(__name__)
ML_PACKAGES = ("torch", "transformers", "tokenizers", "safetensors")


class MissingMLExtra(RuntimeError):
    """The worker classifies with torch, which only the `ml` extra installs."""


def require_ml_packages() -> None:
    """Stop at start-up, with the install command, when the `ml` extra is missing (the web tier never needs it)."""
    missing = [name for name in ML_PACKAGES if _find_spec(name) is None]
    if missing:
        raise MissingMLExtra(
            f"the worker needs {', '.join(missing)} to classify tickets: "
            "install the ML extra with `pip install 'suara-warga[ml]'` "
            "(install the CPU build of torch first; see the README)")


def _find_spec(name: str):
    try:
        return importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None


def check_schedule(schedule: Sequence[PeriodicJob]) -> None:
    """Import every periodic job now: one that cannot be imported stops the worker at start-up with its error."""
    for job in schedule:
        module_name, _, attribute = job.job_path.rpartition(".")
        function = getattr(importlib.import_module(module_name), attribute, None)  # ImportError propagates
        if not callable(function):
            raise TypeError(f"periodic job {job.name!r}: {job.job_path} is not a function")


def _periodic_loop(settings: Settings, schedule: Sequence[PeriodicJob], stop: threading.Event) -> None:
    from rq import Queue

    conn = redis_connection(settings)
    while not stop.is_set():
        for job in schedule:
            interval = job.seconds(settings)
            if interval is None:
                continue
            try:
                # A short-lived lock per interval: many workers, one enqueue.
                if conn.set(f"suara:periodic:{job.name}", "1", nx=True, ex=interval):
                    Queue(settings.queue_name, connection=conn).enqueue(job.job_path, job_timeout=600, result_ttl=60)
            except Exception as exc:
                log.warning("periodic job %s not enqueued: %s", job.name, exc)
        stop.wait(1.0)


def run_worker(settings: Settings, *, burst: bool = False, queues: list[str] | None = None, preload: bool = True,
               schedule: Sequence[PeriodicJob] = SCHEDULE) -> None:
    """Work the queues; outside burst mode also enqueue the schedule's periodic jobs.

    Domain-event subscribers (notifications) are the caller's to wire: `feedback.cli.main` does.
    """
    require_ml_packages()
    check_schedule(schedule)
    runtime = init_runtime(settings)
    if preload:
        runtime.classifier  # load torch and the model once, before the first job
    from feedback.observability import start_worker_metrics_server

    start_worker_metrics_server(settings)
    conn = redis_connection(settings)
    names = queues or [settings.queue_name, settings.notify_queue_name]
    stop = threading.Event()
    if not burst:
        threading.Thread(target=_periodic_loop, args=(settings, schedule, stop), daemon=True, name="periodic").start()
    worker = SimpleWorker(names, connection=conn)
    try:
        worker.work(burst=burst, with_scheduler=True, logging_level="INFO")
    finally:
        stop.set()
