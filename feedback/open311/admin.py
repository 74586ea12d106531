"""Admin page for Open311 keys at /admin/open311-keys (admins only).

Wiring: `admin_ui.routes.route_handlers(settings)` adds `*feedback.open311.admin.route_handlers()`.
Without `admin_ui.auth.requires_roles` the page is not mounted at all (never unguarded).
"""
from __future__ import annotations

from urllib.parse import urlsplit

from litestar import Controller, Request, get, post
from litestar.exceptions import PermissionDeniedException
from litestar.response import Template

from feedback.errors import InputError
from feedback.open311.keys import create_key, list_keys, revoke_key
from feedback.web.pages import page

TEXT = {
    "id": {"title": "Kunci API Open311", "create": "Buat kunci", "name": "Nama mitra", "revoke": "Cabut",
           "shown_once": "Salin kunci ini sekarang; kunci tidak akan ditampilkan lagi.", "active": "aktif",
           "revoked": "dicabut", "prefix": "Awalan", "created": "Dibuat", "state": "Status", "none": "Belum ada kunci."},
    "en": {"title": "Open311 API keys", "create": "Create key", "name": "Partner name", "revoke": "Revoke",
           "shown_once": "Copy this key now; it will not be shown again.", "active": "active",
           "revoked": "revoked", "prefix": "Prefix", "created": "Created", "state": "State", "none": "No keys yet."},
}


def _same_origin(request: Request) -> None:
    """CSRF defence for these two forms: the browser's Origin (or Referer) must be this host."""
    source = request.headers.get("origin") or request.headers.get("referer")
    if not source or urlsplit(source).netloc != request.headers.get("host", ""):
        raise PermissionDeniedException(detail="cross-site form rejected")


async def _render(request: Request, new_key=None, errors=None, status_code: int = 200) -> Template:
    lang = "en" if request.query_params.get("lang") == "en" or request.cookies.get("lang") == "en" else "id"
    return page(request, "open311/keys.html", status_code=status_code, keys=await list_keys(), new_key=new_key,
                errors=errors or [], txt=TEXT[lang])


def route_handlers() -> list:
    try:
        from admin_ui.auth import requires_roles
    except ImportError:
        return []

    class Open311KeysController(Controller):
        path = "/admin/open311-keys"
        include_in_schema = False
        guards = [requires_roles("admin")]

        @get("/")
        async def index(self, request: Request) -> Template:
            return await _render(request)

        @post("/")
        async def create(self, request: Request) -> Template:
            _same_origin(request)
            form = await request.form()
            try:
                key = await create_key(form.get("name") if isinstance(form.get("name"), str) else "")
            except InputError as exc:
                return await _render(request, errors=[e.message for e in exc.errors], status_code=400)
            return await _render(request, new_key=key, status_code=201)

        @post("/revoke")
        async def revoke(self, request: Request) -> Template:
            _same_origin(request)
            form = await request.form()
            try:
                await revoke_key(form.get("prefix") if isinstance(form.get("prefix"), str) else "")
            except InputError as exc:
                return await _render(request, errors=[e.message for e in exc.errors], status_code=400)
            return await _render(request)

    return [Open311KeysController]
