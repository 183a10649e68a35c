"""Demo published results (结果公开): the demo counties' licensing decisions, published the way the portal publishes
them (``publish_due_results``), then dated as if each had been published on its working day after the decision —
except the oldest of each county, published two working days past its limit, so the supervision page shows the
signal. Running it again changes nothing."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from core.workdays import add_workdays

from .models import Case, PublishedResult
from .results.publishing import publication_due, publish_due_results, publish_workdays, publishable_cases_q


def _moment(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def seed_results(today: dt.date | None = None, log=print) -> None:
    today = today or timezone.localdate()
    decided = Case.objects.filter(publishable_cases_q())
    publish_due_results(case_ids=decided.values_list("pk", flat=True))
    late_ids = set()
    seen_divisions = set()
    for result in PublishedResult.objects.order_by("decided_on", "pk").only("pk", "division_id", "decided_on"):
        if result.division_id not in seen_divisions:
            seen_divisions.add(result.division_id)
            if add_workdays(result.decided_on, publish_workdays() + 2) <= today:
                late_ids.add(result.pk)
    results = list(PublishedResult.objects.only("pk", "decided_on", "due_on", "published_at", "published_late"))
    for result in results:
        if result.pk in late_ids:
            day, late = add_workdays(result.decided_on, publish_workdays() + 2), True
        else:
            day, late = min(add_workdays(result.decided_on, 1), today), False
        result.due_on = publication_due(result.decided_on)
        result.published_at, result.published_late = _moment(day), late
    PublishedResult.objects.bulk_update(results, ["due_on", "published_at", "published_late"], batch_size=500)
    log(
        _("结果公开：%(total)s 条（准予 %(grant)s，不予 %(deny)s；逾期公开 %(late)s）")
        % {
            "total": len(results),
            "grant": PublishedResult.objects.filter(decision="grant").count(),
            "deny": PublishedResult.objects.filter(decision="deny").count(),
            "late": len(late_ids),
        }
    )
