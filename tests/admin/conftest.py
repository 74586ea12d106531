from __future__ import annotations

import pytest

from tests.admin.helpers import make_world


@pytest.fixture
def world(settings):
    return make_world()


@pytest.fixture
def pg_world(pg_settings):
    return make_world()
