"""Piccolo tables for the whole system. Migrations live in piccolo_migrations/."""
from __future__ import annotations

from piccolo.columns import (
    JSON,
    BigInt,
    Boolean,
    Date,
    DoublePrecision,
    ForeignKey,
    Integer,
    Real,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class Agency(Table, tablename="agency"):
    code = Varchar(length=64, unique=True)
    name = Varchar(length=200)
    name_en = Varchar(length=200, default="")
    email = Varchar(length=254, null=True, default=None)
    active = Boolean(default=True)
    created_at = Timestamptz(default=TimestamptzNow())


class Category(Table, tablename="category"):
    code = Varchar(length=64, unique=True)
    name = Varchar(length=200)
    name_en = Varchar(length=200, default="")
    description = Text(default="")
    description_en = Text(default="")
    default_agency = ForeignKey(references=Agency, null=True, on_delete=OnDelete.set_null)
    sla_first_response_hours = Integer(default=24)
    sla_resolution_hours = Integer(default=120)
    active = Boolean(default=True)


class RoutingRule(Table, tablename="routing_rule"):
    """Category (optionally per kecamatan) → agency. Data, editable by admins."""

    category = ForeignKey(references=Category, on_delete=OnDelete.cascade)
    kecamatan = Varchar(length=100, null=True, default=None)
    agency = ForeignKey(references=Agency, on_delete=OnDelete.cascade)
    active = Boolean(default=True)
    created_at = Timestamptz(default=TimestamptzNow())


class StaffUser(Table, tablename="staff_user"):
    username = Varchar(length=64, unique=True)
    full_name = Varchar(length=200, default="")
    email = Varchar(length=254, null=True, default=None)
    password_hash = Varchar(length=255)
    role = Varchar(length=32, index=True)
    agency = ForeignKey(references=Agency, null=True, on_delete=OnDelete.set_null)
    is_agency_head = Boolean(default=False)
    office = Varchar(length=200, null=True, default=None)
    active = Boolean(default=True)
    must_change_password = Boolean(default=False)
    failed_logins = Integer(default=0)
    locked_until = Timestamptz(null=True, default=None)
    last_login_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class Open311Key(Table, tablename="open311_key"):
    name = Varchar(length=100)
    key_prefix = Varchar(length=12, index=True)
    key_hash = Varchar(length=128, unique=True)
    active = Boolean(default=True)
    created_at = Timestamptz(default=TimestamptzNow())
    revoked_at = Timestamptz(null=True, default=None)


class Ticket(Table, tablename="ticket"):
    tracking_code = Varchar(length=16, unique=True)
    kind = Varchar(length=16)
    channel = Varchar(length=16, index=True)
    title = Varchar(length=200, null=True, default=None)
    text = Text()
    location = Varchar(length=300, null=True, default=None)
    kecamatan = Varchar(length=100, null=True, default=None, index=True)
    lat = DoublePrecision(null=True, default=None)
    long = DoublePrecision(null=True, default=None)
    reporter_name = Varchar(length=200, null=True, default=None)
    reporter_email = Varchar(length=254, null=True, default=None)
    reporter_phone = Varchar(length=32, null=True, default=None)
    reporter_nik = Varchar(length=16, null=True, default=None)
    privacy = Varchar(length=16, default="public")
    status = Varchar(length=16, index=True)
    category = ForeignKey(references=Category, null=True, on_delete=OnDelete.set_null, index=True)
    agency = ForeignKey(references=Agency, null=True, on_delete=OnDelete.set_null, index=True)
    confidence = Real(null=True, default=None)
    suggestions = JSON(default="[]")
    predicted_category = Varchar(length=64, null=True, default=None)
    priority = Varchar(length=16, default="normal", index=True)
    assigned_to = ForeignKey(references=StaffUser, null=True, on_delete=OnDelete.set_null)
    office = Varchar(length=200, null=True, default=None)
    received_by = ForeignKey(references=StaffUser, null=True, on_delete=OnDelete.set_null)
    open311_key = ForeignKey(references=Open311Key, null=True, on_delete=OnDelete.set_null)
    idempotency_key = Varchar(length=200, null=True, default=None, unique=True)
    merged_into = ForeignKey(references="self", null=True, on_delete=OnDelete.set_null)
    reject_reason = Text(null=True, default=None)
    routing_attempts = Integer(default=0)
    last_routing_error = Text(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow(), index=True)
    updated_at = Timestamptz(default=TimestamptzNow())
    routed_at = Timestamptz(null=True, default=None)
    first_response_at = Timestamptz(null=True, default=None)
    first_response_due_at = Timestamptz(null=True, default=None)
    due_at = Timestamptz(null=True, default=None)
    resolved_at = Timestamptz(null=True, default=None, index=True)
    closed_at = Timestamptz(null=True, default=None)
    waiting_since = Timestamptz(null=True, default=None)
    paused_seconds = Integer(default=0)
    reroute_count = Integer(default=0)
    reopen_count = Integer(default=0)
    first_response_breached = Boolean(default=False)
    resolution_breached = Boolean(default=False)
    escalated_at = Timestamptz(null=True, default=None)


class TicketEvent(Table, tablename="ticket_event"):
    """Append-only audit trail: who did what, old → new, when."""

    ticket = ForeignKey(references=Ticket, on_delete=OnDelete.cascade, index=True)
    actor = ForeignKey(references=StaffUser, null=True, on_delete=OnDelete.set_null)
    actor_label = Varchar(length=64, default="system")
    event_type = Varchar(length=32, index=True)
    old_value = Varchar(length=200, null=True, default=None)
    new_value = Varchar(length=200, null=True, default=None)
    note = Text(null=True, default=None)
    public = Boolean(default=False)
    data = JSON(default="{}")
    created_at = Timestamptz(default=TimestamptzNow())


class TicketMessage(Table, tablename="ticket_message"):
    """Citizen messages, public staff responses and internal staff notes."""

    ticket = ForeignKey(references=Ticket, on_delete=OnDelete.cascade, index=True)
    author_type = Varchar(length=16)  # citizen | staff
    visibility = Varchar(length=16)  # public | internal
    author = ForeignKey(references=StaffUser, null=True, on_delete=OnDelete.set_null)
    channel = Varchar(length=16, default="web")
    body = Text()
    created_at = Timestamptz(default=TimestamptzNow())


class Attachment(Table, tablename="attachment"):
    ticket = ForeignKey(references=Ticket, on_delete=OnDelete.cascade, index=True)
    message = ForeignKey(references=TicketMessage, null=True, on_delete=OnDelete.set_null)
    filename = Varchar(length=120)
    content_type = Varchar(length=64)
    size = Integer()
    sha256 = Varchar(length=64)
    storage_key = Varchar(length=200)
    created_at = Timestamptz(default=TimestamptzNow())


class SatisfactionRating(Table, tablename="satisfaction_rating"):
    ticket = ForeignKey(references=Ticket, on_delete=OnDelete.cascade, unique=True)
    score = Integer()
    comment = Text(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow(), index=True)


class IkmResponse(Table, tablename="ikm_response"):
    """One respondent's answers to the PermenPANRB 14/2017 survey (U1..U9 scored 1-4)."""

    ticket = ForeignKey(references=Ticket, null=True, on_delete=OnDelete.set_null)
    agency = ForeignKey(references=Agency, null=True, on_delete=OnDelete.set_null, index=True)
    channel = Varchar(length=16, default="web")
    u1 = Integer(null=True, default=None)
    u2 = Integer(null=True, default=None)
    u3 = Integer(null=True, default=None)
    u4 = Integer(null=True, default=None)
    u5 = Integer(null=True, default=None)
    u6 = Integer(null=True, default=None)
    u7 = Integer(null=True, default=None)
    u8 = Integer(null=True, default=None)
    u9 = Integer(null=True, default=None)
    sex = Varchar(length=8, null=True, default=None)
    age_band = Varchar(length=16, null=True, default=None)
    education = Varchar(length=32, null=True, default=None)
    occupation = Varchar(length=32, null=True, default=None)
    suggestion = Text(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow(), index=True)


class RoutingCorrection(Table, tablename="routing_correction"):
    """A staff re-route, kept as a labelled example for retraining the classifier."""

    ticket = ForeignKey(references=Ticket, on_delete=OnDelete.cascade)
    text = Text()
    predicted_category = Varchar(length=64, null=True, default=None)
    corrected_category = Varchar(length=64)
    from_agency = ForeignKey(references=Agency, null=True, on_delete=OnDelete.set_null)
    to_agency = ForeignKey(references=Agency, null=True, on_delete=OnDelete.set_null)
    actor = ForeignKey(references=StaffUser, null=True, on_delete=OnDelete.set_null)
    reason = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())


class SlaTarget(Table, tablename="sla_target"):
    """Per category and priority overrides of the category's SLA hours (working hours)."""

    category = ForeignKey(references=Category, on_delete=OnDelete.cascade)
    priority = Varchar(length=16)
    first_response_hours = Integer()
    resolution_hours = Integer()


class Holiday(Table, tablename="holiday"):
    day = Date(unique=True)
    name = Varchar(length=200)


class InboundEmail(Table, tablename="inbound_email"):
    """Raw inbound mail, stored before parsing so nothing is lost."""

    source = Varchar(length=16)  # smtp | imap
    message_id = Varchar(length=300, null=True, default=None, index=True)
    sender = Varchar(length=300, null=True, default=None)
    subject = Varchar(length=300, null=True, default=None)
    size = BigInt(default=0)
    storage_key = Varchar(length=200)
    status = Varchar(length=16, index=True)  # received | ticket | message | ignored | quarantined
    reason = Text(null=True, default=None)
    ticket = ForeignKey(references=Ticket, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    processed_at = Timestamptz(null=True, default=None)


class Notification(Table, tablename="notification"):
    """Outbound delivery log: one row per message, failures included."""

    ticket = ForeignKey(references=Ticket, null=True, on_delete=OnDelete.cascade, index=True)
    channel = Varchar(length=16)  # email | webhook
    event = Varchar(length=32)
    recipient = Varchar(length=300)
    status = Varchar(length=16, index=True)  # pending | sent | failed
    attempts = Integer(default=0)
    last_error = Text(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    sent_at = Timestamptz(null=True, default=None)


class AuditEvent(Table, tablename="audit_event"):
    """Security-relevant events outside tickets: logins, permission and settings changes."""

    actor = ForeignKey(references=StaffUser, null=True, on_delete=OnDelete.set_null)
    actor_label = Varchar(length=100, default="")
    action = Varchar(length=64, index=True)
    target = Varchar(length=200, default="")
    data = JSON(default="{}")
    ip = Varchar(length=64, null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class StaffSession(Table, tablename="staff_session"):
    """Server-side staff login session; the cookie holds the raw token, the table only its SHA-256."""

    token_hash = Varchar(length=64, unique=True)
    user = ForeignKey(references=StaffUser, on_delete=OnDelete.cascade, index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz(default=TimestamptzNow())
    ip = Varchar(length=64, null=True, default=None)
    user_agent = Varchar(length=300, null=True, default=None)


ALL_TABLES = [
    Agency,
    Category,
    RoutingRule,
    StaffUser,
    Open311Key,
    Ticket,
    TicketEvent,
    TicketMessage,
    Attachment,
    SatisfactionRating,
    IkmResponse,
    RoutingCorrection,
    SlaTarget,
    Holiday,
    InboundEmail,
    Notification,
    AuditEvent,
    StaffSession,
]
