"""A small hand-built ticket history (March 2025, WIB) whose figures are worked out by hand in the tests."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from feedback.quality.calendar import WorkingCalendar
from feedback.quality.periods import ReportFilter, period_bounds
from feedback.tables import Agency, Category, SatisfactionRating, Ticket

NOW = datetime(2025, 4, 5, tzinfo=UTC)
# Working hours 08:00-16:00 WIB (01:00-09:00 UTC), Monday-Friday; Wednesday 5 March is a holiday.
CALENDAR = WorkingCalendar(holidays={date(2025, 3, 5)})
MARCH = ReportFilter(*period_bounds("month", date(2025, 3, 1)), period="month")
H = 3600


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


async def ids() -> dict[str, int]:
    agencies = {r["code"]: r["id"] for r in await Agency.select(Agency.id, Agency.code)}
    categories = {r["code"]: r["id"] for r in await Category.select(Category.id, Category.code)}
    return {"A": agencies["dpupr"], "B": agencies["dlh"], "infra": categories["infrastruktur_jalan"],
            "clean": categories["kebersihan_lingkungan"]}


async def add_ticket(code: str, **fields) -> int:
    values = dict(tracking_code=code, kind="complaint", channel="web", text=f"Teks laporan rahasia {code}",
                  status="in_progress")
    values.update(fields)
    row = Ticket(**values)
    await row.save()
    return row.id


async def build() -> dict[str, int]:
    """Insert the tickets T1..T8 and ratings; returns their ids plus agency/category ids."""
    k = await ids()
    t = dict(k)
    t["T1"] = await add_ticket(
        "T1", agency=k["A"], category=k["infra"], predicted_category="infrastruktur_jalan", status="resolved",
        created_at=utc(2025, 3, 3, 2), first_response_at=utc(2025, 3, 3, 4), first_response_due_at=utc(2025, 3, 3, 5),
        resolved_at=utc(2025, 3, 4, 8), due_at=utc(2025, 3, 4, 9))
    t["T2"] = await add_ticket(
        "T2", channel="counter", agency=k["A"], category=k["infra"], predicted_category="kebersihan_lingkungan",
        reroute_count=1, reopen_count=1, status="resolved",
        created_at=utc(2025, 3, 4, 2), first_response_at=utc(2025, 3, 4, 6), first_response_due_at=utc(2025, 3, 4, 5),
        resolved_at=utc(2025, 3, 6, 2), due_at=utc(2025, 3, 5, 2))
    t["T3"] = await add_ticket(
        "T3", agency=k["B"], category=k["clean"], predicted_category="kebersihan_lingkungan", status="closed",
        created_at=utc(2025, 3, 7, 8), first_response_at=utc(2025, 3, 10, 2), first_response_due_at=utc(2025, 3, 10, 1),
        resolved_at=utc(2025, 3, 10, 9), closed_at=utc(2025, 3, 11, 9), due_at=utc(2025, 3, 10, 0),
        paused_seconds=24 * H)
    t["T4"] = await add_ticket(
        "T4", channel="email", agency=k["B"], created_at=utc(2025, 3, 12, 3),
        first_response_due_at=utc(2025, 3, 12, 6), due_at=utc(2025, 3, 20, 0))
    t["T5"] = await add_ticket("T5", agency=k["A"], status="rejected", created_at=utc(2025, 3, 25, 1),
                               first_response_due_at=utc(2025, 3, 25, 4), due_at=utc(2025, 3, 26, 4))
    t["T6"] = await add_ticket("T6", agency=k["A"], status="resolved", created_at=utc(2025, 2, 20, 2),
                               resolved_at=utc(2025, 2, 21, 2))
    t["T7"] = await add_ticket("T7", agency=k["B"], created_at=utc(2025, 2, 25, 2))
    t["T8"] = await add_ticket("T8", agency=k["A"], status="resolved", created_at=utc(2025, 3, 28, 2),
                               resolved_at=utc(2025, 4, 2, 2))
    for ticket, score, at in (("T1", 5, utc(2025, 3, 5)), ("T2", 2, utc(2025, 3, 7)), ("T3", 4, utc(2025, 3, 12)),
                              ("T6", 3, utc(2025, 2, 22))):
        await SatisfactionRating(ticket=t[ticket], score=score, created_at=at).save()
    return t


def t3_working_resolution() -> float:
    # Fri 15:00-16:00 WIB (1 h) + Mon 08:00-16:00 (8 h) worked; 24 h of the 73 h were paused.
    gross, net = 73 * H, 73 * H - 24 * H
    return 9 * H * net / gross


def days(n: float) -> timedelta:
    return timedelta(days=n)
