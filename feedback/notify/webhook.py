"""Generic webhook channel: a signed JSON event POSTed to a gateway (SMS, WhatsApp, dashboards)."""
from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import httpx

SIGNATURE_HEADER = "X-Suara-Signature"
EVENT_HEADER = "X-Suara-Event"
DELIVERY_HEADER = "X-Suara-Delivery"


class WebhookError(Exception):
    """The endpoint did not accept the event (non-2xx, timeout, connection error)."""


def _key(secret: str | bytes) -> bytes:
    return secret.encode("utf-8") if isinstance(secret, str) else secret


def sign(secret: str | bytes, body: bytes) -> str:
    """`sha256=<hex HMAC-SHA256 of the raw body>`."""
    return "sha256=" + hmac.new(_key(secret), body, hashlib.sha256).hexdigest()


def verify_signature(secret: str | bytes, body: bytes, header: str | None) -> bool:
    """For receivers: True only if header is the HMAC of exactly these bytes (constant-time compare)."""
    if not secret or not header or not isinstance(header, str):
        return False
    return hmac.compare_digest(sign(secret, body).encode("ascii"), header.strip().encode("utf-8", "replace"))


def encode_event(event: dict[str, Any]) -> bytes:
    return json.dumps(event, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def post_event(url: str, secret: str, event: dict[str, Any], *, delivery_id: int, timeout: float) -> int:
    """POST one event; returns the HTTP status, raises WebhookError unless it is 2xx."""
    body = encode_event(event)
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "SuaraWarga-Webhook/1",
        SIGNATURE_HEADER: sign(secret, body),
        EVENT_HEADER: event["event"],
        DELIVERY_HEADER: str(delivery_id),  # lets receivers drop a retried duplicate
    }
    try:
        with httpx.Client(timeout=timeout, follow_redirects=False) as client:
            response = client.post(url, content=body, headers=headers)
    except httpx.TimeoutException as exc:
        raise WebhookError(f"timeout after {timeout:g}s: {type(exc).__name__}") from exc
    except httpx.HTTPError as exc:
        raise WebhookError(f"{type(exc).__name__}: {exc}") from exc
    if not 200 <= response.status_code < 300:
        raise WebhookError(f"HTTP {response.status_code}: {response.text[:200]}")
    return response.status_code
