"""Rendering helpers and error pages for the staff UI."""
from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from litestar import MediaType, Request, Response
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.response import Redirect

from admin_ui.auth import PasswordChangeRequired
from admin_ui.i18n import translator
from feedback.errors import InputError
from feedback.staff.permissions import NotAllowed
from feedback.staff.queries import TicketNotVisible
from feedback.tracking.lifecycle import TicketError
from feedback.tracking.priority import Priority
from feedback.tracking.statuses import STATUS_LABELS, TicketStatus
from feedback.web.i18n import get_lang


def form_text(form, name: str) -> str:
    """A submitted form field as text; missing fields and file uploads read as ""."""
    value = form.get(name)
    return value if isinstance(value, str) else ""


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def local_time(value: datetime | None, tz: str = "Asia/Jakarta") -> str:
    if value is None:
        return ""
    return value.astimezone(ZoneInfo(tz)).strftime("%d-%m-%Y %H:%M")


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> Response:
    lang = get_lang(request)
    settings = request.app.state.settings
    ctx = {
        "t": translator(lang), "lang": lang, "other_lang": "en" if lang == "id" else "id", "path": request.url.path,
        "query": request.url.query or "", "staff": request.state.get("staff"), "csrf": request.state.get("csrf_token", ""),
        "status_labels": {s.value: label for s, label in STATUS_LABELS[lang].items()}, "statuses": [s.value for s in TicketStatus],
        "priorities": Priority.ALL, "fmt": lambda v: local_time(v, settings.timezone), **context,
    }
    html = request.app.template_engine.get_template(template).render(**ctx)
    response = Response(html, status_code=status_code, media_type=MediaType.HTML)
    if request.query_params.get("lang") in ("id", "en"):
        response.set_cookie("lang", lang, max_age=365 * 24 * 3600, httponly=True, samesite="lax")
    return response


def _message_page(request: Request, status: int, messages: list[str]) -> Response:
    if request.url.path.startswith("/admin/api/") or "application/json" in request.headers.get("accept", ""):
        return Response({"error": status, "messages": messages}, status_code=status, media_type=MediaType.JSON)
    return render(request, "admin/error.html" if not is_htmx(request) else "admin/_error.html", status, messages=messages)


def _both(lang: str, message_id: str, message_en: str) -> str:
    return message_en if lang == "en" else message_id


def on_not_authorized(request: Request, exc: Exception) -> Response:
    if request.method == "GET" and not is_htmx(request) and not request.url.path.startswith("/admin/api/"):
        return Redirect(f"/admin/login?next={request.url.path}", status_code=303)
    response = _message_page(request, 401, [_both(get_lang(request), "Silakan masuk terlebih dahulu.", "Please log in first.")])
    response.headers["HX-Redirect"] = "/admin/login"
    return response


def on_forbidden(request: Request, exc: Exception) -> Response:
    lang = get_lang(request)
    if isinstance(exc, NotAllowed):
        text = _both(lang, exc.message_id, exc.message_en)
    elif "CSRF" in str(getattr(exc, "detail", "")):
        text = _both(lang, "Token keamanan formulir tidak valid; muat ulang halaman dan coba lagi.",
                     "The form's security token is invalid; reload the page and try again.")
    else:
        text = _both(lang, "Akses ditolak: peran Anda tidak mengizinkan halaman ini.", "Forbidden: your role does not allow this page.")
    return _message_page(request, 403, [text])


def on_not_visible(request: Request, exc: Exception) -> Response:
    return _message_page(request, 404, [_both(get_lang(request), "Tiket tidak ditemukan.", "Ticket not found.")])


def on_input_error(request: Request, exc: InputError) -> Response:
    lang = get_lang(request)
    return _message_page(request, exc.status_code, [_both(lang, e.message, e.message_en) for e in exc.errors])


def on_ticket_error(request: Request, exc: TicketError) -> Response:
    return _message_page(request, exc.status_code, [_both(get_lang(request), exc.message_id, exc.message_en)])


def on_password_change(request: Request, exc: Exception) -> Response:
    if is_htmx(request) or request.method != "GET":
        return _message_page(request, 403, [_both(get_lang(request), "Ganti kata sandi Anda terlebih dahulu.",
                                                  "Change your password first.")])
    return Redirect("/admin/password", status_code=303)


EXCEPTION_HANDLERS = {
    NotAuthorizedException: on_not_authorized,
    PermissionDeniedException: on_forbidden,
    NotAllowed: on_forbidden,
    TicketNotVisible: on_not_visible,
    InputError: on_input_error,
    TicketError: on_ticket_error,
    PasswordChangeRequired: on_password_change,
}
