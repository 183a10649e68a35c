"""Property-based run of schemathesis against /api/schema/: for generated requests to every operation — valid and
invalid parameters alike — no answer is a 500, every status code and body is the one the schema documents, and
content types match. Runs over the WSGI app in the suite, so CI runs it with everything else."""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from config.wsgi import application

OPERATIONS = [
    "/api/v1/divisions/",
    "/api/v1/divisions/{code}/",
    "/api/v1/organizations/",
    "/api/v1/organizations/{code}/",
    "/api/v1/general-items/",
    "/api/v1/general-items/{code}/",
    "/api/v1/items/",
    "/api/v1/items/{code}/",
    "/api/v1/items/{code}/draft/",
    "/api/v1/changes/",
    "/api/v1/exports/items.csv",
    "/api/v1/exports/items.json",
    "/api/v1/exports/items.xlsx",
    "/api/v1/open-data/cpsv-ap.jsonld",
    "/api/v1/cases/",
    "/api/v1/cases/{number}/",
]
# Operations that take a body: called with a sending system's token, so the generated events reach the checks.
POST_OPERATIONS = ["/api/v1/case-events/"]


@pytest.fixture
def api_schema(items):
    # Requests go through the WSGI handler, which would close the test's connection (and its transaction) after
    # each answer; Django's own test client stops that the same way.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/", application)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def test_the_schema_lists_the_operations_tested_here(api_schema):
    assert sorted(path for path, _ in api_schema.items()) == sorted(OPERATIONS + POST_OPERATIONS)


@pytest.mark.parametrize("path", OPERATIONS)
def test_every_operation_answers_as_its_schema_says(api_schema, path):
    operation = api_schema[path]["GET"]

    @given(case=operation.as_strategy())
    @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    def check(case):
        # Every check but "schema-valid data is accepted": a string the schema allows may still name a division that
        # does not exist or be a cursor this API did not make, and those rightly answer 400 (documented).
        case.call_and_validate(excluded_checks=[positive_data_acceptance])

    check()


@pytest.mark.parametrize("path", POST_OPERATIONS)
def test_every_posted_body_answers_as_its_schema_says(api_schema, items, path):
    from cases.external import external_system_issue

    _, token = external_system_issue(name="schemathesis", division=items["qc"].division)
    operation = api_schema[path]["POST"]

    @given(case=operation.as_strategy())
    @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    def check(case):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}
        case.call_and_validate(excluded_checks=[positive_data_acceptance])

    check()
