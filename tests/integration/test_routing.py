"""Routing with the shipped model: route_ticket() in-process, and a real worker end to end."""
from __future__ import annotations

import time
from datetime import timedelta

import pytest

from classifiers import load_classifier
from feedback.intake.messages import Channel, IntakeMessage
from feedback.intake.services import create_ticket
from feedback.jobs.queues import DirectDispatcher
from feedback.jobs.sweeper import sweep_received
from feedback.routing.service import route_ticket
from feedback.tables import Agency, Category, RoutingRule, Ticket, TicketEvent
from tests.conftest import make_settings, run_async
from tests.integration.worker_helpers import start_worker, stop_worker, wait_for_worker


@pytest.fixture(scope="module")
def classifier():
    return load_classifier()


def make_ticket(settings, text: str, **kw) -> int:
    return run_async(create_ticket(IntakeMessage(text=text, channel=Channel.WEB, **kw), settings))["id"]


def ticket(tid):
    return run_async(Ticket.select().where(Ticket.id == tid).output(load_json=True).first())


def agency_code(agency_id):
    return run_async(Agency.select(Agency.code).where(Agency.id == agency_id).first())["code"]


def status_events(tid):
    return run_async(TicketEvent.select().where((TicketEvent.ticket == tid) & (TicketEvent.event_type == "status_changed")))


@pytest.mark.parametrize("text,category,agency", [
    ("Lampu lalu lintas di perempatan Jl. Sudirman mati sejak pagi, kendaraan semrawut dan hampir tabrakan", "transportasi", "dishub"),
    ("Air PDAM di perumahan Griya Asri tidak mengalir sudah 3 hari, tagihan tetap jalan terus", "air_bersih", "pdam"),
    ("KTP elektronik saya sudah 6 bulan belum dicetak di Dukcapil, katanya blangko habis terus", "kependudukan", "disdukcapil"),
])
def test_clear_texts_are_routed_with_deadlines(settings, classifier, text, category, agency):
    tid = make_ticket(settings, text)
    outcome = run_async(route_ticket(tid, classifier, settings))
    row = ticket(tid)
    assert outcome.outcome == "routed", (outcome, row["suggestions"])
    assert row["status"] == "routed" and agency_code(row["agency"]) == agency
    assert run_async(Category.select(Category.code).where(Category.id == row["category"]).first())["code"] == category
    assert 0 <= row["confidence"] <= 1 and len(row["suggestions"]) == 3
    assert row["routed_at"] < row["first_response_due_at"] <= row["due_at"]


def test_route_is_idempotent(settings, classifier):
    tid = make_ticket(settings, "Sampah di TPS Pasar Baru menumpuk seminggu tidak diangkut truk DLH, baunya sampai ke rumah")
    first = run_async(route_ticket(tid, classifier, settings))
    second = run_async(route_ticket(tid, classifier, settings))
    assert first.outcome in ("routed", "triage") and second.outcome == "skipped"
    assert len(status_events(tid)) == 1


def test_low_confidence_goes_to_triage_with_suggestions(settings, classifier):
    strict = make_settings(settings.database_url, settings.upload_dir.parent, classifier_threshold=1.01)
    tid = make_ticket(settings, "Jalan berlubang besar di depan SDN 3 Sukamaju, sudah dua minggu")
    outcome = run_async(route_ticket(tid, classifier, strict))
    row = ticket(tid)
    assert outcome.outcome == "triage" and row["status"] == "triage" and row["agency"] is None
    assert len(row["suggestions"]) == 3 and row["suggestions"][0]["probability"] >= row["suggestions"][1]["probability"]


def test_greeting_only_goes_to_triage(settings, classifier):
    tid = make_ticket(settings, "Selamat pagi admin, semoga sehat selalu ya 🙏🙏")
    assert run_async(route_ticket(tid, classifier, settings)).outcome == "triage"


def test_urgent_text_gets_darurat_and_short_deadline(settings, classifier):
    tid = make_ticket(settings, "TOLONG!! rumah warga RT 03 terendam banjir sepinggang, tanggul kali jebol, ada lansia belum dievakuasi")
    run_async(route_ticket(tid, classifier, settings))
    row = ticket(tid)
    assert row["priority"] == "darurat"
    if row["status"] == "routed":
        assert row["due_at"] - row["routed_at"] <= timedelta(hours=24)


def test_kecamatan_rule_overrides_default_agency(settings, classifier):
    # the rule is under test, not the model's calibration: route whatever the model is fairly sure of
    settings = make_settings(settings.database_url, settings.upload_dir.parent, classifier_threshold=0.5)
    text = "Lampu lalu lintas di simpang Dago mati total sejak kemarin sore, macet parah dan rawan kecelakaan"
    category = run_async(Category.select().where(Category.code == "transportasi").first())
    other = run_async(Agency.select().where(Agency.code == "dpupr").first())
    run_async(RoutingRule.insert(RoutingRule(category=category["id"], kecamatan="Coblong", agency=other["id"])))
    tid = make_ticket(settings, text, kecamatan="coblong")
    assert run_async(route_ticket(tid, classifier, settings)).outcome == "routed"
    assert agency_code(ticket(tid)["agency"]) == "dpupr"
    tid2 = make_ticket(settings, text, kecamatan="Sukajadi")
    run_async(route_ticket(tid2, classifier, settings))
    assert agency_code(ticket(tid2)["agency"]) == "dishub"


@pytest.mark.parametrize("text", [
    "jalan rusak " * 9000,  # ~100 KB
    "😡😡😡😡😡😡😡😡😡😡😡😡😡😡😡😡",
    "\ufffd\x01\x02\x03 \udc80garbage\x7f" * 3,
    "The garbage truck has not come to our street for two weeks, please help",
    "道路有很多坑洞，请尽快修理，谢谢大家的帮助",
])
def test_pathological_texts_do_not_crash(settings, classifier, text):
    tid = run_async(Ticket.insert(Ticket(tracking_code=f"T{int(time.time() * 1e6) % 10**11:011d}", kind="complaint", channel="api",
                                         text=text.encode("utf-8", "replace").decode("utf-8"), status="received")).returning(Ticket.id))[0]["id"]
    outcome = run_async(route_ticket(tid, classifier, settings))
    assert outcome.outcome in ("routed", "triage")


def test_worker_routes_submissions_end_to_end(pg_settings, pg_client, tmp_path):
    proc = start_worker(pg_settings, tmp_path / "worker.log")
    try:
        wait_for_worker(pg_settings, proc)
        codes = [pg_client.post("/api/v1/tickets", json={"kind": "complaint", "text": t}).json()["tracking_code"] for t in (
            "Lampu PJU di Jl. Ahmad Yani mati semua sejak seminggu, gelap gulita rawan kejahatan",
            "Pelayanan di puskesmas Sukamaju lama sekali, dokter datang jam 11 siang, pasien antre dari subuh",
        )]
        deadline = time.time() + 30
        while time.time() < deadline:
            statuses = [pg_client.get(f"/api/v1/tickets/{c}").json()["status"] for c in codes]
            if all(s != "received" for s in statuses):
                break
            time.sleep(0.2)
        assert all(s in ("routed", "triage") for s in statuses), (statuses, (tmp_path / "worker.log").read_text()[-3000:])
    finally:
        stop_worker(proc)


def test_redis_killed_during_submissions_loses_nothing(pg_settings, tmp_path):
    """Kill the Redis server while submissions arrive: every accepted ticket is routed once after it returns."""
    from litestar.testing import TestClient
    from redis import Redis

    from feedback.app import create_app
    from feedback.embedded_redis import EmbeddedRedis

    redis_server = EmbeddedRedis().start()
    settings = make_settings(pg_settings.database_url, tmp_path, redis_url=redis_server.url, queue_name=pg_settings.queue_name)
    try:
        with TestClient(app=create_app(settings, run_sweeper=False), base_url="http://testserver.local") as c:
            def submit(i):
                return c.post("/api/v1/tickets", json={"kind": "complaint", "text": f"Sampah menumpuk di gang {i} sudah seminggu tidak diangkut"})

            before = [submit(i) for i in range(5)]
            redis_server.stop()  # Redis dies in the middle of the traffic
            during = [submit(i) for i in range(5, 15)]
            assert c.get("/health/ready").status_code == 503
            assert all(r.status_code == 201 for r in before + during)
            redis_server.start()  # back on the same port, empty (no persistence)
            assert c.get("/health/ready").status_code == 200
        assert run_async(Ticket.count().where(Ticket.status == "received")) == 15
        assert run_async(sweep_received(settings, grace_seconds=0)) == 15
        assert Redis.from_url(redis_server.url).llen(f"rq:queue:{settings.queue_name}") >= 10
        proc = start_worker(settings, tmp_path / "worker.log", "--burst")
        assert proc.wait(180) == 0
        assert run_async(Ticket.count().where(Ticket.status == "received")) == 0
        for row in run_async(Ticket.select(Ticket.id)):
            assert len(status_events(row["id"])) == 1
    finally:
        redis_server.stop()


def test_worker_killed_mid_job_loses_nothing(pg_settings, tmp_path, redis_conn):
    """SIGKILL a worker while it classifies; after restart every ticket is routed exactly once."""
    ids = [make_ticket(pg_settings, f"Lampu jalan di gang Melati {i} mati sudah lama, tolong diperbaiki") for i in range(3)]
    DirectDispatcher(pg_settings).submit(ids[0])
    slow = start_worker(pg_settings, tmp_path / "slow.log", job_delay=30)
    wait_for_worker(pg_settings, slow)
    deadline = time.time() + 30
    from rq.registry import StartedJobRegistry

    registry = StartedJobRegistry(pg_settings.queue_name, connection=redis_conn)
    while time.time() < deadline and not registry.get_job_ids():
        time.sleep(0.1)
    assert registry.get_job_ids(), "job never started"
    stop_worker(slow, hard=True)
    assert ticket(ids[0])["status"] == "received"
    for tid in ids[1:]:
        DirectDispatcher(pg_settings).submit(tid)
    assert run_async(sweep_received(pg_settings, grace_seconds=0)) == 3
    proc = start_worker(pg_settings, tmp_path / "worker.log", "--burst")
    proc.wait(120)
    for tid in ids:
        assert ticket(tid)["status"] in ("routed", "triage")
        assert len(status_events(tid)) == 1
