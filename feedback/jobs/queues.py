"""Redis connection, RQ queues and the relay that moves committed tickets onto the queue."""
from __future__ import annotations

import contextlib
import logging
import os
import queue as thread_queue
import signal
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

from redis import Redis
from rq import Queue, Retry

from feedback.settings import Settings

log = logging.getLogger(__name__)

CLASSIFY_JOB = "feedback.routing.jobs.classify_ticket"
CLASSIFY_RETRY = Retry(max=3, interval=[2, 10, 30])
_ID = struct.Struct("<q")
RELAY_LINGER_SECONDS = 0.01


def redis_connection(settings: Settings, **kwargs) -> Redis:
    if not settings.redis_url:
        raise RuntimeError("REDIS_URL is not set (use `feedback run` for an embedded Redis).")
    return _redis_from_url(settings.redis_url, **kwargs)


def _redis_from_url(url: str, **kwargs) -> Redis:
    return Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5, **kwargs)


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
    """Moves committed ticket ids to RQ from a small child process, off the event loop.

    RQ's enqueue is synchronous and costs ~0.1 ms of CPU per job (building the job hash);
    done inline it would block every request on a Redis round trip, and done in a thread
    of the web process it competes for the GIL with the event loop. So `submit` only writes
    the id (8 bytes, one non-blocking syscall) to a pipe read by `python -c ...relay_main()`,
    which batches the ids into `enqueue_many` calls. The child exits when the pipe closes
    (stop, or the web process dies). Where no child can be started, a thread does the same.
    Ids accepted here but lost (process killed, Redis down, pipe full) stay in status
    `received` and the sweeper re-enqueues them.
    """

    RESTART_INTERVAL = 5.0

    def __init__(self, settings: Settings, batch_size: int = 100):
        self.settings = settings
        self.batch_size = batch_size
        self.dropped = 0
        self._proc: subprocess.Popen | None = None
        self._fd: int | None = None
        self._thread_relay: _ThreadRelay | None = None
        self._lock = threading.Lock()
        self._last_spawn = 0.0

    def start(self) -> None:
        """Nothing to do yet: the child is spawned on the first submit (apps that take no ticket pay nothing)."""

    def stop(self, timeout: float = 5.0) -> None:
        with self._lock:
            self._close_child(timeout)
            if self._thread_relay is not None:
                self._thread_relay.stop(timeout)
                self._thread_relay = None

    def submit(self, ticket_id: int) -> None:
        fd = self._fd
        if fd is None or self._proc is None:
            fd = self._ensure_channel()
            if fd is None:
                if self._thread_relay is not None:
                    self._thread_relay.submit(ticket_id)
                else:
                    self._drop(ticket_id, "enqueue relay not running")
                return
        try:
            os.write(fd, _ID.pack(ticket_id))  # 8 bytes < PIPE_BUF: atomic, safe from any thread
        except BlockingIOError:
            self._drop(ticket_id, "enqueue relay pipe full")
        except OSError as exc:  # child gone: start a new one for the next tickets
            with self._lock:
                if self._fd == fd:
                    self._close_child(0)
            self._drop(ticket_id, f"enqueue relay exited ({exc})")

    def _drop(self, ticket_id: int, why: str) -> None:
        self.dropped += 1
        log.warning("%s; ticket %s left for the sweeper", why, ticket_id)

    def _ensure_channel(self) -> int | None:
        with self._lock:
            if self._fd is not None and self._proc is not None:
                return self._fd
            if self._thread_relay is not None:
                return None
            now = time.monotonic()
            if self._last_spawn and now - self._last_spawn < self.RESTART_INTERVAL:
                return None
            self._last_spawn = now
            try:
                self._proc, self._fd = self._spawn()
            except Exception as exc:  # no subprocess here (platform, sandbox): a thread instead
                log.warning("enqueue relay process could not start (%s); using a thread", exc)
                self._thread_relay = _ThreadRelay(self.settings, self.batch_size)
                self._thread_relay.start()
                return None
            return self._fd

    def _spawn(self) -> tuple[subprocess.Popen, int]:
        env = {**os.environ, "SUARA_RELAY_REDIS_URL": self.settings.redis_url or "",
               "SUARA_RELAY_QUEUE": self.settings.queue_name, "SUARA_RELAY_BATCH": str(self.batch_size)}
        root = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
        proc = subprocess.Popen([sys.executable, "-c", "from feedback.jobs.queues import relay_main; relay_main()"],
                                stdin=subprocess.PIPE, env=env, close_fds=True)
        fd = proc.stdin.fileno()
        try:
            os.set_blocking(fd, False)
        except OSError:
            proc.kill()
            proc.wait()
            raise
        with contextlib.suppress(AttributeError, OSError):  # Linux: room for ~128k ids while Redis is slow
            fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, 1 << 20)
        return proc, fd

    def _close_child(self, timeout: float) -> None:
        proc, self._proc, self._fd = self._proc, None, None
        if proc is None:
            return
        with contextlib.suppress(OSError):
            proc.stdin.close()  # EOF: the child enqueues what it has read and exits
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def relay_main() -> None:
    """The relay child: read 8-byte ticket ids from stdin until EOF, enqueue them in batches."""
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    url, queue_name = os.environ["SUARA_RELAY_REDIS_URL"], os.environ["SUARA_RELAY_QUEUE"]
    batch_size = int(os.environ.get("SUARA_RELAY_BATCH", "100"))
    with contextlib.suppress(AttributeError, ValueError):
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: finish via EOF
    fd = sys.stdin.fileno()
    q: Queue | None = None
    pending = b""
    while True:
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return
        pending += chunk
        usable = len(pending) - len(pending) % _ID.size
        ids = [value for (value,) in _ID.iter_unpack(pending[:usable])]
        pending = pending[usable:]
        for i in range(0, len(ids), batch_size):
            batch = ids[i:i + batch_size]
            try:
                if q is None:
                    q = Queue(queue_name, connection=_redis_from_url(url))
                enqueue_classification(q, batch)
            except Exception as exc:
                q = None
                log.warning("enqueue of %d tickets failed, sweeper will retry: %s", len(batch), exc)
                time.sleep(0.5)
        if len(ids) < batch_size:
            # Let a few more ids arrive: a job costs ~3x more CPU in batches of 1 than of 20+.
            time.sleep(RELAY_LINGER_SECONDS)


class _ThreadRelay:
    """The same relay as a thread of this process (fallback where no child process can run)."""

    def __init__(self, settings: Settings, batch_size: int = 100):
        self.settings = settings
        self.batch_size = batch_size
        self._pending: thread_queue.Queue[int | None] = thread_queue.Queue(maxsize=100_000)
        self._thread: threading.Thread | None = None

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
            except Exception as exc:
                q = None
                log.warning("enqueue of %d tickets failed, sweeper will retry: %s", len(batch), exc)
                time.sleep(0.5)
