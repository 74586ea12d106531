"""Ticket screens: triage queue, inbox (filters, search, sort, pages, counts), my work, detail and actions."""
from __future__ import annotations

import csv
import io
from urllib.parse import quote

from litestar import Controller, MediaType, Request, Response, get, post
from litestar.datastructures import State
from litestar.response import Redirect

from admin_ui.auth import current_staff, requires_roles
from admin_ui.rendering import form_text, is_htmx, render
from feedback.accounts.roles import Role
from feedback.errors import InputError
from feedback.staff import actions
from feedback.staff.permissions import (
    REJECT_REASONS_UI, can_assign, can_escalate, can_note, can_reject, can_route, can_work_ticket,
)
from feedback.staff.queries import InboxFilters, attachment_for, inbox, my_work, status_counts, ticket_detail, triage_queue
from feedback.storage import FileStore
from feedback.tables import Agency, Category
from feedback.tracking.statuses import ALLOWED_TRANSITIONS, TicketStatus

READERS = (Role.ADMIN, Role.MANAGER, Role.DISPATCHER, Role.AGENCY_STAFF)
ACTORS = (Role.ADMIN, Role.DISPATCHER, Role.AGENCY_STAFF)
CSV_LIMIT = 5000


def _int_or_none(raw: str, field: str) -> int | None:
    raw = raw.strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 12:
        raise InputError.single(field, "invalid_id", "Pilihan tidak valid.", "Invalid choice.", 422)
    return int(raw)


async def _choices() -> dict:
    return {
        "categories": await Category.select(Category.id, Category.code, Category.name, Category.name_en).where(
            Category.active == True).order_by(Category.name),  # noqa: E712
        "agencies": await Agency.select(Agency.id, Agency.code, Agency.name).where(Agency.active == True).order_by(Agency.name),  # noqa: E712
    }


def _csv_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text  # no formula injection in spreadsheets


class TicketController(Controller):
    path = "/admin"
    include_in_schema = False

    @get("/inbox", guards=[requires_roles(*READERS)])
    async def inbox_page(self, request: Request) -> Response:
        staff = current_staff(request)
        filters = InboxFilters.from_params(dict(request.query_params))
        result = await inbox(staff, filters)
        template = "admin/_inbox_results.html" if is_htmx(request) else "admin/inbox.html"
        return render(request, template, f=filters, result=result, **await _choices())

    @get("/inbox.csv", guards=[requires_roles(*READERS)])
    async def inbox_csv(self, request: Request) -> Response:
        staff = current_staff(request)
        filters = InboxFilters.from_params(dict(request.query_params))
        filters.page = 1
        result = await inbox(staff, filters, page_size=CSV_LIMIT)
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["id", "tracking_code", "status", "priority", "channel", "category", "agency", "created_at", "due_at",
                         "sla_resolution", "title"])
        for r in result["rows"]:
            writer.writerow([_csv_cell(v) for v in (
                r["id"], r["tracking_code"], r["status"], r["priority"], r["channel"],
                r["category_row"]["code"] if r["category_row"] else "", r["agency_row"]["code"] if r["agency_row"] else "",
                r["created_at"].isoformat(), r["due_at"].isoformat() if r["due_at"] else "", r["sla_resolution"].state, r["title"] or "")])
        return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="tiket.csv"'})

    @get("/api/counts", guards=[requires_roles(*READERS)])
    async def counts_api(self, request: Request) -> dict:
        return {"counts": await status_counts(current_staff(request))}

    @get("/triage", guards=[requires_roles(Role.ADMIN, Role.DISPATCHER, Role.MANAGER)])
    async def triage_page(self, request: Request) -> Response:
        staff = current_staff(request)
        try:
            page = max(1, int(request.query_params.get("page") or 1))
        except ValueError:
            page = 1
        return render(request, "admin/triage.html", result=await triage_queue(staff, page), can_route=can_route(staff),
                      reject_reasons=REJECT_REASONS_UI, **await _choices())

    @get("/my", guards=[requires_roles(*READERS)])
    async def my_work_page(self, request: Request) -> Response:
        return render(request, "admin/my_work.html", result=await my_work(current_staff(request)))

    @get("/tickets/{ticket_id:int}", guards=[requires_roles(*READERS)])
    async def detail(self, request: Request, ticket_id: int) -> Response:
        staff = current_staff(request)
        data = await ticket_detail(staff, ticket_id)
        ticket = data["ticket"]
        perms = {
            "work": can_work_ticket(staff, ticket), "note": can_note(staff, ticket), "route": can_route(staff),
            "reject": can_reject(staff, ticket) and TicketStatus.REJECTED in ALLOWED_TRANSITIONS[TicketStatus(ticket["status"])], "assign_any": can_assign(staff, ticket, None) and (staff.is_head or staff.role == Role.ADMIN),
            "take": can_assign(staff, ticket, staff.id), "escalate": can_escalate(staff, ticket),
        }
        return render(request, "admin/detail.html", d=data, tk=ticket, perms=perms, reject_reasons=REJECT_REASONS_UI,
                      status_actions=actions.allowed_status_actions(staff, ticket), **await _choices())

    @get("/tickets/{ticket_id:int}/attachments/{attachment_id:int}", guards=[requires_roles(*READERS)])
    async def attachment(self, request: Request, state: State, ticket_id: int, attachment_id: int) -> Response:
        row = await attachment_for(current_staff(request), ticket_id, attachment_id)
        data = FileStore(state.settings.upload_dir).read(row["storage_key"])
        return Response(data, media_type=row["content_type"], headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(row['filename'])}",
            "Cache-Control": "private, no-store",
        })

    @post("/tickets/{ticket_id:int}/{action:str}", guards=[requires_roles(*ACTORS)])
    async def act(self, request: Request, state: State, ticket_id: int, action: str) -> Response:
        staff = current_staff(request)
        form = await request.form()
        if action == "respond":
            await actions.respond_publicly(staff, ticket_id, form_text(form, "body"))
        elif action == "note":
            await actions.add_internal_note(staff, ticket_id, form_text(form, "body"))
        elif action == "status":
            await actions.set_status(staff, ticket_id, form_text(form, "status"), form_text(form, "note"), form_text(form, "expected_status") or None)
        elif action == "assign":
            await actions.assign(staff, ticket_id, _int_or_none(form_text(form, "assignee"), "assignee"))
        elif action == "route":
            await actions.route(staff, ticket_id, form_text(form, "category"), _int_or_none(form_text(form, "agency"), "agency"),
                                form_text(form, "reason"), state.settings)
        elif action == "reject":
            await actions.reject(staff, ticket_id, form_text(form, "reason_code"), form_text(form, "reason"))
        elif action == "merge":
            await actions.merge_duplicate(staff, ticket_id, form_text(form, "target"))
        elif action == "escalate":
            await actions.escalate(staff, ticket_id)
        else:
            return Response("Tindakan tidak dikenal. / Unknown action.", status_code=404, media_type=MediaType.TEXT)
        back = form_text(form, "back")
        if is_htmx(request) and back == "triage":
            return render(request, "admin/_triage_done.html", ticket_id=ticket_id, action=action)
        return Redirect("/admin/triage" if back == "triage" else f"/admin/tickets/{ticket_id}", status_code=303)
