"""Security headers on public pages and the API; pages carry no inline script for CSP to forbid."""
from __future__ import annotations

import re

import pytest

TEXT = "Pelayanan di kantor kecamatan sangat lambat, antrian sampai sore dan petugas sering tidak ada"


def csp_directives(header: str) -> dict[str, list[str]]:
    parts = [d.strip().split() for d in header.split(";") if d.strip()]
    return {p[0]: p[1:] for p in parts}


def check_headers(resp) -> None:
    csp = csp_directives(resp.headers["content-security-policy"])
    script = csp.get("script-src", csp.get("default-src"))
    assert script is not None and "'unsafe-inline'" not in script and "'unsafe-eval'" not in script and "*" not in script
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp.get("object-src") == ["'none'"]
    assert resp.headers["x-content-type-options"] == "nosniff"
    assert resp.headers["referrer-policy"] in ("same-origin", "strict-origin-when-cross-origin", "no-referrer")
    assert resp.headers.get("x-frame-options", "DENY").upper() == "DENY"
    assert resp.headers.get("x-request-id")


@pytest.fixture
def code(client):
    return client.post("/api/v1/tickets", json={"kind": "complaint", "text": TEXT}).json()["tracking_code"]


def test_public_pages(client, code):
    for path in ("/", "/?lang=en", "/track", f"/track/{code}", f"/submitted/{code}", "/track/TIDAKADA"):
        resp = client.get(path)
        assert resp.status_code in (200, 404), path
        check_headers(resp)
        html = resp.text
        # CSP forbids inline script and handlers, so the pages must not need them.
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert not re.search(r"\son[a-z]+\s*=", html, re.I), path
        assert "javascript:" not in html


def test_form_error_page(client):
    resp = client.post("/submit", data={"kind": "complaint", "text": "pendek"})
    assert resp.status_code == 400
    check_headers(resp)


def test_api_and_open311_responses(client, code):
    responses = [
        client.get(f"/api/v1/tickets/{code}"),
        client.get("/api/v1/tickets/TIDAKADA"),
        client.post("/api/v1/tickets", json={"kind": "complaint", "text": "x"}),
        client.get("/health/live"),
        client.get("/open311/v2/services.json"),
        client.get("/open311/v2/services.xml"),
        client.post("/open311/v2/requests.json", data={"api_key": "salah"}),
        client.get("/metrics"),
    ]
    assert [r.status_code for r in responses] == [200, 404, 400, 200, 200, 200, 403, 200]
    for resp in responses:
        check_headers(resp)
