"""The review services: deciding (pass, return with reasons and field comments), claiming, bulk passing, and the
refusals that leave everything as it was."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.exceptions import ConflictError
from reviews import selectors
from reviews.models import Decision, ReturnComment, ReturnReason, ReviewTask
from reviews.services import (
    CommentInput,
    review_bulk_pass,
    review_task_claim,
    review_task_decide,
    review_task_release,
)
from standards.models import Citation, ItemStandard, Material
from tests.reviews.conftest import revision_of
from workflow.models import StateTransition


def reason(code: str) -> ReturnReason:
    return ReturnReason.objects.get(code=code)


def open_task(standard) -> ReviewTask:
    return ReviewTask.objects.open().get(standard=standard)


def test_a_pass_moves_the_version_on_and_opens_the_next_task(at_compliance, cast):
    task = open_task(at_compliance)
    decided = review_task_decide(actor=cast["compliance"], task=task, decision="pass", note="符合要求")
    assert (decided.decision, decided.decided_by, decided.note) == ("pass", cast["compliance"], "符合要求")
    assert ItemStandard.objects.get(pk=at_compliance.pk).state == "legality_review"
    assert decided.closing_transition == StateTransition.objects.latest("id")
    assert decided.closing_transition.action == "pass_compliance"
    assert open_task(at_compliance).stage == "legality"  # opened in the same transaction, before any commit hook


def test_a_return_keeps_reasons_and_comments_by_field(at_compliance, cast):
    task = open_task(at_compliance)
    review_task_decide(
        actor=cast["compliance"],
        task=task,
        decision="return",
        reasons=[reason("C06")],
        comments=[
            CommentInput(reason("C02"), "citations[0]", "请写明具体条款"),
            (reason("C07"), "materials[1].name", "材料名称过于笼统"),
            CommentInput(reason("C06"), "guide.consult_phone", "咨询电话缺少区号"),
        ],
    )
    task.refresh_from_db()
    version = ItemStandard.objects.get(pk=at_compliance.pk)
    assert version.state == "returned" and version.return_count == 1
    assert task.decision == Decision.RETURN
    assert sorted(r.code for r in task.reasons.all()) == ["C02", "C06", "C07"]
    # No note written: the reasons are the note of the transition.
    record = StateTransition.objects.latest("id")
    assert record.action == "return_compliance" and "C02" in record.note and "C07" in record.note
    stored = {c.field_path: c for c in ReturnComment.objects.filter(task=task)}
    assert set(stored) == {"citations[0]", "materials[1].name", "guide.consult_phone"}
    second_material = Material.objects.filter(standard=version).order_by("position", "id")[1]
    assert stored["materials[1].name"].row_uid == second_material.uid
    assert stored["guide.consult_phone"].row_uid is None


def test_the_author_sees_the_last_returns_comments_by_field(at_compliance, cast):
    task = open_task(at_compliance)
    review_task_decide(
        actor=cast["compliance"],
        task=task,
        decision="return",
        reasons=[reason("F02")],
        comments=[
            CommentInput(reason("C07"), "materials[1]", "材料名称过于笼统"),
            CommentInput(reason("C06"), "guide.address", "地址请具体到窗口"),
            CommentInput(reason("C08"), "", "条件表述请逐条列明"),
        ],
        note="请按意见修改",
    )
    returned = ItemStandard.objects.get(pk=at_compliance.pk)
    comments = selectors.open_return_comments(returned)
    assert set(comments) == {"materials[1]", "guide.address", ""}
    assert [c.text for c in comments["guide.address"]] == ["地址请具体到窗口"]
    # A reason ticked without a comment is shown with the standard as a whole.
    assert {c.reason.code for c in comments[""]} == {"C08", "F02"}
    # The author moves the commented material to the top: the comment follows the row.
    rows = list(Material.objects.filter(standard=at_compliance).order_by("position", "id"))
    Material.objects.filter(pk=rows[0].pk).update(position=rows[-1].position + 1)
    assert "materials[0]" in selectors.open_return_comments(returned)
    # Deleted: the comment goes to the list.
    Material.objects.filter(pk=rows[1].pk).delete()
    assert "materials" in selectors.open_return_comments(returned)


def test_no_comments_unless_the_version_is_back_with_its_authors(at_compliance, cast, flow):
    assert selectors.open_return_comments(at_compliance) == {}
    review_task_decide(
        actor=cast["compliance"], task=open_task(at_compliance), decision="return", reasons=[reason("C01")]
    )
    returned = ItemStandard.objects.get(pk=at_compliance.pk)
    assert selectors.open_return_comments(returned)[""][0].reason.code == "C01"
    flow(cast["clerk"], returned, "submit")
    assert selectors.open_return_comments(ItemStandard.objects.get(pk=at_compliance.pk)) == {}


def test_a_return_without_a_reason_is_refused_and_changes_nothing(at_compliance, cast):
    task = open_task(at_compliance)
    before = StateTransition.objects.count()
    with pytest.raises(ValidationError) as refused:
        review_task_decide(actor=cast["compliance"], task=task, decision="return", note="请修改")
    assert "至少选择一项退回理由" in str(refused.value)
    assert ItemStandard.objects.get(pk=at_compliance.pk).state == "compliance_review"
    assert StateTransition.objects.count() == before and open_task(at_compliance) == task


@pytest.mark.parametrize("path", ["guide.no_such_field", "materials[x]", "nonsense[0]", "guide", "manual.foo.bar"])
def test_a_comment_on_a_field_that_does_not_exist_is_refused(at_compliance, cast, path):
    with pytest.raises(ValidationError):
        review_task_decide(
            actor=cast["compliance"],
            task=open_task(at_compliance),
            decision="return",
            comments=[CommentInput(reason("C02"), path, "?")],
        )
    assert ItemStandard.objects.get(pk=at_compliance.pk).state == "compliance_review"
    assert not ReturnComment.objects.exists()


def test_an_inactive_reason_is_refused(at_compliance, cast):
    ReturnReason.objects.filter(code="L05").update(active=False)
    with pytest.raises(ValidationError):
        review_task_decide(
            actor=cast["compliance"], task=open_task(at_compliance), decision="return", reasons=[reason("L05")]
        )


def test_only_the_stages_reviewers_decide_and_never_their_own_work(at_compliance, cast):
    task = open_task(at_compliance)
    for who in ("legality", "qx_compliance", "depthead", "admin", "supervisor"):
        with pytest.raises(PermissionDenied):
            review_task_decide(actor=cast[who], task=task, decision="pass")
        with pytest.raises(PermissionDenied):
            review_task_claim(actor=cast[who], task=task)
    assert ItemStandard.objects.get(pk=at_compliance.pk).state == "compliance_review"


def test_a_decided_task_cannot_be_decided_again(at_compliance, cast, colleagues):
    task = open_task(at_compliance)
    review_task_decide(actor=cast["compliance"], task=task, decision="pass")
    before = (StateTransition.objects.count(), ItemStandard.objects.get(pk=at_compliance.pk).state)
    for decision in ("pass", "return"):
        with pytest.raises(ConflictError) as late:
            review_task_decide(actor=colleagues["compliance2"], task=task, decision=decision, reasons=[reason("C01")])
        assert "已被他人处理" in late.value.message and "compliance" in late.value.message
    assert (StateTransition.objects.count(), ItemStandard.objects.get(pk=at_compliance.pk).state) == before
    assert not ReturnComment.objects.exists()


def test_a_version_moved_on_elsewhere_is_not_decided_twice(at_compliance, cast):
    """The workflow page passed it meanwhile and the after-commit hook has not run (yet): the workflow's own state
    check refuses."""
    from reviews.services import standard_transition

    task = open_task(at_compliance)
    standard_transition(actor=cast["compliance"], standard=at_compliance, action="pass_compliance")
    with pytest.raises(ConflictError) as late:
        review_task_decide(actor=cast["compliance"], task=task, decision="pass")
    assert "已被他人处理" in late.value.message
    assert StateTransition.objects.filter(action="pass_compliance").count() == 1


def test_claims(at_compliance, cast, colleagues):
    task = open_task(at_compliance)
    claimed = review_task_claim(actor=cast["compliance"], task=task)
    assert claimed.claimed_by == cast["compliance"] and claimed.claimed_at
    assert review_task_claim(actor=cast["compliance"], task=task).claimed_by == cast["compliance"]  # again: no-op
    with pytest.raises(ConflictError) as taken:
        review_task_claim(actor=colleagues["compliance2"], task=task)
    assert "compliance" in taken.value.message and "认领" in taken.value.message
    with pytest.raises(ConflictError):
        review_task_decide(actor=colleagues["compliance2"], task=task, decision="pass")
    with pytest.raises(PermissionDenied):
        review_task_release(actor=colleagues["compliance2"], task=task)
    assert open_task(at_compliance).claimed_by == cast["compliance"]
    review_task_release(actor=cast["compliance"], task=task)
    assert open_task(at_compliance).claimed_by is None
    review_task_claim(actor=colleagues["compliance2"], task=task)
    review_task_decide(actor=colleagues["compliance2"], task=task, decision="pass")
    with pytest.raises(ConflictError):
        review_task_claim(actor=cast["compliance"], task=task)


def test_an_administrator_may_release_an_absent_colleagues_claim(at_compliance, cast):
    task = review_task_claim(actor=cast["compliance"], task=open_task(at_compliance))
    review_task_release(actor=cast["admin"], task=task)
    assert open_task(at_compliance).claimed_by is None


def test_an_author_may_not_claim_their_own_work(version, cast, flow):
    guide = version.guide
    guide.hall_name = "部门负责人也改过"
    guide._history_user = cast["depthead"]
    guide.save()
    flow(cast["clerk"], version, "submit")
    with pytest.raises(PermissionDenied) as refused:
        review_task_claim(actor=cast["depthead"], task=open_task(version))
    assert "自己编写" in str(refused.value)


@pytest.fixture
def bulk_cases(version, general, make_item, cast, flow):
    """Four versions waiting for 清城区编办: a revision that only changed the promised limit note (eligible), a first
    submission, a revision with a changed citation, and a revision with a finding."""
    clerk, admin = cast["clerk"], cast["admin"]
    eligible = revision_of(make_item(general["sub1"]), clerk, admin, promised_limit_note="2026年起压缩")
    citation = revision_of(make_item(general["sub2"]), clerk, admin)
    Citation.objects.filter(standard=citation).update(article_ref="第十三条")
    finding = revision_of(make_item(general["township"]), clerk, admin)
    cases = {"eligible": eligible, "first": version, "citation": citation, "finding": finding}
    for standard in cases.values():
        flow(clerk, standard, "submit")
        flow(cast["depthead"], standard, "confirm")
    # A C06 finding slipped in after submission (e.g. a rule tightened since).
    finding.guide.consult_phone = "3362001"
    finding.guide.save()
    return cases


def test_bulk_pass_passes_only_clean_unchanged_versions(bulk_cases, cast):
    tasks = {name: open_task(s) for name, s in bulk_cases.items()}
    assert tasks["eligible"].bulk_eligible and not tasks["first"].bulk_eligible
    assert tasks["citation"].citations_changed is True
    passed, skipped = review_bulk_pass(actor=cast["compliance"], tasks=list(tasks.values()))
    assert [t.pk for t in passed] == [tasks["eligible"].pk]
    why = {s.task.pk: s.reason for s in skipped}
    assert "首次提交" in why[tasks["first"].pk]
    assert "法律依据与已发布版本不同" in why[tasks["citation"].pk]
    assert "质量检查" in why[tasks["finding"].pk]
    states = {name: ItemStandard.objects.get(pk=s.pk).state for name, s in bulk_cases.items()}
    assert states == {
        "eligible": "legality_review",
        "first": "compliance_review",
        "citation": "compliance_review",
        "finding": "compliance_review",
    }


def test_bulk_pass_asks_the_workflow_who_may_pass(bulk_cases, cast):
    task = open_task(bulk_cases["eligible"])
    passed, skipped = review_bulk_pass(actor=cast["legality"], tasks=[task])
    assert passed == [] and "权限" in skipped[0].reason
    assert ItemStandard.objects.get(pk=bulk_cases["eligible"].pk).state == "compliance_review"


def test_complete_standard_has_no_findings(version):
    """The premise of the bulk tests: the factory's standard is clean."""
    from standards.checks import run_checks

    assert run_checks(version) == []
