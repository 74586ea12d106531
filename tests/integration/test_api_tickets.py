"""The citizen JSON API on PostgreSQL and SQLite (every test runs on both)."""
from __future__ import annotations

import pytest

from feedback.tables import Ticket, TicketEvent
from feedback.tracking.codes import normalize_code
from tests.conftest import run_async

TEXT = "Assalamualaikum admin, jalan di depan SDN 3 Sukamaju berlubang besar sudah 2 minggu, tolong ditambal"


def submit(client, **overrides):
    body = {"kind": "complaint", "text": TEXT}
    body.update(overrides)
    return client.post("/api/v1/tickets", json=body)


def test_submit_returns_tracking_code_and_stores_ticket(client):
    resp = submit(client, title="Jalan rusak", location="Jl. Merdeka RT 02/RW 05", lat=-6.2, long=106.8,
                  reporter={"name": "Siti", "email": "siti@example.com", "phone": "0812-3456-7890"}, privacy="confidential")
    assert resp.status_code == 201, resp.text
    body = resp.json()
    code = body["tracking_code"]
    assert normalize_code(code) == code and body["status"] == "received"
    assert body["tracking_url"].endswith(f"/track/{code}")
    row = run_async(Ticket.select().where(Ticket.tracking_code == code).first())
    assert row["text"] == TEXT and row["channel"] == "api" and row["privacy"] == "confidential"
    assert row["reporter_phone"] == "+6281234567890" and row["lat"] == -6.2
    events = run_async(TicketEvent.select().where(TicketEvent.ticket == row["id"]))
    assert [e["event_type"] for e in events] == ["created"]


def test_track_never_shows_identity(client):
    code = submit(client, reporter={"name": "Siti Rahma", "email": "siti@example.com", "phone": "081234567890"}).json()["tracking_code"]
    resp = client.get(f"/api/v1/tickets/{code}")
    assert resp.status_code == 200
    body = resp.json()
    assert body["status"] == "received" and body["timeline"][0]["type"] == "created"
    dumped = resp.text
    for secret in ("Siti Rahma", "siti@example.com", "081234567890", "+6281234567890"):
        assert secret not in dumped


def test_track_masks_personal_data_in_text(client):
    text = "KTP saya belum jadi, NIK 3201011506900001, hubungi 081234567890 ya min"
    code = submit(client, text=text).json()["tracking_code"]
    body = client.get(f"/api/v1/tickets/{code}").json()
    assert "3201011506900001" not in body["text"] and "081234567890" not in body["text"]


def test_unknown_and_mistyped_codes_look_the_same(client):
    code = submit(client).json()["tracking_code"]
    typo = code[:-1] + ("2" if code[-1] != "2" else "3")
    responses = [client.get(f"/api/v1/tickets/{c}") for c in (typo, "ZZZZZZZZZZZZ", "short", "../../etc/passwd")]
    assert {r.status_code for r in responses} == {404}
    assert len({r.json()["message"] for r in responses}) == 1


def test_idempotency_key_returns_same_ticket(client):
    first = client.post("/api/v1/tickets", json={"kind": "complaint", "text": TEXT}, headers={"Idempotency-Key": "abc-123"})
    second = client.post("/api/v1/tickets", json={"kind": "complaint", "text": TEXT}, headers={"Idempotency-Key": "abc-123"})
    assert first.status_code == 201 and second.status_code == 200
    assert first.json()["tracking_code"] == second.json()["tracking_code"]
    assert run_async(Ticket.count()) == 1


@pytest.mark.parametrize("body,field", [
    ({"kind": "complaint", "text": "pendek"}, "text"),
    ({"kind": "complaint", "text": "x" * 5001}, "text"),
    ({"kind": "rant", "text": TEXT}, "kind"),
    ({"kind": "complaint", "text": TEXT, "privacy": "secret"}, "privacy"),
    ({"kind": "complaint", "text": TEXT, "reporter": {"email": "bukan-email"}}, "email"),
    ({"kind": "complaint", "text": TEXT, "reporter": {"phone": "12ab"}}, "phone"),
    ({"kind": "complaint", "text": 12345}, "text"),
    ({"kind": "complaint", "text": TEXT, "lat": "north"}, "lat"),
    ({"kind": "complaint", "text": TEXT, "lat": 120, "long": 10}, "lat"),
    ({"text": TEXT}, "kind"),
    ([1, 2, 3], ""),
])
def test_bad_input_is_a_clear_4xx(client, body, field):
    resp = client.post("/api/v1/tickets", json=body)
    assert 400 <= resp.status_code < 500, resp.text
    data = resp.json()
    assert data["message"] and data["message_en"]
    assert field in resp.text
    assert run_async(Ticket.count()) == 0


def test_malformed_json_and_huge_body(client):
    resp = client.post("/api/v1/tickets", content=b'{"kind": "complaint", "text": ', headers={"content-type": "application/json"})
    assert resp.status_code == 400 and resp.json()["message_en"]
    big = b'{"kind": "complaint", "text": "' + b"a" * (1024 * 1024 + 10) + b'"}'
    resp = client.post("/api/v1/tickets", content=big, headers={"content-type": "application/json"})
    assert resp.status_code == 413
    assert run_async(Ticket.count()) == 0


def test_rating_only_when_resolved(client):
    from feedback.tracking.lifecycle import change_status

    code = submit(client).json()["tracking_code"]
    resp = client.post(f"/api/v1/tickets/{code}/rating", json={"score": 5})
    assert resp.status_code == 409
    tid = run_async(Ticket.select(Ticket.id).where(Ticket.tracking_code == code).first())["id"]
    for status in ("triage", "routed", "in_progress", "resolved"):
        run_async(change_status(tid, status, note="ok"))
    assert client.post(f"/api/v1/tickets/{code}/rating", json={"score": 9}).status_code in (400, 422)
    resp = client.post(f"/api/v1/tickets/{code}/rating", json={"score": 4, "comment": "Cepat ditangani, terima kasih"})
    assert resp.status_code == 201
    assert client.post(f"/api/v1/tickets/{code}/rating", json={"score": 1}).status_code == 409
    assert client.get(f"/api/v1/tickets/{code}").json()["rating"] == 4


def test_health(client):
    assert client.get("/health/live").json() == {"status": "ok"}
    ready = client.get("/health/ready")
    assert ready.status_code == 200 and ready.json()["checks"] == {"database": "ok", "redis": "ok"}


def test_openapi_documents_the_api(client):
    schema = client.get("/schema/openapi.json").json()
    assert "/api/v1/tickets" in schema["paths"] and "/api/v1/tickets/{tracking_code}" in schema["paths"]
