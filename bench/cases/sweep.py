"""``case-sweep``: the supervision sweep against one hand-written ``UPDATE … FROM`` of the same flags."""

from __future__ import annotations

import datetime as dt
import time

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench import register

from .common import TODAY, fmt, median, repeat_arguments, rolled_back, timed


def _sweep_baseline_sql(today: dt.date, near: dt.date) -> tuple[str, list]:
    """The flags the sweep keeps on the case row, set by one statement: red past the promised or the legal limit,
    yellow within the warning days, nothing otherwise (running cases only: a suspended case keeps its flag)."""
    sql = """
UPDATE cases_case c SET alert_level = f.level
FROM (
    SELECT id, CASE WHEN promised_due < %s OR legal_due < %s THEN 'red'
                    WHEN promised_due <= %s THEN 'yellow' ELSE '' END AS level
    FROM cases_case
    WHERE status IN ('in_progress', 'decided', 'delivered') AND accepted_on IS NOT NULL
) f
WHERE c.id = f.id AND c.alert_level <> f.level"""
    return sql, [today, today, near]


@register("case-sweep", help="the supervision sweep vs one hand-written UPDATE … FROM", add_arguments=repeat_arguments)
def case_sweep(args) -> str:
    try:
        from cases.supervision import sweep
    except ImportError:
        return "  not available: cases.supervision.sweep is not on this branch"
    from cases.models import OPEN_STATUSES, Case
    from core.workdays import add_workdays

    # Steady state, as the nightly sweep finds it: yesterday's sweep is done (committed once, and the statistics
    # brought up to date, as autovacuum would), and the day has moved on by one working day.
    started = time.perf_counter()
    first = sweep(TODAY)
    first_seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        for table in ("cases_case", "cases_alert", "cases_oversight"):
            cursor.execute(f"ANALYZE {table}")
    day = add_workdays(TODAY, 1)
    near = add_workdays(day, getattr(settings, "CASES_YELLOW_WORKDAYS", 2))
    sql, params = _sweep_baseline_sql(day, near)
    open_cases = Case.objects.filter(status__in=OPEN_STATUSES).count()

    def baseline():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.rowcount

    def ours():
        return sweep(day)

    rolled_back(baseline), rolled_back(ours)  # warm both
    base_times, our_times = [], []
    for _ in range(args.repeat):
        base_times.append(timed(lambda: rolled_back(baseline)))
        our_times.append(timed(lambda: rolled_back(ours)))
    changed = rolled_back(baseline)
    result = rolled_back(ours)

    def statements(half: bool) -> int:
        def run():
            if half:  # half the open cases closed first: the sweep's statements must not follow the number
                Case.objects.filter(pk__in=_every_other_open()).update(
                    status="finished", finished_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC), finished_on=TODAY
                )
            with CaptureQueriesContext(connection) as captured:
                sweep(day)
            return len(captured)

        return rolled_back(run)

    all_open, half_open = statements(False), statements(True)
    base, ourtime = median(base_times), median(our_times)
    return "\n".join(
        [
            f"  open cases: {open_cases:,}; the first sweep ({TODAY}, committed): {first_seconds:.1f} s, {first}",
            f"  the next working day ({day}): flags changed by the baseline {changed:,}; sweep: {result}",
            f"  hand-written UPDATE … FROM (flags only):  median {base:.3f} s  {fmt(base_times)}",
            f"  sweep(day) (alerts, 督办, flags):          median {ourtime:.3f} s  {fmt(our_times)}",
            f"  ratio: {ourtime / base:.2f} (goal ≤ 2)",
            f"  statements: {all_open} with every open case, {half_open} with half of them (goal: the same)",
        ]
    )


def _every_other_open():
    from django.db.models import F
    from django.db.models.functions import Mod

    from cases.models import OPEN_STATUSES, Case

    return Case.objects.filter(status__in=OPEN_STATUSES).annotate(odd=Mod(F("pk"), 2)).filter(odd=1).values("pk")
