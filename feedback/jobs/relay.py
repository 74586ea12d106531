"""The enqueue relay process: committed ticket ids go to RQ from a small child process, off the event loop."""
from __future__ import annotations

import contextlib
import json
import logging
import os
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

from rq import Queue

from feedback.jobs.queues import EnqueueRelay, classification_relay, enqueue_classification, redis_from_url
from feedback.settings import Settings, child_environ

log = logging.getLogger(__name__)

_ID = struct.Struct("<q")
_CONFIG_LENGTH = struct.Struct("<I")  # the configuration message's length, before its JSON
RELAY_LINGER_SECONDS = 0.01


class RelayDispatcher:
    """Moves committed ticket ids to RQ from a small child process, off the event loop.

    RQ's enqueue is synchronous and costs ~0.1 ms of CPU per job (building the job hash);
    done inline it would block every request on a Redis round trip, and done in a thread
    of the web process it competes for the GIL with the event loop. So `submit` only writes
    the id (8 bytes, one non-blocking syscall) to a pipe read by `python -c ...relay_main()`,
    which batches the ids into `enqueue_many` calls. The child's configuration (Redis URL, queue,
    batch size, log level) is the first message on that pipe: nothing in argv (the URL may hold a
    password) and nothing for it to read from the environment. The child exits when the pipe closes
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
        self._thread_relay: EnqueueRelay | None = None
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
                    self._thread_relay.submit(self.settings, [ticket_id])
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
                self._thread_relay = classification_relay(self.batch_size)
                return None
            return self._fd

    def _spawn(self) -> tuple[subprocess.Popen, int]:
        env = child_environ()
        root = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
        proc = subprocess.Popen([sys.executable, "-c", "from feedback.jobs.relay import relay_main; relay_main()"],
                                stdin=subprocess.PIPE, env=env, close_fds=True)
        fd = proc.stdin.fileno()
        config = json.dumps({"redis_url": self.settings.redis_url or "", "queue": self.settings.queue_name,
                             "batch_size": self.batch_size, "log_level": self.settings.log_level}).encode()
        try:
            os.write(fd, _CONFIG_LENGTH.pack(len(config)) + config)  # an empty pipe: never blocks
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


def _read_exactly(fd: int, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = os.read(fd, size - len(data))
        if not chunk:
            raise EOFError(f"relay configuration cut short ({len(data)} of {size} bytes)")
        data += chunk
    return data


def relay_main() -> None:
    """The relay child: read its configuration, then 8-byte ticket ids from stdin until EOF; enqueue them in batches."""
    with contextlib.suppress(AttributeError, ValueError):
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: finish via EOF
    fd = sys.stdin.fileno()
    try:
        (length,) = _CONFIG_LENGTH.unpack(_read_exactly(fd, _CONFIG_LENGTH.size))
    except EOFError:
        return  # closed before it was configured: nothing to do
    config = json.loads(_read_exactly(fd, length))
    logging.basicConfig(level=config["log_level"], format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    url, queue_name, batch_size = config["redis_url"], config["queue"], int(config["batch_size"])
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
                    q = Queue(queue_name, connection=redis_from_url(url))
                enqueue_classification(q, batch)
            except Exception as exc:
                q = None
                log.warning("enqueue of %d tickets failed, sweeper will retry: %s", len(batch), exc)
                time.sleep(0.5)
        if len(ids) < batch_size:
            # Let a few more ids arrive: a job costs ~3x more CPU in batches of 1 than of 20+.
            time.sleep(RELAY_LINGER_SECONDS)
