"""The main story in a real browser (Chromium via Playwright), against a real server and PostgreSQL.

citizen submits on / → the routing service sends it to triage (low confidence) → a dispatcher routes it
with one click from the triage queue → agency staff log in, find it in their inbox, reply publicly and
resolve it → the citizen sees the reply on /track/{code} and rates it. Screenshots: test-artifacts/browser/.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from feedback.routing.service import route_ticket
from feedback.tables import SatisfactionRating, Ticket
from tests.admin.helpers import PASSWORD, make_world
from tests.conftest import REDIS_URL, ROOT, run_async

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts" / "browser"
COMPLAINT = "Jalan di depan SDN 2 Sukamaju berlubang besar dan tergenang, sudah tiga motor jatuh minggu ini."
REPLY = "Tim DPUPR sudah menambal lubang di depan SDN 2 Sukamaju pada hari ini. Terima kasih atas laporannya."


@dataclass
class Pred:
    category: str
    confidence: float
    top: list


class LowConfidenceModel:
    """Stands in for the text model (built elsewhere): an uncertain prediction, so the ticket goes to triage."""

    threshold = 0.6

    def predict(self, texts):
        return [Pred("infrastruktur_jalan", 0.42, [("infrastruktur_jalan", 0.42), ("kebersihan_lingkungan", 0.31), ("air_bersih", 0.12)])]


def db(awaitable):
    """Database calls from inside sync Playwright, which keeps its own event loop in this thread."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(run_async, awaitable).result()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(pg_settings, tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": pg_settings.database_url, "REDIS_URL": REDIS_URL, "SECRET_KEY": "browser-test-secret",
           "SUARA_DATA_DIR": str(tmp_path / "data"), "UPLOAD_DIR": str(tmp_path / "uploads"), "RATE_LIMIT_PER_MINUTE": "10000",
           "BASE_URL": f"http://127.0.0.1:{port}", "DB_POOL_MAX": "4", "QUEUE_NAME": pg_settings.queue_name}
    log = open(tmp_path / "server.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "feedback.app:create_app_from_env", "--factory", "--host", "127.0.0.1",
                             "--port", str(port)], env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                if httpx.get(base + "/admin/login", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None:
                raise RuntimeError((tmp_path / "server.log").read_text())
            time.sleep(0.2)
        else:
            raise RuntimeError("server did not start:\n" + (tmp_path / "server.log").read_text())
        yield base
    finally:
        proc.terminate()
        proc.wait(10)
        log.close()


def test_citizen_to_staff_to_citizen(server, pg_settings):
    from playwright.sync_api import expect, sync_playwright

    make_world()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shots: list[str] = []

    def shot(page, name: str) -> None:
        path = ARTIFACTS / f"{len(shots) + 1:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        shots.append(str(path))

    def log_in(page, username: str) -> None:
        page.goto(server + "/admin/login")
        page.get_by_label("Nama pengguna").fill(username)
        page.get_by_label("Kata sandi").fill(PASSWORD)
        page.get_by_role("button", name="Masuk").click()

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run"])
        try:
            citizen = browser.new_context(viewport={"width": 412, "height": 900}, locale="id-ID")  # a phone
            page = citizen.new_page()
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(server + "/")
            page.fill("#title", "Jalan berlubang depan SDN 2")
            page.fill("#text", COMPLAINT)
            page.fill("#location", "Jl. Sukamaju No. 2")
            shot(page, "citizen-form")
            page.locator("form button[type=submit]").click()
            code = page.locator("#tracking-code").inner_text().replace("-", "").strip()
            shot(page, "citizen-submitted-code")

            ticket = db(Ticket.select().where(Ticket.tracking_code == code).first())
            outcome = db(route_ticket(ticket["id"], LowConfidenceModel(), pg_settings))
            assert outcome.outcome == "triage"

            staff_ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
            staff = staff_ctx.new_page()
            staff.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            log_in(staff, "dispatcher")
            expect(staff).to_have_url(server + "/admin/triage")
            card = staff.locator(f"#triage-{ticket['id']}")
            expect(card).to_contain_text("Sukamaju")
            shot(staff, "dispatcher-triage-queue")
            card.locator("button.suggest[data-category=infrastruktur_jalan]").click()  # one click, via HTMX
            expect(staff.locator(f"#triage-{ticket['id']}")).to_have_class("card ok")
            shot(staff, "dispatcher-routed")
            staff.get_by_role("button", name="Keluar").click()

            log_in(staff, "staff-a")
            expect(staff).to_have_url(server + "/admin/inbox")
            staff.get_by_label("Cari judul atau isi").fill("SDN 2")
            staff.get_by_role("button", name="Terapkan").click()
            row = staff.locator(f"tr[data-ticket-id='{ticket['id']}']")
            expect(row).to_be_visible()
            expect(staff.locator("tr[data-ticket-id]")).to_have_count(1)
            shot(staff, "agency-inbox-search")
            row.get_by_role("link").click()
            staff.get_by_label("Tanggapan publik").fill(REPLY)
            staff.locator("#respond-submit").click()
            expect(staff.locator("#ticket-status")).to_have_text("Sedang ditangani")
            shot(staff, "agency-replied")
            staff.locator("button[data-status=resolved]").click()
            expect(staff.locator("#ticket-status")).to_have_text("Selesai")
            shot(staff, "agency-resolved")

            page.goto(server + f"/track/{code}")
            expect(page.locator("#ticket-status")).to_have_text("Selesai")
            expect(page.get_by_text(REPLY)).to_be_visible()
            shot(page, "citizen-sees-reply")
            page.locator("input[name=score][value='5']").check()
            page.fill("#comment", "Cepat sekali, terima kasih!")
            page.get_by_role("button", name="Kirim penilaian").click()
            expect(page.get_by_role("status")).to_contain_text("Terima kasih")
            shot(page, "citizen-rated")
            assert not [e for e in errors if "Content Security Policy" in e], errors
        finally:
            browser.close()

    rating = run_async(SatisfactionRating.select().where(SatisfactionRating.ticket == ticket["id"]).first())
    assert rating["score"] == 5
    row = run_async(Ticket.select().where(Ticket.id == ticket["id"]).first())
    assert row["status"] == "resolved" and row["first_response_at"] is not None and row["agency"] is not None
    print("\n".join(shots))
