"""Classifier speed and end-to-end routing latency.

    python benchmarks/classify.py [--rate 20] [--seconds 15] [--workers 1]

Part 1 (model): texts/s at batch 1 and 32 with 2 threads, p50/p95 per-text latency (benchmarks/classify_model.py).
Part 2 (system): the app on PostgreSQL with real RQ workers; submissions at a fixed rate through the API;
submit → routed latency is the time from the ticket's creation to its first status change (routed or
triage), both written by the database clock; prints p50/p95, and the workers' peak RSS (VmHWM).
"""
from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import COMPLAINT_TEXTS, ROOT, fresh_database, free_port, open_loop, percentile, start_server, stop  # noqa: E402



def peak_rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except FileNotFoundError:
        pass
    return float("nan")


async def latencies_from_db(db_url: str) -> list[float]:
    import asyncpg

    conn = await asyncpg.connect(db_url)
    try:
        rows = await conn.fetch(
            "SELECT EXTRACT(EPOCH FROM (MIN(e.created_at) - t.created_at)) AS seconds, t.status "
            "FROM ticket t LEFT JOIN ticket_event e ON e.ticket = t.id AND e.event_type = 'status_changed' GROUP BY t.id")
    finally:
        await conn.close()
    return [float(r["seconds"]) if r["seconds"] is not None else float("inf") for r in rows]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=float, default=20)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--skip-model", action="store_true")
    args = parser.parse_args()

    if not args.skip_model:
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "classify_model.py")], check=True, cwd=ROOT)

    db_url = fresh_database("bench_classify")
    env = {**os.environ, "DATABASE_URL": db_url, "REDIS_URL": "redis://127.0.0.1:6379/8", "QUEUE_NAME": "bench-classify",
           "NOTIFY_QUEUE_NAME": "bench-notify", "RATE_LIMIT_PER_MINUTE": "0", "LOG_LEVEL": "WARNING",
           "SUARA_DATA_DIR": tempfile.mkdtemp(prefix="bench-classify-"), "CLASSIFIER_THREADS": "1"}
    subprocess.run(["redis-cli", "-n", "8", "flushdb"], stdout=subprocess.DEVNULL, check=False)
    workers = [subprocess.Popen([sys.executable, "-m", "feedback.cli", "worker"], env=env, cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(args.workers)]
    port = free_port()
    server = start_server("feedback.app:create_app_from_env", port, env)
    try:
        time.sleep(8)  # workers import torch and load the model before taking jobs
        result = asyncio.run(open_loop("POST", f"http://127.0.0.1:{port}/api/v1/tickets", rate=args.rate, seconds=args.seconds,
                                       body_factory=lambda i: {"kind": "complaint", "text": f"{COMPLAINT_TEXTS[i % len(COMPLAINT_TEXTS)]} (laporan {i})"}))
        deadline = time.time() + 30
        while time.time() < deadline:
            lat = asyncio.run(latencies_from_db(db_url))
            if lat and all(x != float("inf") for x in lat):
                break
            time.sleep(0.5)
        rss = [peak_rss_mb(w.pid) for w in workers]
    finally:
        stop(server)
        for w in workers:
            stop(w)
    done = [x for x in lat if x != float("inf")]
    print(f"end to end: {result['requests']} submissions at {args.rate:.0f}/s, {args.workers} worker(s); "
          f"intake errors {result['errors']}; routed or triaged {len(done)}/{len(lat)}")
    print(f"submit -> routed latency: p50 {percentile(done, 0.5) * 1000:.0f} ms  p95 {percentile(done, 0.95) * 1000:.0f} ms  "
          f"max {max(done) * 1000:.0f} ms  (target p95 < 1000 ms)")
    print(f"worker peak RSS: {', '.join(f'{r:.0f} MB' for r in rss)}  (target < 600 MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
