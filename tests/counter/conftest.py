from __future__ import annotations

import pytest

from tests.admin.helpers import make_world


@pytest.fixture
def pg_world(pg_settings):
    """Agencies and one staff user per role (the admin UI's test helpers)."""
    return make_world()
