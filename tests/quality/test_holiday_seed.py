"""Holidays seeded from the `holidays` package into the table; table rows are local decisions."""
from __future__ import annotations

from datetime import date

from feedback.quality.sla import load_calendar, reset_calendar_cache
from feedback.routing.seed import seed_holidays
from feedback.tables import Holiday
from tests.conftest import run_async


def test_seeded_2029_public_holiday_is_not_a_working_day(settings):
    local = date(2029, 8, 16)  # a Thursday the city gives off: a row staff added before seeding
    run_async(Holiday.insert(Holiday(day=local, name="Hari jadi kota")))
    assert run_async(seed_holidays(years=[2029])) > 15
    assert run_async(seed_holidays(years=[2029])) == 0  # idempotent
    reset_calendar_cache()
    calendar = run_async(load_calendar(settings.timezone))
    assert not calendar.is_working_day(date(2029, 8, 17))   # Independence Day, a Friday
    assert not calendar.is_working_day(date(2029, 12, 25))  # Christmas, a Tuesday
    assert not calendar.is_working_day(local)
    assert calendar.is_working_day(date(2029, 8, 15))
    row = run_async(Holiday.select(Holiday.name).where(Holiday.day == local).first())
    assert row["name"] == "Hari jadi kota"                  # seeding never changes an existing row
