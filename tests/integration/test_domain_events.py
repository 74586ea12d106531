"""Domain events reach subscribers after the commit, never after a rollback; a failing subscriber is only logged."""
from __future__ import annotations

import logging

import pytest

from feedback import events
from feedback.db import transaction_for
from feedback.intake.messages import Channel, IntakeMessage
from feedback.intake.services import create_ticket
from feedback.tables import Ticket
from feedback.tracking.lifecycle import change_status
from tests.conftest import run_async


def _recorder(event_type) -> list:
    seen: list = []
    events.subscribe(event_type, seen.append, key="test")
    return seen


def _ticket(settings) -> dict:
    msg = IntakeMessage(text="Sampah menumpuk di pinggir Jalan Kenanga sejak seminggu, baunya menyengat.",
                        channel=Channel.WEB, reporter_email="warga@example.com")
    return run_async(create_ticket(msg, settings))


def test_events_wait_for_the_outermost_commit(settings):
    created = _recorder(events.TicketCreated)
    changed = _recorder(events.TicketStatusChanged)
    ticket = _ticket(settings)
    assert [(e.ticket_id, e.privacy, e.reporter_email) for e in created] == [(ticket["id"], "public", "warga@example.com")]

    async def triage_then_route_in_one_transaction():
        async with transaction_for(Ticket):
            await change_status(ticket["id"], "triage")
            await change_status(ticket["id"], "routed")
            assert changed == []  # nothing is published before the commit

    run_async(triage_then_route_in_one_transaction())
    assert [(e.old_status, e.new_status) for e in changed] == [("received", "triage"), ("triage", "routed")]


def test_rolled_back_changes_publish_nothing(settings):
    changed = _recorder(events.TicketStatusChanged)
    ticket = _ticket(settings)

    async def triage_then_fail():
        async with transaction_for(Ticket):
            await change_status(ticket["id"], "triage")
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        run_async(triage_then_fail())
    assert changed == []
    assert run_async(Ticket.select(Ticket.status).where(Ticket.id == ticket["id"]).first())["status"] == "received"


def test_a_failing_subscriber_is_logged_and_the_others_still_run(settings, caplog):
    def broken(event):
        raise ValueError("subscriber bug")

    events.subscribe(events.TicketCreated, broken, key="broken")
    created = _recorder(events.TicketCreated)
    with caplog.at_level(logging.ERROR, logger="feedback.events"):
        ticket = _ticket(settings)
    assert [e.ticket_id for e in created] == [ticket["id"]]
    assert "subscriber bug" in caplog.text


def test_subscribing_again_under_a_key_replaces_and_old_unsubscribes_do_nothing():
    first, second = [], []
    unsubscribe_first = events.subscribe(events.TicketCreated, first.append, key="notify")
    unsubscribe_second = events.subscribe(events.TicketCreated, second.append, key="notify")
    unsubscribe_first()  # the replaced subscription's unsubscribe leaves the newer one alone
    run_async(events.emit(events.TicketCreated(1, "web", "public", None)))
    assert (len(first), len(second)) == (0, 1)
    unsubscribe_second()
    assert events.subscribers(events.TicketCreated) == []
