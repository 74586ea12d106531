from __future__ import annotations

import pytest

from feedback.intake.smtp_server import start_in_thread
from tests.email.helpers import free_port


@pytest.fixture
def smtp_port(pg_settings):
    """The real receiver (aiosmtpd on its own loop thread) bound to the test database."""
    port = free_port()
    controller = start_in_thread(pg_settings, "127.0.0.1", port)
    yield port
    controller.stop()
