"""A staff member's public reply in the staff UI reaches the citizen as a "response" email, stored in one transaction."""
from __future__ import annotations

import pytest
from litestar.testing import TestClient

from feedback.accounts.users import staff_context
from feedback.app import create_app
from feedback.staff import actions
from feedback.tables import Ticket, TicketEvent, TicketMessage
from feedback.tracking.lifecycle import ConcurrentChange, change_status
from tests.admin.helpers import Staff, make_world, new_ticket
from tests.conftest import _bind, run_async
from tests.notify.conftest import notification_rows, wait_for

CITIZEN = "warga@example.com"  # new_ticket's reporter address
TEXT = "Jalan di depan SD Negeri 3 berlubang besar dan tergenang air, pengendara motor sering jatuh."
REPLY = "Tim kami sudah menambal lubang di depan SD Negeri 3 pagi ini. Terima kasih atas laporannya."


def test_public_reply_in_the_staff_ui_emails_the_citizen(notify_settings, smtp_sink, notify_worker):
    world = make_world()
    ticket = new_ticket(notify_settings, TEXT, category="infrastruktur_jalan", reporter_name="Budi Santoso")
    app = create_app(notify_settings, run_sweeper=False)
    try:
        with TestClient(app=app, base_url="http://testserver.local") as client:
            reply = Staff(client, notify_settings, world.users["staff_a"]).post(
                f"/admin/tickets/{ticket['id']}/respond", {"body": REPLY})
            assert reply.status_code == 303, reply.text
    finally:
        _bind(notify_settings.database_url)

    def response_emails():
        return [m for m in smtp_sink.to(CITIZEN) if "Tanggapan baru atas laporan Anda" in m["Subject"]]

    (email,) = wait_for(response_emails, what="the citizen's response email")
    assert REPLY in email.get_body(preferencelist=("plain",)).get_content()
    rows = wait_for(lambda: [r for r in notification_rows(ticket["id"]) if r["event"] == "response" and r["status"] == "sent"],
                    what="the sent response notification")
    assert [(r["channel"], r["recipient"]) for r in rows] == [("email", CITIZEN)]
    assert run_async(Ticket.select(Ticket.status).where(Ticket.id == ticket["id"]).first())["status"] == "in_progress"


def test_a_reply_that_cannot_be_stored_whole_leaves_nothing_behind(notify_settings, monkeypatch):
    """The move to in_progress fails (someone else changed the ticket): no message, no clock, no event, no email."""
    world = make_world()
    ticket = new_ticket(notify_settings, TEXT, category="infrastruktur_jalan", reporter_name="Budi Santoso")
    run_async(change_status(ticket["id"], "in_progress", actor_label="test"))
    real_get_ticket = actions.get_ticket

    async def stale_get_ticket(staff, ticket_id):  # the staff member's page still shows `routed`
        return {**await real_get_ticket(staff, ticket_id), "status": "routed"}

    monkeypatch.setattr(actions, "get_ticket", stale_get_ticket)
    with pytest.raises(ConcurrentChange):
        run_async(actions.respond_publicly(staff_context(world.users["staff_a"]), ticket["id"], REPLY))
    assert run_async(TicketMessage.count().where(TicketMessage.ticket == ticket["id"])) == 0
    assert run_async(TicketEvent.count().where((TicketEvent.ticket == ticket["id"]) & (TicketEvent.event_type == "response"))) == 0
    assert run_async(Ticket.select(Ticket.first_response_at).where(Ticket.id == ticket["id"]).first())["first_response_at"] is None
    assert [r["event"] for r in notification_rows(ticket["id"])] == ["received", "routed"]
