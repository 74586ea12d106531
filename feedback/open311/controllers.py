"""HTTP handlers for /open311/v2/ (thin: parsing and formats here, logic in service.py)."""
from __future__ import annotations

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.exceptions import HTTPException, ValidationException

from feedback.errors import InputError
from feedback.open311 import service
from feedback.open311.formats import render, render_errors, split_format
from feedback.open311.keys import authenticate
from feedback.open311.service import Open311Error


def _format_of(request: Request) -> str:
    return "xml" if request.url.path.lower().endswith(".xml") else "json"


def _split(name: str, what: str) -> tuple[str, str]:
    parts = split_format(name)
    if parts is None:
        raise service.not_found(what)
    return parts


def handle_open311_error(request: Request, exc: Open311Error) -> Response:
    return render_errors(exc.errors, _format_of(request), exc.status)


def handle_input_error(request: Request, exc: InputError) -> Response:
    err = service.input_error_to_open311(exc)
    return render_errors(err.errors, _format_of(request), exc.status_code)


def handle_http_error(request: Request, exc: HTTPException) -> Response:
    status = exc.status_code
    if status == 429:
        description = "Too many requests, try again shortly. / Terlalu banyak permintaan, coba lagi sebentar lagi."
    elif status == 413:
        description = "The request body is too large. / Data yang dikirim terlalu besar."
    elif isinstance(exc, ValidationException) or status == 400:
        description = "Invalid request. / Permintaan tidak valid."
    else:
        description = f"{exc.detail}"
    return render_errors([(status, description)], _format_of(request), status, headers=exc.headers)


class Open311Controller(Controller):
    path = "/open311/v2"
    tags = ["open311"]
    include_in_schema = False  # the GeoReport v2 spec documents these endpoints
    exception_handlers = {
        Open311Error: handle_open311_error,
        InputError: handle_input_error,
        HTTPException: handle_http_error,
    }

    @get(["/discovery.json", "/discovery.xml"])
    async def discovery(self, request: Request, state: State) -> Response:
        return render(service.discovery(state.settings.base_url), _format_of(request), "discovery")

    @get(["/services.json", "/services.xml"])
    async def services(self, request: Request) -> Response:
        return render(await service.list_services(), _format_of(request), "services")

    @get("/services/{name:str}")
    async def service_definition(self, name: str) -> Response:
        code, fmt = _split(name, "service_code")
        return render(await service.service_definition(code), fmt, "service_definition")

    @post(["/requests.json", "/requests.xml"], status_code=201)
    async def create_request(self, request: Request, state: State) -> Response:
        form = await request.form()
        key = await authenticate(form.get("api_key") if isinstance(form.get("api_key"), str) else None)
        if key is None:
            raise Open311Error(403, "api_key is missing, invalid or revoked. / api_key tidak ada, tidak sah, atau sudah dicabut.")
        item = await service.submit_request(form, key, state.settings, state.dispatcher)
        return render([item], _format_of(request), "service_requests", status_code=201)

    @get(["/requests.json", "/requests.xml"])
    async def search_requests(self, request: Request, state: State) -> Response:
        await state.rate_limiter.hit(request, "open311")
        rows = await service.search_requests(request.query_params)
        return render(rows, _format_of(request), "service_requests")

    @get("/requests/{name:str}")
    async def get_request(self, request: Request, state: State, name: str) -> Response:
        await state.rate_limiter.hit(request, "track")
        code, fmt = _split(name, "service_request_id")
        return render([await service.get_request(code)], fmt, "service_requests")

    @get("/tokens/{name:str}")
    async def token(self, request: Request, state: State, name: str) -> Response:
        await state.rate_limiter.hit(request, "track")
        token, fmt = _split(name, "token")
        return render([await service.token_lookup(token)], fmt, "service_requests")


def route_handlers() -> list:
    return [Open311Controller]
