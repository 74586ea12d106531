"""Authentication, CSRF and role guards for /admin — reusable by other staff pages.

    from admin_ui.auth import current_staff, requires_roles

    @get("/admin/counter", guards=[requires_roles("counter_staff", "admin")])
    async def counter(request: Request) -> Template:
        staff = current_staff(request)  # StaffContext(id, username, role, agency_id, is_head)

Handlers mounted in the admin Router get the session guard automatically; handlers mounted
elsewhere must list `staff_session_guard` before `requires_roles(...)`.
"""
from __future__ import annotations

import secrets
from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.types import Guard

from feedback.accounts.roles import StaffContext
from feedback.accounts.sessions import SESSION_COOKIE, csrf_matches, csrf_token_for, load_session

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
LOGIN_CSRF_COOKIE = "sw_login_csrf"
ADMIN_COOKIE_PATH = "/admin"


class CsrfFailed(PermissionDeniedException):
    detail = "CSRF token missing or invalid"


class PasswordChangeRequired(Exception):
    """The user must set a new password before doing anything else."""


def current_staff(connection: ASGIConnection) -> StaffContext:
    """The logged-in staff member (set by the session guard); 401 if there is none."""
    staff = connection.state.get("staff")
    if staff is None:
        raise NotAuthorizedException()
    return staff


def csrf_token(connection: ASGIConnection) -> str:
    return connection.state.get("csrf_token", "")


async def _submitted_csrf(connection: ASGIConnection) -> str | None:
    header = connection.headers.get(CSRF_HEADER)
    if header:
        return header
    content_type = connection.headers.get("content-type", "")
    if hasattr(connection, "form") and ("form" in content_type):
        form = await connection.form()  # cached on the request; the handler reads it again for free
        value = form.get(CSRF_FIELD)
        return value if isinstance(value, str) else None
    return None


async def check_login_csrf(connection: ASGIConnection) -> None:
    """Before a session exists: double-submit cookie (login form)."""
    cookie = connection.cookies.get(LOGIN_CSRF_COOKIE)
    submitted = await _submitted_csrf(connection)
    if not cookie or not submitted or not secrets.compare_digest(cookie, submitted):
        raise CsrfFailed()


async def staff_session_guard(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    """Load the server-side session; reject unsafe requests without the session's CSRF token."""
    opt = handler.opt or {}
    if opt.get("public"):
        if connection.scope.get("method", "GET") not in SAFE_METHODS:
            await check_login_csrf(connection)
        return
    token = connection.cookies.get(SESSION_COOKIE)
    loaded = await load_session(token)
    if loaded is None:
        raise NotAuthorizedException()
    staff, _session = loaded
    settings = connection.app.state.settings
    connection.state.staff = staff
    connection.state.session_token = token
    connection.state.csrf_token = csrf_token_for(token, settings.secret_key)
    if connection.scope.get("method", "GET") not in SAFE_METHODS:
        if not csrf_matches(token, settings.secret_key, await _submitted_csrf(connection)):
            raise CsrfFailed()
    if staff.must_change_password and not opt.get("allow_password_change"):
        raise PasswordChangeRequired()


def requires_roles(*roles: str) -> Guard:
    """A guard allowing only these roles (run after the session guard)."""
    allowed = frozenset(roles)

    def guard(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
        staff = current_staff(connection)
        if staff.role not in allowed:
            raise PermissionDeniedException()

    guard.__name__ = f"requires_roles({', '.join(sorted(allowed))})"
    return guard


def client_ip(connection: ASGIConnection) -> str | None:
    limiter = connection.app.state.get("rate_limiter")
    if limiter is not None:
        return limiter.client_id(connection)  # honours TRUST_FORWARDED_FOR
    return connection.client.host if connection.client else None


def describe(staff: StaffContext | None) -> dict[str, Any]:
    return {} if staff is None else {"id": staff.id, "username": staff.username, "role": staff.role}
