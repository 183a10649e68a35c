"""Review tasks follow the workflow: opened when a version enters a review stage, closed with the decision that moves
it on — through the after-commit hook, idempotently, and in order when several transitions commit together."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from catalogue.models import OrganizationKind
from core.workdays import add_workdays
from reviews import lifecycle
from reviews.models import Decision, ReturnReason, ReviewTask
from reviews.services import standard_transition
from standards.models import ItemStandard
from tests.factories import OrganizationFactory, member
from tests.reviews.conftest import complete
from workflow.models import StateTransition


def test_the_reason_catalogue_is_seeded_from_the_domain(db):
    reasons = list(ReturnReason.objects.all())
    assert [r.code for r in reasons] == [
        *(f"F0{n}" for n in range(1, 4)),
        *(f"C0{n}" for n in range(1, 9)),
        *(f"L0{n}" for n in range(1, 6)),
    ]
    assert {r.category for r in reasons} == {"F", "C", "L"}
    assert all(r.active and r.code[0] == r.category for r in reasons)
    assert ReturnReason.objects.get(code="C02").text == "法律依据未具体到条、款、项，或缺少条款内容"


def test_a_task_opens_on_submit_and_follows_the_stages(version, cast, orgs, geo, flow):
    flow(cast["clerk"], version, "submit")
    task = ReviewTask.objects.get()
    assert (task.stage, task.organization, task.division, task.round) == ("dept_confirm", orgs["edu"], geo["qc"], 1)
    assert task.is_open and task.finding_count == 0 and task.citations_changed is None
    assert task.opening_transition == StateTransition.objects.get(action="submit")
    assert task.due_at == add_workdays(task.opened_at, 3)

    flow(cast["depthead"], version, "confirm", note="同意提交")
    task.refresh_from_db()
    assert (task.decision, task.decided_by, task.note) == (Decision.PASS, cast["depthead"], "同意提交")
    assert task.closed_at == task.closing_transition.at
    compliance = ReviewTask.objects.open().get()
    assert (compliance.stage, compliance.organization) == ("compliance", orgs["bianban"])

    flow(cast["compliance"], version, "pass_compliance")
    legality = ReviewTask.objects.open().get()
    assert (legality.stage, legality.organization) == ("legality", orgs["justice"])

    flow(
        cast["legality"],
        version,
        "return_legality",
        note="L01 所引条例已修订",
        reasons=[ReturnReason.objects.get(code="L01")],
    )
    assert not ReviewTask.objects.open().exists()
    legality.refresh_from_db()
    assert legality.decision == Decision.RETURN and legality.decided_by == cast["legality"]

    flow(cast["clerk"], version, "submit")
    again = ReviewTask.objects.open().get()
    assert (again.stage, again.round) == ("dept_confirm", 2)
    assert ReviewTask.objects.count() == 4


def test_transitions_in_one_transaction_open_and_close_their_tasks_in_it(
    version, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        standard_transition(actor=cast["clerk"], standard=version, action="submit")
        assert ReviewTask.objects.open().get().stage == "dept_confirm"  # opened by the transition itself
        standard_transition(actor=cast["depthead"], standard=version, action="confirm")
    confirm, compliance = ReviewTask.objects.order_by("pk")
    assert (confirm.stage, confirm.decision, confirm.decided_by) == ("dept_confirm", "pass", cast["depthead"])
    assert (compliance.stage, compliance.is_open) == ("compliance", True)


def test_a_task_that_cannot_open_undoes_the_whole_transition(version, cast, flow, monkeypatch):
    """A submitted version is never left in nobody's queue: the transition fails whole."""

    def broken(*args, **kwargs):
        raise RuntimeError("no body to assign")

    monkeypatch.setattr(lifecycle, "assignee", broken)
    with pytest.raises(RuntimeError):
        flow(cast["clerk"], version, "submit")
    assert ItemStandard.objects.get(pk=version.pk).state == "draft"
    assert not StateTransition.objects.filter(standard=version).exists()
    assert not ReviewTask.objects.exists()
    monkeypatch.undo()
    flow(cast["clerk"], version, "submit")
    assert ReviewTask.objects.open().get().stage == "dept_confirm"


def test_a_decision_whose_next_task_cannot_open_leaves_the_current_task_open(at_compliance, cast, flow, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(lifecycle, "assignee", broken)
    with pytest.raises(RuntimeError):
        flow(cast["compliance"], at_compliance, "pass_compliance")
    task = ReviewTask.objects.open().get()
    assert (task.stage, task.decision) == ("compliance", "")
    assert ItemStandard.objects.get(pk=at_compliance.pk).state == "compliance_review"


def test_a_version_moved_outside_the_workflow_frees_its_task_at_its_next_transition(at_compliance, cast, flow):
    ItemStandard.objects.filter(pk=at_compliance.pk).update(state="draft")
    flow(cast["clerk"], at_compliance, "submit")
    task = ReviewTask.objects.get(stage="compliance")
    assert task.closed_at is not None and task.decision == ""
    assert ReviewTask.objects.open().get().stage == "dept_confirm"


def test_township_items_are_reviewed_by_their_county(geo, orgs, general, people, cast, flow, make_item):
    office = OrganizationFactory(division=geo["dc"], name="东城街道办事处")
    member(people["clerk"], office, "clerk")
    member(cast["depthead"], office, "dept_head")
    standard = complete(people["clerk"], make_item(general["township"], office, geo["dc"]))
    flow(people["clerk"], standard, "submit")
    flow(cast["depthead"], standard, "confirm")
    task = ReviewTask.objects.open().get()
    assert (task.organization, task.division) == (orgs["bianban"], geo["qc"])


def test_a_stage_without_a_reviewing_body_is_left_to_the_administrator(version, cast, orgs, flow):
    orgs["bianban"].is_active = False
    orgs["bianban"].save()
    flow(cast["clerk"], version, "submit")
    flow(cast["depthead"], version, "confirm")
    task = ReviewTask.objects.open().get()
    assert task.stage == "compliance" and task.organization is None


def test_due_dates_count_working_days(db):
    tz = timezone.get_current_timezone()
    friday = dt.datetime(2026, 3, 6, 10, 30, tzinfo=tz)
    assert add_workdays(friday, 3) == dt.datetime(2026, 3, 11, 10, 30, tzinfo=tz)
    saturday = dt.datetime(2026, 3, 7, 9, 0, tzinfo=tz)
    assert add_workdays(saturday, 1) == dt.datetime(2026, 3, 10, 9, 0, tzinfo=tz)


def test_the_service_level_is_a_setting(version, cast, flow, settings):
    settings.REVIEW_DUE_WORKING_DAYS = {"dept_confirm": 1}
    flow(cast["clerk"], version, "submit")
    task = ReviewTask.objects.get()
    assert task.due_at == add_workdays(task.opened_at, 1)
    assert lifecycle.due_working_days("compliance") == 5


def test_cancelling_the_item_closes_its_open_task(at_compliance, cast, geo):
    from catalogue.services import ChangeDocument, catalog_change_apply

    catalog_change_apply(
        actor=cast["compliance"],
        kind="cancel",
        scope=geo["qc"],
        document=ChangeDocument("清编办〔2026〕9号", "关于取消部分实施事项的通知", dt.date(2026, 6, 1)),
        effective_date=dt.date(2026, 6, 1),
        reason="职能调整",
        local_items=[at_compliance.local_item],
    )
    assert not ReviewTask.objects.open().exists()
    assert ItemStandard.objects.get(pk=at_compliance.pk).state == "withdrawn"


def test_the_review_bodies_are_found_by_kind(version, orgs, geo):
    assert lifecycle.assignee("compliance", version).kind == OrganizationKind.BIANBAN
    assert lifecycle.assignee("legality", version) == orgs["justice"]
    assert lifecycle.assignee("dept_confirm", version) == orgs["edu"]


def test_cancelling_the_item_logs_the_withdrawal_as_a_transition(at_compliance, cast, geo):
    """The one signal from the catalogue: its receiver withdraws through the workflow, so the log tells the story."""
    cancel(at_compliance.local_item, cast["compliance"], geo["qc"])
    record = StateTransition.objects.filter(standard=at_compliance).latest("id")
    assert (record.action, record.from_state, record.to_state) == ("withdraw", "compliance_review", "withdrawn")
    assert record.actor == cast["compliance"] and "职能调整" in record.note
    task = ReviewTask.objects.get(stage="compliance")
    assert task.closing_transition == record and task.decision == ""


def test_a_refused_withdrawal_keeps_the_item(at_compliance, cast, geo, monkeypatch):
    """The receiver runs inside the catalogue's transaction: when withdrawing fails, the cancellation is undone."""
    from catalogue.models import LocalItem
    from reviews.services import transitions

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(transitions, "bulk_update_with_history", broken)
    with pytest.raises(RuntimeError):
        cancel(at_compliance.local_item, cast["compliance"], geo["qc"])
    assert LocalItem.objects.get(pk=at_compliance.local_item_id).status == "active"
    assert ItemStandard.objects.get(pk=at_compliance.pk).state == "compliance_review"
    assert ReviewTask.objects.open().get().stage == "compliance"


def cancel(local_item, actor, county):
    """The county's establishment office cancels one item of its list (the catalogue's dynamic management)."""
    from catalogue.services import ChangeDocument, catalog_change_apply

    catalog_change_apply(
        actor=actor,
        kind="cancel",
        scope=county,
        document=ChangeDocument("清编办〔2026〕9号", "关于取消部分实施事项的通知", dt.date(2026, 6, 1)),
        effective_date=dt.date(2026, 6, 1),
        reason="职能调整",
        local_items=[local_item],
    )


def test_publishing_a_revision_logs_the_superseded_version(version, cast, flow):
    for actor, action in (
        ("clerk", "submit"),
        ("depthead", "confirm"),
        ("compliance", "pass_compliance"),
        ("legality", "pass_legality"),
        ("compliance", "publish"),
    ):
        flow(cast[actor], version, action)
    from standards.services import standard_start

    revision = standard_start(actor=cast["clerk"], local_item=version.local_item)
    ItemStandard.objects.filter(pk=revision.pk).update(state="approved")
    flow(cast["compliance"], ItemStandard.objects.get(pk=revision.pk), "publish")
    record = StateTransition.objects.filter(standard=version).latest("id")
    assert (record.action, record.from_state, record.to_state) == ("supersede", "published", "superseded")
    assert record.actor == cast["compliance"]
    assert ItemStandard.objects.get(pk=version.pk).state == "superseded"


def test_the_seeded_reasons_are_in_the_translation_catalogue():
    """The reasons the migration seeds are the texts offered for translation, so they read in English too."""
    from importlib import import_module

    from django.utils import translation

    from reviews.reasons import SEEDED_TEXTS

    seeded = import_module("reviews.migrations.0002_seed_return_reasons").REASONS
    assert list(SEEDED_TEXTS) == [text for _code, _category, text in seeded]
    with translation.override("en"):
        assert ReturnReason(code="C02", text=SEEDED_TEXTS[4]).label.startswith("The legal basis")
        assert ReturnReason(code="X01", text="自拟理由").label == "自拟理由"  # an added reason reads as written
