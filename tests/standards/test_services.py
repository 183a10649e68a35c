from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from core.exceptions import ConflictError
from standards.models import ItemStandard, StandardState
from standards.services import standard_publish, standard_save, standard_start


def test_first_version_is_prefilled_from_the_catalogue(local_items, people, general):
    standard = standard_start(actor=people["clerk"], local_item=local_items["qc"])
    assert standard.version == 1 and standard.state == StandardState.DRAFT
    assert standard.guide.item_name == general["plain"].name
    assert standard.guide.accepting_body == "清城区教育局"
    (citation,) = standard.citations.all()
    assert (citation.role, citation.law_name, citation.article_ref) == ("founding", "《教师资格条例》", "第十三条")
    assert standard.history.first().history_user == people["clerk"]


def test_only_the_items_department_may_start_a_standard(local_items, people):
    for who in ("qx_clerk", "compliance", "supervisor"):
        with pytest.raises(PermissionDenied):
            standard_start(actor=people[who], local_item=local_items["qc"])
    assert not ItemStandard.objects.exists()


def test_one_version_in_progress_at_a_time(standard, people, local_items):
    with pytest.raises(ConflictError):
        standard_start(actor=people["clerk"], local_item=local_items["qc"])
    with pytest.raises(IntegrityError), transaction.atomic():
        ItemStandard.objects.create(local_item=local_items["qc"], version=2)


def test_a_save_against_an_old_revision_is_refused_and_writes_nothing(standard, people):
    written = []
    standard_save(actor=people["clerk"], standard=standard, expected_revision=1, write=written.append)
    standard.refresh_from_db()
    assert standard.revision == 2 and len(written) == 1
    with pytest.raises(ConflictError, match="保存冲突"):
        standard_save(actor=people["depthead"], standard=standard, expected_revision=1, write=written.append)
    assert len(written) == 1


def test_other_departments_cannot_save(standard, people):
    with pytest.raises(PermissionDenied):
        standard_save(actor=people["qx_clerk"], standard=standard, expected_revision=1, write=lambda s: None)


def _approve(standard):
    ItemStandard.objects.filter(pk=standard.pk).update(state=StandardState.APPROVED)


def test_publishing_replaces_the_published_version_atomically(standard, people, local_items):
    _approve(standard)
    first = standard_publish(actor=people["depthead"], standard=standard)
    assert first.state == StandardState.PUBLISHED and first.change_note == "首次发布"
    second = standard_start(actor=people["clerk"], local_item=local_items["qc"])
    assert second.based_on_id == first.pk and second.materials.count() == first.materials.count()
    _approve(second)
    standard_publish(actor=people["depthead"], standard=second, change_note="调整承诺时限")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == (StandardState.SUPERSEDED, StandardState.PUBLISHED)
    assert second.change_note == "调整承诺时限"
    assert ItemStandard.objects.filter(local_item=local_items["qc"], state=StandardState.PUBLISHED).count() == 1


def test_only_an_approved_version_can_be_published(standard, people):
    with pytest.raises(ConflictError):
        standard_publish(actor=people["depthead"], standard=standard)
    standard.refresh_from_db()
    assert standard.state == StandardState.DRAFT


def test_cancelling_the_item_withdraws_its_standards_with_the_reason(standard, people, local_items, geo):
    import datetime as dt

    from catalogue.services import ChangeDocument, catalog_change_apply

    _approve(standard)
    standard_publish(actor=people["depthead"], standard=standard)
    revision = standard_start(actor=people["clerk"], local_item=local_items["qc"])
    catalog_change_apply(
        actor=people["compliance"],
        kind="cancel",
        scope=geo["qc"],
        document=ChangeDocument("清编办〔2026〕8号", "关于取消部分实施事项的通知", dt.date(2026, 6, 1)),
        effective_date=dt.date(2026, 6, 1),
        reason="职能调整",
        local_items=[local_items["qc"]],
    )
    for s in (standard, revision):
        s.refresh_from_db()
        assert s.state == StandardState.WITHDRAWN and "职能调整" in s.withdrawn_reason and s.withdrawn_at
        assert s.history.first().history_user == people["compliance"]
    page = Client().get(reverse("guides:guide", args=[local_items["qc"].code]))
    assert page.status_code == 410 and "职能调整" in page.content.decode()
