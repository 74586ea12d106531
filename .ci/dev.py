#!/usr/bin/env python3
"""Install and run Suara Warga, or install and run its tests. Needs only Python 3.11+.

    python3 .ci/dev.py run     # web + worker + embedded Redis + SQLite on http://127.0.0.1:8000
    python3 .ci/dev.py test    # the whole test suite (PostgreSQL + Redis on loopback)
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
PY = VENV / "bin" / "python"
TORCH = "torch==2.13.0"
RUN_EXTRAS = "ml,local"          # the worker's classifier and the embedded Redis of `feedback run`
TEST_EXTRAS = "ml,local,test"


def sh(*cmd: str, check: bool = True, **kw) -> subprocess.CompletedProcess:
    print("+", " ".join(cmd), flush=True)
    return subprocess.run(cmd, check=check, **kw)


def ensure_venv(extras: str) -> None:
    """The virtualenv with the project and these extras (reinstalled when pyproject.toml or the extras change)."""
    if sys.version_info < (3, 11):
        sys.exit("Suara Warga needs Python 3.11 or newer.")
    if not PY.exists():
        sh(sys.executable, "-m", "venv", str(VENV))
    stamp = VENV / ".suara-installed"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    key = f"{digest} [{extras}]"
    done = set(stamp.read_text().splitlines()) if stamp.exists() else set()
    if key in done:
        return
    sh(str(PY), "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    # The CPU build first: a bare torch requirement (the ml extra) would pull a multi-GB CUDA build.
    sh(str(PY), "-m", "pip", "install", "--quiet", TORCH)
    sh(str(PY), "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[{extras}]")
    # Remember each extras set installed for this pyproject.toml (run and test share one virtualenv).
    stamp.write_text("\n".join(sorted({line for line in done if line.startswith(digest)} | {key})))


def port_open(port: int) -> bool:
    import socket

    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def wait_port(port: int, seconds: float = 30) -> bool:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if port_open(port):
            return True
        time.sleep(0.5)
    return False


def ensure_services() -> None:
    """PostgreSQL and Redis on loopback, started when they are down."""
    if not port_open(5432):
        versions = os.listdir("/etc/postgresql") if os.path.isdir("/etc/postgresql") else []
        if versions and shutil.which("pg_ctlcluster"):
            sh("pg_ctlcluster", "--skip-systemctl-redirect", versions[0], "main", "start", check=False)
        if not wait_port(5432):
            sys.exit("PostgreSQL is not running on 127.0.0.1:5432 and could not be started.")
    if not port_open(6379):
        if shutil.which("redis-server"):
            sh("redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--port", "6379", "--save", "", "--appendonly", "no", check=False)
        if not wait_port(6379):
            sys.exit("Redis is not running on 127.0.0.1:6379 and could not be started.")


def ensure_system_packages() -> None:
    """Chromium (browser tests) and Dovecot (IMAP tests) from Debian's packages, when we may install."""
    wanted = {"/usr/bin/chromium": "chromium", "/usr/sbin/dovecot": "dovecot-imapd"}
    missing = [pkg for path, pkg in wanted.items() if not os.path.exists(path)]
    if not missing:
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        print(f"note: {', '.join(missing)} not installed; the tests that need them will be skipped", flush=True)
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    sh("apt-get", "update", "-qq", check=False, env=env)
    sh("apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing, check=False, env=env)


def cmd_run(args: list[str]) -> int:
    ensure_venv(RUN_EXTRAS)
    os.chdir(ROOT)
    return subprocess.call([str(VENV / "bin" / "feedback"), "run", *args])


def cmd_test(args: list[str]) -> int:
    ensure_venv(TEST_EXTRAS)
    ensure_services()
    ensure_system_packages()
    os.chdir(ROOT)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.call([str(PY), "-m", "pytest", "-ra", "-p", "no:cacheprovider", *args], env=env)


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in ("run", "test"):
        print(__doc__)
        return 2
    command, rest = sys.argv[1], sys.argv[2:]
    return cmd_run(rest) if command == "run" else cmd_test(rest)


if __name__ == "__main__":
    sys.exit(main())
