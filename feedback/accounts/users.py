"""Staff accounts: creation, authentication with throttling and lockout, password changes."""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from feedback.accounts.audit import record_audit
from feedback.accounts.passwords import hash_password, needs_rehash, verify_password
from feedback.accounts.roles import ROLES, Role, StaffContext
from feedback.errors import FieldError, InputError
from feedback.settings import Settings
from feedback.tables import Agency, StaffSession, StaffUser
from feedback.tracking.lifecycle import utcnow

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
MIN_PASSWORD = 10
# Verified against when the username is unknown, so both cases cost one Argon2 hash.
_DUMMY_HASH = hash_password(secrets.token_urlsafe(16))


@dataclass
class LoginResult:
    ok: bool
    user: dict[str, Any] | None = None
    reason: str = ""  # bad_credentials | locked | inactive


def staff_context(row: dict[str, Any]) -> StaffContext:
    return StaffContext(id=row["id"], username=row["username"], role=row["role"], agency_id=row["agency"],
                        is_head=bool(row["is_agency_head"]), full_name=row.get("full_name") or "",
                        must_change_password=bool(row.get("must_change_password")))


def validate_password(password: Any, field: str = "password") -> str:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD or len(password) > 256:
        raise InputError.single(field, "weak_password", f"Kata sandi minimal {MIN_PASSWORD} karakter.",
                                f"The password must have at least {MIN_PASSWORD} characters.", 422)
    return password


async def _agency_id(code: str | None) -> int | None:
    if not code:
        return None
    row = await Agency.select(Agency.id).where(Agency.code == code.strip().lower()).first()
    if row is None:
        raise InputError.single("agency", "unknown_agency", f"Instansi '{code}' tidak dikenal.", f"Unknown agency '{code}'.", 422)
    return row["id"]


def _check_role(role: str, agency_id: int | None, is_head: bool) -> list[FieldError]:
    errors = []
    if role not in ROLES:
        errors.append(FieldError("role", "invalid_role", "Peran tidak dikenal.", f"Unknown role; use one of {', '.join(ROLES)}."))
    if role == Role.AGENCY_STAFF and agency_id is None:
        errors.append(FieldError("agency", "agency_required", "Petugas instansi harus terhubung ke instansi.",
                                 "Agency staff must belong to an agency."))
    if is_head and role != Role.AGENCY_STAFF:
        errors.append(FieldError("is_head", "head_needs_agency", "Hanya petugas instansi yang bisa menjadi kepala.",
                                 "Only agency staff can be an agency head."))
    return errors


async def create_user(username: str, role: str, *, password: str | None = None, agency_code: str | None = None,
                      agency_id: int | None = None, is_head: bool = False, full_name: str = "", email: str | None = None,
                      actor: StaffContext | None = None, ip: str | None = None) -> tuple[dict[str, Any], str]:
    """Create a staff user; returns (row, password). A generated password must be changed at first login."""
    username = (username or "").strip().lower()
    errors: list[FieldError] = []
    if not USERNAME_RE.match(username):
        errors.append(FieldError("username", "invalid_username", "Nama pengguna 3-64 karakter: huruf kecil, angka, . _ -",
                                 "Username: 3-64 characters, lowercase letters, digits, . _ -"))
    if agency_code:
        agency_id = await _agency_id(agency_code)
    errors += _check_role(role, agency_id, is_head)
    generated = password is None
    password = password if password is not None else secrets.token_urlsafe(12)
    if errors:
        raise InputError(errors, 422)
    validate_password(password)
    if await StaffUser.exists().where(StaffUser.username == username):
        raise InputError.single("username", "taken", "Nama pengguna sudah dipakai.", "This username is taken.", 409)
    rows = await StaffUser.insert(StaffUser(
        username=username, full_name=full_name.strip(), email=(email or "").strip() or None, password_hash=hash_password(password),
        role=role, agency=agency_id if role == Role.AGENCY_STAFF else None, is_agency_head=is_head,
        must_change_password=generated, created_at=utcnow(),
    )).returning(*StaffUser.all_columns())
    await record_audit("user_created", actor_id=actor.id if actor else None, actor_label=actor.label if actor else "cli",
                       target=f"user:{username}", data={"role": role, "agency_id": agency_id, "is_head": is_head}, ip=ip)
    return rows[0], password


async def update_user(user_id: int, *, role: str, agency_id: int | None, is_head: bool, active: bool,
                      full_name: str, email: str | None, actor: StaffContext, ip: str | None = None) -> dict[str, Any]:
    """Change a user's role, agency, head flag or active state (an audited permission change)."""
    row = await StaffUser.select().where(StaffUser.id == user_id).first()
    if row is None:
        raise InputError.single("user", "not_found", "Pengguna tidak ditemukan.", "User not found.", 404)
    agency_id = agency_id if role == Role.AGENCY_STAFF else None
    errors = _check_role(role, agency_id, is_head)
    if user_id == actor.id and (role != row["role"] or not active):
        errors.append(FieldError("role", "self_demotion", "Anda tidak dapat menurunkan atau menonaktifkan akun sendiri.",
                                 "You cannot demote or deactivate your own account."))
    if errors:
        raise InputError(errors, 422)
    before = {k: row[k] for k in ("role", "agency", "is_agency_head", "active")}
    after = {"role": role, "agency": agency_id, "is_agency_head": is_head, "active": active}
    await StaffUser.update({StaffUser.role: role, StaffUser.agency: agency_id, StaffUser.is_agency_head: is_head,
                            StaffUser.active: active, StaffUser.full_name: full_name.strip(),
                            StaffUser.email: (email or "").strip() or None}).where(StaffUser.id == user_id)
    if before != after:
        await record_audit("permissions_changed", actor_id=actor.id, actor_label=actor.label, target=f"user:{row['username']}",
                           data={"before": before, "after": after}, ip=ip)
        # A changed role must not keep working through sessions opened under the old one.
        await StaffSession.delete().where(StaffSession.user == user_id)
    return {**row, **after}


async def authenticate(username: str, password: str, settings: Settings, ip: str | None = None) -> LoginResult:
    """Check a login; count failures and lock the account after too many (audited either way)."""
    username = (username or "").strip().lower()[:64]
    row = await StaffUser.select().where(StaffUser.username == username).first() if username else None
    now = utcnow()
    if row is None:
        verify_password(_DUMMY_HASH, password or "")
        await record_audit("login_failed", actor_label=username, target=f"user:{username}", data={"reason": "unknown_user"}, ip=ip)
        return LoginResult(False, reason="bad_credentials")
    if row["locked_until"] is not None and row["locked_until"] > now:
        await record_audit("login_failed", actor_id=row["id"], actor_label=username, target=f"user:{username}",
                           data={"reason": "locked"}, ip=ip)
        return LoginResult(False, row, reason="locked")
    if not verify_password(row["password_hash"], password or ""):
        failures = row["failed_logins"] + 1
        values: dict[Any, Any] = {StaffUser.failed_logins: failures}
        locked = failures >= settings.login_max_failures
        if locked:
            values[StaffUser.locked_until] = now + timedelta(minutes=settings.login_lockout_minutes)
            values[StaffUser.failed_logins] = 0
        await StaffUser.update(values).where(StaffUser.id == row["id"])
        await record_audit("account_locked" if locked else "login_failed", actor_id=row["id"], actor_label=username,
                           target=f"user:{username}", data={"reason": "bad_password", "failures": failures}, ip=ip)
        return LoginResult(False, row, reason="locked" if locked else "bad_credentials")
    if not row["active"]:
        await record_audit("login_failed", actor_id=row["id"], actor_label=username, target=f"user:{username}",
                           data={"reason": "inactive"}, ip=ip)
        return LoginResult(False, row, reason="bad_credentials")
    values = {StaffUser.failed_logins: 0, StaffUser.locked_until: None, StaffUser.last_login_at: now}
    if needs_rehash(row["password_hash"]):
        values[StaffUser.password_hash] = hash_password(password)
    await StaffUser.update(values).where(StaffUser.id == row["id"])
    await record_audit("login", actor_id=row["id"], actor_label=username, target=f"user:{username}", ip=ip)
    return LoginResult(True, row)


async def change_password(staff: StaffContext, current: str, new: str, ip: str | None = None) -> None:
    row = await StaffUser.select(StaffUser.password_hash).where(StaffUser.id == staff.id).first()
    if row is None or not verify_password(row["password_hash"], current or ""):
        raise InputError.single("current_password", "wrong_password", "Kata sandi lama salah.", "The current password is wrong.", 422)
    validate_password(new, "new_password")
    if new == current:
        raise InputError.single("new_password", "same_password", "Kata sandi baru harus berbeda.", "The new password must differ.", 422)
    await StaffUser.update({StaffUser.password_hash: hash_password(new), StaffUser.must_change_password: False}).where(
        StaffUser.id == staff.id)
    await record_audit("password_changed", actor_id=staff.id, actor_label=staff.label, target=f"user:{staff.username}", ip=ip)


async def reset_password(user_id: int, *, actor: StaffContext | None, new_password: str | None = None,
                         ip: str | None = None) -> str:
    """Admin reset: a new (generated) password, must be changed at next login; ends the user's sessions."""
    row = await StaffUser.select(StaffUser.username).where(StaffUser.id == user_id).first()
    if row is None:
        raise InputError.single("user", "not_found", "Pengguna tidak ditemukan.", "User not found.", 404)
    password = new_password or secrets.token_urlsafe(12)
    validate_password(password)
    await StaffUser.update({StaffUser.password_hash: hash_password(password), StaffUser.must_change_password: True,
                            StaffUser.failed_logins: 0, StaffUser.locked_until: None}).where(StaffUser.id == user_id)
    await StaffSession.delete().where(StaffSession.user == user_id)
    await record_audit("password_reset", actor_id=actor.id if actor else None, actor_label=actor.label if actor else "cli",
                       target=f"user:{row['username']}", ip=ip)
    return password
