"""ingest_email / reprocess_inbound directly (real PostgreSQL, files on disk)."""
from __future__ import annotations

from feedback.intake.email_service import ingest_email, mail_store, reprocess_inbound, store_raw
from feedback.intake.messages import Channel, IntakeMessage
from feedback.intake.services import create_ticket
from feedback.routing.service import route_manually
from feedback.tables import InboundEmail, Ticket, TicketMessage
from feedback.tracking.codes import format_code
from feedback.tracking.lifecycle import change_status
from tests.conftest import run_async
from tests.email.helpers import complaint, corpus


def test_stored_but_unprocessed_mail_is_reprocessed_once(pg_settings):
    raw = corpus("11_pdf_attachment.eml")
    inbound_id = run_async(store_raw(raw, source="imap", settings=pg_settings))  # as if the process died here
    row = run_async(InboundEmail.select().where(InboundEmail.id == inbound_id).first())
    assert row["status"] == "received" and row["subject"].startswith("Surat keberatan")
    assert row["message_id"] == "<a7b8c9d0-e1f2-4a3b-8c4d-5e6f7a8b9c0d@lbw.example.or.id>"
    assert mail_store(pg_settings).read(row["storage_key"]) == raw

    first = run_async(reprocess_inbound(inbound_id, pg_settings))
    assert first.status == "ticket" and not first.duplicate
    again = run_async(reprocess_inbound(inbound_id, pg_settings))
    assert again.duplicate and again.ticket_id == first.ticket_id
    # The same mail arriving again is recognised by its Message-ID.
    third = run_async(ingest_email(raw, source="smtp", settings=pg_settings))
    assert third.duplicate and third.inbound_id == inbound_id
    assert run_async(Ticket.count()) == 1 and run_async(InboundEmail.count()) == 1


def test_quarantined_mail_stays_quarantined_on_reprocess(pg_settings):
    result = run_async(ingest_email(corpus("23_nested_archive.eml"), source="smtp", settings=pg_settings))
    assert result.status == "quarantined" and result.reason.startswith("nested_archive")
    again = run_async(reprocess_inbound(result.inbound_id, pg_settings))
    assert again.status == "quarantined" and run_async(Ticket.count()) == 0


def test_reply_to_resolved_ticket_adds_message_without_reopening(pg_settings):
    msg = IntakeMessage(text="Sampah menumpuk di depan pasar sejak Senin.", channel=Channel.WEB,
                        reporter_email="warga@example.net")
    ticket = run_async(create_ticket(msg, pg_settings))
    run_async(route_manually(ticket["id"], "kebersihan_lingkungan", actor_id=None, actor_label="test", settings=pg_settings))
    run_async(change_status(ticket["id"], "resolved", actor_label="test", note="Sudah diangkut"))

    raw = complaint(f"Re: Laporan {format_code(ticket['tracking_code'])} selesai",
                    "Terima kasih, sampahnya sudah diangkut tadi pagi.", message_id="<thanks.1@example.net>")
    result = run_async(ingest_email(raw, source="smtp", settings=pg_settings))
    assert (result.status, result.ticket_id) == ("message", ticket["id"])
    row = run_async(Ticket.select(Ticket.status).where(Ticket.id == ticket["id"]).first())
    assert row["status"] == "resolved"
    bodies = [m["body"] for m in run_async(TicketMessage.select(TicketMessage.body))]
    assert bodies == ["Terima kasih, sampahnya sudah diangkut tadi pagi."]


def test_overlong_text_is_cut_not_rejected(pg_settings):
    body = ("Jalan di Dusun Karang rusak parah dan berlubang besar. " * 200).strip()
    result = run_async(ingest_email(complaint("Jalan rusak", body), source="smtp", settings=pg_settings))
    assert result.status == "ticket"
    text = run_async(Ticket.select(Ticket.text).first())["text"]
    assert len(text) <= pg_settings.max_text_chars and text.endswith("[…dipotong]")
