"""Reporting benchmarks: ``compute-rates``, ``progress-report`` and ``dashboard`` (see ``bench/README.md``).

- ``compute-rates``: ``reporting.services.rates_compute`` for the whole country (in the bench database: Guangdong),
  the snapshots stored, against the single hand-written aggregate query a report would use (counts per county),
  measured in the same run; the figure is the ratio of the medians (goal: at most 2).
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

HAND_WRITTEN = """
SELECT d.county_code,
       COUNT(DISTINCT li.id),
       COUNT(DISTINCT li.id) FILTER (WHERE s.id IS NOT NULL),
       COUNT(DISTINCT li.id) FILTER (WHERE s.first_submitted_at IS NOT NULL),
       COUNT(DISTINCT li.id) FILTER (WHERE s.state = 'dept_confirm'),
       COUNT(DISTINCT li.id) FILTER (WHERE s.state = 'compliance_review'),
       COUNT(DISTINCT li.id) FILTER (WHERE s.state = 'legality_review'),
       COUNT(DISTINCT li.id) FILTER (WHERE s.state = 'returned'),
       COUNT(DISTINCT li.id) FILTER (WHERE s.state = 'approved'),
       COUNT(DISTINCT li.id) FILTER (WHERE s.state = 'published'),
       COUNT(DISTINCT li.id) FILTER (WHERE s.state IN ('approved', 'published')),
       COUNT(DISTINCT li.id) FILTER (WHERE s.state IN ('approved', 'published') AND s.return_count = 0),
       COUNT(DISTINCT li.id) FILTER (WHERE t.due_at < now())
FROM catalogue_localitem li
JOIN catalogue_division d ON d.code = li.division_id
LEFT JOIN standards_itemstandard s ON s.local_item_id = li.id AND s.state NOT IN ('superseded', 'withdrawn')
LEFT JOIN reviews_reviewtask t ON t.standard_id = s.id AND t.closed_at IS NULL
WHERE li.status = 'active' AND d.province_code = %s
GROUP BY d.county_code
"""


def _median(func, repeat: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return statistics.median(times), times


def _repeat_arguments(parser) -> None:
    parser.add_argument("--repeat", type=int, default=5, help="runs of each side (median taken; default 5)")


@register(
    "compute-rates",
    help="compute_rates for the whole province vs one hand-written aggregate query",
    add_arguments=_repeat_arguments,
)
def compute_rates(args) -> str:
    from reporting.models import RateSnapshot
    from reporting.services import rates_compute

    day = dt.date(2000, 1, 1)  # a date of its own, removed afterwards

    def baseline():
        with connection.cursor() as cursor:
            cursor.execute(HAND_WRITTEN, [PROVINCE])
            return cursor.fetchall()

    def ours():
        return rates_compute(date=day)

    baseline(), ours()  # warm the caches of both
    lines = []
    # Alternate the two, so a change in the machine's load hits both sides alike.
    base_times, our_times = [], []
    for _ in range(args.repeat):
        base_times.append(_median(baseline, 1)[0])
        our_times.append(_median(ours, 1)[0])
    base, ourtime = statistics.median(base_times), statistics.median(our_times)
    stored = RateSnapshot.objects.filter(date=day).count()
    with CaptureQueriesContext(connection) as queries:
        ours()
    RateSnapshot.objects.filter(date=day).delete()
    lines.append(f"  hand-written aggregate query (per county): median {base:.3f} s  {_fmt(base_times)}")
    lines.append(f"  rates_compute (every scope, stored):       median {ourtime:.3f} s  {_fmt(our_times)}")
    lines.append(f"  snapshots stored: {stored:,} · queries: {len(queries)}")
    lines.append(f"  ratio: {ourtime / base:.2f} (goal ≤ 2)")
    return "\n".join(lines)


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
            f"  scale {getattr(args, 'scale', '?')}: {counties} counties, {departments:,} departments",
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
