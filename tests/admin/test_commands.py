"""`feedback create-user` and `feedback reset-password` against a real database."""
from __future__ import annotations

import os
import subprocess
import sys

from feedback.accounts.passwords import verify_password
from feedback.tables import StaffUser
from tests.conftest import ROOT, run_async


def _cli(database_url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url}
    return subprocess.run([sys.executable, "-m", "feedback.cli", *args], env=env, capture_output=True, text=True, cwd=ROOT)


def test_create_user_and_reset_password(pg_settings):
    url = pg_settings.database_url
    done = _cli(url, "create-user", "--username", "kepala-dlh", "--role", "agency_staff", "--agency", "dlh", "--head",
                "--password", "sandi-kepala-dlh-1")
    assert done.returncode == 0, done.stderr
    row = run_async(StaffUser.select().where(StaffUser.username == "kepala-dlh").first())
    assert row["role"] == "agency_staff" and row["is_agency_head"] and row["agency"] is not None
    assert verify_password(row["password_hash"], "sandi-kepala-dlh-1") and not row["must_change_password"]

    bad = _cli(url, "create-user", "--username", "tanpa-instansi", "--role", "agency_staff")
    assert bad.returncode == 2 and "agency" in bad.stdout
    assert not run_async(StaffUser.exists().where(StaffUser.username == "tanpa-instansi"))

    reset = _cli(url, "reset-password", "--username", "kepala-dlh")
    assert reset.returncode == 0, reset.stderr
    temp = reset.stdout.strip().rsplit(": ", 1)[1]
    row = run_async(StaffUser.select().where(StaffUser.username == "kepala-dlh").first())
    assert verify_password(row["password_hash"], temp) and row["must_change_password"]
