"""Administration pages (admin role only): agencies, categories, routing rules, SLA targets, users, audit log."""
from __future__ import annotations

from litestar import Controller, Request, Response, get, post
from litestar.response import Redirect

from admin_ui.auth import client_ip, current_staff, requires_roles
from admin_ui.rendering import form_text, render
from feedback.accounts.roles import ROLES, Role
from feedback.accounts.users import create_user, reset_password, update_user
from feedback.errors import InputError
from feedback.staff import admin_services as svc
from feedback.tables import Agency, AuditEvent, Category, RoutingRule, SlaTarget, StaffUser


def _id(form, name: str) -> int | None:
    raw = form_text(form, name).strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 12:
        raise InputError.single(name, "invalid_id", "Pilihan tidak valid.", "Invalid choice.", 422)
    return int(raw)


def _on(form, name: str) -> bool:
    return form_text(form, name) in ("on", "1", "true")


async def _agencies():
    return await Agency.select().order_by(Agency.name)


class AdminController(Controller):
    path = "/admin/manage"
    include_in_schema = False
    guards = [requires_roles(Role.ADMIN)]

    @get("/agencies")
    async def agencies(self, request: Request) -> Response:
        return render(request, "admin/manage_agencies.html", agencies=await _agencies())

    @post("/agencies")
    async def agency_save(self, request: Request) -> Redirect:
        form = await request.form()
        await svc.save_agency(current_staff(request), _id(form, "id"), code=form_text(form, "code"), name=form_text(form, "name"),
                              name_en=form_text(form, "name_en"), email=form_text(form, "email"), active=_on(form, "active"), ip=client_ip(request))
        return Redirect("/admin/manage/agencies", status_code=303)

    @get("/categories")
    async def categories(self, request: Request) -> Response:
        return render(request, "admin/manage_categories.html", categories=await Category.select().order_by(Category.code),
                      agencies=await _agencies())

    @post("/categories/{category_id:int}")
    async def category_save(self, request: Request, category_id: int) -> Redirect:
        form = await request.form()
        await svc.save_category(current_staff(request), category_id, name=form_text(form, "name"), name_en=form_text(form, "name_en"),
                                default_agency=_id(form, "default_agency"), first_hours=form_text(form, "first_response_hours"),
                                resolution_hours=form_text(form, "resolution_hours"), active=_on(form, "active"), ip=client_ip(request))
        return Redirect("/admin/manage/categories", status_code=303)

    @get("/rules")
    async def rules(self, request: Request) -> Response:
        rules = await RoutingRule.select(RoutingRule.all_columns(), RoutingRule.category.code.as_alias("category_code"),
                                         RoutingRule.agency.code.as_alias("agency_code")).order_by(RoutingRule.id)
        return render(request, "admin/manage_rules.html", rules=rules, agencies=await _agencies(),
                      categories=await Category.select(Category.id, Category.code).order_by(Category.code))

    @post("/rules")
    async def rule_add(self, request: Request) -> Redirect:
        form = await request.form()
        await svc.add_rule(current_staff(request), category_id=_id(form, "category"), agency_id=_id(form, "agency"),
                           kecamatan=form_text(form, "kecamatan"), ip=client_ip(request))
        return Redirect("/admin/manage/rules", status_code=303)

    @post("/rules/{rule_id:int}/toggle")
    async def rule_toggle(self, request: Request, rule_id: int) -> Redirect:
        await svc.toggle_rule(current_staff(request), rule_id, ip=client_ip(request))
        return Redirect("/admin/manage/rules", status_code=303)

    @get("/sla")
    async def sla(self, request: Request) -> Response:
        targets = await SlaTarget.select(SlaTarget.all_columns(), SlaTarget.category.code.as_alias("category_code")).order_by(SlaTarget.id)
        return render(request, "admin/manage_sla.html", targets=targets,
                      categories=await Category.select(Category.id, Category.code, Category.sla_first_response_hours,
                                                       Category.sla_resolution_hours).order_by(Category.code))

    @post("/sla")
    async def sla_save(self, request: Request) -> Redirect:
        form = await request.form()
        await svc.save_sla_target(current_staff(request), category_id=_id(form, "category"), priority=form_text(form, "priority"),
                                  first_hours=form_text(form, "first_response_hours"), resolution_hours=form_text(form, "resolution_hours"),
                                  ip=client_ip(request))
        return Redirect("/admin/manage/sla", status_code=303)

    @post("/sla/{target_id:int}/delete")
    async def sla_delete(self, request: Request, target_id: int) -> Redirect:
        await svc.delete_sla_target(current_staff(request), target_id, ip=client_ip(request))
        return Redirect("/admin/manage/sla", status_code=303)

    @get("/users")
    async def users(self, request: Request) -> Response:
        users = await StaffUser.select(StaffUser.id, StaffUser.username, StaffUser.full_name, StaffUser.email, StaffUser.role,
                                       StaffUser.agency, StaffUser.is_agency_head, StaffUser.active, StaffUser.locked_until,
                                       StaffUser.last_login_at).order_by(StaffUser.username)
        return render(request, "admin/manage_users.html", users=users, agencies=await _agencies(), roles=ROLES,
                      new_password=None)

    @post("/users")
    async def user_create(self, request: Request) -> Response:
        form = await request.form()
        agency_id = _id(form, "agency")
        row, password = await create_user(form_text(form, "username"), form_text(form, "role"), agency_id=agency_id, is_head=_on(form, "is_head"),
                                          full_name=form_text(form, "full_name"), email=form_text(form, "email") or None,
                                          actor=current_staff(request), ip=client_ip(request))
        return render(request, "admin/password_shown.html", username=row["username"], new_password=password)

    @post("/users/{user_id:int}")
    async def user_update(self, request: Request, user_id: int) -> Redirect:
        form = await request.form()
        await update_user(user_id, role=form_text(form, "role"), agency_id=_id(form, "agency"), is_head=_on(form, "is_head"),
                          active=_on(form, "active"), full_name=form_text(form, "full_name"), email=form_text(form, "email") or None,
                          actor=current_staff(request), ip=client_ip(request))
        return Redirect("/admin/manage/users", status_code=303)

    @post("/users/{user_id:int}/reset")
    async def user_reset(self, request: Request, user_id: int) -> Response:
        password = await reset_password(user_id, actor=current_staff(request), ip=client_ip(request))
        row = await StaffUser.select(StaffUser.username).where(StaffUser.id == user_id).first()
        return render(request, "admin/password_shown.html", username=row["username"], new_password=password)

    @get("/audit")
    async def audit(self, request: Request) -> Response:
        rows = await AuditEvent.select().order_by(AuditEvent.id, ascending=False).limit(200)
        return render(request, "admin/manage_audit.html", rows=rows)
