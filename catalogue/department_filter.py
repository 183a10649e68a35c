"""The department filter of the staff lists (the reviewers' queue, the supervision board): a select while the
choices are a few dozen, a search box beyond that, so no page lists the thousands of departments of a province.

The search box is a plain ``<input list>`` whose ``<datalist>`` ``static/js/portal.js`` fills from
``catalogue:department_search`` (the departments in the user's scope whose name holds the typed text, at most
``SEARCH_LIMIT``). Without JavaScript the typed text is sent as ``department_name`` and the list keeps the rows of the
departments whose name holds it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet

from catalogue import access
from catalogue.models import Division, Organization, OrganizationKind

# Beyond this many departments a select is no longer a choice one can make: the page shows the search box.
MAX_LISTED = 40
SEARCH_LIMIT = 20
MAX_NAME = 100


@dataclass(frozen=True)
class DepartmentFilter:
    """What the widget shows: ``choices`` for a select, or None for the search box; the chosen department's key
    (``department``) and the typed name (``department_name``)."""

    choices: list[Organization] | None
    selected: int | None
    name: str


def clean_name(value: str | None) -> str:
    """The typed department name as the filter uses it: trimmed, at most ``MAX_NAME`` characters, no NUL."""
    return (value or "").replace("\x00", "").strip()[:MAX_NAME]


def department_filter(
    candidates: QuerySet[Organization] | None, *, selected: int | None, name: str = ""
) -> DepartmentFilter:
    """The widget for ``candidates`` (the departments the list's rows could be filtered by, or None when the page
    knows they are too many to ask for): one query of at most ``MAX_LISTED + 1`` rows, whatever their number."""
    choices = None
    if candidates is not None:
        choices = list(candidates.order_by("name", "pk")[: MAX_LISTED + 1])
        if len(choices) > MAX_LISTED:
            choices = None
    return DepartmentFilter(choices=choices, selected=selected, name=name)


def department_q(path: str, *, selected: int | None, name: str) -> Q:
    """The rows of the chosen department (``path`` leads from the row to its organization), or of the departments
    whose name holds the typed text; every row when neither is given."""
    q = Q()
    if selected:
        q &= Q(**{f"{path}_id": selected})
    if name:
        q &= Q(**{f"{path}__name__icontains": name})
    return q


def search_departments(user: User | AnonymousUser, text: str, division: Division | None = None) -> list[dict]:
    """At most ``SEARCH_LIMIT`` active departments in the user's scope (and ``division``'s subtree) whose name holds
    ``text``, by name: what the search box offers."""
    text = clean_name(text)
    if not text:
        return []
    departments = access.visible_organizations(user).filter(
        kind=OrganizationKind.DEPARTMENT, is_active=True, name__icontains=text
    )
    if division is not None:
        departments = departments.filter(**{f"division__{division.level}_code": division.code})
    rows = departments.order_by("name", "pk").values("pk", "name", "division__name")[:SEARCH_LIMIT]
    return [{"id": row["pk"], "name": row["name"], "division": row["division__name"]} for row in rows]
