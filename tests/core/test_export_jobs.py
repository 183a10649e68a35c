"""A big staff export runs as a background job: the button leads to the job's page, which shows its progress and
then the download; the file is the asker's only, kept a day, then deleted."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from core import export_jobs, xlsx
from core.models import ExportJob, ExportJobStatus
from core.tasks import QueueUnavailable, TaskProgress
from tests.catalogue.test_views import county_list, login  # noqa: F401  (fixture)
from tests.xlsx import download_name, sheet_rows

LIST = reverse("catalogue:local_list")
EXPORT = reverse("catalogue:local_export")
QUEUE_EXPORT = reverse("reviews:queue_export")
PARAMS = {"division": "441802", "sort": "-name"}


def codes(response) -> list[str]:
    header, rows = sheet_rows(response)
    return [row[header.index("实施编码")] for row in rows]


@pytest.fixture
def big(settings):
    """Every export above two rows is "big"; the jobs' files are removed afterwards."""
    settings.EXPORT_INLINE_MAX_ROWS = 2
    yield settings
    for job in ExportJob.objects.exclude(file=""):
        job.file.delete(save=False)


def test_a_big_export_runs_as_a_job_and_only_its_asker_gets_the_file(client, people, county_list, big):  # noqa: F811
    login(client, people["compliance"])
    listed = [item.code for item in client.get(LIST, {**PARAMS, "size": 100}).context["page"].object_list]
    response = client.get(EXPORT, PARAMS)
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("export_job", args=[job.pk])
    assert (job.user, job.kind, job.rows) == (people["compliance"], "catalogue.local", 4)
    page = client.get(response["Location"])
    body = page.content.decode()
    assert job.back_link == f"{LIST}?division=441802&sort=-name" and job.back_link.replace("&", "&amp;") in body
    download = reverse("export_job_download", args=[job.pk])
    assert download in body and "可下载" in body and "hx-get" not in body  # ready: no more polling
    file = client.get(download)
    assert file.status_code == 200 and download_name(file).startswith("清城区实施清单-441802-")
    assert codes(file) == listed  # the rows and order of the page, every page
    # Nobody else sees the job, its progress or its file: a 404 that says nothing of it.
    for other in (people["qx_compliance"], people["province"], people["clerk"]):
        client.force_login(other)
        for name in ("export_job", "export_job_status", "export_job_download"):
            assert client.get(reverse(name, args=[job.pk])).status_code == 404, (other, name)
    client.logout()
    assert client.get(download).status_code == 302  # to the login page


def test_the_jobs_page_shows_its_progress_while_it_builds(client, people, monkeypatch, big):
    job = ExportJob.objects.create(user=people["compliance"], kind="reviews.queue", rows=50_000, task_id="abc-1")
    monkeypatch.setattr("core.views.task_progress", lambda task_id: TaskProgress("PROGRESS", 40, "已写入 20000 行"))
    login(client, people["compliance"])
    body = client.get(reverse("export_job", args=[job.pk])).content.decode()
    status = reverse("export_job_status", args=[job.pk])
    assert "生成中 40%" in body and "已写入 20000 行" in body and f'hx-get="{status}"' in body
    assert 'value="40"' in client.get(status).content.decode()
    assert client.get(reverse("export_job_download", args=[job.pk])).status_code == 404  # not ready yet


def test_the_build_reports_the_rows_written(people, county_list, monkeypatch, big):  # noqa: F811
    monkeypatch.setattr(xlsx, "CHUNK", 1)
    job = ExportJob.objects.create(user=people["compliance"], kind="catalogue.local", query="division=441802", rows=4)
    told = []
    job = export_jobs.export_job_build(job_id=job.pk, progress=lambda percent, message: told.append((percent, message)))
    assert job.status == ExportJobStatus.READY and job.file and job.filename.endswith(".xlsx")
    percents = [p for p, _ in told]
    assert percents == sorted(percents) and percents[0] == 5 and percents[-1] == 95 and len(told) == 5
    assert told[-1][1] == "已写入 4 / 4 行"


def test_a_broker_that_is_down_fails_the_job_saying_so(client, people, county_list, monkeypatch, big):  # noqa: F811
    def down(task, *args):
        raise QueueUnavailable("后台任务队列暂时不可用，请稍后重试")

    monkeypatch.setattr(export_jobs, "enqueue", down)
    login(client, people["compliance"])
    response = client.get(EXPORT, PARAMS, follow=True)
    job = ExportJob.objects.get()
    assert job.status == ExportJobStatus.FAILED and "后台任务队列暂时不可用" in job.error
    assert "后台任务队列暂时不可用" in response.content.decode()


def test_small_exports_stay_a_plain_download_and_the_cap_still_refuses(client, people, county_list, settings):  # noqa: F811
    login(client, people["compliance"])
    assert client.get(EXPORT, PARAMS)["Content-Type"].startswith("application/vnd.openxmlformats")
    settings.EXPORT_INLINE_MAX_ROWS, settings.EXPORT_MAX_ROWS = 2, 3
    response = client.get(EXPORT, PARAMS, follow=True)
    assert "超过一次导出的上限 3 条" in response.content.decode() and not ExportJob.objects.exists()


def test_the_queue_export_runs_as_a_job_too(client, people, big):
    login(client, people["compliance"])
    with override_settings(EXPORT_INLINE_MAX_ROWS=-1):
        response = client.get(QUEUE_EXPORT)
    job = ExportJob.objects.get(kind="reviews.queue")
    assert response["Location"] == reverse("export_job", args=[job.pk]) and job.status == ExportJobStatus.READY
    header, rows = sheet_rows(client.get(reverse("export_job_download", args=[job.pk])))
    assert "事项名称" in header and rows == []


def test_jobs_are_kept_a_day_then_deleted_with_their_files(people, county_list, big):  # noqa: F811
    old = ExportJob.objects.create(user=people["compliance"], kind="catalogue.local", query="division=441802", rows=4)
    old = export_jobs.export_job_build(job_id=old.pk)
    path = old.file.path
    fresh = ExportJob.objects.create(user=people["compliance"], kind="catalogue.local", rows=4)
    stuck = ExportJob.objects.create(user=people["compliance"], kind="catalogue.local", rows=4)
    now = timezone.now()
    ExportJob.objects.filter(pk=old.pk).update(created_at=now - dt.timedelta(hours=25))
    ExportJob.objects.filter(pk=stuck.pk).update(updated_at=now - dt.timedelta(hours=2))
    assert export_jobs.export_jobs_purge(now=now) == 1
    assert not ExportJob.objects.filter(pk=old.pk).exists()
    assert not os.path.exists(path)
    assert ExportJob.objects.get(pk=fresh.pk).status == ExportJobStatus.BUILDING
    stuck.refresh_from_db()
    assert stuck.status == ExportJobStatus.FAILED and "重新导出" in stuck.error
    # A job past its day is no longer anyone's to open, even before the purge runs.
    assert not export_jobs.jobs_of(people["compliance"]).filter(pk=old.pk).exists()
