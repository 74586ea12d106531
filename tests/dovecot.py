"""The throwaway Dovecot that .ci/dovecot.sh runs for the IMAP tests: where it listens, and a fixture."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
PORT = int(os.environ.get("SW_IMAP_PORT", "10143"))
TLS_PORT = int(os.environ.get("SW_IMAPS_PORT", "10993"))
USER, PASSWORD = "pengaduan", "rahasia"
CAFILE = Path(os.environ.get("SW_DOVECOT_DIR", "/tmp/sw-dovecot")) / "cert.pem"


@pytest.fixture(scope="session")
def dovecot() -> None:
    """Start Dovecot (installed with apt if missing); skip the test where that cannot be done."""
    try:
        result = subprocess.run([str(ROOT / ".ci" / "dovecot.sh"), "start"], capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        pytest.skip(f"cannot run .ci/dovecot.sh: {exc!r}")
    if result.returncode != 0:
        pytest.skip(f".ci/dovecot.sh start failed (dovecot not installable here?): {result.stderr.strip()[-500:]}")
