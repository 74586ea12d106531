"""The read side through an Open311 client we did not write (`georeport` from PyPI), against uvicorn."""
from __future__ import annotations

import requests
from georeport import GeoReport

from feedback.routing.taxonomy import DEFAULT_AGENCIES, DEFAULT_CATEGORIES
from feedback.tracking.lifecycle import change_status
from feedback.tables import Ticket
from tests.conftest import run_async

TEXT = "Lampu penerangan jalan di Jl. Melati mati total sejak tiga hari, gelap sekali malam hari"


def post_request(base: str, key: str, **fields) -> str:
    data = {"api_key": key, "service_code": "transportasi", "lat": "-6.9175", "long": "107.6191",
            "description": TEXT, "email": "rahasia@example.com", "first_name": "Rina", "last_name": "Wati",
            "phone": "081298765432", **fields}
    resp = requests.post(f"{base}/open311/v2/requests.json", data=data, timeout=10)
    assert resp.status_code == 201, resp.text
    return resp.json()[0]["service_request_id"]


def test_services_list_json_and_xml(live_url):
    expected = {c.code: c for c in DEFAULT_CATEGORIES}
    for fmt in ("json", "xml"):
        services = GeoReport(f"{live_url}/open311/v2", output_format=fmt).get_service_list()
        by_code = {s["service_code"]: s for s in services}
        assert set(by_code) == set(expected), fmt
        road = by_code["infrastruktur_jalan"]
        assert road["service_name"] == expected["infrastruktur_jalan"].name
        assert road["group"] == DEFAULT_AGENCIES["dpupr"][0]
        assert road["type"] == "realtime"
        assert str(road["metadata"]).lower() == "false"


def test_service_definition(live_url):
    for fmt in ("json", "xml"):
        definition = GeoReport(f"{live_url}/open311/v2", output_format=fmt).get_service_definition("air_bersih")
        assert definition["service_code"] == "air_bersih"
        assert not definition["attributes"]
    resp = requests.get(f"{live_url}/open311/v2/services/tidak_ada.json", timeout=10)
    assert resp.status_code == 404 and resp.json()[0]["code"] == 404


def test_requests_read_back_by_client(live_url, pg_api_key):
    first = post_request(live_url, pg_api_key.plaintext, media_url="https://foto.example/lampu.jpg")
    second = post_request(live_url, pg_api_key.plaintext, service_code="kebersihan_lingkungan",
                          lat="", long="", address_string="Pasar Baru, Jl. Otista")
    client = GeoReport(f"{live_url}/open311/v2")
    listed = {r["service_request_id"]: r for r in client.get_service_requests()}
    assert set(listed) == {first, second}
    one = client.get_service_request(first)
    assert one["status"] == "open" and one["description"] == TEXT
    assert one["lat"] == -6.9175 and one["long"] == 107.6191
    assert one["media_url"] == "https://foto.example/lampu.jpg"
    assert one["service_code"] == "transportasi"  # the partner's hint until the classifier routes it
    assert listed[second]["address"] == "Pasar Baru, Jl. Otista"

    xml_one = GeoReport(f"{live_url}/open311/v2", output_format="xml").get_service_request(second)
    assert xml_one["service_request_id"] == second and xml_one["status"] == "open"
    assert xml_one["address"] == "Pasar Baru, Jl. Otista"


def test_status_and_id_filters(live_url, pg_api_key):
    open_id = post_request(live_url, pg_api_key.plaintext)
    closed_id = post_request(live_url, pg_api_key.plaintext)
    ticket_id = run_async(Ticket.select(Ticket.id).where(Ticket.tracking_code == closed_id).first())["id"]
    for status in ("routed", "resolved"):
        run_async(change_status(ticket_id, status, note="Lampu sudah diganti"))
    client = GeoReport(f"{live_url}/open311/v2")
    assert [r["service_request_id"] for r in client.get_service_requests(status="open")] == [open_id]
    assert [r["service_request_id"] for r in client.get_service_requests(status="closed")] == [closed_id]
    both = client.get_service_requests(service_request_id=f"{open_id},{closed_id},BOGUS")
    assert {r["service_request_id"] for r in both} == {open_id, closed_id}
    assert client.get_service_requests(service_code="listrik") == []
    old = client.get_service_requests(start_date="2020-01-01T00:00:00Z", end_date="2020-02-01T00:00:00Z")
    assert old == []


def test_identity_never_in_responses(live_url, pg_api_key):
    sid = post_request(live_url, pg_api_key.plaintext)
    for path in (f"requests/{sid}.json", f"requests/{sid}.xml", "requests.json", "requests.xml"):
        body = requests.get(f"{live_url}/open311/v2/{path}", timeout=10).text
        assert sid in body
        for secret in ("rahasia@example.com", "Rina", "Wati", "081298765432", "6281298765432"):
            assert secret not in body, (path, secret)
