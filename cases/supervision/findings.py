"""How a rule's findings become alerts: one row per (case, rule, key), raised once, cleared when the condition is
gone (never deleted), raised again in place when it comes back; the case's ``alert_level`` follows the open ones,
and a new red alert opens its 督办.

Both the per-event check and the sweep go through here (the sweep with set-based statements of its own, the same
semantics), so a finding means the same thing whichever of them saw it first.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Exists, OuterRef, Q
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


def store(
    case: Case,
    findings: Iterable[Finding],
    *,
    rules: Iterable[str],
    keep: set[tuple[str, str | None]] = frozenset(),
    now: dt.datetime | None = None,
) -> list[Alert]:
    """Make the open alerts of ``case`` for ``rules`` exactly ``findings``, leaving the open alerts named in ``keep``
    (``(rule, key)``, key None for every key) as they are. Returns the alerts raised now (new or raised again), so
    the caller can open 督办 for the red ones. A bounded number of queries whatever the findings."""
    now = now or timezone.now()
    rules = set(rules)
    wanted = {(f.rule, f.key): f for f in findings if f.rule in rules}
    existing = {(a.rule, a.key): a for a in Alert.objects.filter(case=case, rule__in=rules)}
    raised: list[Alert] = []
    new: list[Alert] = []
    changed: list[Alert] = []
    for ident, finding in wanted.items():
        evidence = jsonable(finding.evidence)
        alert = existing.get(ident)
        if alert is None:
            alert = Alert(
                case=case, rule=finding.rule, key=finding.key, level=finding.level, evidence=evidence, raised_at=now
            )
            new.append(alert)
            raised.append(alert)
            continue
        if alert.cleared_at is not None:
            alert.cleared_at, alert.raised_at = None, now
            raised.append(alert)
        elif alert.evidence == evidence and alert.level == finding.level:
            continue
        alert.evidence, alert.level = evidence, finding.level
        changed.append(alert)
    gone = [
        a.pk
        for ident, a in existing.items()
        if ident not in wanted and a.cleared_at is None and (a.rule, None) not in keep and ident not in keep
    ]
    if new:
        # The sweep may have raised the same finding since it was read: that row stands, and is the one returned.
        Alert.objects.bulk_create(new, ignore_conflicts=True)
        stored = Alert.objects.filter(case=case, rule__in={a.rule for a in new}, cleared_at__isnull=True)
        by_ident = {(a.rule, a.key): a for a in stored}
        fresh = {(a.rule, a.key) for a in new}
        raised = [by_ident.get((a.rule, a.key), a) if (a.rule, a.key) in fresh else a for a in raised]
    if changed:
        Alert.objects.bulk_update(changed, ["evidence", "level", "cleared_at", "raised_at"])
    if gone:
        Alert.objects.filter(pk__in=gone).update(cleared_at=now)
    if new or changed or gone:
        set_level(case)
    return raised


def level_of(case_id: int) -> str:
    levels = set(Alert.objects.filter(case_id=case_id, cleared_at__isnull=True).values_list("level", flat=True))
    return max(levels, key=lambda level: LEVEL_ORDER.get(level, 0), default=AlertLevel.NONE)


def set_level(case: Case) -> None:
    level = level_of(case.pk)
    if level != case.alert_level:
        case.alert_level = level
        Case.objects.filter(pk=case.pk).update(alert_level=level)


def _open(level: str) -> Exists:
    return Exists(Alert.objects.filter(case=OuterRef("pk"), level=level, cleared_at__isnull=True))


def refresh_levels(cases: Q | None = None) -> int:
    """Set ``alert_level`` on every case (or those matching ``cases``) whose open alerts say otherwise: three
    UPDATEs touching only the rows that change."""
    base = Case.objects.filter(cases) if cases is not None else Case.objects.all()
    red, yellow = _open(AlertLevel.RED), _open(AlertLevel.YELLOW)
    changed = base.filter(red).exclude(alert_level=AlertLevel.RED).update(alert_level=AlertLevel.RED)
    changed += (
        base.filter(yellow).exclude(red).exclude(alert_level=AlertLevel.YELLOW).update(alert_level=AlertLevel.YELLOW)
    )
    changed += (
        base.exclude(red).exclude(yellow).exclude(alert_level=AlertLevel.NONE).update(alert_level=AlertLevel.NONE)
    )
    return changed
