"""What each role may see and do (the roles and StaffContext themselves are in accounts.roles).

Every ticket query goes through `ticket_scope()` so that an agency's staff can never read,
list, count, export or act on another agency's tickets, whatever id or URL they try.
"""
from __future__ import annotations

from piccolo.columns.combination import Where

from feedback.accounts.roles import Role, StaffContext
from feedback.tables import Ticket

TICKET_READERS = frozenset({Role.ADMIN, Role.MANAGER, Role.DISPATCHER, Role.AGENCY_STAFF})
ROUTERS = frozenset({Role.ADMIN, Role.DISPATCHER})


class NotAllowed(Exception):
    """The actor may not do this (HTTP 403); messages in both languages."""

    def __init__(self, message_id: str = "Anda tidak memiliki izin untuk tindakan ini.",
                 message_en: str = "You are not allowed to do this."):
        super().__init__(message_en)
        self.message_id = message_id
        self.message_en = message_en


def can_read_tickets(staff: StaffContext) -> bool:
    if staff.role == Role.AGENCY_STAFF:
        return staff.agency_id is not None
    return staff.role in TICKET_READERS


def ticket_scope(staff: StaffContext) -> Where | None:
    """The WHERE clause limiting tickets to what this staff member may see (None = all).

    Raises NotAllowed for roles that see no tickets at all.
    """
    if not can_read_tickets(staff):
        raise NotAllowed()
    if staff.role == Role.AGENCY_STAFF:
        return Ticket.agency == staff.agency_id
    return None


def can_work_ticket(staff: StaffContext, ticket: dict) -> bool:
    """Respond publicly, change status, take the ticket: the owning agency's staff, or an admin."""
    if staff.role == Role.ADMIN:
        return True
    return staff.role == Role.AGENCY_STAFF and staff.agency_id is not None and ticket.get("agency") == staff.agency_id


def can_note(staff: StaffContext, ticket: dict) -> bool:
    return can_work_ticket(staff, ticket) or staff.role == Role.DISPATCHER


def can_route(staff: StaffContext) -> bool:
    return staff.role in ROUTERS


def can_reject(staff: StaffContext, ticket: dict) -> bool:
    return can_route(staff) or can_work_ticket(staff, ticket)


def can_assign(staff: StaffContext, ticket: dict, assignee_id: int | None) -> bool:
    """Heads (and admins) assign anyone in the agency; other staff may only take a ticket themselves."""
    if not can_work_ticket(staff, ticket):
        return False
    return staff.role == Role.ADMIN or staff.is_head or assignee_id == staff.id


def can_escalate(staff: StaffContext, ticket: dict) -> bool:
    return staff.role == Role.ADMIN or (staff.is_head and can_work_ticket(staff, ticket))


def can_see_identity(staff: StaffContext, ticket: dict) -> bool:
    """Confidential reporters' identity only for admins; anonymous tickets have none to show."""
    if ticket.get("privacy") == "confidential":
        return staff.role == Role.ADMIN
    return ticket.get("privacy") != "anonymous"


REJECT_REASONS_UI = ("spam", "out_of_scope", "duplicate", "other")
