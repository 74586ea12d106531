"""Notification texts and the webhook signature, without a database."""
from __future__ import annotations

import hashlib
import hmac

import pytest

from feedback.notify import templates
from feedback.notify.mailer import build_email
from feedback.notify.webhook import encode_event, sign, verify_signature
from feedback.settings import Settings
from feedback.tracking.codes import format_code, new_tracking_code


@pytest.mark.parametrize("event", templates.EVENTS)
def test_every_event_is_bilingual_with_the_tracking_link(event):
    code = new_tracking_code()
    ctx = templates.context_for(event, code, "https://lapor.example.go.id/", agency="Dinas PUPR",
                                agency_en="Public Works Office", message="Sudah diperbaiki <b>hari ini</b>.")
    rendered = templates.render_email(event, ctx, code)
    assert rendered.subject.startswith(f"[Suara Warga {format_code(code)}] ")
    id_part, en_part = rendered.text.split("--- English ---")
    assert f"https://lapor.example.go.id/track/{code}" in id_part and f"https://lapor.example.go.id/track/{code}" in en_part
    assert "<b>" not in rendered.html  # response text is escaped in the HTML part
    assert f'href="https://lapor.example.go.id/track/{code}"' in rendered.html


def test_resolved_links_to_the_ikm_survey_and_routed_names_the_agency():
    code = new_tracking_code()
    resolved = templates.render_email("resolved", templates.context_for("resolved", code, "http://x"), code)
    assert f"http://x/survei?ticket={code}" in resolved.text
    routed = templates.render_email("routed", templates.context_for("routed", code, "http://x", agency="Dinas PUPR",
                                                                    agency_en="Public Works Office"), code)
    assert "Dinas PUPR" in routed.text and "Public Works Office" in routed.text


def test_unknown_event_is_refused():
    with pytest.raises(ValueError):
        templates.context_for("deleted", new_tracking_code(), "http://x")


def test_email_headers_prevent_loops_and_thread_replies():
    code = new_tracking_code()
    settings = Settings(mail_from="Suara Warga <noreply@kota.go.id>", inbound_addresses=("pengaduan@kota.go.id",))
    rendered = templates.render_email("received", templates.context_for("received", code, "http://x"), code)
    msg = build_email(settings, "warga@example.id", rendered, tracking_code=code)
    assert msg["Auto-Submitted"] == "auto-generated"
    assert msg["Reply-To"] == "pengaduan@kota.go.id"
    assert msg["Message-ID"].endswith("@kota.go.id>")
    assert msg["References"] == f"<ticket.{code}@kota.go.id>"
    assert [part.get_content_type() for part in msg.iter_parts()] == ["text/plain", "text/html"]
    assert all(part.get_content_charset() == "utf-8" for part in msg.iter_parts())


def test_signature_is_hmac_sha256_of_the_raw_body():
    body = encode_event({"event": "received", "message": "Laporan diterima ✓"})
    expected = "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert sign("s3cret", body) == expected
    assert verify_signature("s3cret", body, expected)
    assert verify_signature(b"s3cret", body, expected)
    assert not verify_signature("s3cret", body + b" ", expected)
    assert not verify_signature("s3cret", body, expected.replace("sha256=", "sha1="))
    assert not verify_signature("", body, sign("", body))
    assert not verify_signature("s3cret", body, "sha256=ÿ")
