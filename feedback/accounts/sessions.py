"""Server-side staff sessions: the cookie holds a random token, the database only its hash."""
from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import Any

from feedback.accounts.roles import StaffContext
from feedback.settings import Settings
from feedback.tables import StaffSession, StaffUser
from feedback.tracking.lifecycle import utcnow

SESSION_COOKIE = "sw_admin_session"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def csrf_token_for(session_token: str, secret_key: str) -> str:
    """The CSRF synchronizer token, bound to one session (a new session means a new token)."""
    return hmac.new(secret_key.encode(), b"csrf:" + session_token.encode(), hashlib.sha256).hexdigest()


def csrf_matches(session_token: str, secret_key: str, candidate: str | None) -> bool:
    return bool(candidate) and hmac.compare_digest(csrf_token_for(session_token, secret_key), candidate or "")


async def create_session(user_id: int, settings: Settings, *, ip: str | None = None, user_agent: str | None = None) -> str:
    """Start a fresh session (always a new token: no session fixation) and return the raw token."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    await StaffSession.insert(StaffSession(
        token_hash=hash_token(token), user=user_id, created_at=now, expires_at=now + timedelta(hours=settings.session_hours),
        ip=(ip or None) and ip[:64], user_agent=(user_agent or None) and user_agent[:300],
    ))
    return token


async def load_session(token: str | None) -> tuple[StaffContext, dict[str, Any]] | None:
    """The staff member behind a session token, or None if unknown, expired or the account is inactive."""
    if not token or len(token) > 200:
        return None
    from feedback.accounts.users import staff_context

    row = await StaffSession.select().where(StaffSession.token_hash == hash_token(token)).first()
    if row is None:
        return None
    if row["expires_at"] <= utcnow():
        await StaffSession.delete().where(StaffSession.id == row["id"])
        return None
    user = await StaffUser.select().where(StaffUser.id == row["user"]).first()
    if user is None or not user["active"]:
        return None
    return staff_context(user), row


async def end_session(token: str | None) -> None:
    if token:
        await StaffSession.delete().where(StaffSession.token_hash == hash_token(token))


async def end_user_sessions(user_id: int) -> None:
    await StaffSession.delete().where(StaffSession.user == user_id)


async def purge_expired_sessions() -> int:
    rows = await StaffSession.delete().where(StaffSession.expires_at <= utcnow()).returning(StaffSession.id)
    return len(rows)
