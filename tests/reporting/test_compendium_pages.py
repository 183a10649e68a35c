"""The compendium pages: who may compile what (views and services), predicate and queryset twin, the background
build with its progress, the print page, and the queries per item."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reporting.compendium import permissions, services
from reporting.compendium.content import for_print, iter_standards, section
from reporting.models import Compendium, CompendiumKind, CompendiumStatus
from standards.models import ItemStandard

from .compendium_helpers import published_items

pytestmark = pytest.mark.django_db


@pytest.fixture
def edu(people, geo, sector, orgs, admin_user):
    return published_items(people, geo, sector, orgs["edu"], 3, writer=admin_user)


@pytest.fixture
def other(people, geo, sector, orgs, admin_user):
    return published_items(people, geo, sector, orgs["other_dept"], 1, writer=admin_user, prefix="民政事项")


# --- permissions ------------------------------------------------------------------------------------------------


def test_the_page_opens_for_supervisors_department_heads_and_admins_only(people, client, admin_user):
    url = reverse("reporting:compendium")
    for name, status in (("supervisor", 200), ("depthead", 200), ("clerk", 403), ("compliance", 403)):
        client.force_login(people[name])
        assert client.get(url).status_code == status, name
    client.force_login(admin_user)
    assert client.get(url).status_code == 200


def test_a_department_head_compiles_their_own_department_only(edu, other, people, orgs, geo):
    head = people["depthead"]
    assert services.compendium_create(actor=head, kind=CompendiumKind.DEPARTMENT, organization=orgs["edu"])
    with pytest.raises(PermissionDenied):
        services.compendium_create(actor=head, kind=CompendiumKind.DEPARTMENT, organization=orgs["other_dept"])
    with pytest.raises(PermissionDenied):
        services.compendium_create(actor=head, kind=CompendiumKind.DIVISION, division=geo["qc"])
    with pytest.raises(PermissionDenied):
        services.compendium_create(actor=head, kind=CompendiumKind.PICKED, item_ids=[other[0].local_item_id])


def test_a_supervisor_compiles_their_subtree(edu, people, geo):
    supervisor = people["supervisor"]  # 清远市编办
    compendium = services.compendium_create(actor=supervisor, kind=CompendiumKind.DIVISION, division=geo["qc"])
    assert compendium.item_count == 3 and compendium.standard_ids == [s.pk for s in edu]
    with pytest.raises(PermissionDenied):
        services.compendium_create(actor=supervisor, kind=CompendiumKind.DIVISION, division=geo["dg"])


def test_a_scope_without_published_standards_is_refused_with_a_message(people, geo):
    with pytest.raises(ValidationError) as refused:
        services.compendium_create(actor=people["supervisor"], kind=CompendiumKind.DIVISION, division=geo["qx"])
    assert "没有已发布的审批标准" in str(refused.value)


def test_predicate_and_queryset_twin_agree(edu, other, people, orgs, geo, admin_user):
    made = [
        services.compendium_create(actor=admin_user, kind=CompendiumKind.DIVISION, division=geo["qc"]),
        services.compendium_create(actor=admin_user, kind=CompendiumKind.DEPARTMENT, organization=orgs["edu"]),
        services.compendium_create(actor=admin_user, kind=CompendiumKind.DEPARTMENT, organization=orgs["other_dept"]),
    ]
    for user in [*people.values(), admin_user]:
        listed = set(permissions.compendiums_for(user).values_list("pk", flat=True))
        assert listed == {c.pk for c in made if permissions.can_read_compendium(user, c)}, user
    head = set(permissions.compendiums_for(people["depthead"]).values_list("pk", flat=True))
    assert head == {made[1].pk}


def test_someone_elses_compendium_is_a_404(edu, other, people, orgs, client, admin_user):
    theirs = services.compendium_create(
        actor=admin_user, kind=CompendiumKind.DEPARTMENT, organization=orgs["other_dept"]
    )
    services.compendium_build(compendium_id=theirs.pk)
    client.force_login(people["depthead"])
    for name in ("compendium_download", "compendium_print", "compendium_status"):
        assert client.get(reverse(f"reporting:{name}", args=[theirs.pk])).status_code == 404, name
    client.force_login(people["supervisor"])
    assert client.get(reverse("reporting:compendium_download", args=[theirs.pk])).status_code == 200


# --- the form, the build, the progress ----------------------------------------------------------------------------


def test_a_small_compendium_is_built_at_once_and_downloads(edu, people, orgs, client):
    client.force_login(people["depthead"])
    response = client.post(reverse("reporting:compendium"), {"kind": "department", "organization": orgs["edu"].pk})
    assert response.status_code == 302
    compendium = Compendium.objects.get()
    assert compendium.status == CompendiumStatus.READY and compendium.task_id == ""
    download = client.get(reverse("reporting:compendium_download", args=[compendium.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")


def test_a_large_compendium_is_a_background_job_with_progress(edu, people, orgs, client, settings):
    settings.COMPENDIUM_SYNC_LIMIT = 2  # three items: queued (Celery runs eagerly in the tests)
    client.force_login(people["depthead"])
    client.post(reverse("reporting:compendium"), {"kind": "department", "organization": orgs["edu"].pk})
    compendium = Compendium.objects.get()
    assert compendium.task_id  # went through the queue
    assert compendium.status == CompendiumStatus.READY and compendium.percent == 100
    status = client.get(reverse("reporting:compendium_status", args=[compendium.pk])).content.decode()
    assert "hx-get" not in status and "下载 Word" in status


def test_the_build_reports_its_progress_on_the_record(edu, people, orgs):
    compendium = services.compendium_create(
        actor=people["depthead"], kind=CompendiumKind.DEPARTMENT, organization=orgs["edu"]
    )
    seen = []

    def progress(percent, message):
        seen.append((percent, Compendium.objects.get(pk=compendium.pk).percent))

    services.compendium_build(compendium_id=compendium.pk, progress=progress)
    percents = [p for p, _stored in seen]
    assert percents == sorted(percents) and percents[-1] == 100
    stored = [s for _p, s in seen]
    assert any(0 < s < 100 for s in stored)  # the page sees the build move


def test_a_building_compendium_is_polled(edu, people, orgs, client):
    compendium = services.compendium_create(
        actor=people["depthead"], kind=CompendiumKind.DEPARTMENT, organization=orgs["edu"]
    )
    Compendium.objects.filter(pk=compendium.pk).update(percent=40)
    client.force_login(people["depthead"])
    status = client.get(reverse("reporting:compendium_status", args=[compendium.pk])).content.decode()
    assert "hx-get" in status and "40%" in status


def test_a_failed_compendium_restarts(edu, people, orgs, client):
    compendium = services.compendium_create(
        actor=people["depthead"], kind=CompendiumKind.DEPARTMENT, organization=orgs["edu"]
    )
    services.compendium_failed(compendium_id=compendium.pk, error="worker lost")
    client.force_login(people["depthead"])
    assert client.post(reverse("reporting:compendium_restart", args=[compendium.pk])).status_code == 302
    compendium.refresh_from_db()
    assert compendium.status == CompendiumStatus.READY
    with pytest.raises(ValidationError):
        services.compendium_restart(actor=people["depthead"], compendium=compendium)


def test_bad_input_is_a_message_at_the_field(people, client):
    client.force_login(people["depthead"])
    response = client.post(reverse("reporting:compendium"), {"kind": "picked", "items": ["abc"]})
    assert response.status_code == 200
    assert "事项选择无效" in response.content.decode()
    response = client.post(reverse("reporting:compendium"), {"kind": "department"})
    assert "请选择部门" in response.content.decode()
    assert not Compendium.objects.exists()


def test_picking_searches_the_items_one_may_compile(edu, other, people, client):
    client.force_login(people["depthead"])
    body = client.get(reverse("reporting:compendium"), {"q": "事项"}).content.decode()
    assert "汇编测试事项000" in body and "民政事项000" not in body


def test_the_print_page_shows_every_item_with_guide_manual_and_flowchart(edu, people, orgs, client):
    compendium = services.compendium_create(
        actor=people["depthead"], kind=CompendiumKind.DEPARTMENT, organization=orgs["edu"]
    )
    client.force_login(people["depthead"])
    body = client.get(reverse("reporting:compendium_print", args=[compendium.pk])).content.decode()
    for n, standard in enumerate(edu, start=1):
        assert f"{n}. {standard.local_item.name}" in body
    assert body.count('class="compendium-item"') == 3
    assert body.count("<svg") >= 3 and "窗口受理岗" in body and "申请材料" in body


def test_a_compendium_too_large_for_one_page_sends_the_reader_to_the_word_file(edu, people, orgs, client, settings):
    compendium = services.compendium_create(
        actor=people["depthead"], kind=CompendiumKind.DEPARTMENT, organization=orgs["edu"]
    )
    client.force_login(people["depthead"])
    settings.COMPENDIUM_SYNC_LIMIT = 2  # three items: more than one page may draw
    response = client.get(reverse("reporting:compendium_print", args=[compendium.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("reporting:compendium")
    assert "请下载 Word 文件打印" in response.content.decode()
    settings.COMPENDIUM_SYNC_LIMIT = 3  # quiet: within the limit, the page draws
    assert client.get(reverse("reporting:compendium_print", args=[compendium.pk])).status_code == 200


def test_a_compendium_whose_worker_died_fails_past_the_time_limit_and_restarts(edu, people, orgs, client):
    compendium = services.compendium_create(
        actor=people["depthead"], kind=CompendiumKind.DEPARTMENT, organization=orgs["edu"]
    )
    limit = dt.timedelta(seconds=django_settings.CELERY_TASK_TIME_LIMIT)
    assert services.compendiums_fail_stale(now=timezone.now() + limit - dt.timedelta(minutes=1)) == 0
    assert Compendium.objects.get(pk=compendium.pk).status == CompendiumStatus.BUILDING
    assert services.compendiums_fail_stale(now=timezone.now() + limit + dt.timedelta(minutes=1)) == 1
    failed = Compendium.objects.get(pk=compendium.pk)
    assert failed.status == CompendiumStatus.FAILED and "超过任务时限" in failed.error
    client.force_login(people["depthead"])
    client.post(reverse("reporting:compendium_restart", args=[compendium.pk]))
    assert Compendium.objects.get(pk=compendium.pk).status == CompendiumStatus.READY


# --- queries -----------------------------------------------------------------------------------------------------


def _queries_to_build(ids) -> int:
    with CaptureQueriesContext(connection) as queries:
        for n, standard in enumerate(iter_standards(ids), start=1):
            section(n, standard)
    return len(queries)


def test_the_queries_of_a_chunk_do_not_grow_with_its_items(people, geo, sector, orgs, admin_user):
    standards = published_items(people, geo, sector, orgs["edu"], 6, writer=admin_user)
    ids = [s.pk for s in standards]
    assert _queries_to_build(ids[:2]) == _queries_to_build(ids)
    assert _queries_to_build(ids) <= 20
    assert for_print(ItemStandard.objects.filter(pk__in=ids)).count() == 6


def test_the_list_page_runs_the_same_queries_whatever_the_number_of_compendiums(edu, people, orgs, client):
    def make():
        c = services.compendium_create(
            actor=people["depthead"], kind=CompendiumKind.DEPARTMENT, organization=orgs["edu"]
        )
        return services.compendium_build(compendium_id=c.pk)

    make()
    client.force_login(people["supervisor"])
    url = reverse("reporting:compendium")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    one = count()
    make(), make()
    assert count() == one
