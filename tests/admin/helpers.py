"""Shared set-up for staff UI tests: agencies, users of every role, routed tickets, logins."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from feedback.accounts.sessions import SESSION_COOKIE, create_session, csrf_token_for
from feedback.accounts.passwords import hash_password
from feedback.intake.messages import Channel, IntakeMessage
from feedback.intake.services import create_ticket
from feedback.routing.service import route_manually
from feedback.tables import Agency, StaffUser, Ticket
from feedback.tracking.lifecycle import change_status
from tests.conftest import run_async

PASSWORD = "rahasia-panjang-123"
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class World:
    agency_a: int
    agency_b: int
    users: dict[str, dict] = field(default_factory=dict)


def make_world() -> World:
    """Agency A = dpupr (roads), B = dlh (environment); one user per role, two in A."""
    a = run_async(Agency.select(Agency.id).where(Agency.code == "dpupr").first())["id"]
    b = run_async(Agency.select(Agency.id).where(Agency.code == "dlh").first())["id"]
    world = World(a, b)
    specs = {
        "admin": ("admin", None, False), "manager": ("manager", None, False), "dispatcher": ("dispatcher", None, False),
        "staff_a": ("agency_staff", "dpupr", False), "head_a": ("agency_staff", "dpupr", True),
        "staff_b": ("agency_staff", "dlh", False), "counter": ("counter_staff", None, False),
    }
    codes = {"dpupr": a, "dlh": b, None: None}
    for name, (role, agency, head) in specs.items():
        # Direct inserts with one cached hash: Argon2 costs ~0.5 s per hash on a busy CI box.
        rows = run_async(StaffUser.insert(StaffUser(
            username=name.replace("_", "-"), password_hash=password_hash(), role=role, agency=codes[agency],
            is_agency_head=head, email=f"{name}@example.go.id")).returning(*StaffUser.all_columns()))
        world.users[name] = rows[0]
    return world


@functools.cache
def password_hash() -> str:
    return hash_password(PASSWORD)


def new_ticket(settings, text: str, *, category: str | None = None, title: str | None = None, privacy: str = "public",
               reporter_name: str | None = None) -> dict:
    """A stored web ticket, routed manually to `category`'s agency when given (else sent to triage)."""
    msg = IntakeMessage(text=text, channel=Channel.WEB, kind="complaint", title=title, privacy=privacy,
                        reporter_name=reporter_name, reporter_email="warga@example.com" if reporter_name else None)
    ticket = run_async(create_ticket(msg, settings))
    if category:
        run_async(route_manually(ticket["id"], category, actor_id=None, actor_label="test", settings=settings))
    else:
        run_async(change_status(ticket["id"], "triage", actor_label="classifier",
                                fields={"suggestions": [{"category": "kebersihan_lingkungan", "probability": 0.41},
                                                        {"category": "infrastruktur_jalan", "probability": 0.33},
                                                        {"category": "air_bersih", "probability": 0.1}],
                                        "confidence": 0.41, "predicted_category": "kebersihan_lingkungan"}))
    return run_async(Ticket.select().where(Ticket.id == ticket["id"]).first())


class Staff:
    """Requests as one logged-in staff member (a server-side session created directly)."""

    def __init__(self, client, settings, user: dict):
        self.client, self.user = client, user
        self.token = run_async(create_session(user["id"], settings))
        self.csrf = csrf_token_for(self.token, settings.secret_key)

    def _use(self):
        self.client.cookies.clear()
        self.client.cookies.set(SESSION_COOKIE, self.token)

    def get(self, url: str, **kw):
        self._use()
        return self.client.get(url, follow_redirects=False, **kw)

    def post(self, url: str, data: dict | None = None, *, csrf: bool = True, **kw):
        self._use()
        body = dict(data or {})
        if csrf:
            body["csrf_token"] = self.csrf
        return self.client.post(url, data=body, follow_redirects=False, **kw)


def login(client, username: str, password: str = PASSWORD, next_url: str = "/admin"):
    """The real login form flow: fetch the form (login CSRF cookie), post it."""
    page = client.get("/admin/login")
    token = CSRF_RE.search(page.text).group(1)
    return client.post("/admin/login", data={"username": username, "password": password, "csrf_token": token, "next": next_url},
                       follow_redirects=False)
