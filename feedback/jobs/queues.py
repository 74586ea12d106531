"""Redis connection, RQ queues, the jobs that take one row id, and the thread relay that enqueues them."""
from __future__ import annotations

import logging
import os
import queue as thread_queue
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from redis import Redis
from rq import Queue, Retry

from feedback.settings import Settings

log = logging.getLogger(__name__)

CLASSIFY_JOB = "feedback.routing.jobs.classify_ticket"
CLASSIFY_RETRY = Retry(max=3, interval=[2, 10, 30])


def redis_connection(settings: Settings, **kwargs) -> Redis:
    if not settings.redis_url:
        raise RuntimeError("REDIS_URL is not set (use `feedback run` for an embedded Redis).")
    return redis_from_url(settings.redis_url, **kwargs)


def redis_from_url(url: str, **kwargs) -> Redis:
    return Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5, **kwargs)


def classify_queue(settings: Settings, connection: Redis | None = None) -> Queue:
    return Queue(settings.queue_name, connection=connection or redis_connection(settings))


def notify_queue(settings: Settings, connection: Redis | None = None) -> Queue:
    return Queue(settings.notify_queue_name, connection=connection or redis_connection(settings))


@dataclass(frozen=True)
class IdJob:
    """An RQ job that takes one row id: its function path, a fixed job id per row, retries, limits."""

    func: str
    id_prefix: str
    retry: Retry | None = None
    timeout: int = 120
    result_ttl: int = 300
    failure_ttl: int = 7 * 24 * 3600

    def job_id(self, row_id: int) -> str:
        # A fixed id per row: re-enqueueing a row replaces its job instead of piling up.
        return f"{self.id_prefix}-{row_id}"


CLASSIFY = IdJob(CLASSIFY_JOB, "classify", CLASSIFY_RETRY)


def enqueue_ids(q: Queue, job: IdJob, ids: Iterable[int]) -> None:
    """One `job` per id, in one round trip (raises on Redis errors)."""
    prepared = [
        Queue.prepare_data(
            job.func, args=(row_id,), job_id=job.job_id(row_id), retry=job.retry,
            result_ttl=job.result_ttl, failure_ttl=job.failure_ttl, timeout=job.timeout,
        )
        for row_id in ids
    ]
    if prepared:
        q.enqueue_many(prepared)


def classify_job_id(ticket_id: int) -> str:
    return CLASSIFY.job_id(ticket_id)


def enqueue_classification(q: Queue, ticket_ids: list[int]) -> None:
    """Enqueue classification jobs for these tickets in one round trip (raises on Redis errors)."""
    enqueue_ids(q, CLASSIFY, ticket_ids)


class DirectDispatcher:
    """Enqueue synchronously (CLI, worker, tests). Failures are logged; the sweeper retries."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._queue: Queue | None = None

    def submit(self, ticket_id: int) -> None:
        try:
            if self._queue is None:
                self._queue = classify_queue(self.settings)
            enqueue_classification(self._queue, [ticket_id])
        except Exception as exc:  # Redis down: the ticket is safe in the database
            log.warning("enqueue of ticket %s failed, sweeper will retry: %s", ticket_id, exc)


EnqueueFunction = Callable[[Settings, list[int], Redis], None]


class EnqueueRelay:
    """A thread of this process that hands row ids to RQ in batches, so callers never wait on Redis.

    `submit(settings, ids)` only puts the ids on an in-memory queue; the thread joins what is
    waiting for the same settings into batches of up to `batch_size` and calls `enqueue(settings,
    ids, connection)` (one Redis connection per URL, reopened after a failure). Ids lost here
    (queue full, Redis down, process killed) are still waiting in the database, and the periodic
    job named by `recovered_by` queues them again. The thread starts on first use and again
    after a fork.
    """

    FAILURE_PAUSE = 0.5  # Redis down: wait before the next batch instead of spinning on refusals

    def __init__(self, name: str, enqueue: EnqueueFunction, *, recovered_by: str,
                 batch_size: int = 100, maxsize: int = 100_000):
        self.name = name
        self.recovered_by = recovered_by
        self.batch_size = batch_size
        self._enqueue = enqueue
        self._items: thread_queue.Queue[tuple[Settings, list[int]] | None] = thread_queue.Queue(maxsize=maxsize)
        self._thread: threading.Thread | None = None
        self._pid: int | None = None
        self._lock = threading.Lock()
        self._connections: dict[str, Redis] = {}

    def submit(self, settings: Settings, ids: list[int]) -> None:
        self._ensure_thread()
        try:
            self._items.put_nowait((settings, list(ids)))
        except thread_queue.Full:
            log.warning("%s full; ids %s left for %s", self.name, ids, self.recovered_by)

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until everything submitted so far was handed to Redis (or failed); tests, shutdown."""
        deadline = time.monotonic() + timeout
        while self._items.unfinished_tasks and time.monotonic() < deadline:
            time.sleep(0.01)
        return not self._items.unfinished_tasks

    def stop(self, timeout: float = 5.0) -> None:
        """Enqueue what was submitted, then end the thread."""
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None and thread.is_alive():
            self._items.put(None)
            thread.join(timeout)

    def _ensure_thread(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive() or self._pid != os.getpid():
                self._pid = os.getpid()
                self._connections = {}
                self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
                self._thread.start()

    def _run(self) -> None:
        carried: tuple[Settings, list[int]] | None = None
        while True:
            item = carried if carried is not None else self._items.get()
            carried = None
            if item is None:
                self._items.task_done()
                return
            settings, ids = item
            taken = 1
            while len(ids) < self.batch_size:  # join what else waits for the same settings
                try:
                    following = self._items.get_nowait()
                except thread_queue.Empty:
                    break
                if following is None or following[0] is not settings:
                    carried = following
                    break
                ids = ids + following[1]
                taken += 1
            delivered = self._deliver(settings, ids)
            for _ in range(taken):
                self._items.task_done()
            if not delivered:
                time.sleep(self.FAILURE_PAUSE)

    def _deliver(self, settings: Settings, ids: list[int]) -> bool:
        key = settings.redis_url or ""
        try:
            connection = self._connections.get(key)
            if connection is None:
                connection = self._connections[key] = redis_connection(settings)
            self._enqueue(settings, ids, connection)
            return True
        except Exception as exc:  # the rows are safe in the database, still waiting
            self._connections.pop(key, None)
            log.warning("%s: enqueue of ids %s failed, %s will retry: %s", self.name, ids, self.recovered_by, exc)
            return False


def _enqueue_classification_on(settings: Settings, ids: list[int], connection: Redis) -> None:
    enqueue_classification(classify_queue(settings, connection), ids)


def classification_relay(batch_size: int = 100) -> EnqueueRelay:
    """The thread relay for classification jobs (where no relay process can run)."""
    return EnqueueRelay("classify-relay", _enqueue_classification_on, recovered_by="the sweeper", batch_size=batch_size)
