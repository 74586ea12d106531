"""The one shape every intake channel (web, API, email, counter, Open311) produces."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class TicketKind(StrEnum):
    COMPLAINT = "complaint"
    SUGGESTION = "suggestion"
    QUESTION = "question"
    COMPLIMENT = "compliment"


class Channel(StrEnum):
    WEB = "web"
    EMAIL = "email"
    COUNTER = "counter"
    API = "api"


class Privacy(StrEnum):
    PUBLIC = "public"
    CONFIDENTIAL = "confidential"
    ANONYMOUS = "anonymous"


@dataclass(frozen=True)
class IntakeAttachment:
    filename: str
    data: bytes
    declared_type: str | None = None


@dataclass
class IntakeMessage:
    """A citizen submission from any channel, before it becomes a ticket."""

    text: str
    channel: Channel
    kind: TicketKind = TicketKind.COMPLAINT
    title: str | None = None
    location: str | None = None
    kecamatan: str | None = None
    lat: float | None = None
    long: float | None = None
    reporter_name: str | None = None
    reporter_email: str | None = None
    reporter_phone: str | None = None
    reporter_nik: str | None = None
    privacy: Privacy = Privacy.PUBLIC
    attachments: list[IntakeAttachment] = field(default_factory=list)
    # Channel-specific dedup key: Idempotency-Key header, email Message-ID, Open311 request.
    idempotency_key: str | None = None
    office: str | None = None
    received_by_id: int | None = None
    source_ref: str | None = None
