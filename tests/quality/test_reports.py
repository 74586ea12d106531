"""Report figures on a hand-built history, on PostgreSQL and on SQLite (the `settings` fixture runs both)."""
from __future__ import annotations

from dataclasses import replace

import pytest

from feedback.quality import reports
from feedback.quality.periods import parse_filter
from tests.conftest import run_async
from tests.quality import dataset as ds
from tests.quality.dataset import CALENDAR, MARCH, NOW, H


@pytest.fixture
def data(settings):
    return run_async(ds.build())


def report(scope=None, f=MARCH):
    return run_async(reports.full_report(f, scope_agency_id=scope, calendar=CALENDAR, now=NOW))


def test_counts_and_rates(data):
    c = report()["counts"]
    assert c["volume"] == 6 and c["rejected"] == 1 and c["resolved"] == 4
    assert c["resolved_share"] == pytest.approx(4 / 6)
    # First response: T1 met; T2, T3 late; T4 unanswered and past due; T5 rejected (left out).
    assert (c["fr_sla_met"], c["fr_sla_n"]) == (1, 4)
    # Resolution: T1 met; T2 late; T3 met only thanks to its 24 h pause; T4 open and past due.
    assert (c["res_sla_met"], c["res_sla_n"]) == (2, 4)
    assert c["res_sla_compliance"] == pytest.approx(0.5)
    assert c["reopen_rate"] == pytest.approx(1 / 4)
    assert c["reroute_rate"] == pytest.approx(1 / 6)
    assert c["classifier_agreement"] == pytest.approx(2 / 3)


def test_response_and_resolution_times(data):
    t = report()["times"]
    # first response (calendar): T1 2 h, T2 4 h, T3 66 h (Friday 15:00 to Monday 09:00 WIB)
    assert t["fr_cal"]["n"] == 3
    assert t["fr_cal"]["median"] == pytest.approx(4 * H, abs=0.01)
    assert t["fr_cal"]["mean"] == pytest.approx((2 + 4 + 66) * H / 3, abs=0.01)
    assert t["fr_cal"]["p90"] == pytest.approx(4 * H + 0.8 * (66 - 4) * H, abs=0.01)
    # working time: 2 h, 4 h, and 1 h Friday + 1 h Monday
    assert t["fr_work"]["median"] == pytest.approx(2 * H, abs=0.01)
    assert t["fr_work"]["mean"] == pytest.approx((2 + 4 + 2) * H / 3, abs=0.01)
    assert t["fr_work"]["p90"] == pytest.approx(2 * H + 0.8 * 2 * H, abs=0.01)
    # resolution (calendar, pause deducted): T1 30 h, T2 48 h, T3 73-24 = 49 h, T8 120 h
    assert t["res_cal"]["n"] == 4
    assert t["res_cal"]["median"] == pytest.approx((48 + 49) / 2 * H, abs=0.01)
    assert t["res_cal"]["mean"] == pytest.approx((30 + 48 + 49 + 120) / 4 * H, abs=0.01)
    assert t["res_cal"]["p90"] == pytest.approx(49 * H + 0.7 * (120 - 49) * H, abs=0.01)
    # working: T1 7+7 h; T2 7 h Tue + holiday Wed + 1 h Thu; T3 proportional; T8 7+8+8+1 h
    work = sorted([14 * H, 8 * H, ds.t3_working_resolution(), 24 * H])
    assert t["res_work"]["median"] == pytest.approx((work[1] + work[2]) / 2, abs=0.01)
    assert t["res_work"]["mean"] == pytest.approx(sum(work) / 4, abs=0.01)


def test_backlog_aging_and_series(data):
    r = report()
    b = r["backlog"]
    # open at the end of March: T8 (3.6 days, resolved in April), T4 (19.6 days), T7 (34.6 days)
    assert b["total"] == 3
    assert b["buckets"] == {"0-3": 1, "4-7": 0, "8-14": 0, "15-30": 1, ">30": 1}
    series = r["series"]
    assert len(series) == 31 and series[0]["bucket"] == "2025-03-01"
    assert sum(p["received"] for p in series) == 6
    assert sum(p["resolved"] for p in series) == 3  # T1, T2, T3 (T8 is resolved in April)
    assert series[-1]["backlog"] == b["total"]
    assert series[0]["backlog"] == 1  # T7 was open when March began
    by_day = {p["bucket"]: p for p in series}
    assert by_day["2025-03-03"]["received"] == 1 and by_day["2025-03-04"]["resolved"] == 1


def test_channels_satisfaction_histogram_and_agencies(data):
    r = report()
    channels = {c["channel"]: c for c in r["channels"]}
    assert {k: v["tickets"] for k, v in channels.items()} == {"web": 4, "counter": 1, "email": 1}
    assert channels["web"]["share"] == pytest.approx(4 / 6)
    assert channels["web"]["resolution"]["median"] == pytest.approx(49 * H, abs=0.01)
    assert channels["counter"]["resolution"]["median"] == pytest.approx(48 * H, abs=0.01)
    assert channels["email"]["resolution"]["n"] == 0
    s = r["satisfaction"]
    assert s["n"] == 3 and s["distribution"] == {1: 0, 2: 1, 3: 0, 4: 1, 5: 1}
    assert s["mean"] == pytest.approx(11 / 3) and s["csat"] == pytest.approx(2 / 3)
    hist = {h["bin"]: h["tickets"] for h in r["histogram"]}
    assert hist["1-2d"] == 1 and hist["2-3d"] == 2 and hist["3-5d"] == 0 and hist["5-7d"] == 1
    agencies = {a["code"]: a for a in r["agencies"]}
    assert agencies["dpupr"]["volume"] == 4 and agencies["dlh"]["volume"] == 2
    assert agencies["dpupr"]["res_sla_compliance"] == pytest.approx(1 / 2)
    assert agencies["dlh"]["res_sla_compliance"] == pytest.approx(1 / 2)
    assert agencies["dpupr"]["median_resolution"] == pytest.approx(48 * H, abs=0.01)


def test_previous_period_comparison(data):
    r = report()
    prev = r["previous"]
    assert prev["counts"]["volume"] == 2  # T6, T7 in February
    assert prev["satisfaction"]["n"] == 1 and prev["satisfaction"]["mean"] == 3
    assert r["deltas"]["volume"] == 4
    assert r["deltas"]["resolved_share"] == pytest.approx(4 / 6 - 1 / 2)
    assert prev["filter"].end == MARCH.start


def test_filters_narrow_the_cohort(data):
    only_counter = replace(MARCH, channel="counter")
    assert run_async(reports.counts(only_counter, scope_agency_id=None, now=NOW))["volume"] == 1
    by_category = replace(MARCH, category_id=data["clean"])
    assert run_async(reports.counts(by_category, scope_agency_id=None, now=NOW))["volume"] == 1
    week = parse_filter({"period": "week", "date": "2025-03-04"})
    assert run_async(reports.counts(week, scope_agency_id=None, now=NOW))["volume"] == 3  # T1, T2, T3 (Monday 3 to Sunday 9 March)


def test_agency_scope_limits_every_figure(data):
    mine = report(scope=data["A"])
    assert mine["counts"]["volume"] == 4
    assert {a["code"] for a in mine["agencies"]} == {"dpupr"}
    assert mine["backlog"]["total"] == 1  # T8 only
    assert mine["satisfaction"]["n"] == 2  # T1, T2
    assert {c["channel"] for c in mine["channels"]} == {"web", "counter"}
    other = report(scope=data["B"])
    assert other["counts"]["volume"] == 2 and other["backlog"]["total"] == 2
    # agency staff asking for another agency's figures get nothing, not that agency's figures
    snooping = run_async(reports.counts(replace(MARCH, agency_id=data["B"]), scope_agency_id=data["A"], now=NOW))
    assert snooping["volume"] == 0


def test_bad_filter_values_are_clear_400s():
    from feedback.errors import InputError

    with pytest.raises(InputError) as exc:
        parse_filter({"period": "fortnight", "agency": "x", "channel": "fax", "from": "2025-13-01"})
    fields = {e.field for e in exc.value.errors}
    assert {"period", "agency", "channel"} <= fields
    assert all(e.message and e.message_en for e in exc.value.errors)
    with pytest.raises(InputError):
        parse_filter({"period": "custom", "from": "2025-03-10", "to": "2025-03-01"})
    f = parse_filter({"period": "custom", "from": "2025-03-01", "to": "2025-03-31"})
    assert (f.start, f.end) == (MARCH.start, MARCH.end)
