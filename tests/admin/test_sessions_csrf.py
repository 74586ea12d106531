"""Login sessions (fixation, logout, expiry, cookie flags), CSRF, lockout and password changes."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest

from feedback.accounts.sessions import SESSION_COOKIE, create_session, csrf_token_for, hash_token
from feedback.tables import AuditEvent, StaffSession, StaffUser, TicketMessage
from feedback.tracking.lifecycle import utcnow
from tests.admin.helpers import PASSWORD, Staff, login, new_ticket
from tests.conftest import run_async

TEXT = "Lampu jalan di gang Mawar mati total sejak minggu lalu, gelap dan rawan sekali"


def _audit_actions() -> list[str]:
    return [r["action"] for r in run_async(AuditEvent.select(AuditEvent.action).order_by(AuditEvent.id))]


def test_login_rotates_session_and_sets_safe_cookie(pg_client, pg_settings, pg_world):
    client = pg_client
    client.cookies.set(SESSION_COOKIE, "attacker-chosen-session-id")
    old_token = run_async(create_session(pg_world.users["staff_a"]["id"], pg_settings))  # a real, older session
    client.cookies.set(SESSION_COOKIE, old_token)
    resp = login(client, "staff-a")
    assert resp.status_code == 303 and resp.headers["location"] == "/admin"
    set_cookie = resp.headers["set-cookie"]
    assert "HttpOnly" in set_cookie and "SameSite=lax" in set_cookie.replace("Lax", "lax") and "Path=/admin" in set_cookie
    assert "Secure" not in set_cookie
    new_token = resp.cookies[SESSION_COOKIE]
    assert new_token not in (old_token, "attacker-chosen-session-id")
    # The pre-login session no longer exists server-side; the new one does.
    assert not run_async(StaffSession.exists().where(StaffSession.token_hash == hash_token(old_token)))
    assert run_async(StaffSession.exists().where(StaffSession.token_hash == hash_token(new_token)))
    assert client.get("/admin/inbox").status_code == 200
    assert _audit_actions()[-1] == "login"


def test_secure_cookie_when_configured(tmp_path, pg_url, redis_conn):
    from litestar.testing import TestClient

    from feedback.app import create_app
    from tests.admin.helpers import make_world
    from tests.conftest import make_settings

    settings = make_settings(pg_url, tmp_path, secure_cookies=True)
    make_world()
    with TestClient(app=create_app(settings, run_sweeper=False), base_url="https://testserver.local") as client:
        resp = login(client, "admin")
        assert resp.status_code == 303 and "Secure" in resp.headers["set-cookie"]


def test_logout_invalidates_session_server_side(pg_client, pg_settings, pg_world):
    client = pg_client
    login(client, "staff-a")
    token = client.cookies[SESSION_COOKIE]
    csrf = csrf_token_for(token, pg_settings.secret_key)
    assert client.post("/admin/logout", data={"csrf_token": csrf}, follow_redirects=False).status_code == 303
    assert not run_async(StaffSession.exists().where(StaffSession.token_hash == hash_token(token)))
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, token)  # replaying the old cookie does not work
    resp = client.get("/admin/inbox", follow_redirects=False)
    assert resp.status_code == 303 and resp.headers["location"].startswith("/admin/login")
    assert "logout" in _audit_actions()


def test_expired_session_is_rejected(client, settings, world):
    staff = Staff(client, settings, world.users["staff_a"])
    assert staff.get("/admin/inbox").status_code == 200
    run_async(StaffSession.update({StaffSession.expires_at: utcnow() - timedelta(seconds=1)}).where(
        StaffSession.token_hash == hash_token(staff.token)))
    resp = staff.get("/admin/inbox")
    assert resp.status_code == 303 and resp.headers["location"].startswith("/admin/login")


def test_deactivated_user_loses_access_immediately(client, settings, world):
    staff = Staff(client, settings, world.users["staff_a"])
    run_async(StaffUser.update({StaffUser.active: False}).where(StaffUser.id == world.users["staff_a"]["id"]))
    assert staff.get("/admin/inbox").status_code == 303


@pytest.mark.parametrize("how", ["missing", "wrong", "other_session", "get_param"])
def test_csrf_rejected(client, settings, world, how):
    ticket = new_ticket(settings, TEXT, category="infrastruktur_jalan")
    staff = Staff(client, settings, world.users["staff_a"])
    other = Staff(client, settings, world.users["head_a"])
    data = {"body": "Tanggapan tanpa token yang sah"}
    if how == "missing":
        resp = staff.post(f"/admin/tickets/{ticket['id']}/respond", data, csrf=False)
    elif how == "wrong":
        resp = staff.post(f"/admin/tickets/{ticket['id']}/respond", {**data, "csrf_token": "0" * 64}, csrf=False)
    elif how == "other_session":
        resp = staff.post(f"/admin/tickets/{ticket['id']}/respond", {**data, "csrf_token": other.csrf}, csrf=False)
    else:
        resp = staff.post(f"/admin/tickets/{ticket['id']}/respond?csrf_token={staff.csrf}", data, csrf=False)
    assert resp.status_code == 403
    assert run_async(TicketMessage.count()) == 0


def test_csrf_header_accepted_for_htmx(client, settings, world):
    ticket = new_ticket(settings, TEXT, category="infrastruktur_jalan")
    staff = Staff(client, settings, world.users["staff_a"])
    resp = staff.post(f"/admin/tickets/{ticket['id']}/note", {"body": "catatan lewat HTMX"}, csrf=False,
                      headers={"X-CSRF-Token": staff.csrf, "HX-Request": "true"})
    assert resp.status_code == 303
    assert run_async(TicketMessage.count()) == 1


def test_login_form_requires_its_csrf_cookie(client, world):
    resp = client.post("/admin/login", data={"username": "admin", "password": PASSWORD, "csrf_token": "forged"},
                       follow_redirects=False)
    assert resp.status_code == 403 and SESSION_COOKIE not in resp.cookies


def test_lockout_after_repeated_failures(tmp_path, pg_url, redis_conn):
    from litestar.testing import TestClient

    from feedback.app import create_app
    from tests.admin.helpers import make_world
    from tests.conftest import make_settings

    settings = make_settings(pg_url, tmp_path, login_max_failures=3, login_lockout_minutes=15)
    make_world()
    with TestClient(app=create_app(settings, run_sweeper=False), base_url="http://testserver.local") as client:
        assert login(client, "staff-a", "salah-sekali-1").status_code == 401
        assert login(client, "staff-a", "salah-sekali-2").status_code == 401
        locked = login(client, "staff-a", "salah-sekali-3")
        assert locked.status_code == 423
        row = run_async(StaffUser.select().where(StaffUser.username == "staff-a").first())
        assert row["locked_until"] is not None and row["locked_until"] > utcnow() + timedelta(minutes=14)
        # Even the right password is refused while locked, and no session is issued.
        resp = login(client, "staff-a", PASSWORD)
        assert resp.status_code == 423 and SESSION_COOKIE not in resp.cookies
        actions = _audit_actions()
        assert actions.count("login_failed") == 3 and actions.count("account_locked") == 1
        # When the lock expires the right password works again and resets the counter.
        run_async(StaffUser.update({StaffUser.locked_until: utcnow() - timedelta(seconds=1)}).where(StaffUser.id == row["id"]))
        assert login(client, "staff-a", PASSWORD).status_code == 303
        assert run_async(StaffUser.select(StaffUser.failed_logins).where(StaffUser.id == row["id"]).first())["failed_logins"] == 0


def test_unknown_user_and_wrong_password_look_the_same(pg_client, pg_world):
    a = login(pg_client, "tidak-ada", "apa-saja-12345")
    b = login(pg_client, "staff-a", "apa-saja-12345")
    assert a.status_code == b.status_code == 401
    assert 'id="login-error"' in a.text and 'id="login-error"' in b.text


def test_password_change_and_admin_reset(pg_client, pg_settings, pg_world):
    client = pg_client
    admin = Staff(client, pg_settings, pg_world.users["admin"])
    resp = admin.post(f"/admin/manage/users/{pg_world.users['staff_a']['id']}/reset")
    assert resp.status_code == 200
    temp = resp.text.split('id="new-password">')[1].split("<")[0]
    assert "permissions_changed" not in _audit_actions() and "password_reset" in _audit_actions()
    client.cookies.clear()
    assert login(client, "staff-a", PASSWORD).status_code == 401  # the old password is gone
    resp = login(client, "staff-a", temp)
    assert resp.headers["location"] == "/admin/password"
    assert client.get("/admin/inbox", follow_redirects=False).headers["location"] == "/admin/password"  # must change first
    csrf = csrf_token_for(client.cookies[SESSION_COOKIE], pg_settings.secret_key)
    bad = client.post("/admin/password", data={"csrf_token": csrf, "current_password": temp, "new_password": "pendek"})
    assert bad.status_code == 422
    ok = client.post("/admin/password", data={"csrf_token": csrf, "current_password": temp, "new_password": "kata-sandi-baru-99"},
                     follow_redirects=False)
    assert ok.status_code == 303
    assert client.get("/admin/inbox").status_code == 200
    client.cookies.clear()
    assert login(client, "staff-a", "kata-sandi-baru-99").status_code == 303


def test_role_change_is_audited_and_ends_sessions(client, settings, world):
    staff = Staff(client, settings, world.users["staff_a"])
    admin = Staff(client, settings, world.users["admin"])
    resp = admin.post(f"/admin/manage/users/{world.users['staff_a']['id']}",
                      {"role": "manager", "agency": "", "active": "on", "full_name": "Staf A"})
    assert resp.status_code == 303
    event = run_async(AuditEvent.select().where(AuditEvent.action == "permissions_changed").first())
    data = json.loads(event["data"]) if isinstance(event["data"], str) else event["data"]
    assert data["before"]["role"] == "agency_staff" and data["after"]["role"] == "manager"
    assert event["actor"] == world.users["admin"]["id"]
    assert staff.get("/admin/inbox").status_code == 303  # the old session no longer works
