"""Fixtures of the review tests: the workflow's cast and complete version, a second reviewer in each review body,
and ``flow``, which takes a workflow action and runs the after-commit hooks as a real commit would."""

from __future__ import annotations

import pytest

from catalogue.models import Role
from catalogue.services import local_item_build
from reviews.models import ReviewTask
from reviews.services import standard_transition
from standards.models import Citation, ItemStandard, StandardState
from standards.services import standard_publish, standard_start
from tests.factories import OrganizationFactory, UserFactory, member
from tests.standards.factories import complete_standard
from tests.workflow import conftest as workflow_fixtures

# The workflow tests' cast (everyone the permission matrix asks) and complete version of 清城区教育局's standard.
cast = workflow_fixtures.cast
version = workflow_fixtures.version


@pytest.fixture(autouse=True)
def _reasons(return_reasons):
    """Every review test has the reasons catalogue."""


@pytest.fixture
def flow(django_capture_on_commit_callbacks):
    """``flow(actor, standard, action, note="")``: a workflow transition whose on-commit callbacks (the review
    tasks' hook among them) run before it returns."""

    def run(actor, standard, action, note="", **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return standard_transition(actor=actor, standard=standard, action=action, note=note, **kwargs)

    return run


@pytest.fixture
def colleagues(orgs):
    """A second compliance reviewer in 清城区编办 and a second department head of 清城区教育局."""
    return {
        "compliance2": member(
            UserFactory(username="compliance2", first_name="李审查"), orgs["bianban"], Role.COMPLIANCE_REVIEWER
        ),
        "depthead2": member(UserFactory(username="depthead2"), orgs["edu"], Role.DEPT_HEAD),
    }


@pytest.fixture
def at_compliance(version, cast, flow):
    """The complete version, submitted and confirmed: waiting for 清城区编办."""
    flow(cast["clerk"], version, "submit")
    flow(cast["depthead"], version, "confirm")
    version.refresh_from_db()
    return version


@pytest.fixture
def make_item(geo, orgs, people):
    def build(general_item, organization=None, division=None):
        return local_item_build(
            general_item=general_item,
            division=division or geo["qc"],
            organization=organization or orgs["edu"],
            actor=people["province"],
        )

    return build


def complete(clerk, local_item) -> ItemStandard:
    """``complete_standard`` with a founding citation also for general items the catalogue gives none."""
    standard = complete_standard(clerk, local_item)
    if not standard.citations.filter(role="founding").exists():
        Citation.objects.create(
            standard=standard,
            position=9,
            role="founding",
            law_name="《国务院对确需保留的行政审批项目设定行政许可的决定》",
            doc_number="国务院令第412号",
            article_ref="第一条",
        )
    return standard


def publish(standard: ItemStandard, actor) -> ItemStandard:
    ItemStandard.objects.filter(pk=standard.pk).update(state=StandardState.APPROVED)
    standard.refresh_from_db()
    return standard_publish(actor=actor, standard=standard, change_note="首次发布")


def revision_of(local_item, clerk, admin, **guide_changes) -> ItemStandard:
    """A published first version and a second one started from it (rows keep their uids)."""
    first = complete(clerk, local_item)
    publish(first, admin)
    second = standard_start(actor=clerk, local_item=local_item)
    guide = second.guide
    for name, value in guide_changes.items():
        setattr(guide, name, value)
    guide.save()
    return second


@pytest.fixture
def many_tasks(geo, orgs, general, people):
    """``many_tasks(n, claimed_by=None)``: n open tasks, each of a department of its own in 清城区, alternately at
    compliance review (清城区编办) and legality review (清城区司法局), every third claimed by ``claimed_by`` when
    given — built directly, without the workflow, so that counting queries over 20 of them stays quick."""

    def build(n: int, claimed_by=None) -> list[ReviewTask]:
        tasks = []
        for k in range(n):
            department = OrganizationFactory(division=geo["qc"], name=f"清城区第{k}局")
            item = local_item_build(
                general_item=general["plain"], division=geo["qc"], organization=department, actor=people["province"]
            )
            member(people["clerk"], department, Role.CLERK)
            standard = standard_start(actor=people["clerk"], local_item=item)
            stage, body = ("compliance", orgs["bianban"]) if k % 2 == 0 else ("legality", orgs["justice"])
            ItemStandard.objects.filter(pk=standard.pk).update(state=f"{stage}_review")
            tasks.append(
                ReviewTask.objects.create(
                    standard=standard,
                    stage=stage,
                    organization=body,
                    division=geo["qc"],
                    opened_at=f"2026-03-0{1 + k % 9}T08:00:00Z",
                    due_at="2026-03-20T08:00:00Z",
                    claimed_by=claimed_by if claimed_by is not None and k % 3 == 0 else None,
                    finding_count=k % 2,
                )
            )
        return tasks

    return build
