"""Reads of a scorecard for its pages: the ranking tables and the bulletin's lowest units, from stored results
only (a frozen scorecard reads the same whatever the data does), in a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User

from ..models import Scorecard, ScoreResult, UnitKind
from .permissions import results_for

BULLETIN_DEFAULT = 5
BULLETIN_MAX = 50


@dataclass(frozen=True)
class CountyGroup:
    code: str
    name: str
    results: list[ScoreResult]


@dataclass(frozen=True)
class Ranking:
    counties: list[ScoreResult]
    groups: list[CountyGroup]
    indicators: list[dict]  # label and weight of each indicator, in the order of the lines


def ranking(user: User | AnonymousUser, scorecard: Scorecard) -> Ranking:
    """The counties by rank and the departments by rank within their county: one query."""
    results = list(results_for(user, scorecard).order_by("kind", "rank", "name"))
    counties = [r for r in results if r.kind == UnitKind.COUNTY]
    groups: dict[str, CountyGroup] = {}
    for r in sorted(
        (r for r in results if r.kind == UnitKind.DEPARTMENT),
        key=lambda r: (r.county_code, r.rank_in_county or 0, r.name),
    ):
        groups.setdefault(r.county_code, CountyGroup(r.county_code, r.county_name, [])).results.append(r)
    sample = results[0].lines if results else []
    return Ranking(
        counties, list(groups.values()), [{"label": line["label"], "weight": line["weight"]} for line in sample]
    )


def lowest(user: User | AnonymousUser, scorecard: Scorecard, kind: str, n: int) -> list[ScoreResult]:
    """The ``n`` lowest units of a kind (ties at the boundary included), lowest first."""
    results = list(results_for(user, scorecard).filter(kind=kind).order_by("-rank", "name"))
    if len(results) <= n:
        return results
    cut = results[n - 1].total
    return [r for r in results if r.total <= cut] if n else []
