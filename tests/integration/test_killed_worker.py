"""A worker killed in the middle of building a report: the report does not stay "生成中". Once the task's time
limit has passed, the sweep marks it failed with the reason, and the page offers to build it again.

The build is held inside the database (a trigger sleeps on the report rows' insert) while the worker process is
killed with SIGKILL and its database session ends, as a crashed machine's would."""

from __future__ import annotations

import datetime as dt
import signal
import time

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from reporting.models import ProgressReport, ReportStatus
from reporting.services import progress_report_create, progress_reports_fail_stale
from tests.integration.workers import running_worker, send
from tests.services import need_postgres, need_redis

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def _sleeping_backends() -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND query ILIKE %s AND state = 'active'",
            ["%reporting_reportrow%"],
        )
        return [row[0] for row in cursor.fetchall()]


def test_a_report_whose_worker_was_killed_fails_after_the_time_limit_and_can_be_built_again(small, people, geo, client):
    need_postgres()
    need_redis()
    report = progress_report_create(
        actor=people["supervisor"],
        division=geo["qy"],
        period_start=dt.date(2026, 11, 1),
        period_end=dt.date(2026, 11, 20),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION reporting_test_hold() RETURNS trigger AS $$ BEGIN PERFORM pg_sleep(60); RETURN NULL; "
            "END $$ LANGUAGE plpgsql"
        )
        cursor.execute(
            "CREATE TRIGGER reporting_test_hold BEFORE INSERT ON reporting_reportrow "
            "FOR EACH STATEMENT EXECUTE FUNCTION reporting_test_hold()"
        )
    try:
        with running_worker("killed-worker-test") as (queue, process):
            send(queue, "reporting.tasks.build_progress_report", report.pk, wait=False)
            deadline = time.monotonic() + 60
            while not _sleeping_backends():
                assert time.monotonic() < deadline, "the worker never started the build"
                time.sleep(0.5)
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=20)
            with connection.cursor() as cursor:  # the dead machine's connection is gone too
                for pid in _sleeping_backends():
                    cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER IF EXISTS reporting_test_hold ON reporting_reportrow")
            cursor.execute("DROP FUNCTION IF EXISTS reporting_test_hold()")

    assert ProgressReport.objects.get(pk=report.pk).status == ReportStatus.BUILDING
    within = timezone.now() + dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT - 60)
    assert progress_reports_fail_stale(now=within) == 0
    past = timezone.now() + dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    assert progress_reports_fail_stale(now=past) == 1
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED and "超过任务时限" in report.error

    client.force_login(people["supervisor"])
    status = client.get(reverse("reporting:report_status", args=[report.pk])).content.decode()
    assert "超过任务时限" in status and reverse("reporting:report_restart", args=[report.pk]) in status
    client.post(reverse("reporting:report_restart", args=[report.pk]))  # built in-process here (eager)
    assert ProgressReport.objects.get(pk=report.pk).status == ReportStatus.READY
