"""What a standard learns from its cases (the evidence for its next version), shown on the standard's staff page.

Three questions, each one aggregate query over the cases of the standard's item (every version: a material that keeps
going missing is news for the next version whichever version the cases were accepted under):

- which materials are most often missing at acceptance (补正: ``CaseMaterial.missing_at_acceptance``), by name;
- which steps overrun their own limit (recorded on a later day than their ``due_on``), by kind of step;
- which reasons refusals cite (不予受理 and 不予许可), by reason text.

The standards app cannot import cases, so it asks for its page's panels through ``settings.STANDARD_PAGE_PANELS``,
which names ``standard_panels`` here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from core.pages import PagePanel
from standards.models import ItemStandard

from . import permissions
from .models import Case, CaseMaterial, CaseStatus, CaseStep, Decision, StepKind

TOP = 10
PANEL_TEMPLATE = "cases/includes/learning_panel.html"


@dataclass(frozen=True)
class Learning:
    """The answers for one item; each list is ordered most frequent first and holds at most ``TOP`` rows."""

    cases: int
    supplements: int  # cases that went through 补正
    missing: list[dict] = field(default_factory=list)  # {"name", "count"}
    overruns: list[dict] = field(default_factory=list)  # {"kind", "label", "overrun", "timed"}
    refusals: list[dict] = field(default_factory=list)  # {"kind", "label", "reason", "count"}


def _item_cases(standard: ItemStandard) -> QuerySet[Case]:
    return Case.objects.filter(local_item_id=standard.local_item_id)


def missing_materials(standard: ItemStandard, top: int = TOP) -> list[dict]:
    """补正 per material: how many cases had it missing at acceptance."""
    rows = (
        CaseMaterial.objects.filter(case__local_item_id=standard.local_item_id, missing_at_acceptance=True)
        .values("name")
        .annotate(count=Count("pk"))
        .order_by("-count", "name")[:top]
    )
    return list(rows)


def step_overruns(standard: ItemStandard, top: int = TOP) -> list[dict]:
    """Steps recorded after their own limit, per kind, with the number of steps that had a limit at all."""
    labels = dict(StepKind.choices)
    rows = (
        CaseStep.objects.filter(case__local_item_id=standard.local_item_id, due_on__isnull=False)
        .annotate(day=TruncDate("at"))
        .values("kind")
        .annotate(timed=Count("pk"), overrun=Count("pk", filter=Q(day__gt=F("due_on"))))
        .filter(overrun__gt=0)
        .order_by("-overrun", "kind")[:top]
    )
    return [{**row, "label": labels.get(row["kind"], row["kind"])} for row in rows]


def refusal_reasons(standard: ItemStandard, top: int = TOP) -> list[dict]:
    """不予受理 and 不予许可 by the reason given, most cited first (a refusal without a reason counts under "")."""
    not_accepted = (
        _item_cases(standard)
        .filter(status=CaseStatus.NOT_ACCEPTED)
        .values(reason=F("refusal_reason"))
        .annotate(count=Count("pk"))
        .order_by("-count", "reason")[:top]
    )
    denied = (
        _item_cases(standard)
        .filter(decision=Decision.DENY)
        .values(reason=F("decision_reason"))
        .annotate(count=Count("pk"))
        .order_by("-count", "reason")[:top]
    )
    rows = [{**r, "kind": "not_accepted", "label": _("不予受理")} for r in not_accepted]
    rows += [{**r, "kind": "denied", "label": _("不予许可")} for r in denied]
    rows.sort(key=lambda r: (-r["count"], str(r["label"]), r["reason"]))
    return rows[:top]


def learning(standard: ItemStandard) -> Learning:
    """The three answers and the counts they are read against: five queries whatever the number of cases."""
    went_missing = CaseMaterial.objects.filter(case=OuterRef("pk"), missing_at_acceptance=True)
    totals = (
        _item_cases(standard)
        .annotate(supplemented=Exists(went_missing))
        .aggregate(cases=Count("pk"), supplements=Count("pk", filter=Q(supplemented=True)))
    )
    return Learning(
        cases=totals["cases"],
        supplements=totals["supplements"],
        missing=missing_materials(standard),
        overruns=step_overruns(standard),
        refusals=refusal_reasons(standard),
    )


def standard_panels(user: User | AnonymousUser, standard: ItemStandard) -> list[PagePanel]:
    """The panel 办件反馈 on a standard's page, for those who may read the standard (its department, the reviewers and
    supervisors of its division); nothing for anyone else."""
    if not permissions.can_see_learning(user, standard):
        return []
    return [
        PagePanel(
            title=str(_("办件反馈：下一版本的依据")), template=PANEL_TEMPLATE, context={"learning": learning(standard)}
        )
    ]
