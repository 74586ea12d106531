"""change_status() is the only writer of a ticket's status; every change is an event."""
from __future__ import annotations

import asyncio

import pytest

from feedback.intake.messages import Channel, IntakeMessage
from feedback.intake.services import create_ticket
from feedback.tables import Ticket, TicketEvent
from feedback.tracking.lifecycle import ConcurrentChange, IllegalTransition, TicketError, change_status
from feedback.tracking.statuses import ALLOWED_TRANSITIONS, TicketStatus
from tests.conftest import run_async

TEXT = "Sampah di TPS Jl. Kenanga sudah seminggu tidak diangkut, bau sekali"


def new_ticket(settings) -> int:
    return run_async(create_ticket(IntakeMessage(text=TEXT, channel=Channel.WEB), settings))["id"]


def events(ticket_id):
    return run_async(TicketEvent.select(TicketEvent.event_type, TicketEvent.old_value, TicketEvent.new_value, TicketEvent.note)
                     .where(TicketEvent.ticket == ticket_id).order_by(TicketEvent.id))


def test_happy_path_writes_events_and_timestamps(settings):
    tid = new_ticket(settings)
    for status in ("routed", "in_progress", "waiting_citizen", "in_progress", "resolved", "closed"):
        run_async(change_status(tid, status, actor_label="staff"))
    row = run_async(Ticket.select().where(Ticket.id == tid).first())
    assert row["status"] == "closed"
    assert row["routed_at"] and row["resolved_at"] and row["closed_at"]
    assert row["waiting_since"] is None and row["paused_seconds"] >= 0
    evs = events(tid)
    assert [e["event_type"] for e in evs] == ["created"] + ["status_changed"] * 6
    assert [(e["old_value"], e["new_value"]) for e in evs[1:3]] == [("received", "routed"), ("routed", "in_progress")]


def test_illegal_transitions_raise_and_change_nothing(settings):
    tid = new_ticket(settings)
    illegal = [s for s in TicketStatus if s not in ALLOWED_TRANSITIONS[TicketStatus.RECEIVED]]
    for status in illegal:
        with pytest.raises(IllegalTransition) as exc:
            run_async(change_status(tid, status))
        assert exc.value.message_id and exc.value.message_en
    assert run_async(Ticket.select(Ticket.status).where(Ticket.id == tid).first())["status"] == "received"
    assert len(events(tid)) == 1


def test_reject_needs_reason_and_reopen_counts(settings):
    tid = new_ticket(settings)
    with pytest.raises(TicketError):
        run_async(change_status(tid, "rejected"))
    run_async(change_status(tid, "rejected", note="Spam promosi"))
    assert run_async(Ticket.select(Ticket.reject_reason).where(Ticket.id == tid).first())["reject_reason"] == "Spam promosi"
    tid2 = new_ticket(settings)
    for status in ("routed", "resolved", "reopened"):
        run_async(change_status(tid2, status))
    row = run_async(Ticket.select().where(Ticket.id == tid2).first())
    assert row["reopen_count"] == 1 and row["resolved_at"] is None


def test_expected_status_guards_against_races(settings):
    tid = new_ticket(settings)
    run_async(change_status(tid, "triage"))
    with pytest.raises(ConcurrentChange):
        run_async(change_status(tid, "routed", expected_status="received"))


def test_two_concurrent_changes_one_wins(pg_settings):
    tid = new_ticket(pg_settings)

    async def race():
        return await asyncio.gather(
            change_status(tid, "routed", expected_status="received"),
            change_status(tid, "triage", expected_status="received"),
            return_exceptions=True,
        )

    results = run_async(race())
    assert sum(isinstance(r, dict) for r in results) == 1
    assert sum(isinstance(r, (ConcurrentChange, IllegalTransition)) for r in results) == 1
    assert len(events(tid)) == 2
