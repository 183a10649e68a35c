"""Publish where you are told: the legality pass tells the publishers once, the 待发布 list holds exactly the approved
versions of their scope, and they publish with a confirmation, one by one or several at a time."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalogue.models import LocalItem, Role
from catalogue.services import local_item_build
from core.models import Notification
from reviews import notices, selectors
from reviews.services import standards_publish_bulk
from standards.models import ItemStandard, StandardState
from standards.services import standard_start
from tests.factories import OrganizationFactory, member
from workflow.models import StateTransition

QUEUE = reverse("reviews:publication_queue")


def publish_url(standard) -> str:
    return reverse("reviews:publish", args=[standard.pk])


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def approved(at_compliance, cast, flow):
    """The complete version, through every review: waiting to be published by 清城区编办."""
    flow(cast["compliance"], at_compliance, "pass_compliance")
    flow(cast["legality"], at_compliance, "pass_legality")
    at_compliance.refresh_from_db()
    assert at_compliance.state == StandardState.APPROVED
    return at_compliance


@pytest.fixture
def approve_directly(geo, general, people):
    """``approve_directly(division, organization)``: an approved version of a new item, set without the workflow, so
    that lists of many stay quick to build."""

    def build(division, organization, general_item=None) -> ItemStandard:
        item = local_item_build(
            general_item=general_item or general["plain"],
            division=division,
            organization=organization,
            actor=people["province"],
        )
        member(people["clerk"], organization, Role.CLERK)
        standard = standard_start(actor=people["clerk"], local_item=item)
        ItemStandard.objects.filter(pk=standard.pk).update(state=StandardState.APPROVED)
        standard.refresh_from_db()
        return standard

    return build


# --- the notification ----------------------------------------------------------------------------------------------


def test_the_legality_pass_tells_the_publishers_once(colleagues, approved, cast):
    told = Notification.objects.filter(kind=Notification.Kind.TO_PUBLISH)
    assert {n.recipient.username for n in told} == {"compliance", "compliance2"}
    notice = told.get(recipient=cast["compliance"])
    assert notice.url == publish_url(approved)
    assert approved.local_item.name in notice.shown_title and "待发布" in notice.shown_title
    record = StateTransition.objects.get(standard=approved, action="pass_legality")
    notices.transition_committed(approved.pk, record.pk)  # a replay tells nobody again
    assert told.count() == 2


def test_publishing_settles_every_publishers_notice(colleagues, approved, cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client_of(colleagues["compliance2"]).post(publish_url(approved), {})
    told = Notification.objects.filter(kind=Notification.Kind.TO_PUBLISH)
    assert told.count() == 2 and not told.filter(read_at__isnull=True).exists()


def test_nobody_else_is_told_to_publish(at_compliance, cast, flow):
    flow(cast["compliance"], at_compliance, "pass_compliance")
    assert not Notification.objects.filter(kind=Notification.Kind.TO_PUBLISH).exists()  # not approved yet


# --- the list ------------------------------------------------------------------------------------------------------


def test_the_list_holds_exactly_the_approved_versions_of_each_publishers_scope(
    approved, approve_directly, geo, orgs, people, general
):
    township = OrganizationFactory(division=geo["dc"], name="东城街道办事处")
    at_township = approve_directly(
        geo["dc"], township, general["township"]
    )  # a township's items are published by its county
    in_qx = approve_directly(geo["qx"], orgs["qx_edu"])
    draft = approve_directly(geo["qc"], orgs["other_dept"])
    ItemStandard.objects.filter(pk=draft.pk).update(state=StandardState.DRAFT)
    compliance, qx_compliance = people["compliance"], people["qx_compliance"]
    assert list(selectors.awaiting_publication(compliance)) == [approved, at_township]
    assert list(selectors.awaiting_publication(qx_compliance)) == [in_qx]
    for name in ("clerk", "depthead", "legality", "supervisor", "province"):
        assert not selectors.awaiting_publication(people[name]).exists(), name
    body = client_of(compliance).get(QUEUE).content.decode()
    assert approved.local_item.name in body and publish_url(approved) in body and publish_url(at_township) in body
    assert publish_url(in_qx) not in body and publish_url(draft) not in body


def test_the_list_runs_a_constant_number_of_queries(approve_directly, geo, orgs, people):
    client = client_of(people["compliance"])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(QUEUE).status_code == 200
        return len(queries)

    for _ in range(2):
        approve_directly(geo["qc"], OrganizationFactory(division=geo["qc"]))
    few = count()
    for _ in range(6):
        approve_directly(geo["qc"], OrganizationFactory(division=geo["qc"]))
    assert count() == few
    assert few <= 12, few


def test_only_publishers_open_the_list(people):
    assert client_of(people["compliance"]).get(QUEUE).status_code == 200
    for name in ("clerk", "depthead", "legality", "supervisor"):
        assert client_of(people[name]).get(QUEUE).status_code == 403, name


# --- publishing one ------------------------------------------------------------------------------------------------


def test_one_version_is_published_after_its_confirmation_page(approved, cast):
    item = approved.local_item
    client = client_of(cast["compliance"])
    page = client.get(publish_url(approved))
    assert page.status_code == 200
    body = page.content.decode()
    assert "确认发布第1版" in body and "首次发布" in body and 'method="post"' in body
    approved.refresh_from_db()
    assert approved.state == StandardState.APPROVED  # the page only asks

    response = client.post(publish_url(approved), {"note": "首次公开"})
    assert response["Location"] == QUEUE
    approved.refresh_from_db()
    assert approved.state == StandardState.PUBLISHED and approved.change_note == "首次公开"
    item = LocalItem.objects.get(pk=item.pk)
    assert (item.guide_version, item.guide_published_at) == (1, approved.published_at)
    assert StateTransition.objects.filter(standard=approved, action="publish", actor=cast["compliance"]).exists()
    assert Client().get(reverse("guides:guide", args=[item.code])).status_code == 200
    assert publish_url(approved) not in client.get(QUEUE).content.decode()
    again = client.get(publish_url(approved))  # no longer waiting: its page instead
    assert again["Location"] == reverse("standards:detail", args=[approved.pk])


def test_a_revision_says_which_version_it_replaces(approved, cast):
    client = client_of(cast["compliance"])
    client.post(publish_url(approved), {})
    second = standard_start(actor=cast["clerk"], local_item=approved.local_item)
    ItemStandard.objects.filter(pk=second.pk).update(state=StandardState.APPROVED)
    body = client.get(publish_url(second)).content.decode()
    assert "现行的第1版被替代" in body and "与第1版比较" in body
    assert "替代第1版" in client.get(QUEUE).content.decode()
    client.post(publish_url(second), {})
    approved.refresh_from_db()
    second.refresh_from_db()
    assert (approved.state, second.state) == (StandardState.SUPERSEDED, StandardState.PUBLISHED)
    assert second.change_note == ""  # none written: the version keeps its own
    item = LocalItem.objects.get(pk=approved.local_item_id)  # the item's copy follows the published version
    assert (item.guide_version, item.guide_published_at) == (2, second.published_at)


@pytest.mark.parametrize(
    ("who", "status"),
    [("clerk", 403), ("depthead", 403), ("legality", 403), ("admin", 403), ("province", 403), ("qx_compliance", 404)],
)
def test_others_are_refused_and_nothing_is_published(approved, cast, who, status):
    client = client_of(cast[who])
    assert client.get(publish_url(approved)).status_code == status
    assert client.post(publish_url(approved), {}).status_code == status
    approved.refresh_from_db()
    assert approved.state == StandardState.APPROVED
    item = LocalItem.objects.get(pk=approved.local_item_id)
    assert (item.guide_version, item.guide_published_at) == (None, None)


# --- publishing several --------------------------------------------------------------------------------------------


def test_several_are_confirmed_then_published_each_on_its_own(approve_directly, geo, orgs, people):
    first = approve_directly(geo["qc"], orgs["edu"])
    second = approve_directly(geo["qc"], orgs["other_dept"])
    outside = approve_directly(geo["qx"], orgs["qx_edu"])
    client = client_of(people["compliance"])
    url = reverse("reviews:publish_bulk")
    ids = [first.pk, second.pk, outside.pk]

    confirm = client.post(url, {"standard": ids})
    assert confirm.status_code == 200
    body = confirm.content.decode()
    assert "确认发布这 2 个版本" in body and first.local_item.name in body
    assert not ItemStandard.objects.filter(state=StandardState.PUBLISHED).exists()  # the confirmation only asks

    response = client.post(url, {"standard": ids, "confirm": "1"}, follow=True)
    states = dict(ItemStandard.objects.values_list("pk", "state"))
    assert (states[first.pk], states[second.pk], states[outside.pk]) == ("published", "published", "approved")
    assert "已发布 2 个版本" in response.content.decode()


def test_bulk_publication_skips_a_version_handled_meanwhile_with_the_reason(approve_directly, geo, orgs, people):
    first = approve_directly(geo["qc"], orgs["edu"])
    second = approve_directly(geo["qc"], orgs["other_dept"])
    ItemStandard.objects.filter(pk=first.pk).update(state=StandardState.PUBLISHED)  # published by a colleague
    published, skipped = standards_publish_bulk(actor=people["compliance"], standards=[first, second])
    assert [s.pk for s in published] == [second.pk]
    assert [s.standard.pk for s in skipped] == [first.pk] and "已发布" in skipped[0].reason


def test_bulk_publication_refuses_others(approve_directly, geo, orgs, people):
    standard = approve_directly(geo["qc"], orgs["edu"])
    url = reverse("reviews:publish_bulk")
    assert client_of(people["clerk"]).post(url, {"standard": [standard.pk], "confirm": "1"}).status_code == 403
    client_of(people["qx_compliance"]).post(url, {"standard": [standard.pk], "confirm": "1"})
    standard.refresh_from_db()
    assert standard.state == StandardState.APPROVED


def test_the_story_page_leads_to_the_confirmation_instead_of_publishing_at_once(approved, cast):
    body = client_of(cast["compliance"]).get(reverse("flow:story", args=[approved.pk])).content.decode()
    assert publish_url(approved) in body and "前往发布确认" in body
    assert 'name="action" value="publish"' not in body
