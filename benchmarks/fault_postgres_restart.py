"""Fault scenario: restart PostgreSQL while submissions keep arriving.

    python benchmarks/fault_postgres_restart.py [--rate 20] [--seconds 20]

The web app (one uvicorn process, pooled connections) must keep running: while the database is down,
submissions get a clear 503 and /health/ready reports the outage; afterwards submissions succeed again
without restarting the app, and every submission that was answered 201 exists in the database.
Restarts the machine's PostgreSQL cluster: run it alone, not beside the test suite.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import fresh_database, free_port, start_server, stop  # noqa: E402


def restart_postgres(down_seconds: float) -> None:
    version = sorted(os.listdir("/etc/postgresql"))[0]
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "stop", "-m", "fast"], check=True)
    time.sleep(down_seconds)
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], check=True)


async def drive(base: str, rate: float, seconds: float, log: list, ready_log: list) -> None:
    import httpx

    async with httpx.AsyncClient(timeout=10) as client:
        async def submit(i: int):
            try:
                r = await client.post(f"{base}/api/v1/tickets", json={"kind": "complaint", "text": f"Got mampet di gang {i}, air meluap ke jalan"})
                log.append((time.time(), r.status_code, r.json().get("tracking_code") if r.status_code == 201 else None))
            except httpx.HTTPError as exc:
                log.append((time.time(), type(exc).__name__, None))

        async def probe():
            end = time.time() + seconds
            while time.time() < end:
                try:
                    r = await client.get(f"{base}/health/ready")
                    ready_log.append((time.time(), r.status_code))
                except httpx.HTTPError:
                    ready_log.append((time.time(), "error"))
                await asyncio.sleep(0.5)

        probe_task = asyncio.create_task(probe())
        tasks = []
        start = time.time()
        for i in range(int(rate * seconds)):
            await asyncio.sleep(max(0.0, start + i / rate - time.time()))
            tasks.append(asyncio.create_task(submit(i)))
        await asyncio.gather(*tasks)
        await probe_task


async def stored_codes(db_url: str) -> set[str]:
    import asyncpg

    conn = await asyncpg.connect(db_url)
    try:
        return {r["tracking_code"] for r in await conn.fetch("SELECT tracking_code FROM ticket")}
    finally:
        await conn.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=float, default=20)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--down", type=float, default=4)
    args = parser.parse_args()
    db_url = fresh_database("bench_faults")
    port = free_port()
    env = {"DATABASE_URL": db_url, "REDIS_URL": "redis://127.0.0.1:6379/7", "RATE_LIMIT_PER_MINUTE": "0", "LOG_LEVEL": "WARNING",
           "QUEUE_NAME": "bench-faults", "SUARA_DATA_DIR": tempfile.mkdtemp(prefix="bench-faults-")}
    server = start_server("feedback.app:create_app_from_env", port, env)
    log: list = []
    ready_log: list = []
    restart = threading.Timer(args.seconds / 4, restart_postgres, args=(args.down,))
    try:
        restart.start()
        asyncio.run(drive(f"http://127.0.0.1:{port}", args.rate, args.seconds, log, ready_log))
        restart.join()
        server_alive = server.poll() is None
    finally:
        stop(server)
    accepted = {code for _, status, code in log if status == 201}
    stored = asyncio.run(stored_codes(db_url))
    statuses: dict[str, int] = {}
    for _, status, _ in log:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    last_failure = max((t for t, s, _ in log if s != 201), default=None)
    successes_after = sum(1 for t, s, _ in log if s == 201 and last_failure and t > last_failure)
    print(f"submissions: {len(log)} at {args.rate:.0f}/s; PostgreSQL stopped for {args.down:.0f}s at t={args.seconds / 4:.0f}s")
    print(f"responses by status: {statuses}")
    print(f"readiness: {sum(1 for _, s in ready_log if s == 503)} probes answered 503 during the outage, "
          f"{sum(1 for _, s in ready_log if s == 200)} answered 200")
    print(f"web process still running without restart: {server_alive}; accepted after the last failure: {successes_after}")
    print(f"accepted (201): {len(accepted)}; stored: {len(accepted & stored)}; lost: {len(accepted - stored)}")
    return 0 if not (accepted - stored) and server_alive and successes_after > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
