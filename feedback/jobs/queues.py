"""Redis connection, RQ queues and the relay that moves committed tickets onto the queue."""
from __future__ import annotations

import logging
import queue as thread_queue
import threading
import time

from redis import Redis
from rq import Queue, Retry

from feedback.settings import Settings

log = logging.getLogger(__name__)

CLASSIFY_JOB = "feedback.jobs.tasks.classify_ticket"
CLASSIFY_RETRY = Retry(max=3, interval=[2, 10, 30])


def redis_connection(settings: Settings, **kwargs) -> Redis:
    if not settings.redis_url:
        raise RuntimeError("REDIS_URL is not set (use `feedback run` for an embedded Redis).")
    return Redis.from_url(settings.redis_url, socket_connect_timeout=2, socket_timeout=5, **kwargs)


def classify_queue(settings: Settings, connection: Redis | None = None) -> Queue:
    return Queue(settings.queue_name, connection=connection or redis_connection(settings))


def notify_queue(settings: Settings, connection: Redis | None = None) -> Queue:
    return Queue(settings.notify_queue_name, connection=connection or redis_connection(settings))


def classify_job_id(ticket_id: int) -> str:
    # A fixed id per ticket: re-enqueueing a ticket replaces its job instead of piling up.
    return f"classify-{ticket_id}"


def enqueue_classification(q: Queue, ticket_ids: list[int]) -> None:
    """Enqueue classification jobs for these tickets in one round trip (raises on Redis errors)."""
    jobs = [
        Queue.prepare_data(
            CLASSIFY_JOB, args=(tid,), job_id=classify_job_id(tid), retry=CLASSIFY_RETRY,
            result_ttl=300, failure_ttl=7 * 24 * 3600, timeout=120,
        )
        for tid in ticket_ids
    ]
    q.enqueue_many(jobs)


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


class RelayDispatcher:
    """Moves committed ticket ids to RQ from a background thread, off the event loop.

    RQ's enqueue is synchronous; doing it inline would block every request on a Redis
    round trip. Ids accepted here but lost (process killed, Redis down) stay in
    status `received` and the sweeper re-enqueues them.
    """

    def __init__(self, settings: Settings, batch_size: int = 100):
        self.settings = settings
        self.batch_size = batch_size
        self._pending: thread_queue.Queue[int | None] = thread_queue.Queue(maxsize=100_000)
        self._thread: threading.Thread | None = None
        self.enqueued = 0
        self.failed = 0

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="enqueue-relay", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        if self._thread is not None:
            self._pending.put(None)
            self._thread.join(timeout)
            self._thread = None

    def submit(self, ticket_id: int) -> None:
        try:
            self._pending.put_nowait(ticket_id)
        except thread_queue.Full:
            log.warning("enqueue relay full; ticket %s left for the sweeper", ticket_id)

    def _run(self) -> None:
        q: Queue | None = None
        while True:
            first = self._pending.get()
            if first is None:
                return
            batch = [first]
            while len(batch) < self.batch_size:
                try:
                    item = self._pending.get_nowait()
                except thread_queue.Empty:
                    break
                if item is None:
                    self._pending.put(None)
                    break
                batch.append(item)
            try:
                if q is None:
                    q = classify_queue(self.settings)
                enqueue_classification(q, batch)
                self.enqueued += len(batch)
            except Exception as exc:
                self.failed += len(batch)
                q = None
                log.warning("enqueue of %d tickets failed, sweeper will retry: %s", len(batch), exc)
                time.sleep(0.5)
