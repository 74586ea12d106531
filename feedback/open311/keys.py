"""Open311 API keys: shown once, stored as SHA-256 hashes, found by prefix, revocable."""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from feedback.errors import InputError
from feedback.tables import Open311Key
from feedback.tracking.lifecycle import utcnow

PREFIX_LENGTH = 8
KEY_BYTES = 30  # 40 URL-safe characters, ~240 bits: guessing is hopeless, so no lockout is needed


@dataclass(frozen=True)
class NewKey:
    id: int
    name: str
    prefix: str
    plaintext: str  # returned once, never stored


def hash_key(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode("utf-8")).hexdigest()


async def create_key(name: str) -> NewKey:
    """Create a key for a partner; the plaintext is only in the return value."""
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise InputError.single("name", "invalid_name", "Nama kunci wajib diisi (maks. 100 karakter).",
                                "The key name is required (at most 100 characters).")
    plaintext = secrets.token_urlsafe(KEY_BYTES)
    while not plaintext[0].isalnum():  # a leading "-" would read as an option in `open311-key revoke PREFIX`
        plaintext = secrets.token_urlsafe(KEY_BYTES)
    prefix = plaintext[:PREFIX_LENGTH]
    rows = await Open311Key.insert(
        Open311Key(name=name, key_prefix=prefix, key_hash=hash_key(plaintext), active=True, created_at=utcnow())
    ).returning(Open311Key.id)
    return NewKey(id=rows[0]["id"], name=name, prefix=prefix, plaintext=plaintext)


async def authenticate(plaintext: str | None) -> dict[str, Any] | None:
    """The active key row matching this plaintext, else None (missing, unknown or revoked)."""
    if not isinstance(plaintext, str) or len(plaintext) < PREFIX_LENGTH or len(plaintext) > 200:
        return None
    digest = hash_key(plaintext)
    candidates = await Open311Key.select(Open311Key.id, Open311Key.name, Open311Key.key_hash, Open311Key.active).where(
        Open311Key.key_prefix == plaintext[:PREFIX_LENGTH]
    )
    for row in candidates:
        if hmac.compare_digest(row["key_hash"], digest) and row["active"]:
            return {"id": row["id"], "name": row["name"]}
    return None


async def list_keys() -> list[dict[str, Any]]:
    return await Open311Key.select(
        Open311Key.id, Open311Key.name, Open311Key.key_prefix, Open311Key.active, Open311Key.created_at, Open311Key.revoked_at
    ).order_by(Open311Key.id)


async def revoke_key(prefix: str) -> int:
    """Revoke every active key with this prefix (or id); returns how many were revoked."""
    prefix = (prefix or "").strip()
    if prefix.isdigit():
        condition = Open311Key.id == int(prefix)
    elif len(prefix) == PREFIX_LENGTH:
        condition = Open311Key.key_prefix == prefix
    else:
        raise InputError.single("prefix", "invalid_prefix", f"Awalan kunci harus {PREFIX_LENGTH} karakter.",
                                f"The key prefix must be {PREFIX_LENGTH} characters.")
    rows = await Open311Key.update({Open311Key.active: False, Open311Key.revoked_at: utcnow()}).where(
        condition & (Open311Key.active == True)  # noqa: E712
    ).returning(Open311Key.id)
    return len(rows)
