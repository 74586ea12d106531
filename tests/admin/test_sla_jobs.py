"""SLA clock with pauses, breach flags and escalation exactly once."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from feedback.notify.subscribers import subscribe_notifications
from feedback.quality.calendar import WorkingCalendar
from feedback.quality.sla_clock import pauses_from_events, sla_states
from feedback.quality.sla_jobs import scan_sla_breaches
from feedback.tables import Notification, StaffUser, Ticket, TicketEvent
from feedback.tracking.lifecycle import change_status, utcnow
from tests.admin.helpers import new_ticket
from tests.conftest import run_async

TEXT = "Jalan amblas di Jalan Cendana dekat jembatan, membahayakan pengendara motor malam hari"
WIB = timezone(timedelta(hours=7))


def _ticket_row(**overrides):
    row = {"status": "in_progress", "priority": "normal", "routed_at": datetime(2025, 3, 3, 8, 0, tzinfo=WIB),
           "first_response_due_at": datetime(2025, 3, 3, 12, 0, tzinfo=WIB), "first_response_at": None,
           "due_at": datetime(2025, 3, 4, 12, 0, tzinfo=WIB), "resolved_at": None}
    row.update(overrides)
    return row


def test_clock_counts_working_hours_and_gives_back_pauses():
    calendar = WorkingCalendar(holidays=frozenset())
    monday_10 = datetime(2025, 3, 3, 10, 0, tzinfo=WIB)
    first, resolution = sla_states(_ticket_row(), [], monday_10, calendar)
    assert (first.state, first.hours_left) == ("soon", 2.0)
    assert (resolution.state, resolution.hours_left) == ("ok", 10.0)  # 6 h Monday + 4 h Tuesday
    # Tuesday 15:00 is three working hours past Tuesday noon.
    tuesday_15 = datetime(2025, 3, 4, 15, 0, tzinfo=WIB)
    _, late = sla_states(_ticket_row(), [], tuesday_15, calendar)
    assert late.state == "overdue" and late.hours_left == -3.0
    # Two working hours spent waiting for the citizen are given back.
    pause = [(datetime(2025, 3, 3, 13, 0, tzinfo=WIB), datetime(2025, 3, 3, 15, 0, tzinfo=WIB))]
    _, paused = sla_states(_ticket_row(), pause, tuesday_15, calendar)
    assert paused.state == "overdue" and paused.hours_left == -1.0
    waiting = sla_states(_ticket_row(status="waiting_citizen"), [(datetime(2025, 3, 4, 11, 0, tzinfo=WIB), None)], tuesday_15, calendar)[1]
    assert waiting.state == "paused" and waiting.hours_left == 1.0


def test_pauses_from_status_events():
    t = [datetime(2025, 3, 3, h, 0, tzinfo=WIB) for h in (9, 10, 11, 12)]
    events = [{"old_value": "routed", "new_value": "waiting_citizen", "created_at": t[0]},
              {"old_value": "waiting_citizen", "new_value": "in_progress", "created_at": t[1]},
              {"old_value": "in_progress", "new_value": "waiting_citizen", "created_at": t[2]}]
    assert pauses_from_events(events) == [(t[0], t[1]), (t[2], None)]


def _overdue(ticket_id: int, days: int = 30) -> None:
    past = utcnow() - timedelta(days=days)
    run_async(Ticket.update({Ticket.first_response_due_at: past, Ticket.due_at: past + timedelta(hours=1),
                             Ticket.routed_at: past - timedelta(days=1)}).where(Ticket.id == ticket_id))


def test_scan_flags_breaches_and_escalates_once(settings, world):
    subscribe_notifications(settings)  # as the worker does: escalations are told through the notify subscriber
    late = new_ticket(settings, TEXT, category="infrastruktur_jalan")
    on_time = new_ticket(settings, TEXT + " (baru)", category="infrastruktur_jalan")
    waiting = new_ticket(settings, TEXT + " (menunggu)", category="infrastruktur_jalan")
    run_async(change_status(waiting["id"], "in_progress"))
    run_async(Ticket.update({Ticket.first_response_at: utcnow()}).where(Ticket.id == waiting["id"]))
    run_async(change_status(waiting["id"], "waiting_citizen"))
    _overdue(late["id"])
    _overdue(waiting["id"], days=1)
    run_async(TicketEvent.update({TicketEvent.created_at: utcnow() - timedelta(days=3)}).where(
        (TicketEvent.ticket == waiting["id"]) & (TicketEvent.new_value == "waiting_citizen")))
    # A manager without email is recorded as not reachable, not silently dropped.
    run_async(StaffUser.update({StaffUser.email: None}).where(StaffUser.id == world.users["manager"]["id"]))

    first = run_async(scan_sla_breaches(settings))
    assert (first.first_response_breaches, first.resolution_breaches, first.escalated) == (1, 1, 1)
    second = run_async(scan_sla_breaches(settings))
    assert (second.first_response_breaches, second.resolution_breaches, second.escalated) == (0, 0, 0)

    row = run_async(Ticket.select().where(Ticket.id == late["id"]).first())
    assert row["first_response_breached"] and row["resolution_breached"] and row["escalated_at"] is not None
    for other in (on_time, waiting):
        row = run_async(Ticket.select().where(Ticket.id == other["id"]).first())
        assert not row["resolution_breached"] and row["escalated_at"] is None, other["id"]
    escalations = run_async(TicketEvent.select().where(TicketEvent.event_type == "escalated"))
    assert len(escalations) == 1 and escalations[0]["ticket"] == late["id"]
    notes = run_async(Notification.select().where(Notification.ticket == late["id"]))
    # Only the head of the ticket's agency (A) is notified; the other agency's head and staff are not.
    assert sorted(n["recipient"] for n in notes) == ["head_a@example.go.id"]
    assert {n["status"] for n in notes} == {"pending"} and {n["event"] for n in notes} == {"sla_escalation"}
    breach_events = run_async(TicketEvent.select(TicketEvent.new_value).where(
        (TicketEvent.event_type == "sla_breached") & (TicketEvent.ticket == late["id"])))
    assert sorted(e["new_value"] for e in breach_events) == ["first_response", "resolution"]


def test_escalation_notifies_managers_with_email(settings, world):
    subscribe_notifications(settings)
    late = new_ticket(settings, TEXT, category="kebersihan_lingkungan")
    _overdue(late["id"])
    run_async(scan_sla_breaches(settings))
    recipients = sorted(n["recipient"] for n in run_async(Notification.select().where(Notification.ticket == late["id"])))
    assert recipients == ["manager@example.go.id"]  # agency B has no head in this world


def test_sla_job_is_in_the_worker_schedule():
    from feedback.jobs.schedule import SCHEDULE

    (job,) = [job for job in SCHEDULE if job.name == "sla"]
    assert job.job_path == "feedback.quality.sla_jobs.scan_sla_breaches_job" and job.seconds(None) == 300
