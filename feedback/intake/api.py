"""JSON API for citizens and partner apps: submit, track, rate."""
from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.openapi import ResponseSpec
from litestar.params import Parameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from feedback.errors import InputError
from feedback.intake.messages import Channel, IntakeMessage, Privacy, TicketKind
from feedback.intake.services import create_ticket
from feedback.tracking.codes import format_code
from feedback.tracking.public import public_ticket_view, rate_ticket


class ReporterIn(msgspec.Struct):
    name: Annotated[str, msgspec.Meta(max_length=200)] | None = None
    email: Annotated[str, msgspec.Meta(max_length=254)] | None = None
    phone: Annotated[str, msgspec.Meta(max_length=32)] | None = None


class TicketIn(msgspec.Struct):
    """A new complaint, suggestion, question or compliment."""

    kind: Literal["complaint", "suggestion", "question", "compliment"]
    text: Annotated[str, msgspec.Meta(min_length=1, max_length=20000, description="15 to 5,000 characters after trimming")]
    title: Annotated[str, msgspec.Meta(max_length=200)] | None = None
    location: Annotated[str, msgspec.Meta(max_length=300)] | None = None
    kecamatan: Annotated[str, msgspec.Meta(max_length=100)] | None = None
    lat: Annotated[float, msgspec.Meta(ge=-90, le=90)] | None = None
    long: Annotated[float, msgspec.Meta(ge=-180, le=180)] | None = None
    reporter: ReporterIn | None = None
    privacy: Literal["public", "confidential", "anonymous"] = "public"


class TicketCreatedOut(msgspec.Struct):
    tracking_code: str
    tracking_code_display: str
    status: str
    kind: str
    channel: str
    created_at: str
    tracking_url: str


class TimelineEntryOut(msgspec.Struct):
    type: str
    at: str
    status: str | None = None
    status_label: str | None = None
    note: str | None = None


class ResponseOut(msgspec.Struct):
    body: str
    at: str
    from_: str = msgspec.field(name="from")


class TicketPublicOut(msgspec.Struct):
    tracking_code: str
    tracking_code_display: str
    kind: str
    channel: str
    status: str
    status_label: str
    text: str
    priority: str
    created_at: str
    timeline: list[TimelineEntryOut]
    responses: list[ResponseOut]
    can_rate: bool
    title: str | None = None
    location: str | None = None
    category: str | None = None
    category_name: str | None = None
    agency: str | None = None
    agency_code: str | None = None
    resolved_at: str | None = None
    due_at: str | None = None
    reject_reason: str | None = None
    rating: int | None = None


class RatingIn(msgspec.Struct):
    score: int
    comment: Annotated[str, msgspec.Meta(max_length=2000)] | None = None


class RatingOut(msgspec.Struct):
    tracking_code: str
    score: int


class FieldErrorOut(msgspec.Struct):
    field: str
    code: str
    message: str
    message_en: str


class ErrorOut(msgspec.Struct):
    error: str
    message: str
    message_en: str
    errors: list[FieldErrorOut] = []


_ERROR_DESCRIPTIONS = {
    400: "Invalid input", 404: "Unknown, mistyped or malformed tracking code", 409: "Not resolved yet, or already rated",
    413: "Body too large", 422: "Invalid score or comment", 429: "Rate limited",
}


def _errors(*codes: int) -> dict[int, ResponseSpec]:
    """OpenAPI entries for the bilingual error body each of these statuses carries."""
    return {code: ResponseSpec(data_container=ErrorOut, description=_ERROR_DESCRIPTIONS[code]) for code in codes}


def ticket_created_out(ticket: dict[str, Any], base_url: str) -> TicketCreatedOut:
    return TicketCreatedOut(
        tracking_code=ticket["tracking_code"],
        tracking_code_display=format_code(ticket["tracking_code"]),
        status=ticket["status"],
        kind=ticket["kind"],
        channel=ticket["channel"],
        created_at=ticket["created_at"].isoformat(),
        tracking_url=f"{base_url}/track/{ticket['tracking_code']}",
    )


class TicketApiController(Controller):
    path = "/api/v1/tickets"
    tags = ["tickets"]

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Submit a ticket",
        description="Stores the ticket and returns its tracking code at once; classification happens in the background. "
        "Send an Idempotency-Key header to make retries safe.",
        responses={
            200: ResponseSpec(data_container=TicketCreatedOut, description="Idempotent replay: the ticket created earlier with this Idempotency-Key"),
            **_errors(400, 413, 429),
        },
    )
    async def submit(
        self,
        request: Request,
        state: State,
        data: TicketIn,
        idempotency_key: Annotated[str | None, Parameter(header="Idempotency-Key", required=False, max_length=200)] = None,
    ) -> Response[TicketCreatedOut]:
        settings = state.settings
        await state.rate_limiter.hit(request, "submit")
        reporter = data.reporter or ReporterIn()
        msg = IntakeMessage(
            text=data.text, channel=Channel.API, kind=TicketKind(data.kind), title=data.title, location=data.location,
            kecamatan=data.kecamatan, lat=data.lat, long=data.long, reporter_name=reporter.name,
            reporter_email=reporter.email, reporter_phone=reporter.phone, privacy=Privacy(data.privacy),
            idempotency_key=f"api:{idempotency_key}" if idempotency_key else None,
        )
        ticket = await create_ticket(msg, settings, state.dispatcher)
        return Response(
            ticket_created_out(ticket, settings.base_url),
            status_code=HTTP_201_CREATED if ticket.created else HTTP_200_OK,
            headers={"Idempotent-Replayed": "true"} if not ticket.created else {},
        )

    @get("/{tracking_code:str}", summary="Track a ticket", description="Status, category, agency, timeline and public responses. Never the reporter's identity.",
         responses=_errors(400, 404, 429))
    async def track(self, request: Request, state: State, tracking_code: Annotated[str, Parameter(max_length=64)]) -> TicketPublicOut:
        await state.rate_limiter.hit(request, "track")
        lang = request.query_params.get("lang", "id")
        view = await public_ticket_view(tracking_code, lang)
        return msgspec.convert(view, TicketPublicOut)

    @post("/{tracking_code:str}/rating", status_code=HTTP_201_CREATED, summary="Rate a resolved ticket",
          responses=_errors(400, 404, 409, 413, 422, 429))
    async def rate(self, request: Request, state: State, tracking_code: Annotated[str, Parameter(max_length=64)], data: RatingIn) -> RatingOut:
        await state.rate_limiter.hit(request, "track")
        result = await rate_ticket(tracking_code, data.score, data.comment)
        return RatingOut(**result)


def input_error_body(exc: InputError) -> dict[str, Any]:
    first = exc.errors[0] if exc.errors else None
    return {
        "error": first.code if first else "invalid_input",
        "message": "; ".join(e.message for e in exc.errors) or "Data tidak valid.",
        "message_en": "; ".join(e.message_en for e in exc.errors) or "Invalid input.",
        "errors": [{"field": e.field, "code": e.code, "message": e.message, "message_en": e.message_en} for e in exc.errors],
    }
