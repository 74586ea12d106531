"""An XSS corpus through every field citizens see: escaped in HTML, inert in JSON and XML."""
from __future__ import annotations

import json

import pytest
from markupsafe import escape

from feedback.tables import Ticket, TicketMessage
from feedback.tracking.lifecycle import change_status
from tests.conftest import run_async
from tests.security.corpus import XSS

PREFIX = "Laporan jalan rusak di kampung kami "


def assert_no_raw_markup(html: str, payload: str) -> None:
    """Escaped text may still read "onerror=…"; what must never appear is a raw tag or a broken-out attribute."""
    for marker in ("<script>alert", "<img src=x", "<svg/onload", "<iframe src=", '<a href="javascript:', '"><img', "'><svg"):
        assert marker not in html, (marker, payload)
    assert ">49<" not in html and "49 {%" not in html  # no template evaluation of citizen text


def escaped(payload: str) -> str:
    return str(escape(payload))


@pytest.mark.parametrize("payload", XSS)
def test_api_fields_escaped_on_track_page(client, payload):
    body = {"kind": "complaint", "text": PREFIX + payload, "title": payload[:200], "location": payload,
            "kecamatan": payload[:100], "reporter": {"name": payload}}
    resp = client.post("/api/v1/tickets", json=body)
    assert resp.status_code == 201, resp.text
    code = resp.json()["tracking_code"]
    html = client.get(f"/track/{code}").text
    assert_no_raw_markup(html, payload)
    assert escaped(payload) in html
    api = client.get(f"/api/v1/tickets/{code}")
    assert api.headers["content-type"].startswith("application/json")
    assert api.headers["x-content-type-options"] == "nosniff"
    assert api.json()["text"] == PREFIX + payload and api.json()["title"] == payload[:200]


@pytest.mark.parametrize("payload", XSS)
def test_form_fields_escaped_on_success_and_on_error(client, payload):
    fields = {"kind": "complaint", "text": PREFIX + payload, "title": payload, "location": payload, "kecamatan": payload,
              "name": payload, "privacy": "public"}
    ok = client.post("/submit", data=fields, follow_redirects=False)
    assert ok.status_code == 303, ok.text
    code = ok.headers["location"].rsplit("/", 1)[1]
    assert_no_raw_markup(client.get(f"/submitted/{code}").text, payload)
    assert_no_raw_markup(client.get(f"/track/{code}").text, payload)
    # A rejected form is shown again with the citizen's input in it.
    again = client.post("/submit", data={**fields, "text": payload[:10], "email": payload})
    assert again.status_code == 400
    assert_no_raw_markup(again.text, payload)


def test_staff_response_and_reject_reason_escaped(client):
    payload = XSS[0]
    code = client.post("/api/v1/tickets", json={"kind": "complaint", "text": PREFIX + "tolong diperbaiki"}).json()["tracking_code"]
    ticket_id = run_async(Ticket.select(Ticket.id).where(Ticket.tracking_code == code).first())["id"]
    run_async(TicketMessage.insert(TicketMessage(ticket=ticket_id, author_type="staff", visibility="public", body=payload)))
    run_async(change_status(ticket_id, "rejected", note=payload))
    html = client.get(f"/track/{code}").text
    assert_no_raw_markup(html, payload)
    assert html.count(escaped(payload)) >= 2


@pytest.mark.parametrize("payload", XSS[:3])
def test_codes_echoed_back_are_escaped(client, payload):
    for resp in (client.get("/track", params={"code": payload}), client.get(f"/track/{payload}"),
                 client.get(f"/submitted/{payload}")):
        assert resp.status_code == 404
        assert_no_raw_markup(resp.text, payload)


def test_open311_json_and_xml_are_inert(client):
    from feedback.open311.keys import create_key

    key = run_async(create_key("Mitra"))
    payload = XSS[0]
    resp = client.post("/open311/v2/requests.json", data={"api_key": key.plaintext, "description": PREFIX + payload,
                                                         "address_string": payload, "first_name": payload})
    assert resp.status_code == 201, resp.text
    code = resp.json()[0]["service_request_id"]
    as_json = client.get(f"/open311/v2/requests/{code}.json")
    assert "<" not in as_json.text and json.loads(as_json.text)[0]["description"] == PREFIX + payload
    as_xml = client.get(f"/open311/v2/requests/{code}.xml")
    assert "<script>" not in as_xml.text and "&lt;script&gt;" in as_xml.text
