"""Reads of cases for the staff pages, scoped by ``cases.permissions`` and loaded in a number of queries that does
not grow with the rows: the list, one case with everything its page shows, and the extension queue."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Prefetch, Q, QuerySet
from django.http import QueryDict

from catalogue.models import LocalItem
from core.pages import parse_keys

from . import permissions
from .models import AlertLevel, Case, CaseStatus, CaseStep, Extension, ExtensionState, Notice, Suspension

SORTS = {
    "received": ("-received_at", "-pk"),
    "promised_due": ("promised_due", "pk"),
    "legal_due": ("legal_due", "pk"),
    "number": ("number",),
}


@dataclass(frozen=True)
class CaseFilters:
    q: str = ""
    status: str = ""
    alert: str = ""
    item: int | None = None
    sort: str = "received"

    @classmethod
    def from_query(cls, query: QueryDict) -> CaseFilters:
        status = query.get("status", "")
        alert = query.get("alert", "")
        sort = query.get("sort", "received")
        try:
            item = parse_keys([query["item"]])[0] if query.get("item") else None
        except ValueError:
            item = None
        return cls(
            q=query.get("q", "").strip()[:64],
            status=status if status in CaseStatus.values else "",
            alert=alert if alert in (*AlertLevel.values, "none") and alert != "" else "",
            item=item,
            sort=sort if sort in SORTS else "received",
        )


def case_list(user: User, filters: CaseFilters) -> QuerySet[Case]:
    cases = permissions.visible_cases(user).select_related("local_item", "organization")
    if filters.q:
        cases = cases.filter(
            Q(number__contains=filters.q.upper())
            | Q(applicant_name__contains=filters.q)
            | Q(local_item__name__contains=filters.q)
        )
    if filters.status:
        cases = cases.filter(status=filters.status)
    if filters.alert == "none":
        cases = cases.filter(alert_level=AlertLevel.NONE)
    elif filters.alert:
        cases = cases.filter(alert_level=filters.alert)
    if filters.item:
        cases = cases.filter(local_item_id=filters.item)
    return cases.order_by(*SORTS[filters.sort])


def list_items(user: User) -> QuerySet[LocalItem]:
    """The items a user's visible cases are about, for the list's item filter."""
    return LocalItem.objects.filter(pk__in=permissions.visible_cases(user).values("local_item_id")).order_by("name")


def case_for_page(user: User, number: str) -> Case | None:
    """One case the user may see, with its log, checklist, notices, special procedures, extensions, fees and
    alerts prefetched: the case page runs the same queries for 5 steps or 500."""
    from .models import Alert, Oversight

    return (
        permissions.visible_cases(user)
        .select_related(
            "local_item__general_item",
            "organization",
            "division",
            "standard__guide",
            "received_by",
            "accepted_by",
        )
        .prefetch_related(
            "materials",
            Prefetch("steps", queryset=CaseStep.objects.select_related("actor", "manual_step").order_by("seq")),
            Prefetch("notices", queryset=Notice.objects.order_by("issued_at", "pk")),
            Prefetch("suspensions", queryset=Suspension.objects.order_by("started_on", "pk")),
            Prefetch("extensions", queryset=Extension.objects.select_related("requested_by", "decided_by")),
            "fees",
            Prefetch("alerts", queryset=Alert.objects.order_by("-raised_at", "-pk")),
            Prefetch("oversights", queryset=Oversight.objects.select_related("organization").order_by("-opened_at")),
        )
        .filter(number=number)
        .first()
    )


def extension_queue(user: User) -> QuerySet[Extension]:
    return (
        Extension.objects.filter(permissions.extension_queue_q(user), state=ExtensionState.REQUESTED)
        .select_related("case__local_item", "case__organization", "requested_by")
        .order_by("requested_at", "pk")
    )
