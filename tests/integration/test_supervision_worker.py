"""The supervision sweep through a real Celery worker on Redis, against the test database: a case past its promised
limit turns red and its 督办 opens. Skips without PostgreSQL or Redis locally; fails under REQUIRE_SERVICES=1."""

from __future__ import annotations

import pytest

from cases.models import Alert, AlertLevel, AlertRule, Case, Oversight
from tests.cases.conftest import casebed  # noqa: F401  (the county where cases are handled)
from tests.cases.supervision_kit import make_case
from tests.integration.test_reporting_worker import _send, worker  # noqa: F401  (a worker on a queue of its own)

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def test_the_worker_sweeps_and_a_red_alert_appears(worker, casebed):  # noqa: F811
    late = make_case(casebed)  # promised due Friday Oct 9 2026
    on_time = make_case(casebed, accepted_on=None)
    result = _send(worker, "cases.tasks.supervision_sweep", "2026-10-12")
    assert result["raised"] >= 1 and result["oversights"] >= 1
    alert = Alert.objects.get(case=late, rule=AlertRule.PROMISED_OVER)
    assert alert.level == AlertLevel.RED and alert.cleared_at is None
    assert alert.evidence["due"] == "2026-10-09"
    assert Case.objects.get(pk=late.pk).alert_level == AlertLevel.RED
    assert Oversight.objects.filter(alert=alert).exists()
    assert not Alert.objects.filter(case=on_time).exists()
    # Run again through the worker: nothing new.
    again = _send(worker, "cases.tasks.supervision_sweep", "2026-10-12")
    assert again["raised"] == again["oversights"] == 0
