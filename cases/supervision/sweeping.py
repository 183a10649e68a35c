"""The periodic sweep: the date rules over every open case at once, in a fixed number of SQL statements whatever the
number of cases (no loop over cases in Python).

For each date rule the cases where it holds are a queryset filtered by dates computed once here (today, and the
day ``CASES_YELLOW_WORKDAYS`` working days ahead); then

1. ``INSERT … SELECT … ON CONFLICT DO NOTHING`` raises the alerts not yet there (the unique (case, rule, key) keeps
   a second run from raising anything twice);
2. one UPDATE raises again, in place and with today's evidence, those cleared earlier whose condition is back;
3. one UPDATE clears the open alerts of open cases where it no longer holds (a suspended case keeps what was late
   before its special procedure: the clocks stand still).

Then red alerts without a 督办 open one (one more ``INSERT … SELECT``), the departments are told, and
``alert_level`` is brought up to date by three UPDATEs over the cases whose alerts this run changed. The same SQL
runs on SQLite and PostgreSQL. Finished cases are settled by their last event (``rules.check_case``), not here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import CharField, DateField, DateTimeField, Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import JSONObject
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import (
    ACCEPTED_OPEN_STATUSES,
    OPEN_STATUSES,
    Alert,
    AlertLevel,
    AlertRule,
    Case,
    CaseStatus,
    Oversight,
    OversightState,
)
from core.workdays import add_workdays

from .findings import CURRENT_STEP_KEY
from .rules import yellow_workdays

RUNNING = [s for s in ACCEPTED_OPEN_STATUSES if s != CaseStatus.SUSPENDED]


@dataclass(frozen=True)
class DateRule:
    rule: str
    level: str
    key: str
    holds: Q  # on Case
    evidence: dict
    # Open cases whose alerts of this rule may be cleared when it no longer holds.
    settles: Q


def date_rules(today: dt.date) -> list[DateRule]:
    threshold = add_workdays(today, yellow_workdays())
    running = Q(status__in=RUNNING)
    open_ = Q(status__in=OPEN_STATUSES)
    not_suspended = open_ & ~Q(status=CaseStatus.SUSPENDED)
    day = Value(today, output_field=DateField())
    return [
        DateRule(
            AlertRule.PROMISED_NEAR,
            AlertLevel.YELLOW,
            "",
            running & Q(promised_due__gte=today, promised_due__lte=threshold),
            {"due": F("promised_due"), "today": day, "workdays": Value(yellow_workdays())},
            open_,
        ),
        DateRule(
            AlertRule.PROMISED_OVER,
            AlertLevel.RED,
            "",
            running & Q(promised_due__lt=today),
            {"due": F("promised_due"), "limit": F("promised_limit"), "accepted_on": F("accepted_on"), "today": day},
            not_suspended,
        ),
        DateRule(
            AlertRule.LEGAL_OVER,
            AlertLevel.RED,
            "",
            running & Q(legal_due__lt=today),
            {"due": F("legal_due"), "limit": F("legal_limit"), "accepted_on": F("accepted_on"), "today": day},
            not_suspended,
        ),
        DateRule(
            AlertRule.STEP_OVER,
            AlertLevel.YELLOW,
            CURRENT_STEP_KEY,
            running & Q(current_step_due__lt=today) & (Q(promised_due__isnull=True) | Q(promised_due__gte=today)),
            {"step": F("current_step"), "due": F("current_step_due"), "today": day},
            not_suspended,
        ),
    ]


def _insert_select(table: str, columns: list[str], queryset: QuerySet, conflict: list[str]) -> int:
    """``INSERT INTO table (columns) <queryset's SELECT> ON CONFLICT (conflict) DO NOTHING``: one statement."""
    sql, params = queryset.query.sql_with_params()
    quote = connection.ops.quote_name
    statement = (
        f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) {sql} "
        f"ON CONFLICT ({', '.join(quote(c) for c in conflict)}) DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return max(cursor.rowcount, 0)


def _select(queryset: QuerySet, columns: dict) -> QuerySet:
    """The queryset as a SELECT of exactly ``columns`` (name → expression), in that order and unordered."""
    names = [f"c_{name}" for name in columns]
    return queryset.order_by().annotate(**dict(zip(names, columns.values(), strict=True))).values(*names)


@dataclass
class SweepResult:
    raised: int = 0
    raised_again: int = 0
    cleared: int = 0
    oversights: int = 0
    levels: int = 0

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@transaction.atomic
def sweep(today: dt.date | None = None, *, now: dt.datetime | None = None) -> SweepResult:
    """Run the date rules over all open cases (see the module's docstring). Safe to run again: a second run with
    the same date changes nothing."""
    from cases.services.oversight import AUTOMATIC_INSTRUCTION, reply_due_from, tell_departments_opened

    today = today or timezone.localdate()
    now = now or timezone.now()
    result = SweepResult()
    moment = Value(now, output_field=DateTimeField())
    for rule in date_rules(today):
        holding = Case.objects.filter(rule.holds)
        columns = {
            "case_id": F("pk"),
            "rule": Value(rule.rule, output_field=CharField()),
            "level": Value(rule.level, output_field=CharField()),
            "key": Value(rule.key, output_field=CharField()),
            "evidence": JSONObject(**rule.evidence),
            "raised_at": moment,
        }
        result.raised += _insert_select(
            Alert._meta.db_table, list(columns), _select(holding, columns), ["case_id", "rule", "key"]
        )
        mine = Alert.objects.filter(rule=rule.rule, key=rule.key)
        # Raised again with the evidence of today, read from the case row in the same statement.
        evidence = Subquery(Case.objects.filter(pk=OuterRef("case_id")).values(e=JSONObject(**rule.evidence))[:1])
        result.raised_again += mine.filter(cleared_at__isnull=False, case__in=holding.values("pk")).update(
            cleared_at=None, raised_at=now, level=rule.level, evidence=evidence
        )
        settled = Case.objects.filter(rule.settles).exclude(rule.holds)
        result.cleared += mine.filter(cleared_at__isnull=True, case__in=settled.values("pk")).update(cleared_at=now)

    waiting = Alert.objects.filter(level=AlertLevel.RED, cleared_at__isnull=True).exclude(
        Exists(Oversight.objects.filter(alert=OuterRef("pk")))
    )
    columns = {
        "case_id": F("case_id"),
        "alert_id": F("pk"),
        "organization_id": F("case__organization_id"),
        "state": Value(OversightState.OPEN.value, output_field=CharField()),
        "opened_at": moment,
        "instruction": Value(_(AUTOMATIC_INSTRUCTION), output_field=CharField()),
        "reply_due": Value(reply_due_from(today), output_field=DateField()),
        "explanation": Value("", output_field=CharField()),
        "correction": Value("", output_field=CharField()),
        "close_note": Value("", output_field=CharField()),
    }
    result.oversights = _insert_select(Oversight._meta.db_table, list(columns), _select(waiting, columns), ["alert_id"])
    if result.oversights:
        tell_departments_opened(opened_at=now, reply_due=reply_due_from(today))
    # Only the cases whose alerts this run raised, raised again or cleared can have another level now.
    result.levels = _refresh_touched_levels(now)
    return result


def _refresh_touched_levels(now: dt.datetime) -> int:
    """``alert_level`` of the cases whose alerts were raised, raised again or cleared at ``now``, from their open
    alerts, in one ``UPDATE … FROM`` over one aggregate (PostgreSQL and SQLite ≥ 3.33 alike).

    Three UPDATEs each probing every touched case with ``EXISTS`` per level ran into nested loops over all the
    alerts when the planner had no statistics for the day's new alerts yet (the first sweep took minutes at 500,000
    cases); one pass over the touched cases' open alerts costs the same whatever the statistics say."""
    touched_sql, params = (
        Alert.objects.filter(Q(raised_at=now) | Q(cleared_at=now))
        .order_by()
        .values("case_id")
        .distinct()
        .query.sql_with_params()
    )
    quote = connection.ops.quote_name
    case_table, alert_table = quote(Case._meta.db_table), quote(Alert._meta.db_table)
    red, yellow, none = AlertLevel.RED.value, AlertLevel.YELLOW.value, AlertLevel.NONE.value
    statement = f"""
WITH touched (case_id) AS ({touched_sql}),
levels (case_id, level) AS (
    SELECT t.case_id,
           CASE MAX(CASE a.level WHEN %s THEN 2 WHEN %s THEN 1 ELSE 0 END) WHEN 2 THEN %s WHEN 1 THEN %s ELSE %s END
    FROM touched t LEFT JOIN {alert_table} a ON a.case_id = t.case_id AND a.cleared_at IS NULL
    GROUP BY t.case_id
)
UPDATE {case_table} SET alert_level = levels.level FROM levels
WHERE {case_table}.id = levels.case_id AND {case_table}.alert_level <> levels.level"""
    with connection.cursor() as cursor:
        cursor.execute(statement, [*params, red, yellow, red, yellow, none])
        return max(cursor.rowcount, 0)
