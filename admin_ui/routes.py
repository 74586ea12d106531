"""The /admin router: every handler passes the session guard (login + CSRF) before its role guard."""
from __future__ import annotations

from typing import Any

from litestar import Router

from admin_ui.auth import staff_session_guard
from admin_ui.counter import CounterController
from admin_ui.inbound_mail import InboundMailController
from admin_ui.open311_keys import Open311KeysController
from admin_ui.rendering import EXCEPTION_HANDLERS
from admin_ui.views_admin import AdminController
from admin_ui.views_auth import AuthController
from admin_ui.reports.views import ReportsController
from admin_ui.views_tickets import TicketController
from feedback.settings import Settings


def route_handlers(settings: Settings) -> list[Any]:
    """Handlers contributed to create_app (see feedback.app._extra_route_handlers)."""
    return [Router(path="/", route_handlers=[AuthController, TicketController, AdminController, CounterController,
                                                    InboundMailController, ReportsController, Open311KeysController],
                   guards=[staff_session_guard], exception_handlers=EXCEPTION_HANDLERS, include_in_schema=False)]
