"""API keys: hashed at rest, shown once by the CLI, revocable."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from feedback.errors import InputError
from feedback.open311.keys import authenticate, create_key, hash_key, list_keys, revoke_key
from feedback.tables import Open311Key
from tests.conftest import ROOT, run_async


def test_key_is_stored_hashed_and_authenticates(settings):
    key = run_async(create_key("Aplikasi Lapor Kota"))
    row = run_async(Open311Key.select().where(Open311Key.id == key.id).first())
    assert row["key_hash"] == hash_key(key.plaintext) and key.plaintext not in str(row)
    assert row["key_prefix"] == key.plaintext[:8]
    assert run_async(authenticate(key.plaintext)) == {"id": key.id, "name": "Aplikasi Lapor Kota"}
    assert run_async(authenticate(key.plaintext[:8] + "x" * 32)) is None
    assert run_async(authenticate(None)) is None


def test_revoke_by_prefix(settings):
    keep, drop = run_async(create_key("A")), run_async(create_key("B"))
    assert run_async(revoke_key(drop.prefix)) == 1
    assert run_async(revoke_key(drop.prefix)) == 0
    assert run_async(authenticate(drop.plaintext)) is None
    assert run_async(authenticate(keep.plaintext)) is not None
    states = {r["name"]: r["active"] for r in run_async(list_keys())}
    assert states == {"A": True, "B": False}
    with pytest.raises(InputError):
        run_async(revoke_key("abc"))
    with pytest.raises(InputError):
        run_async(create_key("   "))


def _cli(settings, *args):
    env = {**os.environ, "DATABASE_URL": settings.database_url}
    return subprocess.run([sys.executable, "-m", "feedback.cli", "open311-key", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=60)


def test_cli_create_list_revoke(pg_settings):
    created = _cli(pg_settings, "create", "Mitra CLI")
    assert created.returncode == 0, created.stderr
    plaintext = created.stdout.strip().splitlines()[-1]
    assert run_async(authenticate(plaintext))["name"] == "Mitra CLI"
    listing = _cli(pg_settings, "list")
    assert "Mitra CLI" in listing.stdout and plaintext[:8] in listing.stdout and plaintext not in listing.stdout
    assert _cli(pg_settings, "revoke", plaintext[:8]).returncode == 0
    assert run_async(authenticate(plaintext)) is None
    assert _cli(pg_settings, "revoke", plaintext[:8]).returncode == 1


def test_keys_never_start_like_a_cli_option(settings):
    keys = [run_async(create_key(f"k{i}")) for i in range(40)]
    assert all(k.plaintext[0].isalnum() and len(k.plaintext) == 40 for k in keys)
    assert len({k.prefix for k in keys}) == 40
