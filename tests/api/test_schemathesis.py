"""Schemathesis against /api/schema/ over the WSGI app, with every check it has (``ALL_CHECKS``), over every
operation, as an anonymous reader, as a signed-in supervisor and (for the case-event endpoint) as a sending system.

Every phase runs — the schema's examples, the coverage phase (boundary and empty values, each parameter made wrong on
its own) and random fuzzing in both modes — so the suite fails when the API accepts what the schema forbids
(``?node_kind=``, ``?page_size=`` empty), refuses what it allows (a page size the schema admits, an export without the
required division), or answers anything the schema does not describe. The run is bounded by ``max_examples``."""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import CHECKS, load_all_checks

from config.wsgi import application

load_all_checks()
# Every check schemathesis ships (``--checks all``), not only the ones enabled by default; check classes are stateful
# ones that need a whole run of linked calls, which a per-operation test cannot give them.
ALL_CHECKS = [check for check in CHECKS.get_all() if not isinstance(check, type)]

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
    "/api/v1/case-events/",
    "/api/v1/evaluations/",
    "/api/v1/licensing-results/",
    "/api/v1/exports/licensing-results.csv",
    "/api/v1/exports/licensing-results.json",
]
BOUNDED = settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)


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


@pytest.fixture(autouse=True)
def _node_id(request):
    # schemathesis 4.32's lazy loader renames the test node per operation through ``node._nodeid``, which pytest 9
    # no longer sets on the node; give it the value it expects.
    request.node._nodeid = request.node.nodeid


@pytest.fixture
def supervisor_token(people):
    """A supervisor reads every list of the API, the case lists included (``cases.permissions.CASE_ROLES``)."""
    return Token.objects.create(user=people["supervisor"]).key


schema = schemathesis.pytest.from_fixture("api_schema")


def test_the_schema_lists_the_operations_tested_here(api_schema):
    """So an operation added later is run here by itself, and one removed is noticed."""
    assert sorted(path for path, _ in api_schema.items()) == sorted(OPERATIONS)


@schema.parametrize()
@BOUNDED
def test_anonymous_requests_get_what_the_schema_says(case):
    case.call_and_validate(checks=ALL_CHECKS)


@schema.parametrize()
@BOUNDED
def test_staff_requests_get_what_the_schema_says(case, supervisor_token):
    case.call_and_validate(checks=ALL_CHECKS, headers={"Authorization": f"Token {supervisor_token}"})


@pytest.fixture
def sending_system_token(items):
    from cases.external import external_system_issue

    return external_system_issue(name="schemathesis", division=items["qc"].division)[1]


@schema.include(path="/api/v1/case-events/").parametrize()
@settings(BOUNDED, max_examples=30)
def test_events_sent_by_a_system_get_what_the_schema_says(case, sending_system_token):
    case.call_and_validate(checks=ALL_CHECKS, headers={"Authorization": f"Bearer {sending_system_token}"})
