"""A citizen who left an email address hears about each step in a real SMTP sink; nobody else does."""
from __future__ import annotations

import subprocess
import sys

from feedback.intake.messages import Channel, IntakeMessage, Privacy
from feedback.intake.services import create_ticket
from feedback.notify.service import notify_ticket_event, relay
from feedback.routing.service import route_manually
from feedback.tables import Agency, Notification, Ticket, TicketMessage
from feedback.tracking.codes import format_code
from feedback.tracking.lifecycle import change_status
from feedback.tracking.statuses import TicketStatus
from tests.conftest import ROOT, run_async
from tests.notify.conftest import notification_rows, subscribed, wait_for, worker_env

CITIZEN = "warga.budi@example.id"
OTHER = "siti.aminah@example.id"
TEXT = "Jalan di depan rumah saya di Jl. Melati 12 berlubang besar dan membahayakan pengendara motor."


def _message(email: str | None, name: str, privacy: Privacy = Privacy.PUBLIC, phone: str | None = None) -> IntakeMessage:
    return IntakeMessage(text=TEXT, channel=Channel.WEB, title="Jalan berlubang", reporter_email=email,
                         reporter_name=name, reporter_phone=phone, privacy=privacy, kecamatan="Cempaka")


def _plain_and_html(msg) -> tuple[str, str]:
    plain = msg.get_body(preferencelist=("plain",)).get_content()
    html = msg.get_body(preferencelist=("html",)).get_content()
    return plain, html


def test_citizen_receives_four_notifications(notify_settings, smtp_sink, notify_worker):
    s = notify_settings
    mine = run_async(create_ticket(_message(CITIZEN, "Budi Santoso", phone="081234567890"), s))
    other = run_async(create_ticket(_message(OTHER, "Siti Aminah", phone="085711112222"), s))
    code, other_code = mine["tracking_code"], other["tracking_code"]

    run_async(route_manually(mine["id"], "infrastruktur_jalan", actor_id=None, actor_label="dispatcher", settings=s))
    routed = run_async(Ticket.select(Ticket.agency).where(Ticket.id == mine["id"]).first())
    agency = run_async(Agency.select(Agency.name).where(Agency.id == routed["agency"]).first())
    response = "Tim kami sudah meninjau lokasi dan perbaikan dijadwalkan pekan ini. Saksi: 081298765432."
    run_async(TicketMessage.insert(TicketMessage(ticket=mine["id"], author_type="staff", visibility="public", body=response)))
    run_async(TicketMessage.insert(TicketMessage(ticket=mine["id"], author_type="staff", visibility="internal",
                                                 body="Catatan internal: kontraktor lama lalai.")))
    assert len(run_async(notify_ticket_event(mine["id"], "response", s))) == 1
    run_async(change_status(mine["id"], TicketStatus.IN_PROGRESS))
    run_async(change_status(mine["id"], TicketStatus.RESOLVED))  # the status-change event, no settings passed

    inbox = wait_for(lambda: len(smtp_sink.to(CITIZEN)) >= 4 and smtp_sink.to(CITIZEN), what="four emails")
    subjects = [m["Subject"] for m in inbox]
    prefix = f"[Suara Warga {format_code(code)}]"
    assert all(subject.startswith(prefix) for subject in subjects), subjects
    assert [subject.split("] ", 1)[1].split(" / ")[0] for subject in subjects] == [
        "Laporan Anda telah diterima", "Laporan Anda diteruskan ke instansi",
        "Tanggapan baru atas laporan Anda", "Laporan Anda telah selesai",
    ]
    track_url = f"http://testserver/track/{code}"
    bodies = {}
    for msg, event in zip(inbox, ["received", "routed", "response", "resolved"]):
        plain, html = _plain_and_html(msg)
        bodies[event] = plain
        assert msg["Auto-Submitted"] == "auto-generated"
        assert msg["Message-ID"] and msg["Date"] and msg["To"] == CITIZEN
        assert track_url in plain and f'href="{track_url}"' in html
        assert "--- English ---" in plain  # Indonesian first, English below
        for leaked in (OTHER, "Siti", other_code, format_code(other_code), "Budi", "081234567890", "Melati", "internal"):
            assert leaked not in plain and leaked not in html, (event, leaked)
    assert format_code(code) in bodies["received"]
    assert agency["name"] in bodies["routed"]
    assert "perbaikan dijadwalkan pekan ini" in bodies["response"]
    assert "081298765432" not in bodies["response"]  # personal data in a response is masked, as on the tracking page
    assert f"http://testserver/survei?ticket={code}" in bodies["resolved"]
    assert len({m["Message-ID"] for m in inbox}) == 4

    rows = notification_rows(mine["id"])
    assert [(r["event"], r["channel"], r["status"], r["attempts"]) for r in rows] == [
        (e, "email", "sent", 1) for e in ("received", "routed", "response", "resolved")
    ]
    assert all(r["sent_at"] is not None and r["recipient"] == CITIZEN for r in rows)
    # The other citizen only got their own receipt.
    assert [m["Subject"].split("]")[0] for m in smtp_sink.to(OTHER)] == [f"[Suara Warga {format_code(other_code)}"]


def test_anonymous_ticket_is_never_notified(notify_settings, webhook_receiver):
    s = subscribed(notify_settings.with_overrides(webhook_url=webhook_receiver.base_url + "/ok"))
    ticket = run_async(create_ticket(_message(CITIZEN, "Budi", privacy=Privacy.ANONYMOUS), s))
    run_async(route_manually(ticket["id"], "infrastruktur_jalan", actor_id=None, actor_label="dispatcher", settings=s))
    run_async(change_status(ticket["id"], TicketStatus.RESOLVED))
    # Even if an address ended up on an anonymous ticket, nothing is sent.
    run_async(Ticket.update({Ticket.reporter_email: CITIZEN}).where(Ticket.id == ticket["id"]))
    assert run_async(notify_ticket_event(ticket["id"], "response", s)) == []
    assert notification_rows() == []


def test_confidential_ticket_is_notified_to_its_reporter_only(notify_settings, webhook_receiver):
    s = subscribed(notify_settings.with_overrides(webhook_url=webhook_receiver.base_url + "/ok"))
    ticket = run_async(create_ticket(_message(CITIZEN, "Budi", privacy=Privacy.CONFIDENTIAL), s))
    public = run_async(create_ticket(_message(OTHER, "Siti"), s))
    assert [(r["channel"], r["recipient"]) for r in notification_rows(ticket["id"])] == [("email", CITIZEN)]
    assert sorted(r["channel"] for r in notification_rows(public["id"])) == ["email", "webhook"]


def test_email_without_smtp_is_recorded_as_skipped(notify_settings):
    s = subscribed(notify_settings.with_overrides(smtp_host=None))
    ticket = run_async(create_ticket(_message(CITIZEN, "Budi"), s))
    rows = notification_rows(ticket["id"])
    assert [(r["status"], r["last_error"], r["attempts"]) for r in rows] == [("skipped", "SMTP not configured", 0)]


def test_delivering_the_same_notification_twice_sends_once(notify_settings, smtp_sink, redis_conn):
    ticket = run_async(create_ticket(_message(CITIZEN, "Budi"), notify_settings))
    relay.flush()
    (row,) = notification_rows(ticket["id"])
    code = (
        "from feedback.notify.jobs import deliver_notification as d; "
        f"print(d({row['id']})); print(d({row['id']}))"
    )
    result = subprocess.run([sys.executable, "-c", code], env=worker_env(notify_settings), cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["sent", "sent"]
    assert len(smtp_sink.to(CITIZEN)) == 1
    (row,) = run_async(Notification.select().where(Notification.id == row["id"]))
    assert (row["status"], row["attempts"]) == ("sent", 1)


def test_automatic_routing_notifies_the_citizen(notify_settings):
    """The hook in route_ticket (the classifier's path); needs the trained model folder."""
    import pytest

    from classifiers import load_classifier
    from feedback.routing.service import route_ticket

    try:
        classifier = load_classifier()  # the shipped model or CLASSIFIER_MODEL
    except FileNotFoundError as exc:
        pytest.skip(f"no trained classifier: {exc}")
    s = notify_settings.with_overrides(classifier_threshold=0.0)
    ticket = run_async(create_ticket(_message(CITIZEN, "Budi"), s))
    outcome = run_async(route_ticket(ticket["id"], classifier, s))
    assert outcome.outcome == "routed"
    assert [r["event"] for r in notification_rows(ticket["id"])] == ["received", "routed"]
