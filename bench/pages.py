"""``pages``: the staff list pages issue 19 names, through the Django test client, against a bare ``values()`` of
the page's rows (see ``bench/README.md``, *Pages*).

Each page is requested as the bench administrator (``bench_admin``, the login of ``dashboard``, who sees every task
and item of the province): one untimed request to warm the caches, then ``--repeat`` timed ones, each page's
requests alternated with its baseline's, so a change in the machine's load hits both alike. Printed per page: the
median, the queries of one request, the size of the HTML (a filter listing every department of the province shows
there), and the ratio to the baseline. The baseline is the page's rows and nothing else: one ``values()`` of the
columns a row shows, the page's size, no scoping, no counts, no template.

The goal is about growth: at 2× the province a page's median is at most 1.2× its median at 1×, with the same number
of queries. ``--save FILE`` writes this run's medians and query counts as JSON (run it on the 1× database);
``--compare FILE`` (on the 2× database) prints each page's median ÷ the saved one and whether the query counts are
equal, and judges the goal.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.test import Client

from bench import register
from bench.generate import PROVINCE
from bench.results import BenchFailure, Outcome, Result

GROWTH_GOAL = 1.2  # issue 19: a page's median at 2× at most 1.2× its median at 1×
PAGE_SIZE = settings.PAGE_SIZE_CHOICES[0]  # the pages' default size, which the baselines read too


@dataclass(frozen=True)
class Page:
    key: str  # the workload of bench.results.WORKLOADS
    label: str
    url: str
    baseline: Callable[[], list]


def _pages(county: str) -> list[Page]:
    from catalogue.models import GeneralItem, LocalItem
    from reviews.models import ReviewTask

    def queue_rows(**where) -> Callable[[], list]:
        def rows() -> list:
            return list(
                ReviewTask.objects.filter(closed_at__isnull=True, **where)
                .order_by("opened_at", "id")
                .values(
                    "id",
                    "stage",
                    "opened_at",
                    "due_at",
                    "claimed_by_id",
                    "standard__version",
                    "standard__state",
                    "standard__local_item__code",
                    "standard__local_item__name",
                    "standard__local_item__organization__name",
                    "division__name",
                )[:PAGE_SIZE]
            )

        return rows

    def general_rows() -> list:
        return list(
            GeneralItem.objects.filter(province_id=PROVINCE)
            .order_by("code")
            .values("id", "code", "name", "item_type", "node_kind", "levels", "sector__name", "parent__code")[
                :PAGE_SIZE
            ]
        )

    def standard_rows() -> list:
        return list(
            LocalItem.objects.filter(status="active")
            .order_by("code")
            .values("id", "code", "name", "item_type", "organization__name", "division__name")[:PAGE_SIZE]
        )

    return [
        Page("queue-province", "reviewers' queue, whole province", "/reviews/", queue_rows()),
        Page(
            "queue-county",
            f"reviewers' queue, county {county}",
            f"/reviews/?division={county}",
            queue_rows(division_id=county),
        ),
        Page("general-catalogue", "general catalogue list", f"/catalogue/general/?province={PROVINCE}", general_rows),
        Page("standards-list", "/standards/ list", "/standards/", standard_rows),
    ]


def add_arguments(parser) -> None:
    parser.add_argument("--repeat", type=int, default=7, help="timed requests per page (median taken; default 7)")
    parser.add_argument("--save", metavar="FILE", help="write this run's medians and query counts as JSON")
    parser.add_argument("--compare", metavar="FILE", help="compare with the medians --save wrote (e.g. at 1×)")


def _queries_of(func: Callable[[], object]) -> list[str]:
    """The statements ``func`` runs, counted at the cursor: the end of a request closes the connection, which would
    lose a ``CaptureQueriesContext``'s log."""
    queries: list[str] = []

    def count(execute, sql, *rest):
        queries.append(sql)
        return execute(sql, *rest)

    with connection.execute_wrapper(count):
        func()
    return queries


def _timed(func: Callable[[], object]) -> float:
    started = time.perf_counter()
    func()
    return time.perf_counter() - started


@register(
    "pages", help="staff list pages (queue, general catalogue, standards): median, queries", add_arguments=add_arguments
)
def pages(args) -> Outcome:
    from django.contrib.auth.models import User

    from reviews.models import ReviewTask

    county = (
        ReviewTask.objects.filter(closed_at__isnull=True, division__province_code=PROVINCE)
        .order_by("division_id")
        .values_list("division_id", flat=True)
        .first()
    )
    if county is None:
        raise BenchFailure("no open review task in the province: run `python -m bench generate` first")
    user, _ = User.objects.get_or_create(
        username="bench_admin", defaults={"is_superuser": True, "is_staff": True, "first_name": "基准测试"}
    )
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(user)
    saved = None
    if args.compare:
        with open(args.compare, encoding="utf-8") as fh:
            saved = json.load(fh)["pages"]

    measured, lines, results = {}, [], []
    header = f"  {'page':<38}{'median ms':>10}{'bare ms':>9}{'ratio':>7}{'queries':>9}{'HTML kB':>9}"
    lines.append(header + ("   ÷ saved   queries saved" if saved else ""))
    for page in _pages(county):
        response = client.get(page.url)
        if response.status_code != 200:
            raise BenchFailure(f"{page.url} answered {response.status_code}, not 200")
        size = len(response.content)
        queries = _queries_of(lambda url=page.url: client.get(url))
        page.baseline()
        times, base_times = [], []
        for _ in range(args.repeat):
            times.append(_timed(lambda url=page.url: client.get(url)))
            base_times.append(_timed(page.baseline))
        median, base = statistics.median(times), statistics.median(base_times)
        measured[page.key] = {"url": page.url, "median_ms": median * 1000, "queries": len(queries)}
        line = (
            f"  {page.label:<38}{median * 1000:>10.0f}{base * 1000:>9.1f}{median / base:>7.0f}"
            f"{len(queries):>9}{size / 1024:>9.0f}"
        )
        met, growth = None, ""
        if saved and page.key in saved:
            was = saved[page.key]
            change = median * 1000 / was["median_ms"]
            same_queries = len(queries) == was["queries"]
            met = change <= GROWTH_GOAL and same_queries
            growth = f" · {change:.2f}× saved, queries {len(queries)}/{was['queries']}"
            line += f"{change:>10.2f}×{was['queries']:>14}"
        lines.append(line)
        results.append(
            Result(
                page.key,
                f"{median * 1000:.0f} ms, {len(queries)} q{growth}",
                f"{base * 1000:.1f} ms",
                median / base,
                f"≤ {GROWTH_GOAL}× its 1× median, same queries",
                met,
            )
        )
    lines.append(
        f"  ratio = the page ÷ a bare values() of its {PAGE_SIZE} rows; goal: median ≤ {GROWTH_GOAL}× the 1× run's "
        "(--compare), query counts equal"
    )
    if args.save:
        with open(args.save, "w", encoding="utf-8") as fh:
            json.dump({"scale": getattr(args, "scale", None), "pages": measured}, fh, indent=2)
        lines.append(f"  saved to {args.save}")
    return Outcome("\n".join(lines), results)
