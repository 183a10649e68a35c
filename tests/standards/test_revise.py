"""修订 from where the staff stand: the standards list, the standard's page and the item's page offer it to whoever may
start a version, lead to the start page that says what it does, and its POST makes a copy while the public keeps
seeing the published version."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from standards.models import ItemStandard, ServiceGuide, StandardState
from tests.reviews.conftest import publish
from tests.standards.factories import complete_standard

START = "standards:start"


@pytest.fixture
def published(local_items, people):
    """清城区教育局's standard, published as version 1."""
    return publish(complete_standard(people["clerk"], local_items["qc"]), people["province"])


def page(user, url: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def start_url(item) -> str:
    return reverse(START, args=[item.pk])


@pytest.mark.parametrize("who", ["clerk", "depthead"])
def test_the_department_is_offered_revise_on_the_list_the_standard_and_the_item(who, published, people):
    item, user = published.local_item, people[who]
    for url in (
        reverse("standards:list"),
        reverse("standards:detail", args=[published.pk]),
        reverse("catalogue:local_detail", args=[item.pk]),
    ):
        body = page(user, url)
        assert start_url(item) in body, url
        assert "修订" in body, url


@pytest.mark.parametrize("who", ["compliance", "legality", "supervisor", "province", "qx_clerk"])
def test_others_are_not_offered_revise_nor_start(who, published, local_items, people):
    user = people[who]
    for url in (
        reverse("standards:list"),
        reverse("standards:detail", args=[published.pk]),
        reverse("catalogue:local_detail", args=[published.local_item.pk]),
    ):
        client = Client()
        client.force_login(user)
        response = client.get(url)
        if response.status_code != 200:  # 清新区's clerk does not see 清城区's items at all
            continue
        body = response.content.decode()
        assert start_url(published.local_item) not in body, (who, url)
        assert start_url(local_items["qc_sub"]) not in body, (who, url)  # 开始编写 of an item without a standard


def test_no_revise_while_a_version_is_in_progress(published, people):
    item = published.local_item
    client = Client()
    client.force_login(people["clerk"])
    assert client.post(start_url(item), {"mode": "blank"}).status_code == 302
    for url in (
        reverse("standards:list"),
        reverse("standards:detail", args=[published.pk]),
        reverse("catalogue:local_detail", args=[item.pk]),
    ):
        assert start_url(item) not in page(people["clerk"], url), url


def test_the_start_page_explains_the_copy_and_that_the_public_keeps_the_published_version(published, people):
    body = page(people["clerk"], start_url(published.local_item))
    assert "将复制第1版（现行公开版本）的全部内容，生成第2版草稿供您修改。" in body
    assert "发布之前，公众继续看到第1版" in body
    assert "确认修订，生成第2版草稿" in body
    assert 'method="post"' in body


def test_revise_posts_a_copy_and_the_public_keeps_seeing_the_published_version(published, people):
    item = published.local_item
    old_phone = published.guide.consult_phone
    client = Client()
    client.force_login(people["clerk"])
    assert client.get(start_url(item)).status_code == 200
    assert ItemStandard.objects.filter(local_item=item).count() == 1  # GET only asks

    response = client.post(start_url(item), {"mode": "blank"})
    draft = ItemStandard.objects.get(local_item=item, version=2)
    assert response["Location"] == reverse("standards:edit", args=[draft.pk])
    assert draft.state == StandardState.DRAFT and draft.based_on_id == published.pk
    assert draft.guide.consult_phone == old_phone and draft.materials.count() == published.materials.count()

    ServiceGuide.objects.filter(standard=draft).update(consult_phone="0763-9999999")
    public = Client().get(reverse("guides:guide", args=[item.code])).content.decode()
    assert old_phone in public and "0763-9999999" not in public
    published.refresh_from_db()
    assert published.state == StandardState.PUBLISHED


def test_others_are_refused_the_start_post(published, people):
    client = Client()
    client.force_login(people["compliance"])
    assert client.post(start_url(published.local_item), {"mode": "blank"}).status_code == 403
    assert ItemStandard.objects.filter(local_item=published.local_item).count() == 1
