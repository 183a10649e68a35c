"""The dashboard and the report pages as their users see them: scoping, drill-down, a bounded number of queries,
starting a computation and a report, downloading and sending."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reporting.models import ProgressReport, RateSnapshot, ReportStatus
from reporting.services import rates_compute


@pytest.fixture
def computed(small):
    today = dt.date.today()
    rates_compute(date=today - dt.timedelta(days=7))
    rates_compute(date=today)
    return small


def test_supervisor_sees_the_city_and_its_counties(client, computed, people, geo):
    client.force_login(people["supervisor"])
    response = client.get(reverse("reporting:dashboard"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "清远市 · 统计看板" in page
    assert reverse("reporting:division", kwargs={"code": geo["qc"].code}) in page  # drill down to the county
    assert "85.7%" in page  # the city's entry submission rate, 6 of 7
    assert 'id="chart-data"' in page and "echarts.min.js" in page
    assert "<script>" not in page  # no inline script (CSP)


def test_county_page_lists_its_departments(client, computed, people, geo, orgs):
    client.force_login(people["supervisor"])
    page = client.get(reverse("reporting:division", kwargs={"code": geo["qc"].code})).content.decode()
    assert orgs["other_dept"].name in page and orgs["edu"].name in page
    assert "东城街道办事处" in page  # the township's department counts with its county


def test_supervisor_cannot_open_outside_the_subtree(client, computed, people, geo):
    client.force_login(people["supervisor"])
    assert client.get(reverse("reporting:division", kwargs={"code": geo["gd"].code})).status_code == 404
    assert client.get(reverse("reporting:division", kwargs={"code": geo["dg"].code})).status_code == 404


def test_clerks_have_no_dashboard(client, computed, people):
    client.force_login(people["clerk"])
    assert client.get(reverse("reporting:dashboard")).status_code == 403
    assert client.post(reverse("reporting:compute")).status_code == 403
    assert client.get(reverse("reporting:reports")).status_code == 403


def test_dashboard_query_count_does_not_grow_with_units(client, computed, people, geo, django_assert_num_queries):
    client.force_login(people["province"])
    url = reverse("reporting:division", kwargs={"code": geo["gd"].code})
    client.get(url)
    # Session and user, scope, the division, breadcrumbs, the snapshot dates, headline, children, pace rows, trend,
    # deadline, the overdue bulletin's plans and milestones, and the inbox badge: 14, whatever the number of cities
    # or departments.
    with django_assert_num_queries(14):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(14):  # a county: its departments instead of cities
        assert client.get(reverse("reporting:division", kwargs={"code": geo["qc"].code})).status_code == 200


def test_dashboard_without_snapshots_says_so(client, small, people):
    client.force_login(people["supervisor"])
    assert "尚无统计数据" in client.get(reverse("reporting:dashboard")).content.decode()


def test_compute_now_stores_todays_snapshot(client, small, people, geo):
    client.force_login(people["supervisor"])
    response = client.post(reverse("reporting:compute"), {"division": geo["qc"].code})
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:division", kwargs={"code": geo["qc"].code})
    assert RateSnapshot.objects.get(date=dt.date.today(), scope_key=geo["qc"].code).submitted == 6


def test_build_download_and_send_a_report(client, small, people, geo):
    client.force_login(people["supervisor"])
    today = dt.date.today()
    response = client.post(
        reverse("reporting:reports"),
        {"division": geo["qy"].code, "period_start": today.replace(day=1), "period_end": today, "contact": "李四"},
    )
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert report.status == ReportStatus.READY
    download = client.get(reverse("reporting:report_download", kwargs={"pk": report.pk}))
    assert download.status_code == 200
    path = download.wsgi_request and report.file.path
    assert load_workbook(path)["封面"]["B3"].value.startswith(today.replace(day=1).isoformat())
    assert client.post(reverse("reporting:report_send", kwargs={"pk": report.pk})).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SENT and report.sent_by == people["supervisor"]
    page = client.get(reverse("reporting:reports")).content.decode()
    assert "已报送" in page and reverse("reporting:report_download", kwargs={"pk": report.pk}) in page


def test_report_form_refuses_a_unit_outside_the_subtree(client, small, people, geo):
    client.force_login(people["supervisor"])
    today = dt.date.today()
    response = client.post(
        reverse("reporting:reports"), {"division": geo["dg"].code, "period_start": today, "period_end": today}
    )
    assert response.status_code == 200
    assert not ProgressReport.objects.exists()


@pytest.fixture
def broker_down(monkeypatch):
    """Every task refuses to be queued, as when Redis is unreachable after Celery's own publish retries."""
    from celery.app.task import Task
    from kombu.exceptions import OperationalError

    def refuse(self, *args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(Task, "delay", refuse)


def test_compute_with_the_queue_down_says_so(client, small, people, geo, broker_down):
    client.force_login(people["supervisor"])
    response = client.post(reverse("reporting:compute"), {"division": geo["qc"].code}, follow=True)
    assert response.status_code == 200
    assert "后台任务队列暂时不可用" in response.content.decode()
    assert not RateSnapshot.objects.exists()


def test_a_report_that_cannot_be_queued_is_marked_failed(client, small, people, geo, broker_down):
    client.force_login(people["supervisor"])
    today = dt.date.today()
    response = client.post(
        reverse("reporting:reports"),
        {"division": geo["qy"].code, "period_start": today.replace(day=1), "period_end": today},
        follow=True,
    )
    assert response.status_code == 200 and "后台任务队列暂时不可用" in response.content.decode()
    report = ProgressReport.objects.get()
    assert report.status == ReportStatus.FAILED and "后台任务队列暂时不可用" in report.error


def test_progress_with_the_result_backend_down_reads_as_no_news(client, small, people, monkeypatch):
    from celery.result import AsyncResult
    from redis.exceptions import ConnectionError as RedisConnectionError

    def unreachable(self):
        raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(AsyncResult, "state", property(unreachable))
    client.force_login(people["supervisor"])
    response = client.get(reverse("reporting:task_status", kwargs={"task_id": "0" * 8 + "-0000-0000-0000-" + "0" * 12}))
    assert response.status_code == 200 and "0%" in response.content.decode()
