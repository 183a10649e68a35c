"""Two reviewers deciding the same task at the same moment, on two PostgreSQL connections, through the review
service: one decision is recorded, the other reviewer is told the task was already handled, and the loser's
reasons and comments are not stored."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from core.exceptions import ConflictError
from reviews.models import ReturnComment, ReturnReason, ReviewTask
from reviews.services import CommentInput, review_task_decide
from standards.models import ItemStandard
from tests.services import need_postgres
from workflow.models import StateTransition

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_reviewers_deciding_one_task_at_once(at_compliance, cast, colleagues):
    need_postgres()
    task = ReviewTask.objects.open().get(standard=at_compliance)
    reason = ReturnReason.objects.get(code="C07")
    start = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def decide(name, user, decision):
        try:
            start.wait(timeout=10)
            review_task_decide(
                actor=user,
                task=ReviewTask.objects.get(pk=task.pk),
                decision=decision,
                comments=[CommentInput(reason, "materials[0]", "材料名称笼统")] if decision == "return" else [],
            )
            outcomes[name] = "decided"
        except ConflictError as exc:
            outcomes[name] = exc
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=decide, args=("pass", cast["compliance"], "pass")),
        threading.Thread(target=decide, args=("return", colleagues["compliance2"], "return")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    decided = [name for name, outcome in outcomes.items() if outcome == "decided"]
    refused = [outcome for outcome in outcomes.values() if outcome != "decided"]
    assert len(decided) == 1 and len(refused) == 1, outcomes
    assert "已被他人处理" in str(refused[0])
    assert StateTransition.objects.filter(standard=at_compliance, from_state="compliance_review").count() == 1
    task.refresh_from_db()
    assert task.decision == decided[0] and task.closed_at is not None
    assert ReturnComment.objects.exists() == (decided == ["return"])
    expected = "legality_review" if decided == ["pass"] else "returned"
    assert ItemStandard.objects.get(pk=at_compliance.pk).state == expected
    assert ReviewTask.objects.open().filter(standard=at_compliance).count() == (1 if decided == ["pass"] else 0)
    assert connection.vendor == "postgresql"
