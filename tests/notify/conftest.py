"""Real delivery targets for notification tests: an SMTP sink (aiosmtpd), an HTTP webhook
receiver (http.server) and a real `feedback` RQ worker in a subprocess."""
from __future__ import annotations

import email
import email.policy
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller

from tests.conftest import ROOT, run_async

WEBHOOK_SECRET = "rahasia-webhook-uji"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _SinkHandler:
    def __init__(self):
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), msg))
        return "250 OK"


@dataclass
class SmtpSink:
    host: str
    port: int
    handler: _SinkHandler

    def to(self, address: str) -> list:
        with self.handler.lock:
            return [m for rcpts, m in self.handler.messages if address in rcpts]

    @property
    def all(self) -> list:
        with self.handler.lock:
            return [m for _, m in self.handler.messages]


@pytest.fixture
def smtp_sink():
    handler = _SinkHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield SmtpSink("127.0.0.1", controller.port, handler)
    finally:
        controller.stop()


@dataclass
class Hit:
    path: str
    headers: dict
    body: bytes
    at: float


@dataclass
class WebhookReceiver:
    base_url: str
    hits: list[Hit] = field(default_factory=list)

    def on(self, path: str) -> list[Hit]:
        return [h for h in list(self.hits) if h.path == path]


@pytest.fixture
def webhook_receiver():
    """/ok answers 204, /fail answers 500, /slow answers after 3 s (past the test timeout)."""
    receiver = WebhookReceiver(base_url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            receiver.hits.append(Hit(self.path, {k.lower(): v for k, v in self.headers.items()}, body, time.monotonic()))
            if self.path == "/slow":
                time.sleep(3)
            status = 500 if self.path == "/fail" else 204
            try:
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    receiver.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()


def subscribed(settings):
    """Notifications follow domain events with these settings (as the app's or the worker's); returns them."""
    from feedback.notify.subscribers import subscribe_notifications

    subscribe_notifications(settings)  # replaces the earlier subscription; tests/conftest.py clears it after the test
    return settings


@pytest.fixture
def notify_settings(settings, smtp_sink):
    """Both database backends; SMTP points at the sink; quick retries (3 attempts, 1 s then 3 s); subscribed."""
    return subscribed(settings.with_overrides(
        smtp_host=smtp_sink.host, smtp_port=smtp_sink.port, webhook_secret=WEBHOOK_SECRET,
        notify_max_attempts=3, notify_retry_intervals=(1, 3), webhook_timeout_seconds=1.0,
    ))


def worker_env(settings) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SMTP_", "WEBHOOK_", "NOTIFY_"))}
    env.update(
        DATABASE_URL=settings.database_url, REDIS_URL=settings.redis_url, QUEUE_NAME=settings.queue_name,
        NOTIFY_QUEUE_NAME=settings.notify_queue_name, SMTP_HOST=settings.smtp_host or "",
        SMTP_PORT=str(settings.smtp_port), WEBHOOK_SECRET=settings.webhook_secret or "",
        NOTIFY_MAX_ATTEMPTS=str(settings.notify_max_attempts),
        NOTIFY_RETRY_INTERVALS=",".join(str(i) for i in settings.notify_retry_intervals),
        WEBHOOK_TIMEOUT_SECONDS=str(settings.webhook_timeout_seconds), BASE_URL=settings.base_url,
        SECRET_KEY=settings.secret_key, SUARA_DATA_DIR=str(settings.data_dir), DB_POOL_MAX="2",
    )
    return env


WORKER_CODE = (
    "from feedback.jobs.worker import run_worker; from feedback.settings import load_settings; "
    "s = load_settings(); run_worker(s, queues=[s.notify_queue_name], preload=False)"
)


@pytest.fixture
def notify_worker(notify_settings, tmp_path):
    """A real RQ worker (with its scheduler, which runs the retries) on the test notify queue."""
    log_path = tmp_path / "worker.log"
    with open(log_path, "wb") as log_file:
        proc = subprocess.Popen([sys.executable, "-c", WORKER_CODE], env=worker_env(notify_settings), cwd=ROOT,
                                stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)  # its own session: the worker and its scheduler child
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(5)
        if os.environ.get("NOTIFY_TEST_SHOW_WORKER_LOG"):
            print(log_path.read_text(errors="replace"))


def wait_for(predicate, timeout: float = 20.0, interval: float = 0.2, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def notification_rows(ticket_id: int | None = None) -> list[dict]:
    from feedback.tables import Notification

    query = Notification.select().order_by(Notification.id)
    if ticket_id is not None:
        query = query.where(Notification.ticket == ticket_id)
    return run_async(query)
