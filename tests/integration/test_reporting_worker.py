"""A real Celery worker on Redis runs the reporting tasks against the test database.

The worker is started as ``celery -A config worker`` in a subprocess with ``DATABASE_URL`` pointing at the database
pytest-django created for this run (its name, e.g. ``test_spbz`` or ``test_spbz_gw0`` under xdist, is read from the
live connection), so the tests are transactional: the worker sees only what is committed. Tasks are sent through the
broker with ``send_task`` on a queue of this test's own, never run in-process. Skips without PostgreSQL or Redis
locally; fails under REQUIRE_SERVICES=1.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from openpyxl import load_workbook

from reporting import rates
from reporting.models import ProgressReport, RateSnapshot, ReportStatus
from reporting.services import progress_report_create
from tests.integration.workers import running_worker, send
from tests.services import need_postgres, need_redis

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

DAY = dt.date(2026, 11, 20)


@pytest.fixture
def worker():
    """A worker process consuming a queue of its own; yields the queue name."""
    need_postgres()
    need_redis()
    with running_worker("reporting-test") as (queue, _process):
        yield queue


def _send(queue: str, name: str, *args, timeout: int = 120):
    return send(queue, name, *args, timeout=timeout)


def _stored(date):
    return {s.scope_key: s for s in RateSnapshot.objects.filter(date=date).select_related(None).order_by("scope_key")}


def test_worker_computes_rates_and_builds_the_report(worker, small, people, geo):
    result = _send(worker, "reporting.tasks.compute_rates", DAY.isoformat())
    expected = rates.compute()
    stored = _stored(DAY)
    assert result["snapshots"] == len(expected) == len(stored)
    for scope, figures in expected.items():
        assert rates.Figures.of(stored[scope.key]) == figures, scope

    report = progress_report_create(
        actor=people["supervisor"], division=geo["qy"], period_start=dt.date(2026, 11, 1), period_end=DAY
    )
    result = _send(worker, "reporting.tasks.build_progress_report", report.pk)
    report.refresh_from_db()
    assert result["status"] == ReportStatus.READY == report.status
    wb = load_workbook(report.file.path)
    header = [c.value for c in wb["县区明细"][1]]
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in wb["县区明细"].iter_rows(min_row=2, values_only=True)}
    qc = expected[rates.Scope("county", geo["qc"].code)]
    assert rows[geo["qc"].code]["应编写事项数"] == qc.active == 7
    assert rows[geo["qc"].code]["已提交数"] == qc.submitted
    assert rows[geo["qc"].code]["审查通过数"] == qc.passed
    assert rows[geo["qc"].code]["标准录入提交率"] == rates.shown_rate(qc.submission_rate)  # 85.7 %, as shown
    assert ProgressReport.objects.get(pk=report.pk).figures["total"]["active"] == 7


def test_a_failed_attempt_is_retried_and_leaves_exactly_one_snapshot_per_scope(worker, small):
    # Snapshots of the day exist already; the next run fails in the middle of its transaction (after deleting them,
    # while inserting the new ones) the first time, and Celery retries it.
    _send(worker, "reporting.tasks.compute_rates", DAY.isoformat())
    before = len(_stored(DAY))
    with connection.cursor() as cursor:
        cursor.execute("CREATE SEQUENCE reporting_test_attempts")
        cursor.execute(
            "CREATE FUNCTION reporting_test_fail_once() RETURNS trigger AS $$ BEGIN "
            "IF nextval('reporting_test_attempts') = 1 THEN RAISE EXCEPTION 'injected failure midway'; END IF; "
            "RETURN NULL; END $$ LANGUAGE plpgsql"
        )
        cursor.execute(
            "CREATE TRIGGER reporting_test_fail_once BEFORE INSERT ON reporting_ratesnapshot "
            "FOR EACH STATEMENT EXECUTE FUNCTION reporting_test_fail_once()"
        )
    try:
        result = _send(worker, "reporting.tasks.compute_rates", DAY.isoformat())
        with connection.cursor() as cursor:
            cursor.execute("SELECT last_value FROM reporting_test_attempts")
            attempts = cursor.fetchone()[0]
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER IF EXISTS reporting_test_fail_once ON reporting_ratesnapshot")
            cursor.execute("DROP FUNCTION IF EXISTS reporting_test_fail_once()")
            cursor.execute("DROP SEQUENCE IF EXISTS reporting_test_attempts")
    assert attempts >= 2  # the first attempt failed, a retry succeeded
    stored = RateSnapshot.objects.filter(date=DAY)
    assert result["snapshots"] == before == stored.count()
    assert stored.values("scope_key").distinct().count() == before
