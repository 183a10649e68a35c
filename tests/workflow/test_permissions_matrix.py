"""Every state × every action × every role, through the transition service, against expectations written out here
by hand from the domain's rules (not derived from the transition table the code uses)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.exceptions import TransitionNotAllowed
from reviews.models import ReturnReason
from reviews.services import standard_transition
from standards import permissions
from standards import permissions as standards_access
from standards.models import ItemStandard, StandardState
from standards.transitions import Action
from workflow.models import StateTransition

ROLES = [
    "clerk",
    "depthead",
    "compliance",
    "legality",
    "supervisor",
    "province",
    "qx_clerk",
    "qx_compliance",
    "qx_legality",
    "other_dept_head",
    "admin",
]

# action -> (states it may be taken in, who may take it there, state it leads to)
EXPECTED = {
    Action.SUBMIT: ({"draft", "returned"}, {"clerk", "depthead"}, "dept_confirm"),
    Action.CONFIRM: ({"dept_confirm"}, {"depthead"}, "compliance_review"),
    Action.RETURN_DEPT: ({"dept_confirm"}, {"depthead"}, "returned"),
    Action.PASS_COMPLIANCE: ({"compliance_review"}, {"compliance"}, "legality_review"),
    Action.RETURN_COMPLIANCE: ({"compliance_review"}, {"compliance"}, "returned"),
    Action.PASS_LEGALITY: ({"legality_review"}, {"legality"}, "approved"),
    Action.RETURN_LEGALITY: ({"legality_review"}, {"legality"}, "returned"),
    Action.PUBLISH: ({"approved"}, {"compliance"}, "published"),
    # Taken by the portal itself (publishing a newer version, cancelling the item), never by a person.
    Action.SUPERSEDE: ({"published"}, set(), "superseded"),
    Action.WITHDRAW: (
        {"draft", "dept_confirm", "compliance_review", "legality_review", "approved", "returned", "published"},
        set(),
        "withdrawn",
    ),
}


def _reasons(action):
    """A return names at least one reason of the catalogue (the service requires it)."""
    return list(ReturnReason.objects.filter(code="C02")) if action.startswith("return_") else []


def test_the_matrix_covers_every_action_and_state():
    assert set(EXPECTED) == set(Action.values)
    assert len(StandardState.values) == 9


def test_every_state_action_and_role(version, cast, return_reasons):
    outcomes = []
    for state in StandardState.values:
        for action in Action.values:
            states, roles, target = EXPECTED[action]
            for role in ROLES:
                ItemStandard.objects.filter(pk=version.pk).update(state=state)
                version.refresh_from_db()
                allowed = state in states and role in roles
                assert permissions.can(cast[role], action, version) is allowed, (state, action, role)
                before = StateTransition.objects.count()
                try:
                    result = standard_transition(
                        actor=cast[role],
                        standard=version,
                        action=action,
                        note="审查意见：请补充材料依据",
                        reasons=_reasons(action),
                    )
                except (PermissionDenied, TransitionNotAllowed) as exc:
                    assert not allowed, (state, action, role, exc)
                    assert ItemStandard.objects.get(pk=version.pk).state == state
                    assert StateTransition.objects.count() == before
                else:
                    assert allowed, (state, action, role)
                    assert result.state == target
                    assert StateTransition.objects.count() == before + 1
                    outcomes.append((state, action, role))
    # 2 + 1 + 1 + 1 + 1 + 1 + 1 + 1 allowed cells, each with the expected role count.
    assert len(outcomes) == sum(len(s) * len(r) for s, r, _t in EXPECTED.values())
    # The superseded copy the publish step leaves must not count as a second published version.
    assert ItemStandard.objects.filter(local_item=version.local_item, state="published").count() <= 1


def test_who_edits_in_every_state(version, cast):
    """Editing, decided by the workflow too: the item's department staff (or an administrator), draft or returned."""
    editable, editors = {"draft", "returned"}, {"clerk", "depthead", "admin"}
    for state in StandardState.values:
        ItemStandard.objects.filter(pk=version.pk).update(state=state)
        version.refresh_from_db()
        for role in ROLES:
            allowed = state in editable and role in editors
            assert permissions.can_edit(cast[role], version) is allowed, (state, role)
            assert standards_access.can_edit(cast[role], version) is allowed, (state, role)  # what the editor asks


def test_nobody_confirms_or_reviews_a_version_they_wrote(version, cast):
    guide = version.guide
    guide.hall_name = "部门负责人也改过"
    guide._history_user = cast["depthead"]
    guide.save()
    ItemStandard.objects.filter(pk=version.pk).update(state="dept_confirm")
    version.refresh_from_db()
    assert not permissions.can(cast["depthead"], Action.CONFIRM, version)
    with pytest.raises(PermissionDenied, match="自己编写"):
        standard_transition(actor=cast["depthead"], standard=version, action=Action.CONFIRM)


def test_submission_is_blocked_while_error_findings_remain(version, cast):
    guide = version.guide
    guide.promised_limit = 30  # above the legal 20 working days: C03
    guide.save()
    with pytest.raises(ValidationError, match="C03"):
        standard_transition(actor=cast["clerk"], standard=version, action=Action.SUBMIT)
    version.refresh_from_db()
    assert version.state == "draft" and not StateTransition.objects.exists()


def test_a_return_needs_a_reason(version, cast):
    standard_transition(actor=cast["clerk"], standard=version, action=Action.SUBMIT)
    with pytest.raises(ValidationError):
        standard_transition(actor=cast["depthead"], standard=version, action=Action.RETURN_DEPT, note="  ")
    assert ItemStandard.objects.get(pk=version.pk).state == "dept_confirm"


def test_the_log_records_who_for_which_body_and_the_rounds(version, cast, orgs, return_reasons):
    standard_transition(actor=cast["clerk"], standard=version, action=Action.SUBMIT)
    standard_transition(actor=cast["depthead"], standard=version, action=Action.CONFIRM, note="同意提交")
    standard_transition(
        actor=cast["compliance"],
        standard=version,
        action=Action.RETURN_COMPLIANCE,
        note="地址不具体",
        reasons=_reasons(Action.RETURN_COMPLIANCE),
    )
    standard_transition(actor=cast["clerk"], standard=version, action=Action.SUBMIT)
    log = list(
        StateTransition.objects.filter(standard=version).values_list("action", "from_state", "to_state", "round")
    )
    assert log == [
        ("submit", "draft", "dept_confirm", 1),
        ("confirm", "dept_confirm", "compliance_review", 1),
        ("return_compliance", "compliance_review", "returned", 1),
        ("submit", "returned", "dept_confirm", 2),
    ]
    returned = StateTransition.objects.get(action="return_compliance")
    assert (returned.actor, returned.organization, returned.note) == (cast["compliance"], orgs["bianban"], "地址不具体")
    version.refresh_from_db()
    assert version.return_count == 1 and version.first_submitted_at < version.submitted_at


def test_the_log_is_append_only(version, cast):
    standard_transition(actor=cast["clerk"], standard=version, action=Action.SUBMIT)
    record = StateTransition.objects.get()
    record.note = "改写历史"
    with pytest.raises(ValidationError):
        record.save()
    with pytest.raises(ValidationError):
        record.delete()


def test_a_stale_decision_is_refused_with_what_changed(version, cast):
    standard_transition(actor=cast["clerk"], standard=version, action=Action.SUBMIT)
    from core.exceptions import ConflictError

    with pytest.raises(ConflictError, match="已被他人处理"):
        standard_transition(actor=cast["depthead"], standard=version, action=Action.CONFIRM, expected_state="draft")
