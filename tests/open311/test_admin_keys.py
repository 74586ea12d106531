"""The admin page for Open311 keys, mounted in the /admin router behind the session and CSRF guard."""
from __future__ import annotations

import re

import pytest
from litestar.testing import TestClient

from feedback.open311.keys import authenticate
from tests.admin.helpers import Staff, make_world
from tests.conftest import _bind, run_async


@pytest.fixture
def admin_client(pg_settings):
    from feedback.app import create_app

    world = make_world()
    with TestClient(app=create_app(pg_settings, run_sweeper=False), base_url="http://testserver.local") as client:
        yield client, world
    _bind(pg_settings.database_url)


def test_admin_creates_and_revokes_keys(admin_client, pg_settings):
    client, world = admin_client
    admin = Staff(client, pg_settings, world.users["admin"])
    assert admin.get("/admin/open311-keys/").status_code == 200
    created = admin.post("/admin/open311-keys/", {"name": "Aplikasi <b>Kota</b>"})
    assert created.status_code == 201
    plaintext = re.search(r'<code id="new-key">([^<]+)</code>', created.text).group(1)
    assert "<b>Kota</b>" not in created.text and run_async(authenticate(plaintext))["name"] == "Aplikasi <b>Kota</b>"
    assert plaintext not in admin.get("/admin/open311-keys/").text  # shown once
    key_id = run_async(authenticate(plaintext))["id"]
    assert admin.post("/admin/open311-keys/revoke", {"prefix": str(key_id)}).status_code == 200
    assert run_async(authenticate(plaintext)) is None


def test_only_admins_and_only_with_csrf(admin_client, pg_settings):
    client, world = admin_client
    for role in ("manager", "dispatcher", "staff_a", "counter"):
        staff = Staff(client, pg_settings, world.users[role])
        assert staff.get("/admin/open311-keys/").status_code == 403, role
        assert staff.post("/admin/open311-keys/", {"name": "x"}).status_code == 403, role
    client.cookies.clear()
    assert client.get("/admin/open311-keys/", follow_redirects=False).status_code in (302, 303, 401)
    admin = Staff(client, pg_settings, world.users["admin"])
    assert admin.post("/admin/open311-keys/", {"name": "tanpa csrf"}, csrf=False).status_code == 403
    assert "tanpa csrf" not in admin.get("/admin/open311-keys/").text
