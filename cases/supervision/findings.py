"""How a rule's findings become alerts: one row per (case, rule, key), raised once, cleared when the condition is
gone (never deleted), raised again in place when it comes back; the case's ``alert_level`` follows the open ones,
and a new red alert opens its 督办.

Both the per-event check and the sweep go through here (the sweep with set-based statements of its own, the same
semantics), so a finding means the same thing whichever of them saw it first.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from cases.models import Alert, AlertLevel, AlertRule, Case

# Rules whose condition depends on the date, evaluated by the sweep as well as on every event.
TIME_RULES = (AlertRule.PROMISED_NEAR, AlertRule.PROMISED_OVER, AlertRule.LEGAL_OVER, AlertRule.STEP_OVER)
# The key of the "current step past its due date" finding of ``step_over`` (the recorded steps use their seq).
CURRENT_STEP_KEY = "current"

LEVEL_ORDER = {AlertLevel.NONE: 0, AlertLevel.YELLOW: 1, AlertLevel.RED: 2}


@dataclass(frozen=True)
class Finding:
    """One rule holding for one case, with what shows why."""

    rule: str
    level: str
    key: str = ""
    evidence: dict = field(default_factory=dict, compare=False)


def jsonable(evidence: dict) -> dict:
    """Evidence as stored: dates and decimals as strings, the same whether the sweep or an event wrote it."""
    return json.loads(json.dumps(evidence, cls=DjangoJSONEncoder))


def store_many(
    judged: Sequence[tuple[Case, Iterable[Finding], set[tuple[str, str | None]] | frozenset]],
    *,
    rules: Iterable[str],
    now: dt.datetime | None = None,
) -> list[list[Alert]]:
    """Make the open alerts of each case for ``rules`` exactly its findings, leaving the open alerts named in its
    ``keep`` (``(rule, key)``, key None for every key) as they are. Returns the alerts raised now (new or raised
    again), per case in the order given, so the caller can open 督办 for the red ones. A bounded number of queries
    whatever the cases and findings."""
    now = now or timezone.now()
    rules = set(rules)
    existing: dict[int, dict[tuple[str, str], Alert]] = {case.pk: {} for case, _f, _k in judged}
    for alert in Alert.objects.filter(case_id__in=list(existing), rule__in=rules):
        existing[alert.case_id][(alert.rule, alert.key)] = alert
    raised_by_case: list[list[Alert]] = []
    new: list[Alert] = []
    changed: list[Alert] = []
    gone: list[int] = []
    touched: dict[int, Case] = {}
    for case, findings, keep in judged:
        wanted = {(f.rule, f.key): f for f in findings if f.rule in rules}
        had = existing[case.pk]
        raised: list[Alert] = []
        for ident, finding in wanted.items():
            evidence = jsonable(finding.evidence)
            alert = had.get(ident)
            if alert is None:
                alert = Alert(
                    case=case, rule=finding.rule, key=finding.key, level=finding.level, evidence=evidence, raised_at=now
                )
                new.append(alert)
                raised.append(alert)
                touched[case.pk] = case
                continue
            if alert.cleared_at is not None:
                alert.cleared_at, alert.raised_at = None, now
                raised.append(alert)
            elif alert.evidence == evidence and alert.level == finding.level:
                continue
            alert.evidence, alert.level = evidence, finding.level
            changed.append(alert)
            touched[case.pk] = case
        for ident, alert in had.items():
            if (
                ident not in wanted
                and alert.cleared_at is None
                and (alert.rule, None) not in keep
                and ident not in keep
            ):
                gone.append(alert.pk)
                touched[case.pk] = case
        raised_by_case.append(raised)
    if new:
        # The sweep may have raised the same finding since it was read: that row stands, and is the one returned.
        Alert.objects.bulk_create(new, ignore_conflicts=True)
        stored = Alert.objects.filter(
            case_id__in={a.case_id for a in new}, rule__in={a.rule for a in new}, cleared_at__isnull=True
        )
        by_ident = {(a.case_id, a.rule, a.key): a for a in stored}
        fresh = {id(a) for a in new}
        raised_by_case = [
            [by_ident.get((a.case_id, a.rule, a.key), a) if id(a) in fresh else a for a in raised]
            for raised in raised_by_case
        ]
    if changed:
        Alert.objects.bulk_update(changed, ["evidence", "level", "cleared_at", "raised_at"])
    if gone:
        Alert.objects.filter(pk__in=gone).update(cleared_at=now)
    if touched:
        set_levels(list(touched.values()))
    return raised_by_case


def _highest(levels: Iterable[str]) -> str:
    return max(levels, key=lambda level: LEVEL_ORDER.get(level, 0), default=AlertLevel.NONE)


def set_levels(cases: Sequence[Case]) -> None:
    """Each case's ``alert_level`` from its open alerts: one read, and one UPDATE per level that changes."""
    open_levels: dict[int, set[str]] = {case.pk: set() for case in cases}
    for case_id, level in Alert.objects.filter(case_id__in=list(open_levels), cleared_at__isnull=True).values_list(
        "case_id", "level"
    ):
        open_levels[case_id].add(level)
    moved: dict[str, list[int]] = {}
    for case in cases:
        level = _highest(open_levels[case.pk])
        if level != case.alert_level:
            case.alert_level = level
            moved.setdefault(level, []).append(case.pk)
    for level, ids in moved.items():
        Case.objects.filter(pk__in=ids).update(alert_level=level)
