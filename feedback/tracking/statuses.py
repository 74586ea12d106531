"""Ticket statuses and the allowed transitions between them."""
from __future__ import annotations

from enum import StrEnum


class TicketStatus(StrEnum):
    RECEIVED = "received"
    TRIAGE = "triage"
    ROUTED = "routed"
    IN_PROGRESS = "in_progress"
    WAITING_CITIZEN = "waiting_citizen"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REOPENED = "reopened"
    REJECTED = "rejected"


S = TicketStatus
ALLOWED_TRANSITIONS: dict[TicketStatus, frozenset[TicketStatus]] = {
    S.RECEIVED: frozenset({S.TRIAGE, S.ROUTED, S.REJECTED}),
    S.TRIAGE: frozenset({S.ROUTED, S.REJECTED}),
    S.ROUTED: frozenset({S.IN_PROGRESS, S.TRIAGE, S.RESOLVED, S.REJECTED}),
    S.IN_PROGRESS: frozenset({S.WAITING_CITIZEN, S.RESOLVED, S.TRIAGE, S.REJECTED}),
    S.WAITING_CITIZEN: frozenset({S.IN_PROGRESS, S.RESOLVED}),
    S.RESOLVED: frozenset({S.CLOSED, S.REOPENED}),
    S.REOPENED: frozenset({S.IN_PROGRESS, S.RESOLVED, S.TRIAGE, S.ROUTED}),
    S.CLOSED: frozenset(),
    S.REJECTED: frozenset({S.TRIAGE}),
}

OPEN_STATUSES = frozenset({S.RECEIVED, S.TRIAGE, S.ROUTED, S.IN_PROGRESS, S.WAITING_CITIZEN, S.REOPENED})

STATUS_LABELS = {
    "id": {
        S.RECEIVED: "Diterima",
        S.TRIAGE: "Menunggu pemilahan petugas",
        S.ROUTED: "Diteruskan ke instansi",
        S.IN_PROGRESS: "Sedang ditangani",
        S.WAITING_CITIZEN: "Menunggu tanggapan pelapor",
        S.RESOLVED: "Selesai",
        S.CLOSED: "Ditutup",
        S.REOPENED: "Dibuka kembali",
        S.REJECTED: "Ditolak",
    },
    "en": {
        S.RECEIVED: "Received",
        S.TRIAGE: "Awaiting triage",
        S.ROUTED: "Forwarded to agency",
        S.IN_PROGRESS: "In progress",
        S.WAITING_CITIZEN: "Waiting for the reporter",
        S.RESOLVED: "Resolved",
        S.CLOSED: "Closed",
        S.REOPENED: "Reopened",
        S.REJECTED: "Rejected",
    },
}


def can_transition(old: str, new: str) -> bool:
    return TicketStatus(new) in ALLOWED_TRANSITIONS[TicketStatus(old)]
