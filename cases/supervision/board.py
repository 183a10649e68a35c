"""The supervision page's reads: open alerts and 督办 of the cases a user sees, filtered, sorted and counted in a
fixed number of queries whatever the number of rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, Q, QuerySet
from django.http import QueryDict

from cases import permissions
from cases.models import Alert, AlertLevel, AlertRule, Case, Oversight, OversightState
from catalogue.department_filter import DepartmentFilter, clean_name, department_filter, department_q
from catalogue.models import Organization
from core.pages import parse_keys

TABS = ("alerts", "oversights")
ALERT_SORTS = {
    "raised": ("raised_at", "pk"),
    "level": ("level", "-raised_at", "pk"),  # "red" sorts before "yellow"
    "due": ("case__promised_due", "pk"),
    "case": ("case__number", "pk"),
}
OVERSIGHT_SORTS = {
    "due": ("reply_due", "pk"),
    "opened": ("opened_at", "pk"),
    "case": ("case__number", "pk"),
    "state": ("state", "reply_due", "pk"),
}
OVERSIGHT_STATES = ("open", "replied", "closed", "overdue")


@dataclass(frozen=True)
class Filters:
    tab: str = "alerts"
    level: str = ""
    rule: str = ""
    department: int | None = None
    department_name: str = ""
    state: str = ""
    sort: str = ""

    @classmethod
    def of(cls, query: QueryDict) -> Filters:
        tab = query.get("tab", "")
        level = query.get("level", "")
        rule = query.get("rule", "")
        state = query.get("state", "")
        try:
            department = parse_keys([query["department"]])[0] if query.get("department") else None
        except ValueError:
            department = None
        return cls(
            tab=tab if tab in TABS else "alerts",
            level=level if level in (AlertLevel.RED, AlertLevel.YELLOW) else "",
            rule=rule if rule in AlertRule.values else "",
            department=department,
            department_name=clean_name(query.get("department_name")),
            state=state if state in OVERSIGHT_STATES else "",
            sort=query.get("sort", ""),
        )

    def department_q(self, path: str) -> Q:
        """The rows of the chosen department, or of those whose name holds the typed text (``path`` leads to it)."""
        return department_q(path, selected=self.department, name=self.department_name)


def _order(queryset: QuerySet, sorts: dict, sort: str, default: str) -> QuerySet:
    name = sort.lstrip("-")
    fields = sorts.get(name) or sorts[default]
    if name in sorts and sort.startswith("-"):
        fields = tuple(f[1:] if f.startswith("-") else f"-{f}" for f in fields)
    elif name not in sorts and default == "raised":
        fields = tuple(f"-{f}" for f in fields)  # newest first unless asked otherwise
    return queryset.order_by(*fields)


def open_alerts(user: User | AnonymousUser, filters: Filters) -> QuerySet[Alert]:
    alerts = Alert.objects.filter(permissions.visible_cases_q(user, prefix="case__"), cleared_at__isnull=True)
    if filters.level:
        alerts = alerts.filter(level=filters.level)
    if filters.rule:
        alerts = alerts.filter(rule=filters.rule)
    alerts = alerts.filter(filters.department_q("case__organization"))
    alerts = alerts.select_related("case", "case__organization", "case__local_item", "oversight")
    return _order(alerts, ALERT_SORTS, filters.sort, "raised")


def oversights(user: User | AnonymousUser, filters: Filters, today: dt.date) -> QuerySet[Oversight]:
    from cases.services.oversight import overdue_q

    rows = Oversight.objects.filter(permissions.visible_cases_q(user, prefix="case__"))
    if filters.state == "overdue":
        rows = rows.filter(overdue_q(today))
    elif filters.state:
        rows = rows.filter(state=filters.state)
    else:
        rows = rows.exclude(state=OversightState.CLOSED)
    if filters.level:
        rows = rows.filter(alert__level=filters.level)
    if filters.rule:
        rows = rows.filter(alert__rule=filters.rule)
    rows = rows.filter(filters.department_q("organization"))
    rows = rows.select_related("case", "case__local_item", "alert", "organization")
    return _order(rows, OVERSIGHT_SORTS, filters.sort, "due")


def counts(user: User | AnonymousUser, filters: Filters, today: dt.date) -> dict[str, int]:
    """The figures at the top of the page, for the chosen department: three queries (alerts, 督办, and the
    licensing decisions not published within the limit — 结果公开 as a signal of electronic supervision)."""
    from cases.results.selectors import overdue_publication_count
    from cases.services.oversight import overdue_q

    seen = permissions.visible_cases_q(user, prefix="case__")
    alerts = Alert.objects.filter(seen, cleared_at__isnull=True)
    rows = Oversight.objects.filter(seen)
    alerts = alerts.filter(filters.department_q("case__organization"))
    rows = rows.filter(filters.department_q("organization"))
    figures = alerts.aggregate(
        yellow=Count("pk", filter=Q(level=AlertLevel.YELLOW)), red=Count("pk", filter=Q(level=AlertLevel.RED))
    )
    figures.update(
        rows.aggregate(
            open=Count("pk", filter=~Q(state=OversightState.CLOSED)), overdue=Count("pk", filter=overdue_q(today))
        )
    )
    cases = Case.objects.filter(permissions.visible_cases_q(user))
    cases = cases.filter(filters.department_q("organization"))
    figures["unpublished"] = overdue_publication_count(cases, today)
    return figures


def department_choices(user: User | AnonymousUser, filters: Filters) -> DepartmentFilter:
    """The filter's departments: those with alerts or 督办 among the cases the user sees, as a select while they are a
    few dozen, else a search box (``catalogue.department_filter``); one query of at most 41 rows."""
    cases = Case.objects.filter(permissions.visible_cases_q(user)).filter(
        Q(alerts__isnull=False) | Q(oversights__isnull=False)
    )
    candidates = Organization.objects.filter(pk__in=cases.values("organization_id"))
    return department_filter(candidates, selected=filters.department, name=filters.department_name)
