"""The lifecycle of a standard version, declared once (domain decisions 5 and 8).

draft ─submit→ dept_confirm ─confirm→ compliance_review ─pass→ legality_review ─pass→ approved ─publish→ published
returned ─submit→ dept_confirm; each review stage can return (→ returned) with structured reasons.
publish also moves the version published before to superseded; a cancelled catalogue item withdraws its published
version and its version in progress (→ withdrawn). Those two are taken by the portal as part of another change,
never offered to a person (no role may take them directly), and are logged like every other transition.

The permission matrix test reads this table; ``standards.permissions`` adds who, and where.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from catalogue.models import Role

from .models import IN_PROGRESS_STATES
from .models import StandardState as S


class Action(models.TextChoices):
    SUBMIT = "submit", _("提交")
    CONFIRM = "confirm", _("部门确认")
    RETURN_DEPT = "return_dept", _("部门退回")
    PASS_COMPLIANCE = "pass_compliance", _("合规性审查通过")
    RETURN_COMPLIANCE = "return_compliance", _("合规性审查退回")
    PASS_LEGALITY = "pass_legality", _("合法性审查通过")
    RETURN_LEGALITY = "return_legality", _("合法性审查退回")
    PUBLISH = "publish", _("发布")
    SUPERSEDE = "supersede", _("被新版本替代")
    WITHDRAW = "withdraw", _("废止")


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    # A reviewing action may not be taken by anyone who wrote the version.
    reviews: bool = False
    # Where the actor's organization must sit: the item's own department, or the item's reviewing division.
    scope: str = "department"

    @property
    def automatic(self) -> bool:
        """Taken by the portal as a consequence of another change (publishing, cancelling an item), never by hand."""
        return not self.roles


TRANSITIONS: dict[str, Transition] = {
    Action.SUBMIT: Transition(
        Action.SUBMIT, frozenset({S.DRAFT, S.RETURNED}), S.DEPT_CONFIRM, frozenset({Role.CLERK, Role.DEPT_HEAD})
    ),
    Action.CONFIRM: Transition(
        Action.CONFIRM, frozenset({S.DEPT_CONFIRM}), S.COMPLIANCE_REVIEW, frozenset({Role.DEPT_HEAD}), reviews=True
    ),
    Action.RETURN_DEPT: Transition(
        Action.RETURN_DEPT, frozenset({S.DEPT_CONFIRM}), S.RETURNED, frozenset({Role.DEPT_HEAD}), reviews=True
    ),
    Action.PASS_COMPLIANCE: Transition(
        Action.PASS_COMPLIANCE,
        frozenset({S.COMPLIANCE_REVIEW}),
        S.LEGALITY_REVIEW,
        frozenset({Role.COMPLIANCE_REVIEWER}),
        reviews=True,
        scope="review",
    ),
    Action.RETURN_COMPLIANCE: Transition(
        Action.RETURN_COMPLIANCE,
        frozenset({S.COMPLIANCE_REVIEW}),
        S.RETURNED,
        frozenset({Role.COMPLIANCE_REVIEWER}),
        reviews=True,
        scope="review",
    ),
    Action.PASS_LEGALITY: Transition(
        Action.PASS_LEGALITY,
        frozenset({S.LEGALITY_REVIEW}),
        S.APPROVED,
        frozenset({Role.LEGALITY_REVIEWER}),
        reviews=True,
        scope="review",
    ),
    Action.RETURN_LEGALITY: Transition(
        Action.RETURN_LEGALITY,
        frozenset({S.LEGALITY_REVIEW}),
        S.RETURNED,
        frozenset({Role.LEGALITY_REVIEWER}),
        reviews=True,
        scope="review",
    ),
    # The establishment office publishes the reviewed standards of its division's list.
    Action.PUBLISH: Transition(
        Action.PUBLISH, frozenset({S.APPROVED}), S.PUBLISHED, frozenset({Role.COMPLIANCE_REVIEWER}), scope="review"
    ),
    Action.SUPERSEDE: Transition(Action.SUPERSEDE, frozenset({S.PUBLISHED}), S.SUPERSEDED, frozenset()),
    Action.WITHDRAW: Transition(
        Action.WITHDRAW, frozenset({S.PUBLISHED, *IN_PROGRESS_STATES}), S.WITHDRAWN, frozenset()
    ),
}

RETURN_ACTIONS = frozenset({Action.RETURN_DEPT, Action.RETURN_COMPLIANCE, Action.RETURN_LEGALITY})
# The review stage each state waits in, for queues and tasks.
STAGE_OF_STATE = {S.DEPT_CONFIRM: "dept_confirm", S.COMPLIANCE_REVIEW: "compliance", S.LEGALITY_REVIEW: "legality"}
STATE_OF_STAGE: dict[str, str] = {stage: state for state, stage in STAGE_OF_STATE.items()}


def _stage_actions() -> dict[str, tuple[str, str]]:
    """(pass action, return action) of each stage, read from the table above."""
    result = {}
    for stage, state in STATE_OF_STAGE.items():
        actions = [a for a, t in TRANSITIONS.items() if state in t.sources and not t.automatic]
        returns = [a for a in actions if a in RETURN_ACTIONS]
        passes = [a for a in actions if a not in RETURN_ACTIONS]
        assert len(returns) == 1 and len(passes) == 1, (stage, actions)
        result[stage] = (str(passes[0]), str(returns[0]))
    return result


STAGE_ACTIONS = _stage_actions()


def pass_action(stage: str) -> str:
    return STAGE_ACTIONS[stage][0]


def return_action(stage: str) -> str:
    return STAGE_ACTIONS[stage][1]


def stage_roles(stage: str) -> frozenset[str]:
    """Who decides a stage: the roles of its pass action."""
    return TRANSITIONS[pass_action(stage)].roles
