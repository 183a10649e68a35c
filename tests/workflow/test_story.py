"""The story page in words: field changes show labels, never stored codes, and each version says which rows it added,
removed, changed or moved against the version it was made from."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from standards.diff import diff_predecessors
from standards.models import GUIDE_ROWS, MANUAL_ROWS, ItemStandard, Material, StandardState
from standards.services import standard_start


def next_version(standard: ItemStandard, actor) -> ItemStandard:
    """Publish ``standard`` (bypassing the workflow) and start the next version, a copy of it."""
    ItemStandard.objects.filter(local_item=standard.local_item, state=StandardState.PUBLISHED).update(
        state=StandardState.SUPERSEDED
    )
    ItemStandard.objects.filter(pk=standard.pk).update(state=StandardState.PUBLISHED)
    standard.refresh_from_db()
    return standard_start(actor=actor, local_item=standard.local_item)


def story(client, standard) -> str:
    return client.get(reverse("flow:story", args=[standard.pk])).content.decode()


def test_guide_field_changes_show_labels_not_codes(client, version, cast):
    guide = version.guide
    guide.delivery_methods = ["window"]
    guide.service_objects = ["1", "2"]
    guide.save()
    client.force_login(cast["clerk"])
    page = story(client, version)
    assert "窗口领取、邮寄" in page and "自然人、企业法人" in page
    assert "[&#x27;window&#x27;" not in page and "&#x27;2&#x27;" not in page and "['window'" not in page


def test_each_version_lists_the_rows_it_changed_against_the_one_before(client, version, cast):
    v2 = next_version(version, cast["clerk"])
    Material.objects.create(standard=v2, position=99, name="安全生产承诺书", necessity="required")
    v2.steps.order_by("position").last().delete()
    first = v2.materials.order_by("position").first()
    first.copy_count = 3
    first.save()
    manual = v2.manual
    manual.issuer = "清远市清城区教育局（新）"
    manual.save()

    client.force_login(cast["clerk"])
    page = story(client, v2)
    assert "与第1版相比" in page
    assert "申请材料" in page and "新增1项、修改1项" in page and "安全生产承诺书" in page
    assert "复印件份数" in page  # the changed row names the fields it changed
    assert "办理环节" in page and "删除1项" in page
    assert "发布机构" in page  # the manual's fields
    assert f"?against={version.pk}" in page  # the full comparison, one click away


def test_an_unchanged_copy_says_so(client, version, cast):
    v2 = next_version(version, cast["clerk"])
    client.force_login(cast["clerk"])
    assert "均无变化" in story(client, v2)


def test_the_comparisons_of_every_version_load_in_a_fixed_number_of_queries(version, cast):
    v2 = next_version(version, cast["clerk"])
    v3 = next_version(v2, cast["clerk"])
    versions = list(ItemStandard.objects.filter(local_item=version.local_item))
    with CaptureQueriesContext(connection) as queries:
        diffs = diff_predecessors(versions)
    assert len(queries) == 2 + len(GUIDE_ROWS + MANUAL_ROWS)
    assert set(diffs) == {v2.pk, v3.pk}
    assert diffs[v3.pk].old == v2 and diffs[v2.pk].old == version
