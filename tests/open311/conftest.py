"""Open311 fixtures: an API key, and a live server for independent clients."""
from __future__ import annotations

import pytest

from feedback.open311.keys import create_key
from tests.conftest import _bind, run_async
from tests.open311.live import serve


@pytest.fixture
def api_key(settings):
    return run_async(create_key("Mitra Uji"))


@pytest.fixture
def pg_api_key(pg_settings):
    return run_async(create_key("Mitra Uji"))


@pytest.fixture
def live_url(pg_settings):
    """The app on PostgreSQL behind uvicorn on a free loopback port."""
    from feedback.app import create_app

    with serve(create_app(pg_settings, run_sweeper=False)) as url:
        yield url
    _bind(pg_settings.database_url)
