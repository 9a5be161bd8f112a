"""Schemathesis against our own OpenAPI document, over real HTTP to the running api with
the sandbox behind it, on SQLite and PostgreSQL: bounded examples per operation, as a
signed-in user, both valid requests and invalid ones (schemathesis' negative mode: ids
out of range, wrong types, strings past their limits). No answer may be a 5xx, carry an
undocumented status or content type, or break its schema."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from callplatform import config
from callplatform.services import rate_limit
from tests.api.public_api import buy_first, client_for, register

MAX_EXAMPLES = 25  # per operation: bounded, so CI stays quick
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def signed_in(db_url, live_api, monkeypatch):
    """A user with a number, and the sandbox behind the api (SQLite, then PostgreSQL)."""
    monkeypatch.setenv("TWILIO_API_BASE_URL", f"{live_api}/_sandbox/twilio")
    monkeypatch.setenv("PUBLIC_BASE_URL", live_api)
    monkeypatch.setenv("SANDBOX_TIME_SCALE", "0.02")
    monkeypatch.setenv("API_REQUESTS_PER_MINUTE", "100000")
    config.reset_settings()
    rate_limit.reset()
    register("fuzz@example.com")
    client = client_for(live_api, "fuzz@example.com")
    buy_first(client)
    yield live_api, client.headers["Authorization"]
    client.close()
    rate_limit.reset()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_api_conforms_to_its_own_schema(signed_in, mode):
    base, authorization = signed_in
    schema = schemathesis.openapi.from_url(f"{base}/api/openapi.json")
    tested = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def exercise(case):
            case.call_and_validate(
                base_url=base, headers={"Authorization": authorization}, checks=CHECKS
            )

        exercise()
        tested.append(operation.label)
    assert len(tested) >= 11, tested
