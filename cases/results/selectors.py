"""The public reads of published results: one filter shared by the pages, the API and the export, so each shows the
same rows. Every column a page shows is on the result row itself (the snapshot), so a page of any size is two
queries (count and rows)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from cases.models import Case, PublishedResult
from catalogue.models import Division, Organization

from .publishing import overdue_q


@dataclass(frozen=True)
class ResultFilters:
    q: str = ""
    department: Organization | None = None
    division: Division | None = None
    decision: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def public_results() -> QuerySet[PublishedResult]:
    """Results anyone may read: not withdrawn, newest decision first."""
    return PublishedResult.objects.public().order_by("-decided_on", "-pk")


def filter_results(results: QuerySet[PublishedResult], filters: ResultFilters) -> QuerySet[PublishedResult]:
    if filters.q:
        term = filters.q.strip()
        results = results.filter(Q(item_name__contains=term) | Q(item_code__startswith=term.upper()))
    if filters.department is not None:
        results = results.filter(organization=filters.department)
    if filters.division is not None:
        results = results.filter(**{f"division__{filters.division.level}_code": filters.division.code})
    if filters.decision:
        results = results.filter(decision=filters.decision)
    if filters.date_from:
        results = results.filter(decided_on__gte=filters.date_from)
    if filters.date_to:
        results = results.filter(decided_on__lte=filters.date_to)
    return results


def result_divisions() -> QuerySet[Division]:
    """The divisions with public results and the cities and provinces above them, for the filter (one query)."""
    results = public_results()
    return Division.objects.filter(
        Q(pk__in=results.values("division_id"))
        | Q(pk__in=results.values("division__city_code"))
        | Q(pk__in=results.values("division__province_code"))
    ).order_by("code")


def result_departments(division: Division | None = None) -> QuerySet[Organization]:
    """The departments with public results (in ``division``'s subtree when given), for the filter (one query)."""
    results = public_results()
    if division is not None:
        results = results.filter(**{f"division__{division.level}_code": division.code})
    return Organization.objects.filter(pk__in=results.values("organization_id")).order_by("name")


def overdue_publication_count(cases: QuerySet[Case], today: dt.date) -> int:
    """电子监察: of ``cases``, the licensing decisions not published within the limit (one query)."""
    return cases.filter(overdue_q(today)).count()
