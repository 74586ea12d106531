"""Admin changes to reference data (agencies, categories, routing rules, SLA targets), each audited."""
from __future__ import annotations

import re
from typing import Any

from feedback.accounts.audit import record_audit
from feedback.accounts.roles import StaffContext
from feedback.errors import InputError
from feedback.quality.sla import reset_calendar_cache
from feedback.tables import Agency, Category, RoutingRule, SlaTarget
from feedback.tracking.priority import Priority

CODE_RE = re.compile(r"^[a-z0-9_]{2,64}$")


def _name(value: Any, field: str, required: bool = True) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if (required and not text) or len(text) > 200:
        raise InputError.single(field, "invalid_name", "Nama wajib diisi (maks. 200 karakter).", "A name is required (max 200 characters).", 422)
    return text


def _hours(value: Any, field: str) -> int:
    try:
        hours = int(str(value).strip())
    except ValueError:
        hours = -1
    if not 1 <= hours <= 24 * 365:
        raise InputError.single(field, "invalid_hours", "Jam harus bilangan bulat 1 sampai 8760.", "Hours must be a whole number from 1 to 8760.", 422)
    return hours


async def _audit(actor: StaffContext, action: str, target: str, data: dict, ip: str | None) -> None:
    await record_audit(action, actor_id=actor.id, actor_label=actor.label, target=target, data=data, ip=ip)


async def save_agency(actor: StaffContext, agency_id: int | None, *, code: str, name: Any, name_en: Any, email: Any,
                      active: bool, ip: str | None = None) -> int:
    name, name_en = _name(name, "name"), _name(name_en, "name_en", required=False)
    email = (email or "").strip() if isinstance(email, str) else ""
    if email and ("@" not in email or len(email) > 254):
        raise InputError.single("email", "invalid_email", "Alamat email tidak valid.", "Invalid email address.", 422)
    values = {"name": name, "name_en": name_en, "email": email or None, "active": active}
    if agency_id is None:
        code = (code or "").strip().lower()
        if not CODE_RE.match(code):
            raise InputError.single("code", "invalid_code", "Kode: 2-64 huruf kecil, angka atau _.", "Code: 2-64 lowercase letters, digits or _.", 422)
        if await Agency.exists().where(Agency.code == code):
            raise InputError.single("code", "taken", "Kode sudah dipakai.", "This code is taken.", 409)
        agency_id = (await Agency.insert(Agency(code=code, **values)).returning(Agency.id))[0]["id"]
        await _audit(actor, "agency_created", f"agency:{code}", values, ip)
        return agency_id
    if not await Agency.exists().where(Agency.id == agency_id):
        raise InputError.single("agency", "not_found", "Instansi tidak ditemukan.", "Agency not found.", 404)
    await Agency.update(values).where(Agency.id == agency_id)
    await _audit(actor, "agency_updated", f"agency:{agency_id}", values, ip)
    return agency_id


async def save_category(actor: StaffContext, category_id: int, *, name: Any, name_en: Any, default_agency: int | None,
                        first_hours: Any, resolution_hours: Any, active: bool, ip: str | None = None) -> None:
    if not await Category.exists().where(Category.id == category_id):
        raise InputError.single("category", "not_found", "Kategori tidak ditemukan.", "Category not found.", 404)
    if default_agency is not None and not await Agency.exists().where(Agency.id == default_agency):
        raise InputError.single("default_agency", "unknown_agency", "Instansi tidak dikenal.", "Unknown agency.", 422)
    values = {"name": _name(name, "name"), "name_en": _name(name_en, "name_en", required=False), "default_agency": default_agency,
              "sla_first_response_hours": _hours(first_hours, "first_response_hours"),
              "sla_resolution_hours": _hours(resolution_hours, "resolution_hours"), "active": active}
    await Category.update(values).where(Category.id == category_id)
    await _audit(actor, "category_updated", f"category:{category_id}", values, ip)


async def add_rule(actor: StaffContext, *, category_id: int | None, agency_id: int | None, kecamatan: Any, ip: str | None = None) -> None:
    if category_id is None or not await Category.exists().where(Category.id == category_id):
        raise InputError.single("category", "unknown_category", "Pilih kategori.", "Choose a category.", 422)
    if agency_id is None or not await Agency.exists().where(Agency.id == agency_id):
        raise InputError.single("agency", "unknown_agency", "Pilih instansi.", "Choose an agency.", 422)
    kec = kecamatan.strip()[:100] if isinstance(kecamatan, str) and kecamatan.strip() else None
    await RoutingRule.insert(RoutingRule(category=category_id, agency=agency_id, kecamatan=kec, active=True))
    await _audit(actor, "routing_rule_created", f"category:{category_id}", {"agency": agency_id, "kecamatan": kec}, ip)


async def toggle_rule(actor: StaffContext, rule_id: int, ip: str | None = None) -> None:
    row = await RoutingRule.select(RoutingRule.active).where(RoutingRule.id == rule_id).first()
    if row is None:
        raise InputError.single("rule", "not_found", "Aturan tidak ditemukan.", "Rule not found.", 404)
    await RoutingRule.update({RoutingRule.active: not row["active"]}).where(RoutingRule.id == rule_id)
    await _audit(actor, "routing_rule_toggled", f"rule:{rule_id}", {"active": not row["active"]}, ip)


async def save_sla_target(actor: StaffContext, *, category_id: int | None, priority: Any, first_hours: Any,
                          resolution_hours: Any, ip: str | None = None) -> None:
    if category_id is None or not await Category.exists().where(Category.id == category_id):
        raise InputError.single("category", "unknown_category", "Pilih kategori.", "Choose a category.", 422)
    if priority not in Priority.ALL:
        raise InputError.single("priority", "invalid_priority", "Prioritas tidak dikenal.", "Unknown priority.", 422)
    values = {"first_response_hours": _hours(first_hours, "first_response_hours"), "resolution_hours": _hours(resolution_hours, "resolution_hours")}
    existing = await SlaTarget.select(SlaTarget.id).where((SlaTarget.category == category_id) & (SlaTarget.priority == priority)).first()
    if existing:
        await SlaTarget.update(values).where(SlaTarget.id == existing["id"])
    else:
        await SlaTarget.insert(SlaTarget(category=category_id, priority=priority, **values))
    reset_calendar_cache()
    await _audit(actor, "sla_target_saved", f"category:{category_id}:{priority}", values, ip)


async def delete_sla_target(actor: StaffContext, target_id: int, ip: str | None = None) -> None:
    await SlaTarget.delete().where(SlaTarget.id == target_id)
    await _audit(actor, "sla_target_deleted", f"sla_target:{target_id}", {}, ip)
