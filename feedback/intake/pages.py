"""Public submission form (works on a small phone without JavaScript)."""
from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import State, UploadFile
from litestar.exceptions import HTTPException
from litestar.response import Redirect, Template

from feedback.errors import InputError
from feedback.intake.messages import Channel, IntakeAttachment, IntakeMessage
from feedback.intake.services import create_ticket
from feedback.tracking.codes import format_code, normalize_code
from feedback.web.i18n import get_lang
from feedback.web.pages import page

FORM_FIELDS = ("kind", "title", "text", "location", "kecamatan", "privacy", "name", "email", "phone")


def _parse_float(value: str | None, field: str) -> float | None:
    if value in (None, ""):
        return None
    try:
        return float(value)
    except ValueError as exc:
        raise InputError.single(field, "not_a_number", f"{field} harus berupa angka.", f"{field} must be a number.") from exc


async def _read_uploads(form: Any) -> list[IntakeAttachment]:
    attachments = []
    for item in form.getall("attachments", []) if hasattr(form, "getall") else []:
        if isinstance(item, UploadFile) and item.filename:
            data = await item.read()
            if data:
                attachments.append(IntakeAttachment(filename=item.filename, data=data, declared_type=item.content_type))
    return attachments


class PublicIntakeController(Controller):
    path = "/"
    include_in_schema = False

    @get("/")
    async def form(self, request: Request) -> Template:
        return page(request, "public/form.html", values={"kind": "complaint", "privacy": "public"}, errors=[])

    @post("/submit", request_max_body_size=60 * 1024 * 1024)
    async def submit(self, request: Request, state: State) -> Template | Redirect:
        settings = state.settings
        await state.rate_limiter.hit(request, "submit")
        try:
            form = await request.form()
        except HTTPException:
            raise
        except Exception as exc:
            raise InputError.single("form", "malformed_form", "Formulir tidak dapat dibaca.", "The form could not be read.") from exc
        values = {name: (form.get(name) if isinstance(form.get(name), str) else "") for name in FORM_FIELDS}
        try:
            attachments = await _read_uploads(form)
            msg = IntakeMessage(
                text=values["text"] or "", channel=Channel.WEB, kind=values["kind"] or "complaint",
                title=values["title"], location=values["location"], kecamatan=values["kecamatan"],
                reporter_name=values["name"], reporter_email=values["email"], reporter_phone=values["phone"],
                privacy=values["privacy"] or "public",
                lat=_parse_float(form.get("lat") if isinstance(form.get("lat"), str) else None, "lat"),
                long=_parse_float(form.get("long") if isinstance(form.get("long"), str) else None, "long"),
                attachments=attachments,
            )
            ticket = await create_ticket(msg, settings, state.dispatcher)
        except InputError as exc:
            lang = get_lang(request)
            messages = [e.message_en if lang == "en" else e.message for e in exc.errors]
            return page(request, "public/form.html", status_code=exc.status_code, values=values, errors=messages,
                        error_fields=[e.field for e in exc.errors])
        return Redirect(f"/submitted/{ticket['tracking_code']}", status_code=303)

    @get("/submitted/{code:str}")
    async def submitted(self, request: Request, code: str) -> Template:
        normalized = normalize_code(code)
        if normalized is None:
            return page(request, "public/track.html", status_code=404, not_found=True, ticket=None, code=code)
        return page(request, "public/submitted.html", code=format_code(normalized), raw_code=normalized)
