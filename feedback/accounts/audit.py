"""Security audit trail outside tickets: logins, failures, permission and settings changes."""
from __future__ import annotations

from typing import Any

from feedback.tables import AuditEvent
from feedback.tracking.lifecycle import utcnow


async def record_audit(action: str, *, actor_id: int | None = None, actor_label: str = "", target: str = "",
                       data: dict[str, Any] | None = None, ip: str | None = None) -> None:
    await AuditEvent.insert(AuditEvent(
        actor=actor_id, actor_label=actor_label[:100], action=action[:64], target=target[:200],
        data=data or {}, ip=(ip or None) and ip[:64], created_at=utcnow(),
    ))
