"""route_ticket(): classify a received ticket and send it to its agency or to triage."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Protocol

from feedback.db import transaction_for
from feedback.events import TicketRerouted, emit
from feedback.quality.sla import compute_deadlines
from feedback.routing.urgency import is_urgent
from feedback.settings import Settings
from feedback.tables import Agency, Category, RoutingRule, Ticket
from feedback.tracking.lifecycle import ConcurrentChange, change_status, record_event, utcnow
from feedback.tracking.priority import Priority
from feedback.tracking.statuses import TicketStatus

log = logging.getLogger(__name__)
MAX_ROUTING_ATTEMPTS = 5
DEFAULT_THRESHOLD = 0.5


class Prediction(Protocol):
    category: str
    confidence: float
    top: list[tuple[str, float]]


class Classifier(Protocol):
    threshold: float

    def predict(self, texts: list[str]) -> list[Prediction]: ...


@dataclass
class RoutingOutcome:
    ticket_id: int
    outcome: str  # routed | triage | skipped
    category: str | None = None
    agency_id: int | None = None
    confidence: float | None = None


async def resolve_agency(category_id: int, kecamatan: str | None) -> int | None:
    """Routing rules are data: a kecamatan-specific rule wins over a general one, then the default."""
    rules = await RoutingRule.select(RoutingRule.agency, RoutingRule.kecamatan).where(
        (RoutingRule.category == category_id) & (RoutingRule.active == True)  # noqa: E712
    )
    if kecamatan:
        for rule in rules:
            if rule["kecamatan"] and rule["kecamatan"].strip().lower() == kecamatan.strip().lower():
                return rule["agency"]
    for rule in rules:
        if not rule["kecamatan"]:
            return rule["agency"]
    category = await Category.select(Category.default_agency).where(Category.id == category_id).first()
    return category["default_agency"] if category else None


def classification_text(ticket: dict[str, Any]) -> str:
    return " ".join(part for part in (ticket.get("title"), ticket["text"]) if part)


def _suggestions(top: list[tuple[str, float]]) -> list[dict[str, Any]]:
    return [{"category": code, "probability": round(float(p), 4)} for code, p in top[:3]]


async def route_ticket(ticket_id: int, classifier: Classifier | None, settings: Settings) -> RoutingOutcome:
    """Idempotent: a ticket no longer in `received` is left alone."""
    ticket = await Ticket.select().where(Ticket.id == ticket_id).first()
    if ticket is None or ticket["status"] != TicketStatus.RECEIVED.value:
        return RoutingOutcome(ticket_id, "skipped")
    attempts = ticket["routing_attempts"] + 1
    await Ticket.update({Ticket.routing_attempts: attempts}).where(Ticket.id == ticket_id)

    text = classification_text(ticket)
    priority = Priority.DARURAT if is_urgent(text) else Priority.NORMAL
    if classifier is None:
        return await _to_triage(ticket_id, priority, [], None, None, "Model klasifikasi belum tersedia; perlu pemilahan manual.")
    try:
        prediction = classifier.predict([text])[0]
    except Exception as exc:
        log.exception("classification failed for ticket %s", ticket_id)
        await Ticket.update({Ticket.last_routing_error: f"{type(exc).__name__}: {exc}"[:2000]}).where(Ticket.id == ticket_id)
        if attempts >= MAX_ROUTING_ATTEMPTS:
            return await _to_triage(ticket_id, priority, [], None, None, f"Klasifikasi gagal {attempts} kali; perlu pemilahan manual.")
        raise

    threshold = settings.classifier_threshold if settings.classifier_threshold is not None else getattr(classifier, "threshold", DEFAULT_THRESHOLD)
    suggestions = _suggestions(prediction.top)
    category = await Category.select().where((Category.code == prediction.category) & (Category.active == True)).first()  # noqa: E712
    agency_id = await resolve_agency(category["id"], ticket["kecamatan"]) if category else None
    if category is None or agency_id is None or prediction.confidence < threshold:
        note = (f"Keyakinan model {prediction.confidence:.2f} di bawah ambang {threshold:.2f}; perlu pemilahan petugas."
                if category else "Kategori hasil model tidak aktif; perlu pemilahan petugas.")
        return await _to_triage(ticket_id, priority, suggestions, prediction.confidence, prediction.category, note)

    now = utcnow()
    first_due, due = await compute_deadlines(category, priority, now, settings.timezone)
    try:
        await change_status(
            ticket_id, TicketStatus.ROUTED, expected_status=TicketStatus.RECEIVED, actor_label="classifier",
            note=None,
            fields={
                "category": category["id"], "agency": agency_id, "confidence": float(prediction.confidence),
                "suggestions": suggestions, "predicted_category": prediction.category, "priority": priority,
                "first_response_due_at": first_due, "due_at": due,
            },
            event_data={"category": prediction.category, "agency_id": agency_id, "confidence": round(float(prediction.confidence), 4),
                        "priority": priority, "suggestions": suggestions},
        )
    except ConcurrentChange:
        return RoutingOutcome(ticket_id, "skipped")
    return RoutingOutcome(ticket_id, "routed", prediction.category, agency_id, float(prediction.confidence))


async def _to_triage(ticket_id, priority, suggestions, confidence, predicted, note) -> RoutingOutcome:
    try:
        await change_status(
            ticket_id, TicketStatus.TRIAGE, expected_status=TicketStatus.RECEIVED, actor_label="classifier", note=note,
            public=False,
            fields={"suggestions": suggestions, "confidence": confidence, "predicted_category": predicted, "priority": priority},
            event_data={"suggestions": suggestions, "confidence": confidence},
        )
    except ConcurrentChange:
        return RoutingOutcome(ticket_id, "skipped")
    return RoutingOutcome(ticket_id, "triage", predicted, None, confidence)


async def route_manually(ticket_id: int, category_code: str, *, actor_id: int | None, actor_label: str,
                         agency_id: int | None = None, reason: str = "", settings: Settings) -> dict[str, Any]:
    """A dispatcher routes a ticket from triage (or re-routes it); recorded as a correction.

    Subscribers hear a TicketStatusChanged (to routed) or, for an open ticket moved to another
    agency, a TicketRerouted.
    """
    from feedback.tables import RoutingCorrection

    ticket = await Ticket.select().where(Ticket.id == ticket_id).first()
    if ticket is None:
        raise ValueError("ticket not found")
    category = await Category.select().where(Category.code == category_code).first()
    if category is None:
        raise ValueError(f"unknown category {category_code!r}")
    if agency_id is None:
        agency_id = await resolve_agency(category["id"], ticket["kecamatan"])
    if agency_id is None or not await Agency.exists().where(Agency.id == agency_id):
        raise ValueError("no agency for this category")
    now = utcnow()
    first_due, due = await compute_deadlines(category, ticket["priority"], now, settings.timezone)
    # A re-route restarts the SLA clock at the new agency: new deadlines count from now.
    fields = {"category": category["id"], "agency": agency_id, "first_response_due_at": first_due, "due_at": due,
              "routed_at": now, "reroute_count": ticket["reroute_count"] + (1 if ticket["agency"] else 0)}
    status = TicketStatus(ticket["status"])
    if status in (TicketStatus.RECEIVED, TicketStatus.TRIAGE, TicketStatus.REOPENED):
        await change_status(ticket_id, TicketStatus.ROUTED, actor_id=actor_id, actor_label=actor_label,
                            note=reason or None, fields=fields, expected_status=status,
                            event_data={"category": category_code, "agency_id": agency_id})
    else:
        async with transaction_for(Ticket):
            await Ticket.update({**fields, "updated_at": now}).where(Ticket.id == ticket_id)
            await record_event(ticket_id, "rerouted", actor_id=actor_id, actor_label=actor_label,
                               old_value=str(ticket["agency"]), new_value=str(agency_id), note=reason or None, public=True,
                               data={"category": category_code})
            await emit(TicketRerouted(ticket_id, ticket["agency"], agency_id, actor_label))
    predicted = ticket["predicted_category"]
    if predicted != category_code or ticket["agency"] not in (None, agency_id):
        await RoutingCorrection.insert(RoutingCorrection(
            ticket=ticket_id, text=classification_text(ticket), predicted_category=predicted,
            corrected_category=category_code, from_agency=ticket["agency"], to_agency=agency_id,
            actor=actor_id, reason=reason or ""))
    return {"ticket_id": ticket_id, "category": category_code, "agency_id": agency_id}
