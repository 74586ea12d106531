"""Public pages: submit with attachments, confirmation, tracking, rating; no JavaScript needed."""
from __future__ import annotations

import re

from feedback.tables import Attachment, Ticket
from feedback.tracking.lifecycle import change_status
from tests.conftest import make_settings, run_async

TEXT = "Lampu PJU di Jl. Diponegoro depan masjid mati sudah 3 malam, gelap sekali rawan begal"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00\x10JFIF" + b"\x00" * 200
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def form_submit(client, files=None, **fields):
    data = {"kind": "complaint", "text": TEXT, "privacy": "public"}
    data.update(fields)
    return client.post("/submit", data=data, files=files or [], follow_redirects=False)


def test_form_page_renders_in_both_languages(client):
    page = client.get("/")
    assert page.status_code == 200 and 'name="text"' in page.text and "Kirim laporan" in page.text
    assert "<script" not in page.text
    english = client.get("/?lang=en")
    assert "Send report" in english.text and english.cookies.get("lang") == "en"


def test_submit_with_attachments_then_track(client, settings):
    resp = form_submit(client, files=[("attachments", ("foto jalan.jpg", JPEG, "image/jpeg")),
                                      ("attachments", ("surat.pdf", PDF, "application/pdf"))], name="Budi", email="budi@example.com")
    assert resp.status_code == 303, resp.text
    location = resp.headers["location"]
    code = location.rsplit("/", 1)[1]
    confirmation = client.get(location)
    assert re.search(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", confirmation.text)
    ticket = run_async(Ticket.select().where(Ticket.tracking_code == code).first())
    assert ticket["channel"] == "web" and ticket["reporter_email"] == "budi@example.com"
    atts = run_async(Attachment.select().where(Attachment.ticket == ticket["id"]).order_by(Attachment.id))
    assert [(a["content_type"], a["size"]) for a in atts] == [("image/jpeg", len(JPEG)), ("application/pdf", len(PDF))]
    for a in atts:
        assert (settings.upload_dir / a["storage_key"]).read_bytes() in (JPEG, PDF)
        assert "/" not in a["filename"]
    page = client.get(f"/track/{code}")
    assert page.status_code == 200 and "Diterima" in page.text and "Budi" not in page.text


def test_form_errors_rerender_with_values(client):
    resp = form_submit(client, text="pendek", title="Judul saya")
    assert resp.status_code == 400
    assert "terlalu pendek" in resp.text and 'value="Judul saya"' in resp.text
    assert run_async(Ticket.count()) == 0


def test_disallowed_and_disguised_uploads_rejected(client):
    exe = b"MZ\x90\x00" + b"\x00" * 100
    for name, data in (("foto.jpg", exe), ("../../etc/passwd", b"root:x:0:0"), ("script.html", b"<html><script>")):
        resp = form_submit(client, files=[("attachments", (name, data, "image/jpeg"))])
        assert resp.status_code in (400, 413, 415), resp.text
    too_many = [("attachments", (f"f{i}.jpg", JPEG, "image/jpeg")) for i in range(6)]
    assert form_submit(client, files=too_many).status_code == 400
    assert run_async(Ticket.count()) == 0 and run_async(Attachment.count()) == 0


def test_oversized_attachment_rejected(client):
    big = JPEG + b"\x00" * (10 * 1024 * 1024)
    resp = form_submit(client, files=[("attachments", ("besar.jpg", big, "image/jpeg"))])
    assert resp.status_code == 413
    assert run_async(Ticket.count()) == 0


def test_text_is_escaped_on_output(client):
    evil = "<script>alert('xss')</script> jalan rusak <img src=x onerror=alert(1)>"
    code = client.post("/api/v1/tickets", json={"kind": "complaint", "text": evil, "title": "<b>judul</b>"}).json()["tracking_code"]
    page = client.get(f"/track/{code}").text
    assert "<script>alert" not in page and "&lt;script&gt;" in page and "<b>judul</b>" not in page
    assert "<img src=x" not in page


def test_rating_form_after_resolution(client):
    code = client.post("/api/v1/tickets", json={"kind": "complaint", "text": TEXT}).json()["tracking_code"]
    assert 'name="score"' not in client.get(f"/track/{code}").text
    tid = run_async(Ticket.select(Ticket.id).where(Ticket.tracking_code == code).first())["id"]
    for status in ("routed", "resolved"):
        run_async(change_status(tid, status))
    page = client.get(f"/track/{code}")
    assert 'name="score"' in page.text
    resp = client.post(f"/track/{code}/rating", data={"score": "5", "comment": "mantap"}, follow_redirects=False)
    assert resp.status_code == 303
    after = client.get(resp.headers["location"])
    assert "Terima kasih atas penilaian" in after.text and 'name="score"' not in after.text


def test_track_lookup_form(client):
    code = client.post("/api/v1/tickets", json={"kind": "question", "text": TEXT}).json()["tracking_code"]
    display = f"{code[:4]}-{code[4:8]}-{code[8:]}".lower()
    resp = client.get(f"/track?code={display}", follow_redirects=False)
    assert resp.status_code == 303 and resp.headers["location"] == f"/track/{code}"
    assert client.get("/track?code=NGAWUR").status_code == 404


def test_security_headers(client):
    resp = client.get("/")
    csp = resp.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert resp.headers["x-content-type-options"] == "nosniff" and resp.headers["referrer-policy"]


def test_rate_limit_returns_429_with_retry_after(settings, tmp_path):
    from litestar.testing import TestClient

    from feedback.app import create_app

    limited = make_settings(settings.database_url, tmp_path, rate_limit_per_minute=3)
    with TestClient(app=create_app(limited, run_sweeper=False), base_url="http://testserver.local") as c:
        statuses = [c.post("/api/v1/tickets", json={"kind": "complaint", "text": TEXT}).status_code for _ in range(5)]
        assert statuses[:3] == [201, 201, 201] and statuses[3:] == [429, 429]
        resp = c.post("/api/v1/tickets", json={"kind": "complaint", "text": TEXT})
        assert int(resp.headers["retry-after"]) > 0 and resp.json()["message_en"]
        lookups = [c.get("/api/v1/tickets/AAAAAAAAAAAA").status_code for _ in range(5)]
        assert lookups.count(429) == 2
    assert run_async(Ticket.count()) == 3
