"""/admin/open311-keys: admins create, list and revoke Open311 API keys (a new key is shown once)."""
from __future__ import annotations

from litestar import Controller, Request, Response, get, post

from admin_ui.auth import requires_roles
from admin_ui.rendering import form_text, render
from feedback.errors import InputError
from feedback.open311.keys import create_key, list_keys, revoke_key
from feedback.web.i18n import get_lang

TEXT = {
    "id": {"title": "Kunci API Open311", "create": "Buat kunci", "name": "Nama mitra", "revoke": "Cabut",
           "shown_once": "Salin kunci ini sekarang; kunci tidak akan ditampilkan lagi.", "active": "aktif",
           "revoked": "dicabut", "prefix": "Awalan", "created": "Dibuat", "state": "Status", "none": "Belum ada kunci."},
    "en": {"title": "Open311 API keys", "create": "Create key", "name": "Partner name", "revoke": "Revoke",
           "shown_once": "Copy this key now; it will not be shown again.", "active": "active",
           "revoked": "revoked", "prefix": "Prefix", "created": "Created", "state": "State", "none": "No keys yet."},
}


async def _page(request: Request, new_key=None, errors=None, status_code: int = 200) -> Response:
    lang = get_lang(request)
    return render(request, "open311/keys.html", status_code=status_code, keys=await list_keys(), new_key=new_key,
                  errors=errors or [], txt=TEXT["en" if lang == "en" else "id"])


class Open311KeysController(Controller):
    path = "/admin/open311-keys"
    include_in_schema = False
    guards = [requires_roles("admin")]

    @get("/")
    async def index(self, request: Request) -> Response:
        return await _page(request)

    @post("/", status_code=200)
    async def create(self, request: Request) -> Response:
        try:
            key = await create_key(form_text(await request.form(), "name"))
        except InputError as exc:
            return await _page(request, errors=[e.message for e in exc.errors], status_code=400)
        return await _page(request, new_key=key, status_code=201)

    @post("/revoke", status_code=200)
    async def revoke(self, request: Request) -> Response:
        try:
            await revoke_key(form_text(await request.form(), "prefix"))
        except InputError as exc:
            return await _page(request, errors=[e.message for e in exc.errors], status_code=400)
        return await _page(request)
