"""An import whose worker died is not "running" for ever: past the task's time limit the sweep marks it failed with
the reason, and the uploader starts it again from the stored file with one button."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from catalogue.models import CatalogueImport, ImportState, LocalItem
from catalogue.services.imports import catalogue_imports_fail_stale
from tests.catalogue.test_import import ZHONGSHAN
from tests.catalogue.test_import_views import _upload

LIMIT = dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)


def later() -> dt.datetime:
    return timezone.now() + LIMIT + dt.timedelta(minutes=1)


@pytest.fixture
def previewed(client, people, zhongshan):
    client.force_login(people["province"])
    _upload(client, ZHONGSHAN, name=ZHONGSHAN.name)
    return CatalogueImport.objects.get()


def test_a_run_within_the_time_limit_is_left_alone(previewed):
    CatalogueImport.objects.filter(pk=previewed.pk).update(state=ImportState.IMPORTING)
    assert catalogue_imports_fail_stale(now=timezone.now() + LIMIT - dt.timedelta(minutes=1)) == 0
    assert CatalogueImport.objects.get(pk=previewed.pk).state == ImportState.IMPORTING


def test_a_dead_import_fails_with_its_reason_and_the_uploader_restarts_it(client, people, previewed):
    client.post(reverse("catalogue:import_confirm", args=[previewed.pk]), {})
    # The worker died before it saved anything: the record says "importing", the catalogue is unchanged.
    CatalogueImport.objects.filter(pk=previewed.pk).update(state=ImportState.IMPORTING, counts={})
    assert catalogue_imports_fail_stale(now=later()) == 1
    record = CatalogueImport.objects.get(pk=previewed.pk)
    assert record.state == ImportState.FAILED and record.interrupted
    page = client.get(reverse("catalogue:import_detail", args=[record.pk])).content.decode()
    assert "超过任务时限" in page and reverse("catalogue:import_restart", args=[record.pk]) in page

    client.post(reverse("catalogue:import_restart", args=[record.pk]))
    record.refresh_from_db()
    assert record.state == ImportState.IMPORTED and record.counts["unchanged"] + record.counts["create"] == 40


def test_a_dead_preview_restarts_as_a_preview(client, previewed):
    CatalogueImport.objects.filter(pk=previewed.pk).update(state=ImportState.PREVIEWING)
    catalogue_imports_fail_stale(now=later())
    client.post(reverse("catalogue:import_restart", args=[previewed.pk]))
    assert CatalogueImport.objects.get(pk=previewed.pk).state == ImportState.PREVIEWED
    assert not LocalItem.objects.exists()


def test_a_failure_of_the_file_itself_offers_no_restart_and_others_cannot_restart(client, people, previewed):
    CatalogueImport.objects.filter(pk=previewed.pk).update(state=ImportState.FAILED, error="文件无法读取")
    page = client.get(reverse("catalogue:import_detail", args=[previewed.pk])).content.decode()
    assert reverse("catalogue:import_restart", args=[previewed.pk]) not in page
    client.post(reverse("catalogue:import_restart", args=[previewed.pk]))
    assert CatalogueImport.objects.get(pk=previewed.pk).state == ImportState.FAILED

    CatalogueImport.objects.filter(pk=previewed.pk).update(state=ImportState.PREVIEWING)
    catalogue_imports_fail_stale(now=later())
    client.force_login(people["compliance"])
    client.post(reverse("catalogue:import_restart", args=[previewed.pk]))
    assert CatalogueImport.objects.get(pk=previewed.pk).state == ImportState.FAILED
