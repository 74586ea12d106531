"""POST requests and the spec's error shapes (our own tests; both databases)."""
from __future__ import annotations

import http.server
import threading
from xml.etree import ElementTree as ET

import pytest

from feedback.open311.keys import revoke_key
from feedback.tables import Ticket, TicketEvent
from tests.conftest import run_async

TEXT = "Sampah di TPS Jl. Kenanga tidak diangkut selama seminggu, baunya menyengat sampai ke rumah warga"
URL = "/open311/v2/requests"


def form(key, **fields):
    data = {"api_key": key, "service_code": "kebersihan_lingkungan", "lat": "-7.2575", "long": "112.7521",
            "description": TEXT}
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def tickets():
    return run_async(Ticket.select())


def test_post_creates_attributed_ticket(client, api_key):
    resp = client.post(f"{URL}.json", data=form(api_key.plaintext, email="warga@example.com", first_name="Ani",
                                               last_name="Suryani", phone="0812-1111-2222",
                                               media_url="https://img.example/tps.jpg", **{"attribute[WHAT]": "x"}))
    assert resp.status_code == 201, resp.text
    assert resp.headers["content-type"].startswith("application/json")
    item = resp.json()[0]
    row = run_async(Ticket.select().where(Ticket.tracking_code == item["service_request_id"]).first())
    assert row["channel"] == "api" and row["open311_key"] == api_key.id
    assert row["text"] == TEXT and row["lat"] == -7.2575 and row["long"] == 112.7521
    assert row["reporter_name"] == "Ani Suryani" and row["reporter_email"] == "warga@example.com"
    assert row["reporter_phone"] == "+6281211112222"
    assert row["title"] == "Kebersihan dan Lingkungan"  # the service hint, for the classifier
    assert row["status"] == "received" and row["category"] is None  # routing is still the classifier's
    events = run_async(TicketEvent.select().where(TicketEvent.ticket == row["id"]).order_by(TicketEvent.id).output(load_json=True))
    assert events[0]["event_type"] == "created" and events[0]["data"]["source_ref"] == "open311:Mitra Uji"
    assert events[1]["event_type"] == "open311_submitted"
    assert events[1]["data"]["service_code"] == "kebersihan_lingkungan"
    assert events[1]["data"]["media_url"] == "https://img.example/tps.jpg"


def test_post_xml_response_parses(client, api_key):
    resp = client.post(f"{URL}.xml", data=form(api_key.plaintext, lat=None, long=None, address_string="Jl. Kenanga 5"))
    assert resp.status_code == 201 and resp.headers["content-type"].startswith("text/xml")
    root = ET.fromstring(resp.content)
    assert root.tag == "service_requests"
    code = root.find("request/service_request_id").text
    assert run_async(Ticket.select(Ticket.location).where(Ticket.tracking_code == code).first())["location"] == "Jl. Kenanga 5"
    token = client.get(f"/open311/v2/tokens/{code}.xml")
    assert ET.fromstring(token.content).find("request/service_request_id").text == code


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_api_key_missing_invalid_or_revoked_is_403(client, api_key, fmt):
    run_async(revoke_key(api_key.prefix))
    for key in (None, "", "not-a-key", api_key.plaintext[:-1] + "x", api_key.plaintext):
        resp = client.post(f"{URL}.{fmt}", data=form(key))
        assert resp.status_code == 403, (key, resp.text)
        if fmt == "json":
            assert resp.json()[0]["code"] == 403 and resp.json()[0]["description"]
        else:
            error = ET.fromstring(resp.content).find("error")
            assert error.find("code").text == "403" and error.find("description").text
    assert tickets() == []


def test_description_limit_is_4000(client, api_key):
    too_long = client.post(f"{URL}.json", data=form(api_key.plaintext, description="a" * 4001))
    assert too_long.status_code == 400 and "4000" in too_long.json()[0]["description"]
    assert tickets() == []
    at_limit = client.post(f"{URL}.json", data=form(api_key.plaintext, description=("Jalan rusak parah. " * 300)[:4000]))
    assert at_limit.status_code == 201, at_limit.text


@pytest.mark.parametrize("fields, phrase", [
    ({"description": None}, "description"),
    ({"description": "rusak"}, "description"),  # shorter than our 15-character minimum
    ({"lat": None, "long": None}, "location"),
    ({"lat": "-7.2", "long": None}, "location"),
    ({"lat": "abc"}, "lat"),
    ({"lat": "nan"}, "lat"),
    ({"lat": "95", "long": "10"}, "lat"),
    ({"service_code": "bukan_layanan"}, "service_code"),
    ({"media_url": "javascript:alert(1)"}, "media_url"),
    ({"email": "bukan-email"}, "email"),
])
def test_invalid_fields_are_400_in_spec_shape(client, api_key, fields, phrase):
    resp = client.post(f"{URL}.json", data=form(api_key.plaintext, **fields))
    assert resp.status_code == 400, resp.text
    errors = resp.json()
    assert all(e["code"] == 400 for e in errors) and any(phrase in e["description"] for e in errors)
    assert tickets() == []


def test_several_problems_are_listed_together(client, api_key):
    resp = client.post(f"{URL}.xml", data=form(api_key.plaintext, description=None, lat=None, long=None))
    assert resp.status_code == 400
    assert len(ET.fromstring(resp.content).findall("error")) == 2


def test_media_url_is_never_fetched(client, api_key):
    hits = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/foto.jpg"
        resp = client.post(f"{URL}.json", data=form(api_key.plaintext, media_url=url))
        assert resp.status_code == 201
        code = resp.json()[0]["service_request_id"]
        assert client.get(f"{URL}/{code}.json").json()[0]["media_url"] == url
    finally:
        server.shutdown()
    assert hits == []


def test_unknown_ids_tokens_and_formats_are_404(client, api_key):
    code = client.post(f"{URL}.json", data=form(api_key.plaintext)).json()[0]["service_request_id"]
    typo = code[:-1] + ("2" if code[-1] != "2" else "3")
    for path in (f"{URL}/{typo}.json", f"{URL}/{code}.html", f"{URL}/{code}", f"/open311/v2/tokens/{typo}.json"):
        resp = client.get(path)
        assert resp.status_code == 404, path
        assert resp.json()[0]["code"] == 404
    missing = client.get(f"{URL}/{typo}.xml")
    assert missing.status_code == 404 and ET.fromstring(missing.content).find("error/code").text == "404"
    assert client.get(f"{URL}/{code}.json").status_code == 200


def test_discovery_document(client):
    body = client.get("/open311/v2/discovery.json").json()
    endpoint = body["endpoints"][0]
    assert endpoint["url"] == "http://testserver/open311/v2" and "application/json" in endpoint["formats"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    root = ET.fromstring(client.get("/open311/v2/discovery.xml").content)
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == ["application/json", "text/xml"]
