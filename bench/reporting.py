"""Reporting benchmarks: ``compute-rates``, ``progress-report`` and ``dashboard`` (see ``bench/README.md``).

- ``compute-rates``: ``reporting.services.rate_snapshots_store`` (the rate half of ``rates_compute``; the case half
  is ``case-figures``) for the whole country (in the bench database: Guangdong), the snapshots stored, against one
  hand-written ``GROUP BY GROUPING SETS`` query giving the same figures for every scope (checked equal first),
  alternated in the same run; the figure is the ratio of the medians (goal: at most 1.5, issue 19).
- ``progress-report``: ``progress_report_build`` for the province (440000): time, the peak of Python allocations
  (tracemalloc) and the process's peak RSS. Run it at ``--scale`` 1, 2 and 4 to see whether memory stays flat.
- ``dashboard``: the province's dashboard page rendered through the Django test client as an administrator: its
  query count and median time.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
import tracemalloc

from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench import register
from bench.generate import PROVINCE, peak_rss_mb
from bench.results import BenchFailure, Outcome, Result

# The bare baseline: the figures of every scope — province, city, county, department — in one hand-written
# ``GROUP BY GROUPING SETS`` query over the items, each joined once to its published version, its version in progress
# and their open review tasks (the database allows at most one of each). No project code, no snapshot written.
GROUPING_SETS = """
SELECT GROUPING(d.province_code) AS not_province, GROUPING(d.city_code) AS not_city,
       GROUPING(d.county_code) AS not_county,
       d.province_code, d.city_code, d.county_code, o.division_id, li.organization_id,
       COUNT(*),
       COUNT(*) FILTER (WHERE p.id IS NOT NULL OR w.id IS NOT NULL),
       COUNT(*) FILTER (WHERE p.first_submitted_at IS NOT NULL OR w.first_submitted_at IS NOT NULL),
       COUNT(*) FILTER (WHERE w.state = 'dept_confirm'),
       COUNT(*) FILTER (WHERE w.state = 'compliance_review'),
       COUNT(*) FILTER (WHERE w.state = 'legality_review'),
       COUNT(*) FILTER (WHERE w.state = 'returned'),
       COUNT(*) FILTER (WHERE w.state = 'approved'),
       COUNT(p.id),
       COUNT(*) FILTER (WHERE p.id IS NOT NULL OR w.state = 'approved'),
       COUNT(*) FILTER (WHERE p.return_count = 0 OR (w.state = 'approved' AND w.return_count = 0)),
       COUNT(*) FILTER (WHERE pt.due_at < %(now)s OR wt.due_at < %(now)s)
FROM catalogue_localitem li
JOIN catalogue_division d ON d.code = li.division_id
JOIN catalogue_organization o ON o.id = li.organization_id
LEFT JOIN standards_itemstandard p ON p.local_item_id = li.id AND p.state = 'published'
LEFT JOIN standards_itemstandard w ON w.local_item_id = li.id
     AND w.state IN ('draft', 'dept_confirm', 'compliance_review', 'legality_review', 'approved', 'returned')
LEFT JOIN reviews_reviewtask pt ON pt.standard_id = p.id AND pt.closed_at IS NULL
LEFT JOIN reviews_reviewtask wt ON wt.standard_id = w.id AND wt.closed_at IS NULL
WHERE li.status = 'active'
GROUP BY GROUPING SETS ((d.province_code), (d.city_code), (d.county_code), (o.division_id, li.organization_id))
"""


def _grouping_sets_figures(rows) -> dict[str, tuple[int, ...]]:
    """The baseline's rows keyed as snapshots are (``scope_key``); the empty city and county groups (items of a
    province's own or a city's own divisions) are no scope."""
    figures = {}
    for not_province, not_city, not_county, province, city, county, home, organization, *counts in rows:
        if not not_province:
            key = province
        elif not not_city:
            key = city
        elif not not_county:
            key = county
        else:
            key = f"{home}/{organization}"
        if key:
            figures[key] = tuple(counts)
    return figures


def _median(func, repeat: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return statistics.median(times), times


def _repeat_arguments(parser) -> None:
    parser.add_argument("--repeat", type=int, default=5, help="runs of each side (median taken; default 5)")


RATES_GOAL = 1.5  # issue 19: compute_rates within 1.5× the GROUPING SETS query at 1×, 2× and 4×


@register(
    "compute-rates",
    help="the day's rate snapshots of every scope, stored, vs one hand-written GROUPING SETS query",
    add_arguments=_repeat_arguments,
)
def compute_rates(args) -> Outcome:
    """``rate_snapshots_store`` recomputing a day that has its snapshots (the nightly task run again, the usual
    case the issue measured) against the bare ``GROUPING_SETS`` query, alternated; the stored figures are checked
    equal to the baseline's for every scope first. A first computation of a new day (every row inserted) is timed
    too, for the detail."""
    from django.utils import timezone

    from reporting.models import COUNT_FIELDS, RateSnapshot
    from reporting.services import rate_snapshots_store

    if connection.vendor != "postgresql":
        return Outcome("  not available: the GROUPING SETS baseline is PostgreSQL's (FILTER)")
    day, fresh_day = dt.date(2000, 1, 1), dt.date(2000, 1, 2)  # dates of their own, removed afterwards
    now = timezone.now()

    def baseline():
        with connection.cursor() as cursor:
            cursor.execute(GROUPING_SETS, {"now": now})
            return cursor.fetchall()

    def ours():
        return rate_snapshots_store(date=day, computed_at=now)

    def fresh():
        return rate_snapshots_store(date=fresh_day, computed_at=now)

    try:
        expected = _grouping_sets_figures(baseline())
        stored = ours()
        found = {
            row[0]: tuple(row[1:])
            for row in RateSnapshot.objects.filter(date=day).values_list("scope_key", *COUNT_FIELDS)
        }
        zero = tuple(0 for _ in COUNT_FIELDS)
        wrong = sorted(k for k in expected.keys() | found.keys() if expected.get(k, zero) != found.get(k, zero))
        if wrong:
            raise BenchFailure(
                f"the stored figures differ from the GROUPING SETS query's for {len(wrong):,} scopes, e.g. "
                + "; ".join(f"{k}: ours {found.get(k)} vs {expected.get(k)}" for k in wrong[:3])
            )
        base_times, our_times, fresh_times = [], [], []
        for _ in range(args.repeat):  # alternated, so a change in the machine's load hits every side alike
            base_times.append(_median(baseline, 1)[0])
            our_times.append(_median(ours, 1)[0])
            RateSnapshot.objects.filter(date=fresh_day).delete()
            fresh_times.append(_median(fresh, 1)[0])
        with CaptureQueriesContext(connection) as queries:
            ours()
    finally:
        RateSnapshot.objects.filter(date__in=[day, fresh_day]).delete()
    base, ourtime, freshtime = (statistics.median(t) for t in (base_times, our_times, fresh_times))
    ratio = ourtime / base
    lines = [
        f"  {stored:,} scopes; the stored figures equal the GROUPING SETS "
        f"query's for all {len(expected):,} scopes with items",
        f"  hand-written GROUPING SETS query (every scope):      median {base:.3f} s  {_fmt(base_times)}",
        f"  rate_snapshots_store, the day again (upsert):       median {ourtime:.3f} s  {_fmt(our_times)}",
        f"  rate_snapshots_store, a new day (every row insert): median {freshtime:.3f} s  {_fmt(fresh_times)}"
        f" · ratio {freshtime / base:.2f}",
        f"  queries: {len(queries)}",
        f"  ratio: {ratio:.2f} (goal ≤ {RATES_GOAL})",
    ]
    result = Result(
        "compute-rates",
        f"{ourtime:.3f} s",
        f"{base:.3f} s",
        ratio,
        f"≤ {RATES_GOAL}×",
        ratio <= RATES_GOAL,
    )
    return Outcome("\n".join(lines), [result])


def _fmt(times: list[float]) -> str:
    return "[" + ", ".join(f"{t:.3f}" for t in times) + "]"


@register("progress-report", help="build_progress_report for the province: time and peak memory")
def progress_report(args) -> str:
    from catalogue.models import Division
    from reporting.models import ProgressReport
    from reporting.services import progress_report_build

    division = Division.objects.get(code=PROVINCE)
    report = ProgressReport.objects.create(
        division=division, period_start=dt.date(2026, 11, 1), period_end=dt.date(2026, 11, 20), contact="bench"
    )
    try:
        rss_before = peak_rss_mb()
        started = time.perf_counter()
        report = progress_report_build(report_id=report.pk)
        seconds = time.perf_counter() - started
        rss_after = peak_rss_mb()
        tracemalloc.start()  # a second build, for the peak of Python allocations (tracemalloc slows it down)
        report = progress_report_build(report_id=report.pk)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        size = report.file.size
        departments = report.rows.filter(kind="department").count()
        counties = report.rows.filter(kind="county").count()
    finally:
        if report.file:
            report.file.delete(save=False)
        ProgressReport.objects.filter(pk=report.pk).delete()
    return "\n".join(
        [
            f"  {counties} counties, {departments:,} departments",
            f"  time: {seconds:.2f} s",
            f"  peak Python allocations (tracemalloc, second build): {peak / 1024 / 1024:.1f} MB",
            f"  workbook: {size / 1024:.0f} kB",
            f"  peak RSS of the process: {rss_before:.0f} MB before, {rss_after:.0f} MB after the first build",
        ]
    )


@register("dashboard", help="the province's dashboard page: query count and time", add_arguments=_repeat_arguments)
def dashboard(args) -> str:
    from reporting.models import RateSnapshot
    from reporting.services import rates_compute

    today = dt.date.today()
    made = not RateSnapshot.objects.filter(date=today).exists()
    if made:
        rates_compute(date=today)
        rates_compute(date=today - dt.timedelta(days=7))
    user, _ = User.objects.get_or_create(
        username="bench_admin", defaults={"is_superuser": True, "is_staff": True, "first_name": "基准测试"}
    )
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(user)
    url = reverse("reporting:division", kwargs={"code": PROVINCE})
    try:
        assert client.get(url).status_code == 200
        queries = []
        with connection.execute_wrapper(lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)):
            response = client.get(url)
        assert response.status_code == 200
        median, times = _median(lambda: client.get(url), args.repeat)
        county = reverse("reporting:division", kwargs={"code": "441802"})
        county_median, _ = _median(lambda: client.get(county), args.repeat)
    finally:
        if made:
            RateSnapshot.objects.filter(date__in=[today, today - dt.timedelta(days=7)]).delete()
    return "\n".join(
        [
            f"  /reporting/units/{PROVINCE}/ (21 cities): {len(queries)} queries, median {median * 1000:.0f} ms "
            f"{_fmt(times)}",
            f"  /reporting/units/441802/ (a county's 40 departments): median {county_median * 1000:.0f} ms",
        ]
    )
