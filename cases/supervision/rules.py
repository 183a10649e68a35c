"""The supervision rules, run on one case after each event (``check_case``), or on the cases of a batch of events
from another system, each once (``check_cases``).

Each rule reads what the case's log, fees and notices say against its standard (the manual's steps and posts, the
guide's fee rows) and returns its findings; ``findings.store_many`` turns them into alerts. The date rules are also run
for all open cases at once by the sweep (``sweeping.py``), with the same conditions written as SQL.

The check costs a bounded number of queries whatever the length of the logs and the number of cases: the logs, the
manual's steps, the bodies' post holders and members, the fees with the standards' fee rows, the first 补正
notices, the alerts.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Min
from django.utils import timezone

from cases.models import (
    ACCEPTED_OPEN_STATUSES,
    AlertLevel,
    AlertRule,
    Case,
    CaseFee,
    CaseStatus,
    CaseStep,
    Decision,
    Notice,
    NoticeKind,
    PostHolder,
    StepKind,
)
from catalogue.models import Membership
from core.workdays import add_workdays
from standards.models import FeeItem, InternalStep, ManualStep, ServiceGuide

from .findings import CURRENT_STEP_KEY, Finding, store_many

# 行政许可法 第三十二条: the 补正 notice goes out within five days of receipt (working days here).
SUPPLEMENT_NOTICE_WORKDAYS = 5
RED, YELLOW = AlertLevel.RED, AlertLevel.YELLOW
ALL_RULES = tuple(AlertRule.values)
# Steps that are not part of handling the application itself and need no post: the clock and fee records.
MANUAL_CODES = frozenset(InternalStep.values)


def yellow_workdays() -> int:
    return int(getattr(settings, "CASES_YELLOW_WORKDAYS", 2))


def local_day(value: dt.datetime) -> dt.date:
    return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()


@dataclass
class CaseFacts:
    """What the rules read about one case, loaded once."""

    case: Case
    today: dt.date
    steps: list[CaseStep]
    manual: list[ManualStep]
    fees: list[CaseFee] = field(default_factory=list)
    fee_names: set[str] = field(default_factory=set)
    fee_item_ids: set[int] = field(default_factory=set)
    charged: bool | None = None
    posts_by_user: dict[int, set[str]] = field(default_factory=dict)
    posts_by_name: dict[str, set[str]] = field(default_factory=dict)
    members: set[int] = field(default_factory=set)
    supplement_notice_on: dt.date | None = None

    @property
    def manual_by_id(self) -> dict[int, ManualStep]:
        return {m.pk: m for m in self.manual}


def load_many(entries: Sequence[tuple[Case, dt.date]]) -> list[CaseFacts]:
    """The facts of cases (each judged on its own day), in the same bounded number of queries for one case or many:
    the logs, the manual steps, the fees with their standards' fee rows, the bodies' post holders and members (only when
    a step names an actor), the first 补正 notices."""
    cases = [case for case, _today in entries]
    ids = [case.pk for case in cases]
    steps: dict[int, list[CaseStep]] = defaultdict(list)
    for step in CaseStep.objects.filter(case_id__in=ids).order_by("case_id", "seq"):
        steps[step.case_id].append(step)
    standard_ids = {case.standard_id for case in cases if case.standard_id}
    manual: dict[int, list[ManualStep]] = defaultdict(list)
    if standard_ids:
        for row in ManualStep.objects.filter(standard_id__in=standard_ids):
            manual[row.standard_id].append(row)
    fees: dict[int, list[CaseFee]] = defaultdict(list)
    for fee in CaseFee.objects.filter(case_id__in=ids):
        fees[fee.case_id].append(fee)
    charged_standards = {case.standard_id for case in cases if fees.get(case.pk) and case.standard_id}
    fee_rows: dict[int, list[tuple[int, str]]] = defaultdict(list)
    charged: dict[int, bool | None] = {}
    if charged_standards:
        for pk, standard_id, name in FeeItem.objects.filter(standard_id__in=charged_standards).values_list(
            "pk", "standard_id", "name"
        ):
            fee_rows[standard_id].append((pk, name))
        for standard_id, is_charged in ServiceGuide.objects.filter(standard_id__in=charged_standards).values_list(
            "standard_id", "is_charged"
        ):
            charged.setdefault(standard_id, is_charged)
    acting_bodies = {
        case.organization_id for case in cases if any(s.actor_id or s.actor_name for s in steps.get(case.pk, ()))
    }
    posts_by_user: dict[int, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    posts_by_name: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    members: dict[int, set[int]] = defaultdict(set)
    if acting_bodies:
        holders = PostHolder.objects.filter(organization_id__in=acting_bodies, is_active=True).select_related("user")
        for holder in holders:
            posts_by_user[holder.organization_id][holder.user_id].add(holder.post)
            for name in _names(holder.user):
                posts_by_name[holder.organization_id][name].add(holder.post)
        for organization_id, user_id in Membership.objects.filter(organization_id__in=acting_bodies).values_list(
            "organization_id", "user_id"
        ):
            members[organization_id].add(user_id)
    first_notices = dict(
        Notice.objects.filter(case_id__in=ids, kind=NoticeKind.SUPPLEMENT)
        .values("case_id")
        .annotate(first=Min("issued_at"))
        .values_list("case_id", "first")
    )
    loaded = []
    for case, today in entries:
        facts = CaseFacts(case=case, today=today, steps=steps.get(case.pk, []), manual=manual.get(case.standard_id, []))
        facts.fees = fees.get(case.pk, [])
        if facts.fees and case.standard_id:
            rows = fee_rows.get(case.standard_id, [])
            facts.fee_item_ids = {pk for pk, _ in rows}
            facts.fee_names = {name.strip() for _, name in rows}
            facts.charged = charged.get(case.standard_id)
        if case.organization_id in acting_bodies:
            facts.posts_by_user = dict(posts_by_user.get(case.organization_id, {}))
            facts.posts_by_name = dict(posts_by_name.get(case.organization_id, {}))
            facts.members = set(members.get(case.organization_id, ()))
        notice_days = [local_day(s.at) for s in facts.steps if s.kind == StepKind.SUPPLEMENT_NOTICE]
        if first_notices.get(case.pk) is not None:
            notice_days.append(local_day(first_notices[case.pk]))
        facts.supplement_notice_on = min(notice_days, default=None)
        loaded.append(facts)
    return loaded


def _names(user) -> set[str]:
    """The ways another system may write a holder's name: the username, the full name with or without a space, and
    the Chinese order (family name first)."""
    names = {user.get_username(), user.get_full_name(), f"{user.first_name}{user.last_name}"}
    names.add(f"{user.last_name}{user.first_name}")
    return {n.strip() for n in names if n and n.strip()}


# --- the date rules -------------------------------------------------------------------------------------------------


def time_findings(facts: CaseFacts) -> list[Finding]:
    case, today = facts.case, facts.today
    found: list[Finding] = []
    running = case.status in ACCEPTED_OPEN_STATUSES and case.status != CaseStatus.SUSPENDED
    finished = case.status == CaseStatus.FINISHED
    for rule, due, limit in (
        (AlertRule.PROMISED_OVER, case.promised_due, case.promised_limit),
        (AlertRule.LEGAL_OVER, case.legal_due, case.legal_limit),
    ):
        if due is None:
            continue
        evidence = {"due": due, "limit": limit, "accepted_on": case.accepted_on}
        if running and today > due:
            found.append(Finding(rule, RED, evidence={**evidence, "today": today}))
        elif finished and case.finished_on and case.finished_on > due:
            found.append(Finding(rule, RED, evidence={**evidence, "finished_on": case.finished_on}))
    if running and case.promised_due is not None and today <= case.promised_due:
        threshold = add_workdays(today, yellow_workdays())
        if case.promised_due <= threshold:
            found.append(
                Finding(
                    AlertRule.PROMISED_NEAR,
                    YELLOW,
                    evidence={"due": case.promised_due, "today": today, "workdays": yellow_workdays()},
                )
            )
    on_time = case.promised_due is None or today <= case.promised_due
    if running and case.current_step_due is not None and today > case.current_step_due and on_time:
        found.append(
            Finding(
                AlertRule.STEP_OVER,
                YELLOW,
                CURRENT_STEP_KEY,
                {"step": case.current_step, "due": case.current_step_due, "today": today},
            )
        )
    return found


def step_over(facts: CaseFacts) -> list[Finding]:
    """A step recorded after its own due date while the case was still within its promised limit (the case being
    late as a whole is ``promised_over``)."""
    found = []
    promised = facts.case.promised_due
    for step in facts.steps:
        if step.due_on is None:
            continue
        done = local_day(step.at)
        if done > step.due_on and (promised is None or done <= promised):
            evidence = {"seq": step.seq, "step": step.kind, "due": step.due_on, "done": done, "actor": step.actor_name}
            found.append(Finding(AlertRule.STEP_OVER, YELLOW, str(step.seq), evidence))
    return found


# --- the log against the manual -------------------------------------------------------------------------------------


def out_of_order(facts: CaseFacts) -> list[Finding]:
    """逆程序: a step recorded before what must come first — 决定 before 受理, 送达 before 决定, 办结 without any 审查
    (except 即办件), or a step of the manual before an earlier step of the manual for the case's situation. Steps are
    compared in the order they were recorded (``seq``); an external step without a manual step counts by its kind.
    Special procedures (not counted in the limit) are optional and never required first."""
    case = facts.case
    by_id = facts.manual_by_id
    order = [m for m in sorted(facts.manual, key=lambda m: (m.position, m.pk)) if m.business_kind == case.situation]
    required = [m.step for m in order if m.counted_in_limit and m.step != InternalStep.RECEIVE]
    seen: set[str] = set()
    found = []
    for step in facts.steps:
        manual = by_id.get(step.manual_step_id)
        code = manual.step if manual is not None else (step.kind if step.kind in MANUAL_CODES else "")
        problems: list[str] = []
        missing: list[str] = []
        if code == InternalStep.DECIDE and StepKind.ACCEPT not in seen:
            problems.append("decide_before_accept")
        if code == InternalStep.DELIVER and StepKind.DECIDE not in seen:
            problems.append("deliver_before_decide")
        if step.kind == StepKind.FINISH and StepKind.REVIEW not in seen and not case.is_immediate:
            problems.append("finish_without_review")
        if code in required:
            missing = [c for c in dict.fromkeys(required[: required.index(code)]) if c not in seen]
            if missing:
                problems.append("manual_order")
        if problems:
            evidence = {
                "seq": step.seq,
                "step": code or step.kind,
                "at": timezone.localtime(step.at) if timezone.is_aware(step.at) else step.at,
                "actor": step.actor_name,
                "problems": problems,
                "missing": missing,
                "recorded_before": [s.kind for s in facts.steps if s.seq < step.seq],
            }
            found.append(Finding(AlertRule.OUT_OF_ORDER, RED, str(step.seq), evidence))
        seen.add(step.kind)
        if code:
            seen.add(code)
    return found


def beyond_authority(facts: CaseFacts) -> list[Finding]:
    """超权限: a step done by someone who does not hold its post in the implementing body (a registered AB岗 backup
    holds it too), or, for a step without a post, someone neither holding a post there nor a member of the body.
    Steps sent by another system are matched by the actor's name."""
    by_id = facts.manual_by_id
    found = []
    for step in facts.steps:
        if step.actor_id is None and not step.actor_name.strip():
            continue
        manual = by_id.get(step.manual_step_id)
        post = step.post or (manual.responsible_post if manual is not None else "")
        if step.actor_id is not None:
            posts = facts.posts_by_user.get(step.actor_id)
            allowed = post in (posts or ()) if post else (posts is not None or step.actor_id in facts.members)
        else:
            posts = facts.posts_by_name.get(step.actor_name.strip())
            allowed = post in (posts or ()) if post else posts is not None
        if not allowed:
            evidence = {
                "seq": step.seq,
                "step": step.kind,
                "post": post,
                "actor": step.actor_name,
                "actor_id": step.actor_id,
                "organization": facts.case.organization_id,
                "held_posts": sorted(posts or ()),
            }
            found.append(Finding(AlertRule.BEYOND_AUTHORITY, RED, str(step.seq), evidence))
    return found


# --- decisions, fees, notices ---------------------------------------------------------------------------------------


def refusal_without_reason(facts: CaseFacts) -> list[Finding]:
    case = facts.case
    found = []
    refused = case.status == CaseStatus.NOT_ACCEPTED or any(s.kind == StepKind.NOT_ACCEPT for s in facts.steps)
    if refused and not case.refusal_reason.strip():
        found.append(Finding(AlertRule.REFUSAL_WITHOUT_REASON, RED, "not_accept", {"status": case.status}))
    if case.decision == Decision.DENY and not case.decision_reason.strip():
        found.append(
            Finding(
                AlertRule.REFUSAL_WITHOUT_REASON, RED, "decision", {"decision": case.decision, "at": case.decided_at}
            )
        )
    return found


def fee_off_standard(facts: CaseFacts) -> list[Finding]:
    """A fee not among the standard's fee rows (by row or by name), or any fee when the guide says not charged."""
    found = []
    for fee in facts.fees:
        problems = []
        if facts.charged is not True:
            problems.append("not_charged")
        if fee.fee_item_id is None or fee.fee_item_id not in facts.fee_item_ids:
            problems.append("no_fee_row")
        if fee.name.strip() not in facts.fee_names:
            problems.append("name_not_in_standard")
        if problems:
            evidence = {
                "fee": fee.name,
                "amount": fee.amount,
                "at": fee.charged_at,
                "problems": problems,
                "standard_fees": sorted(facts.fee_names),
            }
            found.append(Finding(AlertRule.FEE_OFF_STANDARD, RED, f"fee:{fee.pk}", evidence))
    return found


def late_supplement_notice(facts: CaseFacts) -> list[Finding]:
    """The 补正 notice later than five working days after receipt (行政许可法 第三十二条)."""
    case = facts.case
    if facts.supplement_notice_on is None:
        return []
    received_on = local_day(case.received_at)
    limit = add_workdays(received_on, SUPPLEMENT_NOTICE_WORKDAYS)
    if facts.supplement_notice_on <= limit:
        return []
    evidence = {"received_on": received_on, "notice_on": facts.supplement_notice_on, "limit_on": limit}
    return [Finding(AlertRule.LATE_SUPPLEMENT_NOTICE, YELLOW, "", evidence)]


EVENT_RULES = (step_over, out_of_order, beyond_authority, refusal_without_reason, fee_off_standard)


def findings_of(facts: CaseFacts) -> list[Finding]:
    found = time_findings(facts)
    for rule in EVENT_RULES:
        found += rule(facts)
    return found + late_supplement_notice(facts)


# While a special procedure runs the clocks stand still: what was late before it stays as it was, and nothing new.
SUSPENDED_KEEP = frozenset(
    {(AlertRule.PROMISED_OVER, None), (AlertRule.LEGAL_OVER, None), (AlertRule.STEP_OVER, CURRENT_STEP_KEY)}
)


def check_case(case: Case, *, step: CaseStep | None = None, today: dt.date | None = None) -> list:
    """Run every rule on ``case`` (saved, and locked by the caller when called from an event) and store the alerts;
    a red alert raised now opens its 督办. Returns the alerts raised now."""
    return check_cases([(case, step, today)])[0]


def check_cases(entries: Sequence[tuple[Case, CaseStep | None, dt.date | None]]) -> list[list]:
    """``check_case`` for several cases at once (a batch of events from another system), each judged on its own
    day, in a bounded number of queries whatever the number of cases. Returns the alerts raised now, per case."""
    from cases.services.oversight import oversights_open_many

    days = [today or timezone.localdate() for _case, _step, today in entries]
    facts = load_many([(case, day) for (case, _step, _today), day in zip(entries, days, strict=True)])
    judged = [
        (f.case, findings_of(f), SUSPENDED_KEEP if f.case.status == CaseStatus.SUSPENDED else frozenset())
        for f in facts
    ]
    raised = store_many(judged, rules=ALL_RULES)
    oversights_open_many(
        [
            (case, [a for a in alerts if a.level == RED], day)
            for (case, _f, _k), alerts, day in zip(judged, raised, days, strict=True)
        ]
    )
    return raised
