"""Helpers shared by the benchmark scripts: databases, servers, load generation."""
from __future__ import annotations

import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Citizen texts for load and latency benchmarks (each a different agency's business).
COMPLAINT_TEXTS = [
    "Lampu PJU di Jl. Ahmad Yani mati semua sejak seminggu, gelap gulita rawan kejahatan",
    "Air PDAM tidak mengalir 3 hari di Perumnas blok C, tolong segera diperbaiki",
    "Sampah di TPS pasar menumpuk, bau busuk sampai ke rumah warga RT 04",
    "KTP elektronik saya belum jadi padahal sudah rekam 4 bulan lalu di kecamatan",
    "Jalan berlubang besar di depan SDN 2, sudah ada pengendara motor yang jatuh",
    "Pelayanan puskesmas lambat sekali, antre dari jam 7 baru dipanggil jam 12",
]
PG_ADMIN = os.environ.get("BENCH_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fresh_database(name: str) -> str:
    import asyncpg

    async def recreate():
        conn = await asyncpg.connect(PG_ADMIN)
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()

    asyncio.run(recreate())
    url = PG_ADMIN.rsplit("/", 1)[0] + "/" + name
    env = {**os.environ, "DATABASE_URL": url}
    for command in (["migrate"], ["seed", "--admin-password", "bench-admin-pass"]):
        subprocess.run([sys.executable, "-m", "feedback.cli", *command], env=env, check=True, cwd=ROOT,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return url


def wait_http(url: str, timeout: float = 60) -> None:
    import httpx

    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


def start_server(app_factory: str, port: int, env: dict, workers: int = 1) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "uvicorn", app_factory, "--factory", "--host", "127.0.0.1", "--port", str(port),
           "--workers", str(workers), "--log-level", "warning", "--no-access-log"]
    proc = subprocess.Popen(cmd, env={**os.environ, **env}, cwd=ROOT)
    wait_http(f"http://127.0.0.1:{port}/health/live")
    return proc


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()


def have_wrk() -> bool:
    if shutil.which("wrk"):
        return True
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return bool(shutil.which("wrk"))


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


async def closed_loop(method: str, url: str, *, json_body=None, concurrency: int = 32, seconds: float = 10.0) -> dict:
    """As fast as possible with `concurrency` clients for `seconds` (Python client)."""
    import httpx

    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=10) as client:
        async def one_client():
            nonlocal errors
            while time.perf_counter() < deadline:
                start = time.perf_counter()
                try:
                    resp = await client.request(method, url, json=json_body)
                    if resp.status_code >= 400:
                        errors += 1
                except httpx.HTTPError:
                    errors += 1
                latencies.append(time.perf_counter() - start)

        started = time.perf_counter()
        await asyncio.gather(*(one_client() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return {"requests": len(latencies), "rps": len(latencies) / elapsed, "errors": errors,
            "p50_ms": percentile(latencies, 0.5) * 1000, "p99_ms": percentile(latencies, 0.99) * 1000}


async def open_loop(method: str, url: str, *, rate: float, seconds: float, body_factory=None) -> dict:
    """A fixed arrival rate (requests/s), independent of response times."""
    import httpx

    latencies: list[float] = []
    errors = 0
    results: list[object] = []
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=200), timeout=10) as client:
        async def one(i: int):
            nonlocal errors
            start = time.perf_counter()
            try:
                resp = await client.request(method, url, json=body_factory(i) if body_factory else None)
                if resp.status_code >= 400:
                    errors += 1
                else:
                    results.append(resp.json())
            except httpx.HTTPError:
                errors += 1
            latencies.append(time.perf_counter() - start)

        tasks = []
        begin = time.perf_counter()
        total = int(rate * seconds)
        for i in range(total):
            target = begin + i / rate
            delay = target - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(i)))
        await asyncio.gather(*tasks)
    return {"requests": len(latencies), "errors": errors, "p50_ms": percentile(latencies, 0.5) * 1000,
            "p99_ms": percentile(latencies, 0.99) * 1000, "mean_ms": statistics.fmean(latencies) * 1000, "results": results}
