"""The 好差评 and hall figures of a unit and its children one level down, counted live by a fixed number of grouped
queries whatever the number of evaluations, tickets or questions.

A province's children are its cities, a city's its counties (its departments when it has no counties, as for the
case figures), a county's its departments; a department's are its windows, staff members and items. Each level is
one ``GROUP BY`` per source — evaluations (``evaluation.selectors.figure_annotations``), queue numbers
(``hall.selectors.ticket_figures_by``) and consultation questions (``hall.selectors.consultation_figures_by``) —
plus one query for the children's names. The unit's own figures are the sums of its children's counts (shares and
means are recomputed from counts by ``evaluation.selectors.with_rates``, so nothing is averaged twice).

Definitions (written on the page as 口径说明): evaluations counted are those an upheld appeal did not exclude;
satisfaction is 满意 and better ÷ evaluations; bad grades are 不满意 and 非常不满意; rectified on time ÷ bad grades;
follow-up rate = real-name bad grades followed up by phone ÷ real-name bad grades; overdue = rectifications still
open whose current stage's due date is before today; handling days = mean time from a bad grade to its closed
rectification; hall: numbers taken, no-shows, mean wait from taking a number to its first call; consultation:
answered on or before the due date ÷ received.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from catalogue.models import Division, DivisionLevel, LocalItem, Organization
from evaluation.models import Evaluation
from evaluation.selectors import figure_annotations, with_rates, within_dates
from hall.models import Consultation, Ticket, Window
from hall.selectors import consultation_figures_by, ticket_figures_by

EVALUATION_COUNTS = tuple(figure_annotations().keys())
HALL_COUNTS = ("tickets", "no_shows", "called")
CONSULTATION_COUNTS = ("received", "on_time", "overdue")

# The child of each level: (kind, evaluation key, ticket key, consultation key).
CHILDREN = {
    "province": ("city", "division__city_code", "hall__division__city_code", "organization__division__city_code"),
    "city": ("county", "division__county_code", "hall__division__county_code", "organization__division__county_code"),
    # A comprehensive window has no department: its numbers belong to the hall's organization, as its evaluations do.
    "county": (
        "department",
        "organization_id",
        Coalesce("window__department_id", "hall__organization_id"),
        "organization_id",
    ),
}
DEPARTMENTS = CHILDREN["county"]


@dataclass
class UnitFigures:
    """One unit's figures: evaluation counts with their rates, hall counts, consultation counts."""

    evaluation: dict = field(default_factory=dict)
    hall: dict = field(default_factory=dict)
    consultation: dict = field(default_factory=dict)

    @property
    def mean_wait_minutes(self) -> float | None:
        total, called = self.hall.get("wait_total"), self.hall.get("called")
        return round(total.total_seconds() / 60 / called, 1) if total is not None and called else None

    @property
    def consultation_on_time_rate(self) -> float | None:
        received = self.consultation.get("received")
        return round(self.consultation["on_time"] / received, 4) if received else None


@dataclass(frozen=True)
class UnitRow:
    key: object
    name: str
    figures: UnitFigures
    drill_division: str | None = None
    drill_department: int | None = None


@dataclass(frozen=True)
class EvaluationBoard:
    division: Division
    organization: Organization | None
    start: dt.date
    end: dt.date
    headline: UnitFigures
    child_kind: str
    rows: list[UnitRow]
    staff_rows: list[UnitRow] = field(default_factory=list)
    item_rows: list[UnitRow] = field(default_factory=list)


def _zero(names) -> dict:
    return dict.fromkeys(names, 0)


def _evaluation_rows(evaluations: QuerySet[Evaluation], key: str, today: dt.date) -> dict:
    rows = (
        evaluations.filter(**{f"{key}__isnull": False})
        .values(unit_key=F(key))
        .annotate(**figure_annotations(today))
        .order_by()
    )
    return {row.pop("unit_key"): row for row in rows}


def _hall_rows(tickets: QuerySet[Ticket], key: str) -> dict:
    """``ticket_figures_by`` with the wait kept as a total, so a unit's mean is recomputed from its children's."""
    rows = ticket_figures_by(tickets, key)
    for row in rows.values():
        mean = row.pop("mean_wait")
        row["wait_total"] = mean * row["called"] if mean is not None else None
    return rows


def _add(total: dict, part: dict) -> None:
    for name, value in part.items():
        if value is None:
            continue
        total[name] = value if total.get(name) is None else total[name] + value


def _sources(division: Division, organization: Organization | None, start: dt.date, end: dt.date):
    code = {f"division__{division.level}_code": division.code}
    evaluations = within_dates(Evaluation.objects.filter(**code), start, end)
    tickets = Ticket.objects.filter(**{f"hall__{k}": v for k, v in code.items()}, day__gte=start, day__lte=end)
    consultations = Consultation.objects.filter(
        **{f"organization__{k}": v for k, v in code.items()},
        received_at__date__gte=start,
        received_at__date__lte=end,
    )
    if organization is not None:
        evaluations = evaluations.filter(organization=organization)
        tickets = tickets.filter(
            Q(window__department=organization) | Q(window__department__isnull=True, hall__organization=organization)
        )
        consultations = consultations.filter(organization=organization)
    return evaluations, tickets, consultations


def _combine(keys, evaluation: dict, hall: dict, consultation: dict) -> dict:
    return {
        key: UnitFigures(
            with_rates({**_zero(EVALUATION_COUNTS), **evaluation.get(key, {})}),
            {**_zero(HALL_COUNTS), "wait_total": None, **hall.get(key, {})},
            {**_zero(CONSULTATION_COUNTS), **consultation.get(key, {})},
        )
        for key in keys
    }


def headline_of(rows: list[UnitRow]) -> UnitFigures:
    evaluation, hall, consultation = _zero(EVALUATION_COUNTS), _zero(HALL_COUNTS), _zero(CONSULTATION_COUNTS)
    evaluation["handling_days_total"] = None
    for row in rows:
        _add(evaluation, {k: row.figures.evaluation.get(k) for k in (*EVALUATION_COUNTS, "handling_days_total")})
        _add(hall, row.figures.hall)
        _add(consultation, row.figures.consultation)
    evaluation.pop("handling_total", None)
    return UnitFigures(with_rates(evaluation), hall, consultation)


def child_kind_of(division: Division) -> str:
    """As the case figures go down: a city without counties shows its departments (one small query)."""
    if (
        division.level == DivisionLevel.CITY
        and not Division.objects.filter(city_code=division.code, level=DivisionLevel.COUNTY).exists()
    ):
        return "department"
    return CHILDREN[division.level][0]


def _names(kind: str, keys) -> dict:
    if kind == "department":
        return dict(Organization.objects.filter(pk__in=[k for k in keys if k]).values_list("pk", "name"))
    return dict(Division.objects.filter(code__in=[k for k in keys if k]).values_list("code", "name"))


def unit_rows(
    division: Division, today: dt.date, start: dt.date, end: dt.date, kind: str | None = None
) -> list[UnitRow]:
    """The figures of ``division``'s children (``kind``: city, county or department), in four queries."""
    kind = kind or child_kind_of(division)
    _kind, e_key, t_key, c_key = next(c for c in CHILDREN.values() if c[0] == kind)
    evaluations, tickets, consultations = _sources(division, None, start, end)
    evaluation = _evaluation_rows(evaluations, e_key, today)
    hall = _hall_rows(tickets, t_key)
    consultation = consultation_figures_by(consultations, c_key, today)
    keys = set(evaluation) | set(hall) | set(consultation)
    names = _names(kind, keys)
    own = _("%(name)s本级") % {"name": division.name}
    rows = [
        UnitRow(
            key,
            names.get(key) or own,
            figures,
            drill_division=key if kind != "department" and key else None,
            drill_department=key if kind == "department" else None,
        )
        for key, figures in _combine(keys, evaluation, hall, consultation).items()
    ]
    return sorted(rows, key=lambda r: (str(r.key or ""), r.name))


def _department_board(division: Division, organization: Organization, today, start, end) -> EvaluationBoard:
    evaluations, tickets, consultations = _sources(division, organization, start, end)
    by_window = _evaluation_rows(evaluations, "window_id", today)
    hall = _hall_rows(tickets, "window_id")
    windows = {
        pk: f"{number} {name}"
        for pk, number, name in Window.objects.filter(pk__in=set(by_window) | set(hall)).values_list(
            "pk", "number", "name"
        )
    }
    window_rows = [
        UnitRow(k, windows.get(k, str(k)), f)
        for k, f in _combine(set(by_window) | set(hall), by_window, hall, {}).items()
    ]
    by_staff = _evaluation_rows(evaluations, "staff_id", today)
    staff = {
        pk: (f"{last}{first}" or username)
        for pk, username, first, last in User.objects.filter(pk__in=list(by_staff)).values_list(
            "pk", "username", "first_name", "last_name"
        )
    }
    staff_rows = [UnitRow(k, staff.get(k, str(k)), f) for k, f in _combine(by_staff, by_staff, {}, {}).items()]
    by_item = _evaluation_rows(evaluations, "local_item_id", today)
    consultation = consultation_figures_by(consultations, "local_item_id", today)
    items = dict(LocalItem.objects.filter(pk__in=set(by_item) | set(consultation)).values_list("pk", "name"))
    item_rows = [
        UnitRow(k, items.get(k, str(k)), f)
        for k, f in _combine(set(by_item) | set(consultation), by_item, {}, consultation).items()
    ]
    # The department's own line: all its evaluations, numbers and questions, not only those with a window or item.
    own = _combine(
        [organization.pk],
        _evaluation_rows(evaluations, "organization_id", today),
        _hall_rows(tickets, DEPARTMENTS[2]),
        consultation_figures_by(consultations, "organization_id", today),
    )[organization.pk]
    return EvaluationBoard(
        division,
        organization,
        start,
        end,
        own,
        "window",
        sorted(window_rows, key=lambda r: r.name),
        sorted(staff_rows, key=lambda r: r.name),
        sorted(item_rows, key=lambda r: r.name),
    )


def evaluation_board(
    division: Division,
    organization: Organization | None,
    *,
    today: dt.date,
    start: dt.date,
    end: dt.date,
) -> EvaluationBoard:
    """The unit's figures from ``start`` to ``end`` and its children's; overdue counted on ``today``."""
    if organization is not None:
        return _department_board(division, organization, today, start, end)
    kind = child_kind_of(division)
    rows = unit_rows(division, today, start, end, kind)
    return EvaluationBoard(division, None, start, end, headline_of(rows), kind, rows)
