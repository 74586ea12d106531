"""Admins see every inbound mail with its outcome and can reprocess it; nobody else can."""
from __future__ import annotations

from feedback.intake.email_service import ingest_email, store_raw
from feedback.tables import InboundEmail, Ticket
from tests.admin.helpers import Staff, make_world
from tests.conftest import run_async
from tests.email.helpers import corpus


def test_inbound_list_and_reprocess(pg_client, pg_settings):
    world = make_world()
    run_async(ingest_email(corpus("26_hundreds_of_attachments.eml"), source="smtp", settings=pg_settings))
    run_async(ingest_email(corpus("16_dsn_bounce.eml"), source="imap", settings=pg_settings))
    pending = run_async(store_raw(corpus("05_samsung_quoted_printable.eml"), source="imap", settings=pg_settings))

    admin = Staff(pg_client, pg_settings, world.users["admin"])
    page = admin.get("/admin/inbound")
    assert page.status_code == 200
    assert "too_many_attachments" in page.text and "auto: delivery_report" in page.text
    assert 'data-status="received"' in page.text and "massal@mail.example.biz" in page.text
    only = admin.get("/admin/inbound?status=quarantined").text
    assert "too_many_attachments" in only and "delivery_report" not in only

    for role in ("manager", "dispatcher", "counter"):
        assert Staff(pg_client, pg_settings, world.users[role]).get("/admin/inbound").status_code == 403
    assert Staff(pg_client, pg_settings, world.users["manager"]).post(f"/admin/inbound/{pending}/reprocess").status_code == 403
    assert admin.post(f"/admin/inbound/{pending}/reprocess", csrf=False).status_code == 403
    assert run_async(Ticket.count()) == 0

    assert admin.post(f"/admin/inbound/{pending}/reprocess").status_code == 303
    row = run_async(InboundEmail.select().where(InboundEmail.id == pending).first())
    assert row["status"] == "ticket" and run_async(Ticket.count()) == 1
    assert admin.post("/admin/inbound/999999/reprocess").status_code == 404
