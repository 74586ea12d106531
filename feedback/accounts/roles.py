"""Staff roles and the StaffContext of a logged-in user: who is acting (what each role may do is in staff.permissions)."""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    MANAGER = "manager"
    DISPATCHER = "dispatcher"
    AGENCY_STAFF = "agency_staff"
    COUNTER_STAFF = "counter_staff"


ROLES = tuple(r.value for r in Role)


@dataclass(frozen=True)
class StaffContext:
    """Who is acting: enough to authorise without another query."""

    id: int
    username: str
    role: str
    agency_id: int | None
    is_head: bool
    full_name: str = ""
    must_change_password: bool = False

    @property
    def label(self) -> str:
        return f"staff:{self.username}"

    def has_role(self, *roles: str) -> bool:
        return self.role in roles
