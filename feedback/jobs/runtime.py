"""Per-process state for RQ jobs: settings, database engine, one event loop, the model."""
from __future__ import annotations

import asyncio
import logging
import os
import threading
from typing import Any, Awaitable, TypeVar

from feedback.db import bind_tables, engine_from_url, start_pool
from feedback.settings import Settings, load_settings

log = logging.getLogger(__name__)
T = TypeVar("T")


class JobRuntime:
    """Created once per worker process; jobs re-use its loop, pool and loaded model."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.loop = asyncio.new_event_loop()
        self.engine = engine_from_url(settings.database_url)
        bind_tables(self.engine)
        self.run(start_pool(self.engine, 1, max(2, min(settings.db_pool_max, 4))))
        self._classifier: Any = None
        self._classifier_error: str | None = None
        self._lock = threading.Lock()

    def run(self, coro: Awaitable[T]) -> T:
        return self.loop.run_until_complete(coro)

    @property
    def classifier(self):
        """The classifier, loaded on first use; None (tickets go to triage) if no model is available."""
        with self._lock:
            if self._classifier is None and self._classifier_error is None:
                try:
                    from classifiers import load_classifier

                    self._classifier = load_classifier(self.settings.classifier_model)
                    _limit_torch_threads(self.settings.classifier_threads)
                except Exception as exc:
                    self._classifier_error = f"{type(exc).__name__}: {exc}"
                    log.error("classifier unavailable, tickets will go to triage: %s", self._classifier_error)
            return self._classifier


def _limit_torch_threads(threads: int) -> None:
    """Workers scale by processes: CLASSIFIER_THREADS (default 1) torch threads each, so cores are not oversubscribed."""
    if threads > 0:
        import torch

        torch.set_num_threads(threads)


_runtime: JobRuntime | None = None


def get_runtime() -> JobRuntime:
    global _runtime
    if _runtime is None or _runtime_pid != os.getpid():
        _set_runtime(JobRuntime(load_settings()))
    return _runtime  # type: ignore[return-value]


_runtime_pid: int | None = None


def _set_runtime(runtime: JobRuntime) -> None:
    global _runtime, _runtime_pid
    _runtime = runtime
    _runtime_pid = os.getpid()


def init_runtime(settings: Settings) -> JobRuntime:
    _set_runtime(JobRuntime(settings))
    return _runtime  # type: ignore[return-value]
