"""Two reviewers deciding the same version at the same moment, on two PostgreSQL connections: exactly one decision
is recorded, the other reviewer is told it was already decided."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from catalogue.models import Role
from core.exceptions import ConflictError, TransitionNotAllowed
from reviews.models import ReturnReason
from reviews.services import standard_transition
from standards.models import ItemStandard
from standards.transitions import Action
from tests.factories import UserFactory, member
from tests.services import need_postgres
from workflow.models import StateTransition

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def postgres():
    need_postgres()


def test_two_reviewers_deciding_at_once_record_one_decision(postgres, version, cast, orgs, return_reasons):
    reasons = list(ReturnReason.objects.filter(code="C07"))
    colleague = member(UserFactory(username="compliance2"), orgs["bianban"], Role.COMPLIANCE_REVIEWER)
    ItemStandard.objects.filter(pk=version.pk).update(state="compliance_review")
    start = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def decide(name, user, action):
        try:
            start.wait(timeout=10)
            standard_transition(
                actor=user,
                standard=ItemStandard.objects.get(pk=version.pk),
                action=action,
                note="材料名称笼统",
                reasons=reasons if action.startswith("return_") else [],
                expected_state="compliance_review",
            )
            outcomes[name] = "decided"
        except (ConflictError, TransitionNotAllowed) as exc:
            outcomes[name] = exc
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=decide, args=("pass", cast["compliance"], Action.PASS_COMPLIANCE)),
        threading.Thread(target=decide, args=("return", colleague, Action.RETURN_COMPLIANCE)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    decided = [name for name, outcome in outcomes.items() if outcome == "decided"]
    refused = [outcome for outcome in outcomes.values() if outcome != "decided"]
    assert len(decided) == 1 and len(refused) == 1, outcomes
    assert "已被他人处理" in str(refused[0])
    decisions = StateTransition.objects.filter(standard=version, from_state="compliance_review")
    assert decisions.count() == 1
    expected_state = "legality_review" if decided == ["pass"] else "returned"
    assert ItemStandard.objects.get(pk=version.pk).state == expected_state
    assert connection.vendor == "postgresql"
