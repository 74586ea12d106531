"""Login, logout, password change, and the role-based landing page."""
from __future__ import annotations

import secrets

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.response import Redirect

from admin_ui.auth import ADMIN_COOKIE_PATH, LOGIN_CSRF_COOKIE, client_ip, current_staff
from admin_ui.rendering import form_text, render
from feedback.accounts.audit import record_audit
from feedback.accounts.roles import Role
from feedback.accounts.sessions import SESSION_COOKIE, create_session, end_session
from feedback.accounts.users import authenticate, change_password
from feedback.errors import InputError
from feedback.web.i18n import get_lang

LANDING = {Role.DISPATCHER: "/admin/triage", Role.COUNTER_STAFF: "/admin/counter-home"}


def safe_next(target: str | None) -> str:
    """Only local admin paths, never //evil.example or other schemes (open redirect)."""
    if isinstance(target, str) and target.startswith("/admin") and not target.startswith("//") and "\\" not in target \
            and "://" not in target and not target.startswith("/admin/login"):
        return target
    return "/admin"


class AuthController(Controller):
    path = "/admin"
    include_in_schema = False

    @get("/login", opt={"public": True})
    async def login_form(self, request: Request) -> Response:
        token = secrets.token_urlsafe(24)
        response = render(request, "admin/login.html", login_csrf=token, next=safe_next(request.query_params.get("next")),
                          error=None)
        response.set_cookie(LOGIN_CSRF_COOKIE, token, path=ADMIN_COOKIE_PATH, httponly=True, samesite="strict",
                            secure=request.app.state.settings.secure_cookies, max_age=3600)
        return response

    @post("/login", opt={"public": True})
    async def login(self, request: Request, state: State) -> Response:
        settings = state.settings
        await state.rate_limiter.hit(request, "admin_login")  # per client IP, on top of the per-account lockout
        form = await request.form()
        ip = client_ip(request)
        result = await authenticate(form_text(form, "username"), form_text(form, "password"), settings, ip=ip)
        if not result.ok:
            token = request.cookies.get(LOGIN_CSRF_COOKIE, "")
            error = "login_locked" if result.reason == "locked" else "login_failed"
            return render(request, "admin/login.html", 401 if error == "login_failed" else 423, login_csrf=token,
                          next=safe_next(form_text(form, "next")), error=error, username=form_text(form, "username")[:64])
        # Rotation: whatever session id the browser had, it is dropped and a brand new one issued.
        await end_session(request.cookies.get(SESSION_COOKIE))
        session = await create_session(result.user["id"], settings, ip=ip, user_agent=request.headers.get("user-agent"))
        target = "/admin/password" if result.user["must_change_password"] else safe_next(form_text(form, "next"))
        response = Redirect(target, status_code=303)
        response.set_cookie(SESSION_COOKIE, session, path=ADMIN_COOKIE_PATH, httponly=True, samesite="lax",
                            secure=settings.secure_cookies, max_age=settings.session_hours * 3600)
        response.delete_cookie(LOGIN_CSRF_COOKIE, path=ADMIN_COOKIE_PATH)
        return response

    @post("/logout", opt={"allow_password_change": True})
    async def logout(self, request: Request) -> Response:
        staff = current_staff(request)
        await end_session(request.cookies.get(SESSION_COOKIE))
        await record_audit("logout", actor_id=staff.id, actor_label=staff.label, target=f"user:{staff.username}", ip=client_ip(request))
        response = Redirect("/admin/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path=ADMIN_COOKIE_PATH)
        return response

    @get("/password", opt={"allow_password_change": True})
    async def password_form(self, request: Request) -> Response:
        return render(request, "admin/password.html", errors=[], done=request.query_params.get("done") == "1")

    @post("/password", opt={"allow_password_change": True})
    async def password_change(self, request: Request) -> Response:
        staff = current_staff(request)
        form = await request.form()
        try:
            await change_password(staff, form_text(form, "current_password"), form_text(form, "new_password"), ip=client_ip(request))
        except InputError as exc:
            lang = get_lang(request)
            return render(request, "admin/password.html", exc.status_code, done=False,
                          errors=[e.message_en if lang == "en" else e.message for e in exc.errors])
        return Redirect("/admin/password?done=1", status_code=303)

    @get("/")
    async def home(self, request: Request) -> Redirect:
        staff = current_staff(request)
        return Redirect(LANDING.get(staff.role, "/admin/inbox"), status_code=303)

    @get("/counter-home")
    async def counter_home(self, request: Request) -> Response:
        current_staff(request)
        return render(request, "admin/counter_home.html")
