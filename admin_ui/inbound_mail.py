"""/admin/inbound: every inbound email with its outcome (ignored and quarantined ones with the reason)."""
from __future__ import annotations

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.response import Redirect

from admin_ui.auth import requires_roles
from admin_ui.rendering import render
from feedback.intake.email_service import DONE_STATUSES, RECEIVED, reprocess_inbound
from feedback.tables import InboundEmail

STATUSES = (RECEIVED, *DONE_STATUSES)
PAGE_SIZE = 100


class InboundMailController(Controller):
    path = "/admin/inbound"
    include_in_schema = False
    guards = [requires_roles("admin")]

    @get("/")
    async def index(self, request: Request) -> Response:
        status = request.query_params.get("status")
        query = InboundEmail.select().order_by(InboundEmail.id, ascending=False).limit(PAGE_SIZE)
        if status in STATUSES:
            query = query.where(InboundEmail.status == status)
        return render(request, "counter/inbound.html", rows=await query, status=status, statuses=STATUSES)

    @post("/{inbound_id:int}/reprocess")
    async def reprocess(self, state: State, inbound_id: int) -> Response:
        try:
            await reprocess_inbound(inbound_id, state.settings, state.get("dispatcher"))
        except LookupError:
            return Response({"error": 404}, status_code=404)
        return Redirect("/admin/inbound", status_code=303)
