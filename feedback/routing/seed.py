"""Seed the default taxonomy, agencies, holidays and a demo admin. Safe to run twice."""
from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from feedback.accounts.passwords import hash_password
from feedback.quality.calendar import holiday_entries
from feedback.routing.taxonomy import DEFAULT_AGENCIES, DEFAULT_CATEGORIES
from feedback.tables import Agency, Category, Holiday, StaffUser


@dataclass
class SeedReport:
    agencies_created: int = 0
    categories_created: int = 0
    holidays_created: int = 0
    admin_username: str | None = None
    admin_password: str | None = None  # only when the admin was created now


async def seed_taxonomy() -> tuple[int, int]:
    agencies_created = categories_created = 0
    agency_ids: dict[str, int] = {}
    for code, (name, name_en) in DEFAULT_AGENCIES.items():
        row = await Agency.select(Agency.id).where(Agency.code == code).first()
        if row is None:
            row = (await Agency.insert(Agency(code=code, name=name, name_en=name_en)).returning(Agency.id))[0]
            agencies_created += 1
        agency_ids[code] = row["id"]
    for cat in DEFAULT_CATEGORIES:
        if await Category.exists().where(Category.code == cat.code):
            continue
        await Category.insert(Category(
            code=cat.code, name=cat.name, name_en=cat.name_en, description=cat.description,
            description_en=cat.description_en, default_agency=agency_ids[cat.agency_code],
            sla_first_response_hours=cat.first_response_hours, sla_resolution_hours=cat.resolution_hours,
        ))
        categories_created += 1
    return agencies_created, categories_created


async def seed_holidays(years: Iterable[int] | None = None) -> int:
    """Add the holidays of `years` (default: last year to five ahead) that the table lacks.

    Rows already in the table are local decisions and are never changed; re-run `feedback seed`
    (every release does) to extend the table to later years.
    """
    created = 0
    for entry in holiday_entries(years):
        day = date.fromisoformat(entry["date"])
        if not await Holiday.exists().where(Holiday.day == day):
            await Holiday.insert(Holiday(day=day, name=entry["name"][:200]))
            created += 1
    return created


async def seed_demo_admin(username: str = "admin", password: str | None = None) -> str | None:
    """Create the demo admin if missing; returns the generated password only on creation."""
    if await StaffUser.exists().where(StaffUser.username == username):
        return None
    password = password or secrets.token_urlsafe(12)
    await StaffUser.insert(StaffUser(
        username=username, full_name="Administrator Demo", password_hash=hash_password(password), role="admin",
    ))
    return password


async def seed_all(admin_password: str | None = None) -> SeedReport:
    report = SeedReport()
    report.agencies_created, report.categories_created = await seed_taxonomy()
    report.holidays_created = await seed_holidays()
    report.admin_username = "admin"
    report.admin_password = await seed_demo_admin("admin", admin_password)
    return report
