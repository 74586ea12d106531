"""What citizens may see about a ticket: status, timeline, public responses. Never identity."""
from __future__ import annotations

from typing import Any

from feedback.db import transaction_for
from feedback.errors import InputError
from feedback.privacy import mask_pii
from feedback.tables import Agency, Category, SatisfactionRating, Ticket, TicketEvent, TicketMessage
from feedback.tracking.codes import format_code, normalize_code
from feedback.tracking.lifecycle import record_event, utcnow
from feedback.tracking.statuses import STATUS_LABELS, TicketStatus

PUBLIC_EVENT_TYPES = ("created", "status_changed", "rerouted", "citizen_message", "response", "rating")


class TicketNotFound(Exception):
    """Raised alike for malformed, mistyped and unknown codes, so codes cannot be probed."""


async def find_ticket_by_code(raw_code: str) -> dict[str, Any]:
    code = normalize_code(raw_code)
    if code is None:
        raise TicketNotFound()
    row = await Ticket.select().where(Ticket.tracking_code == code).first()
    if row is None:
        raise TicketNotFound()
    return row


async def public_ticket_view(raw_code: str, lang: str = "id") -> dict[str, Any]:
    ticket = await find_ticket_by_code(raw_code)
    category = agency = None
    if ticket["category"]:
        category = await Category.select(Category.code, Category.name, Category.name_en).where(Category.id == ticket["category"]).first()
    if ticket["agency"]:
        agency = await Agency.select(Agency.code, Agency.name, Agency.name_en).where(Agency.id == ticket["agency"]).first()
    events = await TicketEvent.select(
        TicketEvent.event_type, TicketEvent.old_value, TicketEvent.new_value, TicketEvent.note, TicketEvent.public,
        TicketEvent.created_at,
    ).where((TicketEvent.ticket == ticket["id"]) & (TicketEvent.event_type.is_in(list(PUBLIC_EVENT_TYPES)))).order_by(TicketEvent.id)
    responses = await TicketMessage.select(TicketMessage.body, TicketMessage.created_at, TicketMessage.author_type).where(
        (TicketMessage.ticket == ticket["id"]) & (TicketMessage.visibility == "public")
    ).order_by(TicketMessage.id)
    rating = await SatisfactionRating.select(SatisfactionRating.score, SatisfactionRating.created_at).where(
        SatisfactionRating.ticket == ticket["id"]).first()
    labels = STATUS_LABELS[lang if lang in STATUS_LABELS else "id"]
    status = TicketStatus(ticket["status"])
    timeline = []
    for ev in events:
        if ev["event_type"] == "status_changed" and not ev["public"]:
            # Internal triage notes stay internal; the citizen still sees the new status.
            ev = {**ev, "note": None}
        timeline.append({
            "type": ev["event_type"],
            "status": ev["new_value"] if ev["event_type"] in ("created", "status_changed") else None,
            "status_label": labels.get(TicketStatus(ev["new_value"])) if ev["event_type"] in ("created", "status_changed") and ev["new_value"] else None,
            "note": mask_pii(ev["note"]) if ev["note"] and ev["public"] else None,
            "at": ev["created_at"].isoformat(),
        })
    return {
        "tracking_code": ticket["tracking_code"],
        "tracking_code_display": format_code(ticket["tracking_code"]),
        "kind": ticket["kind"],
        "channel": ticket["channel"],
        "status": status.value,
        "status_label": labels[status],
        "title": mask_pii(ticket["title"]) if ticket["title"] else None,
        "text": mask_pii(ticket["text"]),
        "location": ticket["location"],
        "category": category["code"] if category else None,
        "category_name": (category["name_en"] if lang == "en" else category["name"]) if category else None,
        "agency": (agency["name_en"] if lang == "en" and agency["name_en"] else agency["name"]) if agency else None,
        "agency_code": agency["code"] if agency else None,
        "priority": ticket["priority"],
        "created_at": ticket["created_at"].isoformat(),
        "resolved_at": ticket["resolved_at"].isoformat() if ticket["resolved_at"] else None,
        "due_at": ticket["due_at"].isoformat() if ticket["due_at"] else None,
        "reject_reason": ticket["reject_reason"] if status == TicketStatus.REJECTED else None,
        "timeline": timeline,
        "responses": [
            {"body": mask_pii(r["body"]), "from": r["author_type"], "at": r["created_at"].isoformat()} for r in responses
        ],
        "rating": rating["score"] if rating else None,
        "can_rate": status in (TicketStatus.RESOLVED, TicketStatus.CLOSED) and rating is None,
    }


async def rate_ticket(raw_code: str, score: Any, comment: Any = None) -> dict[str, Any]:
    """Record the citizen's 1–5 rating; only once, and only when resolved or closed."""
    ticket = await find_ticket_by_code(raw_code)
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
        raise InputError.single("score", "invalid_score", "Nilai harus bilangan bulat 1 sampai 5.", "score must be an integer from 1 to 5.", 422)
    if comment is not None and (not isinstance(comment, str) or len(comment) > 2000 or "\x00" in comment):
        raise InputError.single("comment", "invalid_comment", "Komentar maksimal 2000 karakter.", "comment must be text of at most 2000 characters.", 422)
    if ticket["status"] not in (TicketStatus.RESOLVED.value, TicketStatus.CLOSED.value):
        raise InputError.single("status", "not_resolved", "Penilaian hanya bisa diberikan setelah laporan selesai.",
                                "A rating can only be given once the ticket is resolved.", 409)
    async with transaction_for(Ticket):
        if await SatisfactionRating.exists().where(SatisfactionRating.ticket == ticket["id"]):
            raise InputError.single("score", "already_rated", "Laporan ini sudah dinilai.", "This ticket has already been rated.", 409)
        await SatisfactionRating.insert(SatisfactionRating(ticket=ticket["id"], score=score, comment=(comment or "").strip() or None, created_at=utcnow()))
        await record_event(ticket["id"], "rating", actor_label="citizen", new_value=str(score), public=True)
    return {"tracking_code": ticket["tracking_code"], "score": score}
