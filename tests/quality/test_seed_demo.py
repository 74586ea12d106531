"""`feedback seed-demo`: bulk-loaded history that the reports can read (both backends)."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from feedback.quality import ikm_service, reports
from feedback.quality.calendar import WorkingCalendar
from feedback.quality.commands import seed_demo
from feedback.quality.periods import ReportFilter
from feedback.tables import IkmResponse, SatisfactionRating, Ticket
from tests.conftest import run_async


def test_seed_demo_history_feeds_the_reports(settings):
    now = datetime(2025, 6, 1, tzinfo=UTC)
    counts = run_async(seed_demo(settings, 600, years=1, progress=False, now=now))
    assert run_async(Ticket.count()) == 600
    assert counts["ratings"] == run_async(SatisfactionRating.count()) > 0
    assert counts["surveys"] == run_async(IkmResponse.count()) > 0
    channels = {r["channel"] for r in run_async(Ticket.select(Ticket.channel).distinct())}
    assert {"web", "counter", "email"} <= channels
    assert run_async(Ticket.count().where(Ticket.created_at > now)) == 0
    year = ReportFilter(now - timedelta(days=365), now)
    report = run_async(reports.full_report(year, scope_agency_id=None, calendar=WorkingCalendar(), now=now))
    assert report["counts"]["volume"] == 600
    assert 0 < report["counts"]["res_sla_compliance"] < 1
    assert report["times"]["res_cal"]["median"] > report["times"]["fr_cal"]["median"] > 0
    assert len({a["agency_id"] for a in report["agencies"]}) > 5
    ikm = run_async(ikm_service.ikm_summary(year.start, year.end, scope_agency_id=None))
    assert ikm["ikm"] is not None and 25 <= ikm["ikm"] <= 100
