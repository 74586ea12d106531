"""Route handlers of the report pages, for admin_ui.routes (or feedback.app) to mount."""
from __future__ import annotations

from typing import Any

from litestar import Router

from admin_ui.auth import staff_session_guard
from admin_ui.rendering import EXCEPTION_HANDLERS
from admin_ui.reports.views import ReportsController
from feedback.settings import Settings


def route_handlers(settings: Settings) -> list[Any]:
    """Every handler passes the staff session guard, then the role guard (admin, manager, agency_staff)."""
    return [Router(path="/", route_handlers=[ReportsController], guards=[staff_session_guard],
                   exception_handlers=EXCEPTION_HANDLERS, include_in_schema=False)]
