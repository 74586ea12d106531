"""Public tracking pages: look-up form, status timeline, rating once resolved."""
from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.datastructures import State
from litestar.response import Redirect, Template

from feedback.errors import InputError
from feedback.tracking.codes import normalize_code
from feedback.tracking.public import TicketNotFound, public_ticket_view, rate_ticket
from feedback.web.i18n import get_lang
from feedback.web.pages import page


class PublicTrackingController(Controller):
    path = "/track"
    include_in_schema = False

    @get("/")
    async def lookup(self, request: Request, state: State) -> Template | Redirect:
        code = request.query_params.get("code", "").strip()
        if not code:
            return page(request, "public/track.html", ticket=None, not_found=False, code="")
        normalized = normalize_code(code)
        if normalized is None:
            await state.rate_limiter.hit(request, "track")
            return page(request, "public/track.html", status_code=404, ticket=None, not_found=True, code=code)
        return Redirect(f"/track/{normalized}", status_code=303)

    @get("/{code:str}")
    async def show(self, request: Request, state: State, code: str) -> Template:
        await state.rate_limiter.hit(request, "track")
        try:
            ticket = await public_ticket_view(code, get_lang(request))
        except TicketNotFound:
            return page(request, "public/track.html", status_code=404, ticket=None, not_found=True, code=code)
        return page(request, "public/track.html", ticket=ticket, not_found=False, code=code,
                    rated=request.query_params.get("rated") == "1", errors=[])

    @post("/{code:str}/rating")
    async def rate(self, request: Request, state: State, code: str) -> Template | Redirect:
        await state.rate_limiter.hit(request, "track")
        form = await request.form()
        raw_score = form.get("score")
        comment = form.get("comment") if isinstance(form.get("comment"), str) else None
        try:
            try:
                score = int(raw_score) if isinstance(raw_score, str) else None
            except ValueError:
                score = None
            await rate_ticket(code, score, comment)
        except TicketNotFound:
            return page(request, "public/track.html", status_code=404, ticket=None, not_found=True, code=code)
        except InputError as exc:
            lang = get_lang(request)
            ticket = await public_ticket_view(code, lang)
            return page(request, "public/track.html", status_code=exc.status_code, ticket=ticket, not_found=False, code=code,
                        errors=[e.message_en if lang == "en" else e.message for e in exc.errors])
        return Redirect(f"/track/{normalize_code(code)}?rated=1", status_code=303)
