"""Working-time calendar for SLA clocks (WIB, Monday–Friday 08:00–16:00 by default)."""
from __future__ import annotations

import json
import time as wallclock
from datetime import UTC, date, datetime, time, timedelta, timezone
from importlib import resources
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feedback.quality.calendar import (
    CalendarError,
    WorkingCalendar,
    default_holiday_years,
    holiday_entries,
    load_default_holidays,
    load_holiday_entries,
    package_holiday_entries,
)

WIB = ZoneInfo("Asia/Jakarta")
HOUR = 3600

# July 2025 has no Indonesian public holidays: Mon 7 .. Sun 13, Mon 14 .. Sun 20.
CAL = WorkingCalendar()


def wib(day: int, hour: int = 0, minute: int = 0, month: int = 7, year: int = 2025) -> datetime:
    """A WIB wall-clock moment, handed to the calendar as UTC like the database does."""
    return datetime(year, month, day, hour, minute, tzinfo=WIB).astimezone(UTC)


def hours_between(start, end, cal=CAL, **kwargs) -> float:
    return cal.working_seconds_between(start, end, **kwargs) / HOUR


# --- counting ---------------------------------------------------------------

def test_within_one_working_day():
    assert hours_between(wib(7, 9), wib(7, 11, 30)) == 2.5


def test_time_before_and_after_hours_is_not_counted():
    assert hours_between(wib(7, 6), wib(7, 18)) == 8          # Mon 06:00 → 18:00
    assert hours_between(wib(7, 17), wib(8, 7)) == 0          # Mon evening → Tue early
    assert hours_between(wib(7, 15), wib(8, 9)) == 2          # 1 h Mon + 1 h Tue


def test_weekend_is_skipped():
    assert hours_between(wib(11, 15), wib(14, 9)) == 2        # Fri 15:00 → Mon 09:00
    assert hours_between(wib(12, 10), wib(13, 20)) == 0       # Sat → Sun


def test_holiday_is_skipped():
    with_holiday = WorkingCalendar(holidays={date(2025, 7, 8)})
    # Mon 15:00 → Wed 09:00: 1 h Mon + (Tue is a holiday) + 1 h Wed
    assert hours_between(wib(7, 15), wib(9, 9), cal=with_holiday) == 2
    assert hours_between(wib(7, 15), wib(9, 9)) == 10         # 1 + 8 + 1 without it


def test_multi_week_span():
    # Mon 7 Jul 08:00 → Mon 21 Jul 08:00: ten working days × 8 h
    assert hours_between(wib(7, 8), wib(21, 8)) == 80
    two_holidays = WorkingCalendar(holidays={date(2025, 7, 9), date(2025, 7, 19)})  # Wed, Sat
    assert hours_between(wib(7, 8), wib(21, 8), cal=two_holidays) == 72


def test_local_date_not_utc_date_decides_the_working_day():
    # Sun 6 Jul 23:00 UTC is Mon 7 Jul 06:00 WIB; Mon 02:00 UTC is 09:00 WIB.
    start = datetime(2025, 7, 6, 23, 0, tzinfo=UTC)
    end = datetime(2025, 7, 7, 2, 0, tzinfo=UTC)
    assert hours_between(start, end) == 1
    # Fri 11 Jul 10:00 UTC is 17:00 WIB: after hours although still "daytime" in UTC.
    friday_evening = datetime(2025, 7, 11, 9, 0, tzinfo=UTC), datetime(2025, 7, 11, 12, 0, tzinfo=UTC)
    assert hours_between(*friday_evening) == 0


def test_any_aware_timezone_is_accepted():
    wit = timezone(timedelta(hours=9))  # Papua time: 10:00 WIT is 08:00 WIB
    assert hours_between(datetime(2025, 7, 7, 10, 0, tzinfo=wit), wib(7, 12)) == 4


def test_wib_has_no_daylight_saving():
    # The same UTC window 01:00–09:00 is the working day in January and July.
    assert hours_between(datetime(2025, 1, 6, 1, tzinfo=UTC), datetime(2025, 1, 6, 9, tzinfo=UTC)) == 8
    assert hours_between(datetime(2025, 7, 7, 1, tzinfo=UTC), datetime(2025, 7, 7, 9, tzinfo=UTC)) == 8


def test_daylight_saving_zone_counts_real_elapsed_time():
    # Europe/Amsterdam jumps 02:00 → 03:00 on Sun 30 Mar 2025: 01:00–04:00 local lasts 2 h.
    cal = WorkingCalendar(workdays=range(7), day_start=time(1), day_end=time(4), tz="Europe/Amsterdam")
    ams = ZoneInfo("Europe/Amsterdam")
    start, end = datetime(2025, 3, 30, 0, tzinfo=ams), datetime(2025, 3, 30, 5, tzinfo=ams)
    assert hours_between(start, end, cal=cal) == 2


def test_reversed_interval_is_negative():
    assert hours_between(wib(8, 9), wib(7, 15)) == -2


def test_sub_second_precision():
    start = wib(7, 9)
    assert CAL.working_seconds_between(start, start + timedelta(microseconds=1500)) == 0.0015


def test_custom_week_and_zone():
    saturday_office = WorkingCalendar(workdays={0, 1, 2, 3, 4, 5}, day_start=time(7, 30),
                                      day_end=time(12), tz="Asia/Makassar")
    wita = ZoneInfo("Asia/Makassar")
    fri, mon = datetime(2025, 7, 11, 11, tzinfo=wita), datetime(2025, 7, 14, 8, tzinfo=wita)
    # Fri 11:00–12:00 (1 h) + Sat 07:30–12:00 (4.5 h) + Mon 07:30–08:00 (0.5 h)
    assert hours_between(fri, mon, cal=saturday_office) == 6
    assert saturday_office.hours_per_day == 4.5
    assert CAL.hours_per_day == 8


# --- pauses -------------------------------------------------------------------

def test_pause_is_excluded():
    # Mon 08:00 → Wed 16:00 = 24 h; paused Mon 12:00 → Tue 10:00 = 4 h + 2 h
    assert hours_between(wib(7, 8), wib(9, 16), pauses=[(wib(7, 12), wib(8, 10))]) == 18


def test_overlapping_pauses_count_once_and_order_does_not_matter():
    pauses = [(wib(7, 13), wib(7, 15)), (wib(7, 12), wib(7, 14))]   # together 12:00–15:00
    assert hours_between(wib(7, 8), wib(7, 16), pauses=pauses) == 5


def test_pauses_outside_or_across_the_interval_are_clipped():
    pauses = [
        (wib(4, 8), wib(7, 9)),      # started before the interval, ends Mon 09:00
        (wib(12, 8), wib(13, 8)),    # weekend: nothing to exclude
        (wib(20, 8), wib(25, 8)),    # after the interval
    ]
    # Mon 08:00 → Mon 14 08:00 = 40 h, minus Mon 08:00–09:00
    assert hours_between(wib(7, 8), wib(14, 8), pauses=pauses) == 39


def test_open_pause_runs_to_the_end():
    # Waiting for the citizen since Tue 10:00 and still waiting: Mon 8 h + Tue 2 h
    assert hours_between(wib(7, 8), wib(11, 16), pauses=[(wib(8, 10), None)]) == 10


def test_empty_pause_is_ignored():
    assert hours_between(wib(7, 8), wib(7, 16), pauses=[(wib(7, 10), wib(7, 10))]) == 8


def test_invalid_pauses_raise():
    with pytest.raises(CalendarError, match="ends before it starts"):
        CAL.working_seconds_between(wib(7, 8), wib(7, 16), pauses=[(wib(7, 12), wib(7, 10))])
    with pytest.raises(CalendarError, match="timezone-aware"):
        CAL.working_seconds_between(wib(7, 8), wib(7, 16), pauses=[(datetime(2025, 7, 7, 9), None)])
    with pytest.raises(CalendarError, match="pair"):
        CAL.working_seconds_between(wib(7, 8), wib(7, 16), pauses=[wib(7, 9)])


# --- deadlines ----------------------------------------------------------------

def test_add_working_hours_rolls_into_the_next_day():
    deadline = CAL.add_working_hours(wib(7, 15), 2)
    assert deadline == wib(8, 9)
    assert deadline.tzinfo is UTC


def test_add_working_hours_over_weekend_and_from_weekend():
    assert CAL.add_working_hours(wib(11, 15), 2) == wib(14, 9)     # Fri → Mon
    assert CAL.add_working_hours(wib(12, 10), 1) == wib(14, 9)     # from Saturday


def test_add_working_hours_ending_at_close_of_day_stays_on_that_day():
    assert CAL.add_working_hours(wib(7, 6), 8) == wib(7, 16)
    assert CAL.add_working_hours(wib(7, 8), 16) == wib(8, 16)


def test_add_zero_hours_is_the_start():
    assert CAL.add_working_hours(wib(12, 10), 0) == wib(12, 10)


def test_add_working_hours_skips_holidays_and_pauses():
    cal = WorkingCalendar(holidays={date(2025, 7, 8)})
    assert cal.add_working_hours(wib(7, 15), 2) == wib(9, 9)
    # 8 h from Mon 08:00, paused Mon 10:00–12:00: 6 h on Monday, 2 h on Tuesday
    assert CAL.add_working_hours(wib(7, 8), 8, pauses=[(wib(7, 10), wib(7, 12))]) == wib(8, 10)


def test_add_working_hours_multi_week():
    assert CAL.add_working_hours(wib(7, 8), 80) == wib(18, 16)     # ten full days


def test_add_working_hours_open_pause_has_no_deadline():
    with pytest.raises(CalendarError, match="paused indefinitely"):
        CAL.add_working_hours(wib(7, 8), 10, pauses=[(wib(7, 12), None)])
    # …but a deadline reached before the pause begins is fine.
    assert CAL.add_working_hours(wib(7, 8), 2, pauses=[(wib(7, 12), None)]) == wib(7, 10)


@pytest.mark.parametrize("hours", [-1, float("nan"), float("inf"), "2", True])
def test_add_working_hours_rejects_bad_hours(hours):
    with pytest.raises(CalendarError):
        CAL.add_working_hours(wib(7, 8), hours)


def test_naive_datetimes_are_rejected():
    with pytest.raises(CalendarError, match="timezone-aware"):
        CAL.working_seconds_between(datetime(2025, 7, 7, 9), wib(7, 10))
    with pytest.raises(CalendarError, match="timezone-aware"):
        CAL.add_working_hours(datetime(2025, 7, 7, 9), 1)


# --- configuration --------------------------------------------------------------

@pytest.mark.parametrize("kwargs", [
    {"day_start": time(16), "day_end": time(8)},
    {"day_start": time(8), "day_end": time(8)},
    {"workdays": set()},
    {"workdays": {0, 7}},
    {"tz": "Asia/Atlantis"},
])
def test_invalid_calendar_raises(kwargs):
    with pytest.raises(CalendarError):
        WorkingCalendar(**kwargs)


def test_calendar_is_frozen_and_hashable():
    cal = WorkingCalendar(holidays=[date(2025, 7, 8)])
    assert isinstance(cal.holidays, frozenset)
    assert hash(cal) == hash(WorkingCalendar(holidays={date(2025, 7, 8)}))


# --- bundled Indonesian holidays ------------------------------------------------------

def test_holiday_data_file_is_well_formed():
    raw = json.loads(resources.files("feedback.quality").joinpath("holidays_id.json").read_text("utf-8"))
    assert "verify" in raw["note"]
    entries = load_holiday_entries()
    dates = [e["date"] for e in entries]
    assert len(dates) == len(set(dates))
    assert {date.fromisoformat(d).year for d in dates} == {2025, 2026, 2027}
    assert {e["kind"] for e in entries} == {"libur_nasional", "cuti_bersama"}
    assert all(e["name"] for e in entries)
    assert all(e["provisional"] == d.startswith("2027") for e, d in zip(entries, dates))


def test_default_holidays_options():
    everything = load_default_holidays()
    assert {date(2025, 8, 17), date(2026, 3, 19), date(2026, 3, 20), date(2027, 12, 25)} <= everything
    national_only = load_default_holidays(include_cuti_bersama=False)
    assert date(2026, 3, 19) in national_only and date(2026, 3, 20) not in national_only
    # Our rows alone (no package years): the provisional 2027 rows drop out.
    assert not any(d.year == 2027 for d in load_default_holidays(include_provisional=False, years=()))


def test_public_holiday_of_2029_from_the_holidays_package_is_not_a_working_day():
    cal = WorkingCalendar(holidays=load_default_holidays(years=[2029]))
    assert date(2029, 8, 17).weekday() == 4                   # Independence Day, a Friday
    assert not cal.is_working_day(date(2029, 8, 17))
    assert not cal.is_working_day(date(2029, 12, 25))         # Christmas, a Tuesday
    assert cal.is_working_day(date(2029, 8, 16))
    # Thu 16 Aug 15:00 + 2 working hours: Fri 17 is a holiday, then the weekend → Mon 20 09:00
    assert cal.add_working_hours(wib(16, 15, month=8, year=2029), 2) == wib(20, 9, month=8, year=2029)


def test_default_years_reach_five_years_ahead():
    assert list(default_holiday_years(date(2026, 12, 2))) == list(range(2025, 2032))
    assert date(2029, 8, 17) in load_default_holidays(years=default_holiday_years(date(2027, 1, 1)))


def test_package_rows_carry_kind_and_cuti_bersama():
    rows = {row["date"]: row for row in package_holiday_entries([2026])}
    assert rows["2026-08-17"]["kind"] == "libur_nasional"
    assert rows["2026-03-20"]["kind"] == "cuti_bersama"       # Idul Fitri collective leave (SKB)
    assert not rows["2026-08-17"]["provisional"]


def test_our_rows_win_over_the_package(monkeypatch):
    import feedback.quality.calendar as calendar_module

    ours = [
        {"date": "2029-08-17", "name": "Hari Kemerdekaan (lokal)", "kind": "libur_nasional", "provisional": False},
        {"date": "2029-12-25", "name": "", "kind": "working_day", "provisional": False},
        {"date": "2029-08-20", "name": "Hari jadi kota", "kind": "libur_nasional", "provisional": False},
    ]
    monkeypatch.setattr(calendar_module, "load_holiday_entries", lambda: ours)
    rows = {row["date"]: row for row in holiday_entries([2029])}
    assert rows["2029-08-17"]["name"] == "Hari Kemerdekaan (lokal)"
    assert "2029-12-25" not in rows and "2029-08-20" in rows
    days = load_default_holidays(years=[2029])
    assert date(2029, 12, 25) not in days and date(2029, 8, 20) in days


def test_lebaran_2026_week_with_default_holidays():
    cal = WorkingCalendar(holidays=load_default_holidays())
    # Wed 18 (cuti) · Thu 19 (Nyepi) · Fri 20 (cuti) · Sat–Sun 21–22 (Idul Fitri) · Mon 23, Tue 24 (cuti)
    assert hours_between(wib(18, 8, month=3, year=2026), wib(25, 8, month=3, year=2026), cal=cal) == 0
    assert cal.add_working_hours(wib(17, 15, month=3, year=2026), 2) == wib(25, 9, month=3, year=2026)


def test_decade_span_is_fast_and_exact():
    start, end = wib(1, 0, month=1, year=2020), wib(1, 0, month=1, year=2030)
    weekdays = sum(1 for i in range((date(2030, 1, 1) - date(2020, 1, 1)).days)
                   if (date(2020, 1, 1) + timedelta(days=i)).weekday() < 5)
    began = wallclock.perf_counter()
    assert hours_between(start, end) == weekdays * 8
    assert wallclock.perf_counter() - began < 1.0


# --- properties ---------------------------------------------------------------------

DEFAULT = WorkingCalendar(holidays=load_default_holidays())
moments = st.datetimes(min_value=datetime(2024, 12, 1), max_value=datetime(2027, 12, 31),
                       timezones=st.just(UTC))


@settings(max_examples=200, deadline=None)
@given(start=moments, minutes=st.integers(0, 200 * 60))
def test_add_then_measure_round_trips(start, minutes):
    hours = minutes / 60
    deadline = DEFAULT.add_working_hours(start, hours)
    assert deadline >= start and deadline.tzinfo is UTC
    assert DEFAULT.working_seconds_between(start, deadline) == pytest.approx(minutes * 60, abs=1e-3)
    if minutes:
        local = deadline.astimezone(WIB)
        assert DEFAULT.is_working_day(local.date())
        assert time(8) < local.time() <= time(16)


@settings(max_examples=200, deadline=None)
@given(a=moments, b=moments, c=moments)
def test_working_time_is_additive(a, b, c):
    a, b, c = sorted((a, b, c))
    whole = DEFAULT.working_seconds_between(a, c)
    parts = DEFAULT.working_seconds_between(a, b) + DEFAULT.working_seconds_between(b, c)
    assert whole == pytest.approx(parts)
    assert 0 <= whole <= (c - a).total_seconds()


@settings(max_examples=100, deadline=None)
@given(start=moments, minutes=st.integers(1, 100 * 60),
       pause_at=st.integers(0, 30 * 24 * 60), pause_len=st.integers(0, 10 * 24 * 60))
def test_round_trip_with_a_pause(start, minutes, pause_at, pause_len):
    p_start = start + timedelta(minutes=pause_at)
    pauses = [(p_start, p_start + timedelta(minutes=pause_len))]
    deadline = DEFAULT.add_working_hours(start, minutes / 60, pauses=pauses)
    measured = DEFAULT.working_seconds_between(start, deadline, pauses=pauses)
    assert measured == pytest.approx(minutes * 60, abs=1e-3)
