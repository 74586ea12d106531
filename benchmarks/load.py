"""Bounded mixed load on loopback: citizens submit and track, staff list and resolve.

    python benchmarks/load.py [--web 2] [--workers 2] [--seconds 20] [--citizens 16] [--staff 2]
    python benchmarks/load.py --scale          # throughput with 1, 2, 4 web processes × 1, 2 workers

Runs the app on PostgreSQL with several uvicorn processes and RQ workers, drives the mix for a fixed
time, then waits for the queue to drain and checks that every accepted submission is stored and
routed (or in triage). Prints throughput, p50/p99 per action, errors and the loss count (must be 0).
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import COMPLAINT_TEXTS, ROOT, fresh_database, free_port, percentile, stop, wait_http  # noqa: E402

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
LOGIN_CSRF_RE = re.compile(r'name="(?:login_csrf|csrf_token)" value="([^"]+)"')
TICKET_RE = re.compile(r'/admin/tickets/(\d+)"')


class Recorder:
    def __init__(self) -> None:
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)

    async def timed(self, action: str, coro):
        start = time.perf_counter()
        try:
            resp = await coro
        except Exception:
            self.errors[action] += 1
            self.latency[action].append(time.perf_counter() - start)
            return None
        self.latency[action].append(time.perf_counter() - start)
        if resp.status_code >= 400:
            self.errors[action] += 1
        return resp


async def citizen(base: str, until: float, rec: Recorder, accepted: list[str], idx: int) -> None:
    import httpx

    async with httpx.AsyncClient(base_url=base, timeout=15) as client:
        i = 0
        while time.time() < until:
            body = {"kind": "complaint", "text": f"{COMPLAINT_TEXTS[(idx + i) % len(COMPLAINT_TEXTS)]} (warga {idx}-{i})"}
            resp = await rec.timed("submit", client.post("/api/v1/tickets", json=body))
            if resp is not None and resp.status_code == 201:
                code = resp.json()["tracking_code"]
                accepted.append(code)
                await rec.timed("track", client.get(f"/api/v1/tickets/{code}"))
            i += 1


async def staff(base: str, until: float, rec: Recorder, password: str) -> None:
    import httpx

    async with httpx.AsyncClient(base_url=base, timeout=15, follow_redirects=False) as client:
        page = await client.get("/admin/login")
        token = LOGIN_CSRF_RE.search(page.text)
        form = {"username": "admin", "password": password, **({"csrf_token": token.group(1), "login_csrf": token.group(1)} if token else {})}
        login = await client.post("/admin/login", data=form)
        if login.status_code != 303:
            rec.errors["login"] += 1
            return
        while time.time() < until:
            inbox = await rec.timed("staff_list", client.get("/admin/inbox", params={"status": "routed"}))
            if inbox is None or inbox.status_code != 200:
                await asyncio.sleep(0.2)
                continue
            csrf = CSRF_RE.search(inbox.text)
            ids = TICKET_RE.findall(inbox.text)
            if not ids or not csrf:
                await asyncio.sleep(0.2)
                continue
            # Two staff may pick the same ticket: the loser gets 409 (a conflict, counted apart from errors).
            resp = await rec.timed("staff_resolve", client.post(f"/admin/tickets/{random.choice(ids)}/status",
                                                                data={"status": "resolved", "note": "Sudah ditangani", "csrf_token": csrf.group(1)}))
            if resp is not None and resp.status_code == 409:
                rec.errors["staff_resolve"] -= 1
                rec.errors["staff_resolve_conflict"] += 1


async def db_check(db_url: str, codes: list[str]) -> dict:
    import asyncpg

    conn = await asyncpg.connect(db_url)
    try:
        rows = await conn.fetch("SELECT tracking_code, status FROM ticket WHERE tracking_code = ANY($1::text[])", codes)
    finally:
        await conn.close()
    found = {r["tracking_code"]: r["status"] for r in rows}
    return {"missing": [c for c in codes if c not in found], "unrouted": [c for c, s in found.items() if s == "received"]}


def run_once(web: int, workers: int, seconds: float, citizens: int, staff_users: int, quiet: bool = False) -> dict:
    db_url = fresh_database("bench_load")
    data_dir = tempfile.mkdtemp(prefix="bench-load-")
    env = {**os.environ, "DATABASE_URL": db_url, "REDIS_URL": "redis://127.0.0.1:6379/4", "QUEUE_NAME": "bench-load",
           "NOTIFY_QUEUE_NAME": "bench-load-notify", "RATE_LIMIT_PER_MINUTE": "0", "LOG_LEVEL": "WARNING",
           "SUARA_DATA_DIR": data_dir, "SECRET_KEY": "bench-load-secret", "DB_POOL_MAX": "8", "CLASSIFIER_THREADS": "1"}
    subprocess.run(["redis-cli", "-n", "4", "flushdb"], stdout=subprocess.DEVNULL, check=False)
    port = free_port()
    procs = [subprocess.Popen([sys.executable, "-m", "feedback.cli", "worker"], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(workers)]
    procs.append(subprocess.Popen([sys.executable, "-m", "feedback.cli", "web", "--port", str(port), "--workers", str(web)],
                                  env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    base = f"http://127.0.0.1:{port}"
    rec = Recorder()
    accepted: list[str] = []
    try:
        wait_http(f"{base}/health/live")
        time.sleep(6)  # workers load the model

        async def drive():
            until = time.time() + seconds
            await asyncio.gather(*(citizen(base, until, rec, accepted, i) for i in range(citizens)),
                                 *(staff(base, until, rec, "bench-admin-pass") for _ in range(staff_users)))

        started = time.time()
        asyncio.run(drive())
        elapsed = time.time() - started
        deadline = time.time() + 90
        while True:
            check = asyncio.run(db_check(db_url, accepted))
            if not check["unrouted"] or time.time() > deadline:
                break
            time.sleep(1)
    finally:
        for proc in procs:
            stop(proc)
    total = sum(len(v) for v in rec.latency.values())
    result = {"web": web, "workers": workers, "elapsed": elapsed, "rps": total / elapsed,
              "submit_rps": len(rec.latency["submit"]) / elapsed, "accepted": len(accepted),
              "missing": len(check["missing"]), "unrouted": len(check["unrouted"]), "rec": rec}
    if not quiet:
        print(f"{web} web process(es), {workers} worker(s), {citizens} citizens + {staff_users} staff for {seconds:.0f}s on PostgreSQL")
        print(f"throughput: {result['rps']:.1f} requests/s overall, {result['submit_rps']:.1f} submissions/s")
        for action in ("submit", "track", "staff_list", "staff_resolve"):
            lat = rec.latency.get(action, [])
            if lat:
                print(f"  {action:14s} n={len(lat):6d}  p50 {percentile(lat, 0.5) * 1000:7.1f} ms  p99 {percentile(lat, 0.99) * 1000:7.1f} ms  errors {rec.errors.get(action, 0)}"
                      + (f"  conflicts {rec.errors['staff_resolve_conflict']}" if action == "staff_resolve" else ""))
        if rec.errors.get("login"):
            print("  staff login failed")
        print(f"accepted submissions: {len(accepted)}; missing from database: {result['missing']}; "
              f"never routed: {result['unrouted']}; LOST: {result['missing'] + result['unrouted']}")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--web", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--citizens", type=int, default=16)
    parser.add_argument("--staff", type=int, default=2)
    parser.add_argument("--scale", action="store_true", help="measure 1/2/4 web processes × 1/2 workers")
    args = parser.parse_args()
    if not args.scale:
        result = run_once(args.web, args.workers, args.seconds, args.citizens, args.staff)
        return 0 if result["missing"] + result["unrouted"] == 0 else 1
    print("web  workers  requests/s  submissions/s  accepted  lost")
    lost = 0
    for web in (1, 2, 4):
        for workers in (1, 2):
            r = run_once(web, workers, args.seconds, args.citizens, args.staff, quiet=True)
            lost += r["missing"] + r["unrouted"]
            print(f"{web:3d}  {workers:7d}  {r['rps']:10.1f}  {r['submit_rps']:13.1f}  {r['accepted']:8d}  {r['missing'] + r['unrouted']:4d}", flush=True)
    return 0 if lost == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
