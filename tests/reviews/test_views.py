"""The reviewer's pages: the queue (scope per role, filters, constant queries, bulk pass) and the review screen
(claim, pass, return with reasons and comments, refusals)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalogue.models import OrganizationKind, Role
from catalogue.services import local_item_build
from portal.navigation import navigation_for
from reviews.models import ReturnComment, ReturnReason, ReviewTask
from standards.models import ItemStandard
from standards.services import standard_start
from tests.factories import OrganizationFactory, UserFactory, member
from tests.reviews.conftest import complete, revision_of

QUEUE = reverse("reviews:queue")


def task_url(task, name="task"):
    return reverse(f"reviews:{name}", args=[task.pk])


@pytest.fixture
def staged(version, general, make_item, cast, flow):
    """One version waiting at each stage, all of 清城区教育局."""
    clerk = cast["clerk"]
    compliance = complete(clerk, make_item(general["sub1"]))
    legality = complete(clerk, make_item(general["sub2"]))
    for standard in (version, compliance, legality):
        flow(clerk, standard, "submit")
    for standard in (compliance, legality):
        flow(cast["depthead"], standard, "confirm")
    flow(cast["compliance"], legality, "pass_compliance")
    return {
        "dept_confirm": ReviewTask.objects.open().get(standard=version),
        "compliance": ReviewTask.objects.open().get(standard=compliance),
        "legality": ReviewTask.objects.open().get(standard=legality),
    }


def queue_ids(client, user, query=""):
    client.force_login(user)
    response = client.get(QUEUE + query)
    assert response.status_code == 200
    return {t.pk for t in response.context["page"].object_list}


def test_each_role_sees_its_own_stage(client, staged, cast):
    assert queue_ids(client, cast["depthead"]) == {staged["dept_confirm"].pk}
    assert queue_ids(client, cast["compliance"]) == {staged["compliance"].pk}
    assert queue_ids(client, cast["legality"]) == {staged["legality"].pk}
    assert queue_ids(client, cast["admin"]) == {t.pk for t in staged.values()}
    for outsider in ("clerk", "supervisor", "province", "qx_compliance", "qx_legality", "other_dept_head"):
        assert queue_ids(client, cast[outsider]) == set(), outsider


def test_guessing_a_task_id_outside_ones_scope_finds_nothing(client, staged, cast):
    for who, visible in (("depthead", "dept_confirm"), ("compliance", "compliance"), ("legality", "legality")):
        client.force_login(cast[who])
        for stage, task in staged.items():
            expected = 200 if stage == visible else 404
            assert client.get(task_url(task)).status_code == expected, (who, stage)
            if stage != visible:
                assert client.post(task_url(task, "claim")).status_code == 404
                assert client.post(task_url(task, "decide"), {"decision": "pass"}).status_code == 404
    client.force_login(cast["qx_compliance"])
    assert client.get(task_url(staged["compliance"])).status_code == 404
    assert client.get(reverse("reviews:task", args=[999999])).status_code == 404
    assert ItemStandard.objects.filter(state="compliance_review").count() == 1


def test_the_queue_is_for_staff(client, staged):
    assert client.get(QUEUE).status_code == 302
    client.force_login(UserFactory(username="nobody"))
    assert client.get(QUEUE).status_code == 403


def test_the_navigation_offers_the_queue_to_deciders(cast):
    def has_queue(user):
        return any(entry["url"] == QUEUE for entry in navigation_for(user))

    assert all(has_queue(cast[w]) for w in ("depthead", "compliance", "legality", "admin"))
    assert all(has_queue(cast[w]) for w in ("clerk", "supervisor"))  # the page serves them (an empty queue)


def test_filters_and_order(client, staged, cast, orgs, flow, general, make_item):
    admin = cast["admin"]
    assert queue_ids(client, admin, "?stage=legality") == {staged["legality"].pk}
    assert queue_ids(client, admin, "?division=441803") == set()
    assert len(queue_ids(client, admin, "?division=441802")) == 3
    assert len(queue_ids(client, admin, f"?department={orgs['edu'].pk}")) == 3
    assert queue_ids(client, admin, f"?department={orgs['other_dept'].pk}") == set()
    ReviewTask.objects.filter(pk=staged["compliance"].pk).update(due_at="2020-01-01T00:00:00Z")
    assert queue_ids(client, admin, "?overdue=1") == {staged["compliance"].pk}
    page = client.get(QUEUE)
    assert [t.pk for t in page.context["page"].object_list] == [
        staged["dept_confirm"].pk,
        staged["compliance"].pk,
        staged["legality"].pk,
    ]  # oldest first
    assert "已超期" in page.content.decode()


def test_the_queue_shows_who_claimed(client, staged, cast):
    client.force_login(cast["compliance"])
    client.post(task_url(staged["compliance"], "claim"))
    body = client.get(QUEUE).content.decode()
    assert "compliance" in body and "认领" in body
    assert queue_ids(client, cast["compliance"], "?claimed=mine") == {staged["compliance"].pk}
    assert queue_ids(client, cast["compliance"], "?claimed=none") == set()


def test_the_queue_costs_the_same_queries_for_20_or_100_rows(client, geo, orgs, general, people, cast):
    """25 tasks of 25 departments, some claimed: a page of 20 and a page of 25 (size 100) run the same queries."""
    reviewer = cast["compliance"]
    for n in range(25):
        department = OrganizationFactory(division=geo["qc"], name=f"清城区第{n}局")
        item = local_item_build(
            general_item=general["plain"], division=geo["qc"], organization=department, actor=people["province"]
        )
        member(people["clerk"], department, Role.CLERK)
        standard = standard_start(actor=people["clerk"], local_item=item)
        ItemStandard.objects.filter(pk=standard.pk).update(state="compliance_review")
        ReviewTask.objects.create(
            standard=standard,
            stage="compliance",
            organization=orgs["bianban"],
            division=geo["qc"],
            opened_at=f"2026-03-0{1 + n % 9}T08:00:00Z",
            due_at="2026-03-20T08:00:00Z",
            claimed_by=reviewer if n % 3 == 0 else None,
            finding_count=n % 2,
            citations_changed=False if n % 4 else None,
        )
    client.force_login(reviewer)
    client.get(QUEUE)  # warm the session and caches
    with CaptureQueriesContext(connection) as small:
        page20 = client.get(QUEUE + "?size=20")
    with CaptureQueriesContext(connection) as big:
        page100 = client.get(QUEUE + "?size=100")
    assert len(page20.context["page"].object_list) == 20 and len(page100.context["page"].object_list) == 25
    assert len(small) == len(big), [q["sql"] for q in big]
    assert len(big) <= 12, len(big)


def test_a_department_head_confirms_from_the_review_screen(client, staged, cast):
    task = staged["dept_confirm"]
    client.force_login(cast["depthead"])
    screen = client.get(task_url(task))
    body = screen.content.decode()
    assert screen.context["may_decide"] and "首次提交，无已发布版本" in body and "未发现问题" in body
    assert "提交" in body  # the transition history
    response = client.post(task_url(task, "decide"), {"decision": "pass", "note": "同意"})
    assert response.status_code == 302 and response["Location"] == QUEUE
    follow = client.get(QUEUE)
    assert "已通过" in follow.content.decode()
    task.refresh_from_db()
    assert task.decision == "pass" and task.note == "同意"
    assert ItemStandard.objects.get(pk=task.standard_id).state == "compliance_review"


def comment_post(decision="return", reasons=(), comments=(), note=""):
    data = {
        "decision": decision,
        "note": note,
        "reasons": [str(r.pk) for r in reasons],
        "comment-TOTAL_FORMS": "4",
        "comment-INITIAL_FORMS": "0",
        "comment-MIN_NUM_FORMS": "0",
        "comment-MAX_NUM_FORMS": "30",
    }
    for n, (reason, path, text) in enumerate(comments):
        data.update({f"comment-{n}-reason": str(reason.pk), f"comment-{n}-field_path": path, f"comment-{n}-text": text})
    return data


def test_a_reviewer_returns_with_reasons_and_field_comments(client, staged, cast):
    task = staged["compliance"]
    client.force_login(cast["compliance"])
    screen = client.get(task_url(task))
    options = dict(
        o for _g, group in screen.context["comment_forms"].forms[0].fields["field_path"].choices[1:] for o in group
    )
    assert "guide.address" in options and "materials[0]" in options and "citations" in options
    c06, c07 = ReturnReason.objects.get(code="C06"), ReturnReason.objects.get(code="C07")
    response = client.post(
        task_url(task, "decide"),
        comment_post(
            reasons=[c06],
            comments=[(c06, "guide.address", "请具体到窗口号"), (c07, "materials[0]", "请写明材料全称")],
            note="请按意见修改后重新提交",
        ),
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.decision == "return" and {r.code for r in task.reasons.all()} == {"C06", "C07"}
    assert sorted(ReturnComment.objects.values_list("field_path", "text")) == [
        ("guide.address", "请具体到窗口号"),
        ("materials[0]", "请写明材料全称"),
    ]
    assert ItemStandard.objects.get(pk=task.standard_id).state == "returned"
    # The closed task stays readable, with its comments named as the reviewer chose them.
    body = client.get(task_url(task)).content.decode()
    assert "请具体到窗口号" in body and "申请材料 · 第1项" in body


def test_a_return_without_reasons_is_refused_on_the_page(client, staged, cast):
    task = staged["compliance"]
    client.force_login(cast["compliance"])
    response = client.post(task_url(task, "decide"), comment_post(note="不合格"))
    assert response.status_code == 400 and "至少选择一项退回理由" in response.content.decode()
    assert ReviewTask.objects.get(pk=task.pk).is_open
    assert ItemStandard.objects.get(pk=task.standard_id).state == "compliance_review"
    # A comment without its reason is pointed out as well.
    response = client.post(task_url(task, "decide"), comment_post(comments=[]) | {"comment-0-text": "看不懂"})
    assert response.status_code == 400 and "请选择这条意见对应的退回理由" in response.content.decode()


def test_deciding_a_task_someone_else_decided_says_so_and_changes_nothing(client, staged, cast, colleagues):
    task = staged["compliance"]
    client.force_login(colleagues["compliance2"])
    client.get(task_url(task))  # the page is open in a second browser
    client.force_login(cast["compliance"])
    assert client.post(task_url(task, "decide"), {"decision": "pass"}).status_code == 302
    state = ItemStandard.objects.get(pk=task.standard_id).state
    client.force_login(colleagues["compliance2"])
    c01 = ReturnReason.objects.get(code="C01")
    response = client.post(task_url(task, "decide"), comment_post(reasons=[c01]))
    assert response.status_code == 409
    assert "已被他人处理" in response.content.decode()
    assert ItemStandard.objects.get(pk=task.standard_id).state == state
    assert ReviewTask.objects.get(pk=task.pk).decision == "pass" and not ReturnComment.objects.exists()


def test_claim_and_release_on_the_page(client, staged, cast, colleagues):
    task = staged["compliance"]
    client.force_login(cast["compliance"])
    assert client.post(task_url(task, "claim")).status_code == 302
    client.force_login(colleagues["compliance2"])
    screen = client.get(task_url(task))
    assert not screen.context["may_decide"] and "已由compliance认领" in screen.content.decode().replace(" ", "")
    client.post(task_url(task, "claim"), follow=True)
    assert ReviewTask.objects.get(pk=task.pk).claimed_by == cast["compliance"]
    response = client.post(task_url(task, "decide"), {"decision": "pass"})
    assert response.status_code == 409 and ReviewTask.objects.get(pk=task.pk).is_open
    client.force_login(cast["compliance"])
    client.post(task_url(task, "claim"), {"release": "1"})
    assert ReviewTask.objects.get(pk=task.pk).claimed_by is None


def test_the_review_screen_shows_the_diff_against_the_published_version(client, general, make_item, cast, flow):
    revision = revision_of(
        make_item(general["sub1"]),
        cast["clerk"],
        cast["admin"],
        scope="在本行政区域内举办中外合作学前教育机构的申请人。",
    )
    flow(cast["clerk"], revision, "submit")
    task = ReviewTask.objects.open().get(standard=revision)
    client.force_login(cast["depthead"])
    body = client.get(task_url(task)).content.decode()
    assert "变更概要" in body and "适用范围" in body and "举办中外合作学前教育机构" in body
    assert "首次提交，无已发布版本" not in body


def test_bulk_pass_from_the_queue(client, general, make_item, version, cast, flow):
    clean = revision_of(make_item(general["sub1"]), cast["clerk"], cast["admin"], promised_limit_note="压缩时限")
    for standard in (clean, version):
        flow(cast["clerk"], standard, "submit")
    tasks = {t.standard_id: t for t in ReviewTask.objects.open()}
    client.force_login(cast["depthead"])
    page = client.get(QUEUE)
    selectable = {t.pk for t in page.context["page"].object_list if t.selectable}
    assert selectable == {tasks[clean.pk].pk}
    assert "批量通过" in page.content.decode() and 'data-confirm="' in page.content.decode()
    response = client.post(
        reverse("reviews:bulk_pass"),
        {"task": [tasks[clean.pk].pk, tasks[version.pk].pk], "next": QUEUE + "?stage=dept_confirm"},
        follow=True,
    )
    body = response.content.decode()
    assert response.redirect_chain[-1][0] == QUEUE + "?stage=dept_confirm"
    assert "已批量通过 1 项" in body and "首次提交" in body
    assert ItemStandard.objects.get(pk=clean.pk).state == "compliance_review"
    assert ItemStandard.objects.get(pk=version.pk).state == "dept_confirm"


def test_bulk_pass_ignores_tasks_outside_ones_scope(client, staged, cast):
    client.force_login(cast["legality"])
    client.post(reverse("reviews:bulk_pass"), {"task": [staged["compliance"].pk]})
    assert ReviewTask.objects.get(pk=staged["compliance"].pk).is_open


def test_pages_have_no_inline_script_or_style(client, staged, cast):
    client.force_login(cast["compliance"])
    for url in (QUEUE, task_url(staged["compliance"])):
        body = client.get(url).content.decode()
        assert "<script>" not in body and " style=" not in body and " onclick=" not in body


def test_reviewing_bodies_are_organizations_of_the_right_kind(orgs):
    assert orgs["bianban"].kind == OrganizationKind.BIANBAN and orgs["justice"].kind == OrganizationKind.JUSTICE


def test_admin_pages(client, admin_user, staged):
    client.force_login(admin_user)
    reason = ReturnReason.objects.get(code="C02")
    task = staged["compliance"]
    for url in (
        reverse("admin:reviews_returnreason_changelist"),
        reverse("admin:reviews_returnreason_change", args=[reason.pk]),
        reverse("admin:reviews_reviewtask_changelist"),
        reverse("admin:reviews_reviewtask_change", args=[task.pk]),
    ):
        assert client.get(url).status_code == 200, url
    # The wording is editable; the code is not.
    response = client.post(
        reverse("admin:reviews_returnreason_change", args=[reason.pk]),
        {"category": "C", "text": "法律依据未具体到条款项", "active": "on", "order": "50", "code": "X99"},
    )
    assert response.status_code == 302
    reason.refresh_from_db()
    assert (reason.code, reason.text) == ("C02", "法律依据未具体到条款项")
