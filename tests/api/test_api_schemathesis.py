"""Schemathesis against our own OpenAPI document, over real HTTP to the running api with
the sandbox behind it, on SQLite and PostgreSQL: bounded examples per operation, as a
signed-in user, both valid requests and invalid ones (schemathesis' negative mode: ids
out of range, wrong types, strings past their limits). No answer may be a 5xx, carry an
undocumented status or content type, or break its schema."""

from __future__ import annotations

import json

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
from callplatform.accounts import rate_limit
from tests.api.public_api import buy_first, client_for
from tests.helpers import make_user

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
    make_user("fuzz@example.com")
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


# Explicit cases beside the generated ones: what broke routes before (an id past the
# INTEGER columns, NUL that psycopg refuses) in every parameter and body field.
NASTY_IDS = [10**40, 2**63, 2**31, -1, 0, "1" * 40]
NASTY_TEXT = ["a\x00b", "bell\x07", "x" * 100_000]
NASTY_QUERY = ["a\x00b", "bell\x07", "x" * 300]  # a URL can't carry 100 KB


def _is_text(definition: dict) -> bool:
    return '"string"' in json.dumps(definition.get("schema", definition))


def _explicit_cases(operation):
    ids = {p.name: 1 for p in operation.path_parameters}
    for param in operation.path_parameters:
        for value in NASTY_IDS:
            yield operation.Case(path_parameters=ids | {param.name: value})
    for param in operation.query:
        for value in NASTY_QUERY if _is_text(param.definition) else NASTY_IDS:
            yield operation.Case(path_parameters=ids, query={param.name: value})
    for body in operation.body:
        schema = body.definition.get("schema", {})
        fields = schema.get("properties", {})
        base = {name: "x" for name in schema.get("required", [])}
        for name, definition in fields.items():
            for value in NASTY_TEXT if _is_text(definition) else NASTY_IDS:
                yield operation.Case(
                    path_parameters=ids, body=base | {name: value}, media_type=body.media_type
                )


def test_explicit_nasty_cases_conform(signed_in):
    base, authorization = signed_in
    schema = schemathesis.openapi.from_url(f"{base}/api/openapi.json")
    headers = {"Authorization": authorization, "Idempotency-Key": "k-explicit"}
    sent = 0
    for result in schema.get_all_operations():
        for case in _explicit_cases(result.ok()):
            case.call_and_validate(base_url=base, headers=headers, checks=CHECKS)
            sent += 1
    assert sent > 100, sent
