"""The plan of the standards load: each local item's fate, the workflow path and dates of its versions, drawn from a
CRC32 of its code (so runs repeat and counties differ). ``bench.standards_load`` writes what it plans."""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from catalogue.models import OrganizationKind
from standards.models import (
    ItemStandard,
    StandardState,
)
from standards.transitions import TRANSITIONS, Action
from workflow.models import StateTransition

S = StandardState
TZ = ZoneInfo("Asia/Shanghai")
REFERENCE = dt.datetime(2026, 11, 20, 10, 0, tzinfo=TZ)
PUBLISHED_FROM = dt.datetime(2026, 2, 2, 9, 0, tzinfo=TZ)
PUBLISHED_SPAN_DAYS = 240

# (fate, per mille of the items). The first version's actions, the second version's actions (None: no second
# version) — see ``PATHS``.
FATES: list[tuple[str, int]] = [
    ("none", 70),
    ("draft", 70),
    ("dept_confirm", 35),
    ("compliance_review", 45),
    ("legality_review", 35),
    ("approved", 30),
    ("returned", 45),
    ("published", 480),
    ("published_after_return", 90),
    ("superseded_then_published", 50),
    ("published_revising_draft", 25),
    ("published_revising_review", 25),
]
assert sum(p for _, p in FATES) == 1000

A = Action
TO_PUBLISHED = [A.SUBMIT, A.CONFIRM, A.PASS_COMPLIANCE, A.PASS_LEGALITY, A.PUBLISH]
# The returned versions were returned at one of the three stages, chosen by the item's code.
RETURN_PATHS = [
    [A.SUBMIT, A.RETURN_DEPT],
    [A.SUBMIT, A.CONFIRM, A.RETURN_COMPLIANCE],
    [A.SUBMIT, A.CONFIRM, A.RETURN_COMPLIANCE],
    [A.SUBMIT, A.CONFIRM, A.RETURN_COMPLIANCE],
    [A.SUBMIT, A.CONFIRM, A.PASS_COMPLIANCE, A.RETURN_LEGALITY],
]
PATHS: dict[str, tuple[list[str] | None, list[str] | None]] = {
    "draft": ([], None),
    "dept_confirm": ([A.SUBMIT], None),
    "compliance_review": ([A.SUBMIT, A.CONFIRM], None),
    "legality_review": ([A.SUBMIT, A.CONFIRM, A.PASS_COMPLIANCE], None),
    "approved": ([A.SUBMIT, A.CONFIRM, A.PASS_COMPLIANCE, A.PASS_LEGALITY], None),
    "returned": (None, None),  # one of RETURN_PATHS
    "published": (TO_PUBLISHED, None),
    "published_after_return": ([A.SUBMIT, A.CONFIRM, A.RETURN_COMPLIANCE, *TO_PUBLISHED], None),
    "superseded_then_published": (TO_PUBLISHED, TO_PUBLISHED),
    "published_revising_draft": (TO_PUBLISHED, []),
    "published_revising_review": (TO_PUBLISHED, [A.SUBMIT, A.CONFIRM]),
}
# Days between one action and the next, chosen from the item's code.
GAP_DAYS = {
    A.SUBMIT: (3, 12),  # a resubmission after a return
    A.CONFIRM: (1, 3),
    A.PASS_COMPLIANCE: (2, 6),
    A.PASS_LEGALITY: (2, 5),
    A.PUBLISH: (1, 3),
    A.RETURN_DEPT: (1, 3),
    A.RETURN_COMPLIANCE: (2, 5),
    A.RETURN_LEGALITY: (2, 5),
}
# The body that acts: the item's department, the county's establishment office or its justice bureau.
ACTING_BODY = {
    A.SUBMIT: "department",
    A.CONFIRM: "department",
    A.RETURN_DEPT: "department",
    A.PASS_COMPLIANCE: OrganizationKind.BIANBAN,
    A.RETURN_COMPLIANCE: OrganizationKind.BIANBAN,
    A.PUBLISH: OrganizationKind.BIANBAN,
    A.PASS_LEGALITY: OrganizationKind.JUSTICE,
    A.RETURN_LEGALITY: OrganizationKind.JUSTICE,
}
RETURN_NOTE = {
    A.RETURN_DEPT: "材料清单不完整，请补充后重新提交",
    A.RETURN_COMPLIANCE: "C02 法律依据未具体到条款项，请补充",
    A.RETURN_LEGALITY: "L02 受理条件超出法定依据，请删除",
}
MATERIALS = ("申请表", "申请人身份证明", "相关资质证明文件")
STEPS = ("受理", "审查", "决定")
COUNTIES_PER_FLUSH = 5


def fate_of(code: str) -> str:
    roll = zlib.crc32(f"standard:{code}".encode()) % 1000
    for fate, share in FATES:
        if roll < share:
            return fate
        roll -= share
    raise AssertionError("FATES do not add up to 1000")


def pick(code: str, salt: str, low: int, high: int) -> int:
    return low + zlib.crc32(f"{salt}:{code}".encode()) % (high - low + 1)


@dataclass
class Step:
    action: str
    from_state: str
    to_state: str
    at: dt.datetime
    round: int
    organization_id: int | None


@dataclass
class VersionPlan:
    """One version of an item's standard: its final state and fields, and the transitions that led there."""

    version: int
    state: str
    steps: list[Step]
    return_count: int
    created_at: dt.datetime
    standard: ItemStandard | None = None


def walk(actions: list[str], start: dt.datetime, code: str, salt: str, bodies: dict[str, int | None]):
    """Replay ``actions`` from a draft the way ``reviews.services.standard_transition`` records them."""
    state, returns, at, steps = S.DRAFT, 0, start, []
    for index, action in enumerate(actions):
        transition = TRANSITIONS[action]
        if index:
            low, high = GAP_DAYS[action]
            at = at + dt.timedelta(days=pick(code, f"{salt}{index}", low, high), minutes=pick(code, salt, 0, 240))
        if state not in transition.sources:
            raise AssertionError(f"{action} from {state}")
        is_return = action in (A.RETURN_DEPT, A.RETURN_COMPLIANCE, A.RETURN_LEGALITY)
        returns += is_return
        round_ = returns if is_return else returns + 1
        steps.append(Step(action, state, transition.target, at, round_, bodies[ACTING_BODY[action]]))
        state = transition.target
    return state, steps, returns


def span_days(actions: list[str]) -> int:
    return sum(GAP_DAYS[a][1] + 1 for a in actions[1:])


RECENT = frozenset(
    {
        "dept_confirm",
        "compliance_review",
        "legality_review",
        "approved",
        "returned",
        "published_revising_draft",
        "published_revising_review",
    }
)


def plan_item(code: str, fate: str, bodies: dict[str, int | None]) -> list[VersionPlan]:
    first, second = PATHS[fate]
    if first is None:
        first = RETURN_PATHS[pick(code, "return", 0, len(RETURN_PATHS) - 1)]
    second_span = span_days(second) + 61 if second is not None else 0
    if fate == "draft":
        start = REFERENCE - dt.timedelta(days=pick(code, "age", 1, 120))
    elif fate in RECENT:
        # Still moving: the last action was a few days to a few weeks before the reference date.
        end = REFERENCE - dt.timedelta(days=pick(code, "age", 0, 24), hours=pick(code, "hour", 0, 8))
        start = end - dt.timedelta(days=span_days(first) + second_span)
    else:
        latest = PUBLISHED_SPAN_DAYS - second_span
        start = PUBLISHED_FROM + dt.timedelta(days=pick(code, "start", 0, latest))
    state, steps, returns = walk(first, start, code, "v1", bodies)
    plans = [VersionPlan(1, state, steps, returns, start - dt.timedelta(days=pick(code, "draft", 5, 30)))]
    if second is not None:
        begun = steps[-1].at + dt.timedelta(days=pick(code, "revise", 20, 60))
        state2, steps2, returns2 = walk(second, begun, code, "v2", bodies)
        if state2 == S.PUBLISHED:
            plans[0].state = S.SUPERSEDED
        plans.append(VersionPlan(2, state2, steps2, returns2, begun - dt.timedelta(days=pick(code, "draft2", 1, 15))))
    return plans


@contextmanager
def stored_timestamps(*fields) -> Iterator[None]:
    """Let bulk_create write the dates the plan gives instead of now (auto_now/auto_now_add fields)."""
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f, _, _ in saved:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now, add in saved:
            f.auto_now, f.auto_now_add = now, add


def timestamp_fields():
    return (
        ItemStandard._meta.get_field("created_at"),
        ItemStandard._meta.get_field("updated_at"),
        StateTransition._meta.get_field("at"),
    )
