"""Every role against every staff route and action, including other agencies' ticket ids.

Allowed requests must succeed; denied ones must fail (403, or 404 where the ticket lies outside
the caller's scope) and must leave the database untouched. Agency staff never see another
agency's tickets in any page, list, count, search or export.
"""
from __future__ import annotations

import pytest

from feedback.storage import FileStore
from feedback.tables import Attachment, AuditEvent, RoutingCorrection, Ticket, TicketEvent, TicketMessage
from tests.admin.helpers import Staff, new_ticket
from tests.conftest import run_async

ROLES = ("admin", "manager", "dispatcher", "staff_a", "head_a", "staff_b", "counter")
READERS = {"admin", "manager", "dispatcher", "staff_a", "head_a", "staff_b"}
TEXT_A = "Jalan berlubang besar di depan pasar Kemuning, sudah dua minggu belum ditambal"
TEXT_B = "Sampah menumpuk di TPS Melati tidak diangkut seminggu, baunya menyengat sekali"
ALLOW = {200, 303}


def _page_rules(ta: int, tb: int, att_a: int, att_b: int) -> list[tuple[str, dict[str, int]]]:
    """(url, expected status per role); roles not listed get 403."""
    everyone_reader = {r: 200 for r in READERS}
    only_a = {"admin": 200, "manager": 200, "dispatcher": 200, "staff_a": 200, "head_a": 200, "staff_b": 404}
    only_b = {"admin": 200, "manager": 200, "dispatcher": 200, "staff_a": 404, "head_a": 404, "staff_b": 200}
    admin_only = {"admin": 200}
    return [
        ("/admin", {r: 303 for r in ROLES}),
        ("/admin/counter-home", {r: 200 for r in ROLES}),
        ("/admin/password", {r: 200 for r in ROLES}),
        ("/admin/inbox", everyone_reader),
        ("/admin/inbox?status=routed&q=jalan&overdue=1&sort=due&page=2", everyone_reader),
        ("/admin/inbox.csv", everyone_reader),
        ("/admin/api/counts", everyone_reader),
        ("/admin/my", everyone_reader),
        ("/admin/triage", {"admin": 200, "manager": 200, "dispatcher": 200}),
        (f"/admin/tickets/{ta}", only_a),
        (f"/admin/tickets/{tb}", only_b),
        ("/admin/tickets/999999", {r: 404 for r in READERS}),
        (f"/admin/tickets/{ta}/attachments/{att_a}", only_a),
        (f"/admin/tickets/{tb}/attachments/{att_b}", only_b),
        (f"/admin/tickets/{ta}/attachments/{att_b}", {r: 404 for r in READERS}),  # attachment of another ticket
        ("/admin/manage/users", admin_only), ("/admin/manage/agencies", admin_only), ("/admin/manage/categories", admin_only),
        ("/admin/manage/rules", admin_only), ("/admin/manage/sla", admin_only), ("/admin/manage/audit", admin_only),
    ]


def _attach(settings, ticket_id: int, data: bytes) -> int:
    key = FileStore(settings.upload_dir).save(data)
    rows = run_async(Attachment.insert(Attachment(ticket=ticket_id, filename="foto jalan.png", content_type="image/png",
                                                  size=len(data), sha256="0" * 64, storage_key=key)).returning(Attachment.id))
    return rows[0]["id"]


def test_every_role_against_every_page(client, settings, world):
    ta = new_ticket(settings, TEXT_A, category="infrastruktur_jalan", title="Jalan Kemuning")
    tb = new_ticket(settings, TEXT_B, category="kebersihan_lingkungan", title="Sampah Melati")
    assert (ta["agency"], tb["agency"]) == (world.agency_a, world.agency_b)
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 32
    att_a, att_b = _attach(settings, ta["id"], png), _attach(settings, tb["id"], png)
    failures = []
    for role in ROLES:
        staff = Staff(client, settings, world.users[role])
        for url, expected in _page_rules(ta["id"], tb["id"], att_a, att_b):
            want = expected.get(role, 403)
            got = staff.get(url).status_code
            if got != want:
                failures.append(f"{role} GET {url}: {got} != {want}")
    assert not failures, "\n".join(failures)


def test_attachment_download_headers(client, settings, world):
    ta = new_ticket(settings, TEXT_A, category="infrastruktur_jalan")
    att = _attach(settings, ta["id"], b"\x89PNG\r\n\x1a\nabc")
    resp = Staff(client, settings, world.users["staff_a"]).get(f"/admin/tickets/{ta['id']}/attachments/{att}")
    assert resp.status_code == 200 and resp.content == b"\x89PNG\r\n\x1a\nabc"
    assert resp.headers["content-type"].startswith("image/png")
    assert resp.headers["content-disposition"].startswith("attachment;") and "foto%20jalan.png" in resp.headers["content-disposition"]


def test_anonymous_visitor_is_sent_to_login(client, settings, world):
    ta = new_ticket(settings, TEXT_A, category="infrastruktur_jalan")
    for url in ("/admin", "/admin/inbox", f"/admin/tickets/{ta['id']}", "/admin/manage/users", "/admin/inbox.csv"):
        resp = client.get(url, follow_redirects=False)
        assert resp.status_code == 303 and resp.headers["location"].startswith("/admin/login"), url
    assert client.get("/admin/api/counts").status_code == 401
    resp = client.post(f"/admin/tickets/{ta['id']}/respond", data={"body": "halo"}, follow_redirects=False)
    assert resp.status_code == 401
    assert run_async(TicketMessage.count()) == 0


def _state_fingerprint() -> tuple:
    tickets = run_async(Ticket.select(Ticket.id, Ticket.status, Ticket.agency, Ticket.assigned_to, Ticket.escalated_at,
                                      Ticket.merged_into).order_by(Ticket.id))
    return (tuple(tuple(t.values()) for t in tickets), run_async(TicketMessage.count()), run_async(TicketEvent.count()),
            run_async(RoutingCorrection.count()))


# action, form, expected per role on (own agency A ticket, other agency B ticket); missing role = 403 on both.
ACTIONS: list[tuple[str, dict, dict[str, tuple[int, int]]]] = [
    ("respond", {"body": "Terima kasih, petugas kami akan meninjau lokasi besok."},
     {"admin": (303, 303), "staff_a": (303, 404), "head_a": (303, 404), "staff_b": (404, 303), "dispatcher": (403, 403)}),
    ("note", {"body": "Cek dengan tim lapangan."},
     {"admin": (303, 303), "dispatcher": (303, 303), "staff_a": (303, 404), "head_a": (303, 404), "staff_b": (404, 303)}),
    ("status", {"status": "in_progress"},
     {"admin": (303, 303), "staff_a": (303, 404), "head_a": (303, 404), "staff_b": (404, 303), "dispatcher": (403, 403)}),
    ("assign", {"assignee": "{head_a}"},
     {"admin": (303, 422), "head_a": (303, 404), "staff_a": (403, 404), "staff_b": (404, 403), "dispatcher": (403, 403)}),
    ("assign", {"assignee": "{self}"},
     {"admin": (422, 422), "staff_a": (303, 404), "head_a": (303, 404), "staff_b": (404, 303), "dispatcher": (403, 403)}),
    ("route", {"category": "kependudukan", "reason": "Salah instansi"},
     {"admin": (303, 303), "dispatcher": (303, 303)}),
    ("reject", {"reason_code": "spam", "reason": "Iklan, bukan laporan."},
     {"admin": (303, 303), "dispatcher": (303, 303), "staff_a": (303, 404), "head_a": (303, 404), "staff_b": (404, 303)}),
    ("merge", {"target": "{twin}"},
     {"admin": (303, 303), "dispatcher": (303, 303), "staff_a": (303, 404), "head_a": (303, 404), "staff_b": (404, 303)}),
    ("escalate", {}, {"admin": (303, 303), "head_a": (303, 404), "staff_a": (403, 404), "staff_b": (404, 403)}),
]


@pytest.mark.parametrize("action,form,expected", ACTIONS, ids=[f"{a}-{i}" for i, (a, _, _) in enumerate(ACTIONS)])
def test_every_role_against_every_action(client, settings, world, action, form, expected):
    failures = []
    for role in ROLES:
        staff = Staff(client, settings, world.users[role])
        for index, (category, text) in enumerate((("infrastruktur_jalan", TEXT_A), ("kebersihan_lingkungan", TEXT_B))):
            ticket = new_ticket(settings, text, category=category)
            twin = new_ticket(settings, text + " (laporan kedua)", category=category)
            data = {k: v.replace("{head_a}", str(world.users["head_a"]["id"])).replace("{self}", str(staff.user["id"]))
                    .replace("{twin}", str(twin["id"])) for k, v in form.items()}
            want = expected.get(role, (403, 403))[index]
            before = _state_fingerprint()
            got = staff.post(f"/admin/tickets/{ticket['id']}/{action}", data).status_code
            after = _state_fingerprint()
            if got != want:
                failures.append(f"{role} {action} on {'own' if index == 0 else 'other'}-agency ticket: {got} != {want}")
            if got not in ALLOW and before != after:
                failures.append(f"{role} {action} was denied ({got}) but changed the database")
            if got in ALLOW and before == after:
                failures.append(f"{role} {action} succeeded ({got}) but changed nothing")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("url,form", [
    ("/admin/manage/agencies", {"code": "dinas_baru", "name": "Dinas Baru", "active": "on"}),
    ("/admin/manage/sla", {"category": "1", "priority": "tinggi", "first_response_hours": "4", "resolution_hours": "24"}),
    ("/admin/manage/rules", {"category": "1", "agency": "2", "kecamatan": "Cibeunying"}),
    ("/admin/manage/users", {"username": "petugas-baru", "role": "manager"}),
])
def test_admin_writes_only_for_admins(client, settings, world, url, form):
    for role in ROLES:
        before = run_async(AuditEvent.count())
        resp = Staff(client, settings, world.users[role]).post(url, form)
        if role == "admin":
            assert resp.status_code in (200, 303), (role, resp.text)
            assert run_async(AuditEvent.count()) == before + 1
        else:
            assert resp.status_code == 403, (role, resp.status_code)
            assert run_async(AuditEvent.count()) == before


def test_no_cross_agency_leak_in_lists_counts_search_and_export(client, settings, world):
    own = [new_ticket(settings, TEXT_A + f" nomor {i}", category="infrastruktur_jalan") for i in range(3)]
    other = [new_ticket(settings, TEXT_B + f" kode rahasia XQZ{i}", category="kebersihan_lingkungan") for i in range(2)]
    staff = Staff(client, settings, world.users["staff_a"])
    for url in ("/admin/inbox", "/admin/inbox?agency=dlh", "/admin/inbox?q=XQZ", "/admin/inbox.csv", "/admin/inbox.csv?agency=dlh",
                "/admin/my", "/admin/inbox?status=routed&sort=oldest"):
        body = staff.get(url).text
        for t in other:
            assert t["tracking_code"] not in body and t["text"] not in body, url
    assert all(t["tracking_code"] in staff.get("/admin/inbox").text for t in own)
    assert staff.get("/admin/inbox?q=XQZ").text.count('data-ticket-id="') == 0
    counts = staff.get("/admin/api/counts").json()["counts"]
    assert sum(counts.values()) == len(own) and counts["routed"] == len(own)
    csv_lines = staff.get("/admin/inbox.csv").text.strip().splitlines()
    assert len(csv_lines) == 1 + len(own)
    # A manager sees everything, read-only.
    manager = Staff(client, settings, world.users["manager"])
    assert sum(manager.get("/admin/api/counts").json()["counts"].values()) == len(own) + len(other)


def test_confidential_identity_only_for_admins(client, settings, world):
    ticket = new_ticket(settings, TEXT_A, category="infrastruktur_jalan", privacy="confidential", reporter_name="Siti Rahasia")
    for role in ("admin", "manager", "dispatcher", "staff_a"):
        body = Staff(client, settings, world.users[role]).get(f"/admin/tickets/{ticket['id']}").text
        assert ("Siti Rahasia" in body) is (role == "admin"), role
        assert ("warga@example.com" in body) is (role == "admin"), role
    public = new_ticket(settings, TEXT_A, category="infrastruktur_jalan", reporter_name="Budi Terbuka")
    assert "Budi Terbuka" in Staff(client, settings, world.users["staff_a"]).get(f"/admin/tickets/{public['id']}").text
