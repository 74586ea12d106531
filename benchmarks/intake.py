"""Intake throughput: POST /api/v1/tickets vs a bare Litestar endpoint on the same server.

    python benchmarks/intake.py [--seconds 10] [--concurrency 32]

Starts the app on PostgreSQL (a fresh `bench_intake` database) with one uvicorn process, drives
concurrent clients for a fixed time against the intake endpoint and then the bare endpoint,
runs a fixed 100 requests/s load for the latency target, and prints the figures and the ratio,
plus the server's CPU time per request (steadier than requests/s on a shared machine).
Uses wrk when available (installed from Debian's packages as root), else a Python client.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import closed_loop, fresh_database, free_port, have_wrk, open_loop, start_server, stop  # noqa: E402

BODY = {"kind": "complaint", "text": "Jalan di depan SDN 3 Sukamaju berlubang besar sudah 2 minggu, mohon segera ditambal pak",
        "location": "Jl. Merdeka RT 02/RW 05"}


def wrk_run(url: str, seconds: int, concurrency: int, post_body: dict | None = None) -> dict:
    script = None
    cmd = ["wrk", "-t2", f"-c{concurrency}", f"-d{seconds}s", "--latency"]
    if post_body is not None:
        script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
        script.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
                     f"wrk.body = [[{json.dumps(post_body, ensure_ascii=False)}]]\n")
        script.close()
        cmd += ["-s", script.name]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    if script:
        os.unlink(script.name)

    def latency(label: str) -> float:
        m = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        if not m:
            return float("nan")
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    total = re.search(r"(\d+) requests in", out)
    return {"rps": rps, "requests": int(total.group(1)) if total else None, "p50_ms": latency("50"), "p99_ms": latency("99"), "errors": int(non2xx.group(1)) if non2xx else 0}


def process_cpu_seconds(pid: int) -> float:
    """User+system CPU of one process so far (Linux /proc; NaN elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return float("nan")


def children_cpu_seconds(pid: int) -> float:
    """CPU of the server's child processes (the enqueue relay)."""
    total = 0.0
    for child in Path(f"/proc/{pid}/task").glob("*/children"):
        for cpid in child.read_text().split():
            total += process_cpu_seconds(int(cpid))
    return total


def measured(server, run) -> dict:
    """Run one load phase and add the server's CPU time per request: a figure that, unlike
    requests/s, hardly moves when other programs compete for the machine."""
    cpu0, relay0 = process_cpu_seconds(server.pid), children_cpu_seconds(server.pid)
    result = run()
    cpu1, relay1 = process_cpu_seconds(server.pid), children_cpu_seconds(server.pid)
    requests = result.get("requests") or result["rps"] * result["seconds"]
    result["cpu_us"] = (cpu1 - cpu0) / requests * 1e6
    result["relay_cpu_us"] = (relay1 - relay0) / requests * 1e6
    return result


def empty_queue(redis_url: str, name: str) -> None:
    """The benchmark runs no worker: drop the jobs it queued so Redis does not grow run after run."""
    from redis import Redis
    from rq import Queue

    try:
        Queue(name, connection=Redis.from_url(redis_url)).empty()
    except Exception as exc:  # the figures stand without it
        print(f"(could not empty queue {name}: {exc})", file=sys.stderr)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"))
    args = parser.parse_args()

    db_url = fresh_database("bench_intake")
    port = free_port()
    env = {"DATABASE_URL": db_url, "REDIS_URL": args.redis_url, "RATE_LIMIT_PER_MINUTE": "0", "LOG_LEVEL": "WARNING",
           "DB_POOL_MAX": "20", "QUEUE_NAME": "bench-intake", "SUARA_DATA_DIR": tempfile.mkdtemp(prefix="bench-intake-")}
    server = start_server("benchmarks.intake_app:create", port, env)
    base = f"http://127.0.0.1:{port}"
    try:
        use_wrk = have_wrk()
        tool = "wrk" if use_wrk else "python-httpx"
        asyncio.run(closed_loop("POST", f"{base}/api/v1/tickets", json_body=BODY, concurrency=8, seconds=2))  # warm up
        if use_wrk:
            intake = measured(server, lambda: {**wrk_run(f"{base}/api/v1/tickets", args.seconds, args.concurrency, BODY), "seconds": args.seconds})
            bare = measured(server, lambda: {**wrk_run(f"{base}/bench/bare", args.seconds, args.concurrency), "seconds": args.seconds})
        else:
            intake = measured(server, lambda: asyncio.run(closed_loop("POST", f"{base}/api/v1/tickets", json_body=BODY, concurrency=args.concurrency, seconds=args.seconds)))
            bare = measured(server, lambda: asyncio.run(closed_loop("GET", f"{base}/bench/bare", concurrency=args.concurrency, seconds=args.seconds)))
        fixed = asyncio.run(open_loop("POST", f"{base}/api/v1/tickets", rate=100, seconds=args.seconds, body_factory=lambda i: BODY))
    finally:
        stop(server)
        empty_queue(args.redis_url, env["QUEUE_NAME"])

    ratio = intake["rps"] / bare["rps"]
    print(f"load tool: {tool}; server: 1 uvicorn process, PostgreSQL pool 20, Redis relay; {args.concurrency} connections, {args.seconds}s each")
    print(f"intake POST /api/v1/tickets : {intake['rps']:8.1f} req/s  p50 {intake['p50_ms']:.1f} ms  p99 {intake['p99_ms']:.1f} ms  errors {intake['errors']}")
    print(f"bare   GET  /bench/bare     : {bare['rps']:8.1f} req/s  p50 {bare['p50_ms']:.1f} ms  p99 {bare['p99_ms']:.1f} ms  errors {bare['errors']}")
    print(f"ratio intake/bare           : {ratio:.2f}  (target >= 0.4)")
    print(f"server CPU per request      : intake {intake['cpu_us']:.0f} us (+ {intake['relay_cpu_us']:.0f} us in the enqueue relay process), "
          f"bare {bare['cpu_us']:.0f} us; ratio {bare['cpu_us'] / intake['cpu_us']:.2f}")
    print(f"fixed 100 req/s for {args.seconds}s     : p50 {fixed['p50_ms']:.1f} ms  p99 {fixed['p99_ms']:.1f} ms  errors {fixed['errors']}  (target p99 < 50 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
