"""Property-based fuzzing of /api/v1 and /health from our OpenAPI schema: no 5xx, responses match it.

schemathesis' own pytest plugin does not load under our pytest version, so each operation's
strategy is driven by Hypothesis directly (the same cases and checks the plugin would run).
"""
from __future__ import annotations

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis.errors import Unsatisfiable
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode
from schemathesis import checks as core_checks
from schemathesis.specs.openapi import checks as openapi_checks

from tests.conftest import _bind
from tests.open311.live import serve

CHECKS = [
    core_checks.not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_schema_conformance,
]
EXAMPLES = {GenerationMode.POSITIVE: 50, GenerationMode.NEGATIVE: 25}


@pytest.fixture
def live_schema(pg_settings):
    from feedback.app import create_app

    settings = pg_settings.with_overrides(rate_limit_per_minute=0)
    with serve(create_app(settings, run_sweeper=False)) as url:
        schema = schemathesis.openapi.from_url(f"{url}/schema/openapi.json").include(path_regex=r"^/(api/v1|health)/")
        yield url, schema
    _bind(pg_settings.database_url)


def _fuzz(operation, mode: GenerationMode, base_url: str, session: requests.Session) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @hypothesis_settings(max_examples=EXAMPLES[mode], deadline=None, database=None,
                         suppress_health_check=list(HealthCheck))
    def run(case):
        if mode is GenerationMode.NEGATIVE:
            # Invalid input must be refused without a server error; the schema cannot say which 4xx.
            response = case.call(base_url=base_url, session=session)
            assert response.status_code < 500, f"{case.method} {case.formatted_path} -> {response.status_code}"
        else:
            case.call_and_validate(base_url=base_url, session=session, checks=CHECKS)

    try:
        run()
    except Unsatisfiable:
        # An operation without inputs (GET /health/live) has no invalid variant to send.
        if mode is GenerationMode.POSITIVE or operation.body or any(True for _ in operation.iter_parameters()):
            raise


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["positive", "negative"])
def test_api_conforms_to_its_schema(live_schema, mode):
    base_url, schema = live_schema
    operations = [result.ok() for result in schema.get_all_operations()]
    labels = {op.label for op in operations}
    assert {"POST /api/v1/tickets", "GET /api/v1/tickets/{tracking_code}", "GET /health/ready"} <= labels
    with requests.Session() as session:
        for operation in operations:
            _fuzz(operation, mode, base_url, session)
