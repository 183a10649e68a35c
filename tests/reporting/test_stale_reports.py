"""A report whose worker died is not "building" for ever: past the task's time limit the sweep marks it failed with
the reason, and whoever may report for its unit builds it again with one button."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from reporting.models import ProgressReport, ReportStatus
from reporting.services import progress_report_create, progress_reports_fail_stale

LIMIT = dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)


@pytest.fixture
def building(small, people, geo):
    return progress_report_create(
        actor=people["supervisor"],
        division=geo["qy"],
        period_start=dt.date(2026, 11, 1),
        period_end=dt.date(2026, 11, 20),
    )


@pytest.mark.django_db
def test_a_report_building_within_the_time_limit_is_left_alone(building):
    assert progress_reports_fail_stale(now=timezone.now() + LIMIT - dt.timedelta(minutes=1)) == 0
    assert ProgressReport.objects.get(pk=building.pk).status == ReportStatus.BUILDING


@pytest.mark.django_db
def test_a_report_building_past_the_time_limit_fails_with_its_reason_and_restarts(client, people, building):
    assert progress_reports_fail_stale(now=timezone.now() + LIMIT + dt.timedelta(minutes=1)) == 1
    report = ProgressReport.objects.get(pk=building.pk)
    assert report.status == ReportStatus.FAILED and "超过任务时限" in report.error

    client.force_login(people["supervisor"])
    status = client.get(reverse("reporting:report_status", args=[report.pk])).content.decode()
    assert "超过任务时限" in status and reverse("reporting:report_restart", args=[report.pk]) in status

    response = client.post(reverse("reporting:report_restart", args=[report.pk]))
    assert response.status_code == 302
    assert ProgressReport.objects.get(pk=report.pk).status == ReportStatus.READY  # built again (eager in tests)


@pytest.mark.django_db
def test_only_those_who_report_for_the_unit_restart_it_and_only_when_failed(client, people, building):
    client.force_login(people["supervisor"])
    client.post(reverse("reporting:report_restart", args=[building.pk]))
    assert ProgressReport.objects.get(pk=building.pk).status == ReportStatus.BUILDING  # not failed: refused
    ProgressReport.objects.filter(pk=building.pk).update(status=ReportStatus.FAILED)
    client.force_login(people["qx_clerk"])
    assert client.post(reverse("reporting:report_restart", args=[building.pk])).status_code in (403, 404)
    assert ProgressReport.objects.get(pk=building.pk).status == ReportStatus.FAILED
