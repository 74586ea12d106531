"""Start real `feedback worker` processes against the test database and Redis."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from redis import Redis
from rq import Worker

from feedback.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def worker_env(settings: Settings, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": settings.redis_url or "",
        "QUEUE_NAME": settings.queue_name,
        "NOTIFY_QUEUE_NAME": settings.notify_queue_name,
        "SUARA_DATA_DIR": str(settings.data_dir),
        "UPLOAD_DIR": str(settings.upload_dir),
        "SWEEPER_GRACE_SECONDS": str(settings.sweeper_grace_seconds),
        "SWEEPER_INTERVAL_SECONDS": str(settings.sweeper_interval_seconds),
        "SECRET_KEY": settings.secret_key,
        "CLASSIFIER_THREADS": "1",
    }
    env.update(extra)
    return env


def start_worker(settings: Settings, log_path: Path, *args: str, job_delay: float | None = None,
                 **extra_env: str) -> subprocess.Popen:
    """`feedback worker ARGS`; with job_delay each classification first sleeps that long (tests/integration/slow_worker.py)."""
    log = open(log_path, "ab")
    entry = ["feedback.cli"] if job_delay is None else ["tests.integration.slow_worker", str(job_delay)]
    return subprocess.Popen([sys.executable, "-m", *entry, "worker", *args], env=worker_env(settings, **extra_env),
                            stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)


def wait_for_worker(settings: Settings, proc: subprocess.Popen, timeout: float = 90) -> None:
    """Wait until the worker has registered itself with Redis (the model is loaded before that)."""
    conn = Redis.from_url(settings.redis_url)
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"worker exited with {proc.returncode}")
        if any(settings.queue_name in w.queue_names() for w in Worker.all(connection=conn)):
            return
        time.sleep(0.2)
    raise TimeoutError("worker did not start")


def stop_worker(proc: subprocess.Popen, hard: bool = False) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL if hard else signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
