"""Publication of licensing decisions (行政许可法 第四十条) and their withdrawal.

One owner: ``publish_due_results`` makes every result. Celery beat runs it over everything whose publication falls
due (``CASE_RESULT_PUBLISH_WORKDAYS`` working days after the decision, default 7), and the decision service calls it
for the one case right after its decision commits (``case_ids``), since publishing before the limit is always
allowed. It is idempotent: a case has at most one result (a unique key), candidates are locked and re-checked, and a
withdrawn result is never published again.

Only 行政许可 items (item type ``01``) and only the two decisions 准予 and 不予 are published. The applicant is shown as
the rules allow: an organization by name and unified social credit code, a person by family name only, never an ID
number, phone or address.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import permissions
from cases.masking import applicant_display
from cases.models import ApplicantKind, Case, Decision, Notice, NoticeKind, PublishedResult
from cases.services.common import require_text
from catalogue.models import ItemType
from core import workdays
from core.exceptions import TransitionNotAllowed
from standards.models import BasisRole, Citation

DEFAULT_WORKDAYS = 7
BATCH = 200
PUBLISHED_ROLES = (BasisRole.FOUNDING, BasisRole.IMPLEMENTING)
MIN_REASON = 4


def publish_workdays() -> int:
    return getattr(settings, "CASE_RESULT_PUBLISH_WORKDAYS", DEFAULT_WORKDAYS)


def publication_due(decided_on: dt.date) -> dt.date:
    """The last day to publish a decision taken on ``decided_on``."""
    return workdays.add_workdays(decided_on, publish_workdays())


def latest_decision_day(today: dt.date, *, overdue: bool = False) -> dt.date:
    """The latest decision day whose publication is due by ``today`` (``overdue``: due before ``today``).

    ``publication_due`` never decreases with the decision day, so walking back from ``today`` finds the boundary in a
    few steps; the cut-off then turns "due by today" into one plain date comparison in SQL."""
    day = today
    while publication_due(day) > today or (overdue and publication_due(day) == today):
        day -= dt.timedelta(days=1)
    return day


def _day_end(day: dt.date) -> dt.datetime:
    """The first moment after ``day`` in local time, for ``decided_at < …`` comparisons."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def publishable_cases_q(prefix: str = "") -> Q:
    """Licensing cases with a 准予 or 不予 decision."""
    return Q(
        **{
            f"{prefix}local_item__item_type": ItemType.LICENSING,
            f"{prefix}decision__in": Decision.values,
            f"{prefix}decided_at__isnull": False,
        }
    )


def unpublished_cases() -> QuerySet[Case]:
    return Case.objects.filter(publishable_cases_q(), published_result__isnull=True)


def due_cases(today: dt.date) -> QuerySet[Case]:
    """Decisions not yet published whose publication is due by ``today``."""
    return unpublished_cases().filter(decided_at__lt=_day_end(latest_decision_day(today)))


def overdue_q(today: dt.date, prefix: str = "") -> Q:
    """Cases not published within the limit: still unpublished past their due day, or published after it."""
    return publishable_cases_q(prefix) & (
        Q(
            **{
                f"{prefix}published_result__isnull": True,
                f"{prefix}decided_at__lt": _day_end(latest_decision_day(today, overdue=True)),
            }
        )
        | Q(**{f"{prefix}published_result__published_late": True})
    )


def _basis(case: Case) -> list[dict]:
    if case.standard_id:
        rows = [
            {"law": c.law_name, "doc_number": c.doc_number, "article": c.article_ref}
            for c in case.standard.published_citations
        ]
        if rows:
            return rows
    # A case from another system may name no standard: the item's founding basis (设定依据) of the general catalogue.
    return [
        {"law": b.get("law", ""), "doc_number": b.get("doc_number", ""), "article": b.get("article", "")}
        for b in (case.local_item.general_item.bases or [])
        if isinstance(b, dict)
    ]


def snapshot(case: Case, *, now: dt.datetime, actor: User | None) -> PublishedResult:
    """The result as published, copied from the case (loaded by ``_candidates``)."""
    decided_on = timezone.localtime(case.decided_at).date()
    organization = case.applicant_kind != ApplicantKind.PERSON
    notices = case.decision_notices
    return PublishedResult(
        case=case,
        local_item_id=case.local_item_id,
        organization_id=case.organization_id,
        division_id=case.division_id,
        item_name=case.local_item.name,
        item_code=case.local_item.code,
        department_name=case.organization.name,
        division_name=case.division.name,
        decision=case.decision,
        decided_on=decided_on,
        document_number=notices[-1].number if notices else "",
        basis=_basis(case),
        applicant_kind=case.applicant_kind,
        applicant_display=applicant_display(case.applicant_kind, case.applicant_name),
        applicant_credit_code=(case.applicant_id_number or "").strip().upper() if organization else "",
        due_on=publication_due(decided_on),
        published_at=now,
        published_late=timezone.localtime(now).date() > publication_due(decided_on),
        published_by=actor,
    )


def _candidates(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.select_related(
        "local_item", "local_item__general_item", "organization", "division", "standard"
    ).prefetch_related(
        Prefetch(
            "standard__citations",
            queryset=Citation.objects.filter(role__in=PUBLISHED_ROLES).order_by("position", "pk"),
            to_attr="published_citations",
        ),
        Prefetch(
            "notices",
            queryset=Notice.objects.filter(kind=NoticeKind.DECISION).order_by("issued_at", "pk"),
            to_attr="decision_notices",
        ),
    )


def publish_due_results(
    *, now: dt.datetime | None = None, case_ids: Iterable[int] | None = None, actor: User | None = None
) -> list[PublishedResult]:
    """Publish what is due by ``now`` (the beat), or the named decided cases whatever their due day (right after a
    decision). Returns the results made now; running it again makes none."""
    now = now or timezone.now()
    if case_ids is not None:
        cases = unpublished_cases().filter(pk__in=list(case_ids))
    else:
        cases = due_cases(timezone.localtime(now).date())
    made: list[PublishedResult] = []
    ids = list(cases.order_by("decided_at", "pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        made += _publish_batch(ids[start : start + BATCH], now=now, actor=actor)
    return made


@transaction.atomic
def _publish_batch(ids: list[int], *, now: dt.datetime, actor: User | None) -> list[PublishedResult]:
    # Lock the cases, then look again: a run beside this one may have published some meanwhile.
    locked = list(Case.objects.select_for_update().filter(pk__in=ids).values_list("pk", flat=True))
    fresh = _candidates(unpublished_cases().filter(pk__in=locked)).order_by("decided_at", "pk")
    return PublishedResult.objects.bulk_create([snapshot(case, now=now, actor=actor) for case in fresh])


@transaction.atomic
def published_result_withdraw(*, actor: User, result: PublishedResult, reason: str) -> PublishedResult:
    """撤回: hidden from the public from now on, the record kept with who withdrew it and why."""
    result = PublishedResult.objects.select_for_update().select_related("case").get(pk=result.pk)
    if not permissions.can_withdraw_result(actor, result):
        raise PermissionDenied(_("只有办件所在地的监察机构可以撤回公开结果"))
    if result.withdrawn_at is not None:
        raise TransitionNotAllowed(_("该公开结果已撤回"))
    reason = require_text(reason, "reason", _("请写明撤回理由（不少于4个字）"), least=MIN_REASON)
    result.withdrawn_at, result.withdrawn_by, result.withdrawal_reason = timezone.now(), actor, reason
    result.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    return result
