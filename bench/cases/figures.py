"""``case-figures``: the case figures of every scope, stored, against one hand-written aggregate query."""

from __future__ import annotations

import datetime as dt

from django.db import connection

from bench import register
from bench.generate import PROVINCE

from .common import TODAY, fmt, median, repeat_arguments, timed

HAND_WRITTEN_FIGURES = """
WITH a AS (
    SELECT case_id, COUNT(*) FILTER (WHERE level = 'yellow') AS yellow, COUNT(*) FILTER (WHERE level = 'red') AS red
    FROM cases_alert WHERE cleared_at IS NULL GROUP BY case_id
), o AS (
    SELECT case_id, COUNT(*) AS open, COUNT(*) FILTER (WHERE reply_due < %s) AS overdue
    FROM cases_oversight WHERE state <> 'closed' GROUP BY case_id
)
SELECT d.county_code,
       COUNT(*) FILTER (WHERE c.accepted_on IS NOT NULL),
       COUNT(*) FILTER (WHERE c.status = 'finished'),
       COUNT(*) FILTER (WHERE c.status = 'finished' AND c.finished_on <= c.promised_due),
       COUNT(*) FILTER (WHERE c.status = 'finished' AND c.finished_on < c.promised_due),
       COUNT(*) FILTER (WHERE c.status = 'finished' AND c.finished_on > c.promised_due),
       COUNT(*) FILTER (WHERE c.status IN ('in_progress', 'suspended', 'decided', 'delivered')),
       COUNT(*) FILTER (WHERE c.status IN ('in_progress', 'decided', 'delivered') AND c.promised_due < %s),
       COUNT(*) FILTER (WHERE c.status = 'not_accepted'),
       SUM(a.yellow), SUM(a.red), SUM(o.open), SUM(o.overdue)
FROM cases_case c
JOIN catalogue_division d ON d.code = c.division_id
LEFT JOIN a ON a.case_id = c.id
LEFT JOIN o ON o.case_id = c.id
WHERE d.province_code = %s
GROUP BY d.county_code
"""


@register(
    "case-figures",
    help="the case figures of every scope, stored, vs one hand-written query",
    add_arguments=repeat_arguments,
)
def case_figures(args) -> str:
    from reporting.case_figures.services import case_snapshots_store
    from reporting.models import CaseSnapshot

    day = dt.date(2000, 1, 1)  # a date of its own, removed afterwards

    def baseline():
        with connection.cursor() as cursor:
            cursor.execute(HAND_WRITTEN_FIGURES, [TODAY, TODAY, PROVINCE])
            return cursor.fetchall()

    def ours():
        return case_snapshots_store(date=day, computed_at=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))

    baseline(), ours()
    base_times, our_times = [], []
    for _ in range(args.repeat):
        base_times.append(timed(baseline))
        our_times.append(timed(ours))
    stored = CaseSnapshot.objects.filter(date=day).count()
    CaseSnapshot.objects.filter(date=day).delete()
    base, ourtime = median(base_times), median(our_times)
    return "\n".join(
        [
            f"  hand-written aggregate query (per county): median {base:.3f} s  {fmt(base_times)}",
            f"  case_snapshots_store (every scope, stored): median {ourtime:.3f} s  {fmt(our_times)}",
            f"  snapshots stored: {stored:,} · ratio: {ourtime / base:.2f} (no goal set: not in issue 19's table)",
        ]
    )
