"""Counter channel over HTTP: real login, session, CSRF, PostgreSQL."""
from __future__ import annotations

import re

import pytest

from feedback.intake.counter import qr_svg
from feedback.intake.nik import mask_nik, nik_problem
from feedback.tables import StaffUser, Ticket, TicketEvent
from feedback.tracking.codes import format_code
from tests.admin.helpers import Staff, login
from tests.conftest import run_async

NIK = "3404015205900003"  # DIY, Sleman; a woman born 12-05-1990 (day + 40)
OFFICE = "Mal Pelayanan Publik Sleman"


def report(**overrides) -> dict:
    values = {"kind": "complaint", "title": "Antrean KTP-el", "privacy": "public", "location": "MPP lantai 2",
              "kecamatan": "Depok", "name": "Sumarni", "phone": "0812-2700-1234", "nik": NIK,
              "text": "Antrean perekaman KTP-el sangat panjang, nomor antrean habis jam 9 pagi."}
    values.update(overrides)
    return values


@pytest.fixture
def counter_user(pg_world):
    user = pg_world.users["counter"]
    run_async(StaffUser.update({StaffUser.office: OFFICE, StaffUser.full_name: "Rini Lestari"}).where(
        StaffUser.id == user["id"]))
    return user


def test_counter_staff_enters_report_and_prints_receipt(pg_client, pg_settings, counter_user):
    assert nik_problem(NIK) is None
    response = login(pg_client, "counter")  # the real login form
    assert response.status_code == 303
    form = pg_client.get("/admin/counter")
    assert form.status_code == 200 and f'value="{OFFICE}"' in form.text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
    submitted = pg_client.post("/admin/counter", data={**report(office=""), "csrf_token": csrf}, follow_redirects=False)
    assert submitted.status_code == 303, submitted.text[:500]
    code = submitted.headers["location"].rsplit("/", 1)[1]

    ticket = run_async(Ticket.select().where(Ticket.tracking_code == code).first())
    assert (ticket["channel"], ticket["office"], ticket["received_by"]) == ("counter", OFFICE, counter_user["id"])
    assert ticket["reporter_nik"] == NIK and ticket["reporter_phone"] == "+6281227001234"
    created = run_async(TicketEvent.select().where(TicketEvent.ticket == ticket["id"]).first())
    assert created["actor"] == counter_user["id"] and created["actor_label"] == "staff"

    receipt = pg_client.get(submitted.headers["location"])
    assert receipt.status_code == 200
    page = receipt.text
    assert format_code(code) in page and OFFICE in page and "Rini Lestari" in page
    # The QR is the server-rendered SVG of exactly this ticket's public tracking URL.
    assert "<svg" in page and qr_svg(f"{pg_settings.base_url}/track/{code}") in page
    assert f"{pg_settings.base_url}/track/{code}" in page
    assert mask_nik(NIK) in page and NIK not in page  # counter staff see the NIK masked
    assert "/static/counter.css" in page
    css = pg_client.get("/static/counter.css").text
    assert "@page" in css and "size: A6" in css and "58mm" in css


def test_admin_sees_full_nik_on_receipt(pg_client, pg_settings, pg_world, counter_user):
    counter = Staff(pg_client, pg_settings, counter_user)
    code = counter.post("/admin/counter", report()).headers["location"].rsplit("/", 1)[1]
    admin = Staff(pg_client, pg_settings, pg_world.users["admin"])
    page = admin.get(f"/admin/counter/receipt/{code}").text
    assert NIK in page
    # Another counter office cannot print it; the same office can.
    other = run_async(StaffUser.insert(StaffUser(username="loket-2", password_hash="x", role="counter_staff",
                                                 office="Kantor Kecamatan Gamping")).returning(*StaffUser.all_columns()))[0]
    assert Staff(pg_client, pg_settings, other).get(f"/admin/counter/receipt/{code}").status_code == 404
    run_async(StaffUser.update({StaffUser.office: OFFICE}).where(StaffUser.id == other["id"]))
    assert Staff(pg_client, pg_settings, other).get(f"/admin/counter/receipt/{code}").status_code == 200


@pytest.mark.parametrize("role", ["manager", "dispatcher", "staff_a"])
def test_other_roles_are_denied(pg_client, pg_settings, pg_world, role):
    staff = Staff(pg_client, pg_settings, pg_world.users[role])
    assert staff.get("/admin/counter").status_code == 403
    assert staff.post("/admin/counter", report()).status_code == 403
    assert run_async(Ticket.count()) == 0


def test_not_logged_in_is_sent_to_login(pg_client, pg_world):
    response = pg_client.get("/admin/counter", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/admin/login")


def test_invalid_nik_is_a_400_with_message(pg_client, pg_settings, counter_user):
    counter = Staff(pg_client, pg_settings, counter_user)
    for bad in ("12345", "9904011205900001", "3404013513900001"):  # length, province, birth date
        response = counter.post("/admin/counter", report(nik=bad))
        assert response.status_code == 400
        assert "NIK tidak valid" in response.text and 'aria-invalid="true"' in response.text
    english = counter.post("/admin/counter?lang=en", report(nik="12345"))
    assert english.status_code == 400 and "NIK is not valid" in english.text
    assert run_async(Ticket.count()) == 0


def test_missing_office_and_csrf(pg_client, pg_settings, pg_world):
    counter = Staff(pg_client, pg_settings, pg_world.users["counter"])  # no office on the account
    response = counter.post("/admin/counter", report())
    assert response.status_code == 400 and "kantor" in response.text.lower()
    assert counter.post("/admin/counter", report(office="Loket Dukcapil"), csrf=False).status_code == 403
    assert run_async(Ticket.count()) == 0
    assert counter.post("/admin/counter", report(office="Loket Dukcapil")).status_code == 303


def test_anonymous_counter_report_keeps_no_identity(pg_client, pg_settings, counter_user):
    counter = Staff(pg_client, pg_settings, counter_user)
    location = counter.post("/admin/counter", report(privacy="anonymous")).headers["location"]
    ticket = run_async(Ticket.select().first())
    assert ticket["reporter_nik"] is None and ticket["reporter_name"] is None and ticket["office"] == OFFICE
    page = counter.get(location).text
    assert "NIK" not in page.split('id="receipt"', 1)[1]
