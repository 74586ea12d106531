"""GET requests: defaults (90 days, 1,000 results), filters and their errors."""
from __future__ import annotations

from datetime import timedelta

from feedback.tables import Ticket
from feedback.tracking.codes import new_tracking_code
from feedback.tracking.lifecycle import utcnow
from tests.conftest import run_async

TEXT = "Air PDAM di perumahan Griya Asri keruh kecoklatan sejak kemarin pagi, tidak bisa dipakai"


def submit(client, key, **fields):
    data = {"api_key": key, "lat": "-6.2", "long": "106.8", "description": TEXT, **fields}
    resp = client.post("/open311/v2/requests.json", data=data)
    assert resp.status_code == 201, resp.text
    return resp.json()[0]["service_request_id"]


def listed(client, query=""):
    resp = client.get(f"/open311/v2/requests.json{query}")
    assert resp.status_code == 200, resp.text
    return [r["service_request_id"] for r in resp.json()]


def test_default_window_is_last_90_days(client, api_key):
    recent, old = submit(client, api_key.plaintext), submit(client, api_key.plaintext)
    run_async(Ticket.update({Ticket.created_at: utcnow() - timedelta(days=100)}).where(Ticket.tracking_code == old))
    assert listed(client) == [recent]
    start = (utcnow() - timedelta(days=120)).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = (utcnow() - timedelta(days=60)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert listed(client, f"?start_date={start}&end_date={end}") == [old]
    assert set(listed(client, f"?service_request_id={recent},{old}")) == {recent, old}  # ids override the window


def test_only_open311_submissions_are_listed(client, api_key):
    mine = submit(client, api_key.plaintext)
    web = client.post("/api/v1/tickets", json={"kind": "complaint", "text": TEXT}).json()["tracking_code"]
    assert listed(client) == [mine]
    one = client.get(f"/open311/v2/requests/{web}.json")  # its code is its owner's key to it
    assert one.status_code == 200 and one.json()[0]["service_request_id"] == web


def test_bad_filters_are_400(client):
    for query in ("?status=pending", "?start_date=kemarin", "?end_date=2026-13-01",
                  "?start_date=2026-03-01T00:00:00Z&end_date=2026-01-01T00:00:00Z",
                  "?start_date=2025-01-01T00:00:00Z&end_date=2025-06-01T00:00:00Z"):
        resp = client.get(f"/open311/v2/requests.json{query}")
        assert resp.status_code == 400, query
        assert resp.json()[0]["code"] == 400
    xml = client.get("/open311/v2/requests.xml?status=pending")
    assert xml.status_code == 400 and b"<errors><error><code>400</code>" in xml.content


def test_service_code_filter(client, api_key):
    code = submit(client, api_key.plaintext)
    ticket = run_async(Ticket.select(Ticket.id).where(Ticket.tracking_code == code).first())
    from feedback.tables import Category

    water = run_async(Category.select(Category.id).where(Category.code == "air_bersih").first())
    run_async(Ticket.update({Ticket.category: water["id"]}).where(Ticket.id == ticket["id"]))
    assert listed(client, "?service_code=air_bersih") == [code]
    assert listed(client, "?service_code=listrik,kesehatan") == []
    assert listed(client, "?service_code=listrik,air_bersih") == [code]


def test_at_most_1000_results(pg_client, pg_api_key):
    now = utcnow()
    rows = [Ticket(tracking_code=new_tracking_code(), kind="complaint", channel="api", text=TEXT, status="received",
                   open311_key=pg_api_key.id, created_at=now - timedelta(seconds=i), updated_at=now) for i in range(1005)]
    for start in range(0, len(rows), 200):  # asyncpg allows at most 32,767 query arguments
        run_async(Ticket.insert(*rows[start:start + 200]))
    body = pg_client.get("/open311/v2/requests.json").json()
    assert len(body) == 1000
    newest_first = [r["requested_datetime"] for r in body]
    assert newest_first == sorted(newest_first, reverse=True)
