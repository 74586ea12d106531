"""SQL-injection strings in every field and in code paths: stored verbatim, refused cleanly, no errors."""
from __future__ import annotations

import pytest

from feedback.open311.keys import create_key
from feedback.tables import Open311Key, Ticket
from tests.conftest import run_async
from tests.security.corpus import SQLI

PREFIX = "Keluhan pelayanan kantor kelurahan: "


@pytest.mark.parametrize("payload", SQLI)
def test_api_fields_stored_verbatim(client, payload):
    body = {"kind": "complaint", "text": PREFIX + payload, "title": payload, "location": payload, "kecamatan": payload,
            "reporter": {"name": payload}}
    resp = client.post("/api/v1/tickets", json=body, headers={"Idempotency-Key": payload})
    assert resp.status_code == 201, resp.text
    row = run_async(Ticket.select().where(Ticket.tracking_code == resp.json()["tracking_code"]).first())
    assert (row["text"], row["title"], row["location"], row["kecamatan"], row["reporter_name"]) == (
        PREFIX + payload, payload, payload, payload, payload)
    assert client.post("/api/v1/tickets", json=body, headers={"Idempotency-Key": payload}).status_code == 200


@pytest.mark.parametrize("payload", SQLI)
def test_form_and_open311_fields_stored_verbatim(client, payload):
    ok = client.post("/submit", data={"kind": "complaint", "text": PREFIX + payload, "title": payload,
                                      "location": payload, "name": payload, "privacy": "public"}, follow_redirects=False)
    assert ok.status_code == 303
    row = run_async(Ticket.select().where(Ticket.tracking_code == ok.headers["location"].rsplit("/", 1)[1]).first())
    assert row["title"] == payload and row["reporter_name"] == payload
    key = run_async(create_key(payload[:100]))
    resp = client.post("/open311/v2/requests.json", data={"api_key": key.plaintext, "description": PREFIX + payload,
                                                         "address_string": payload, "first_name": payload})
    assert resp.status_code == 201, resp.text
    row = run_async(Ticket.select().where(Ticket.tracking_code == resp.json()[0]["service_request_id"]).first())
    assert row["text"] == PREFIX + payload and row["location"] == payload and row["reporter_name"] == payload
    assert client.post("/open311/v2/requests.json", data={"api_key": payload, "description": PREFIX,
                                                         "address_string": "x"}).status_code == 403


@pytest.mark.parametrize("payload", SQLI)
def test_injection_in_codes_and_filters_is_refused_cleanly(client, payload):
    code = client.post("/api/v1/tickets", json={"kind": "complaint", "text": PREFIX + "antrian lama"}).json()["tracking_code"]
    for path in (f"/api/v1/tickets/{payload}", f"/track/{payload}", f"/open311/v2/requests/{payload}.json",
                 f"/open311/v2/tokens/{payload}.json"):
        resp = client.get(path)
        assert resp.status_code in (400, 404), (path, resp.status_code)
    assert client.get("/track", params={"code": payload}).status_code == 404
    assert client.post(f"/api/v1/tickets/{payload}/rating", json={"score": 5}).status_code in (400, 404)
    for params in ({"service_request_id": f"{code},{payload}"}, {"service_code": payload}, {"status": payload},
                   {"start_date": payload}, {"end_date": payload}):
        resp = client.get("/open311/v2/requests.json", params=params)
        assert resp.status_code in (200, 400), (params, resp.status_code)
    ids = client.get("/open311/v2/requests.json", params={"service_request_id": f"{code},{payload}"}).json()
    assert [r["service_request_id"] for r in ids] == [code]
    assert client.get("/open311/v2/requests.json", params={"service_code": payload}).json() == []
    # The tables the payloads name are intact.
    assert run_async(Ticket.count()) == 1 and run_async(Open311Key.count()) == 0
