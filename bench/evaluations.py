"""好差评 benchmarks (see ``bench/README.md``): a province's year of queue numbers and evaluations, and its figures
against one hand-written aggregate query in the same run.

- ``evaluation-load``: per county of 440000 one hall with a service group and eight department windows (ORM, a few
  hundred rows), then queue numbers, one visit evaluation per number served, rectifications of the bad grades and
  upheld appeals, each an ``INSERT … SELECT`` from ``generate_series`` (PostgreSQL only), in chunks. ``--evaluations
  N`` (default 500,000) or ``--province`` (5,000,000: the province-scale year). Idempotent: numbers are keyed by
  their serial (``evaluation_token`` ``bench…``), and only the serials not yet there are added.

  Shares, by serial: 5 % of numbers are no-shows (no evaluation); grades 0.3 % 非常不满意, 0.3 % 不满意, 1.4 %
  基本满意, 13 % 满意, the rest 非常满意; a third real-name; of the bad grades 1 in 20 is excluded by an upheld
  appeal, 85 % of the others are rectified (1 in 10 of them late), the rest open at a stage, some past due.
  Indicator grades are not loaded: the figures do not read them.
- ``evaluation-figures``: ``reporting.evaluation_figures.figures.unit_rows`` — the province's cities with the
  satisfaction and rectification figures (one grouped query) — against one hand-written aggregate query giving the
  same counts per city; then the whole page's figures (evaluations, hall and consultation: four queries). Goal ≤ 2×.
"""

from __future__ import annotations

import datetime as dt
import time

from django.db import connection, transaction

from bench import register
from bench.cases.common import TODAY, fmt, median, repeat_arguments, timed
from bench.generate import PROVINCE
from bench.results import BenchFailure

DEFAULT_EVALUATIONS = 500_000
PROVINCE_EVALUATIONS = 5_000_000
CHUNK = 250_000
WINDOWS_PER_HALL = 8
HALL_NAME = "BENCH 政务服务大厅"
YEAR_START = dt.date(2026, 1, 1)


def _load_arguments(parser) -> None:
    parser.add_argument(
        "--evaluations",
        type=int,
        default=DEFAULT_EVALUATIONS,
        help=f"queue numbers in all, about one evaluation each (default {DEFAULT_EVALUATIONS:,})",
    )
    parser.add_argument(
        "--province", action="store_true", help=f"the province-scale year: {PROVINCE_EVALUATIONS:,} numbers"
    )


def _halls() -> int:
    """One hall per county (its first organization's), a group and eight department windows; returns halls."""
    from catalogue.models import Division, Organization
    from hall.models import Hall, ServiceGroup, Window, WindowKind

    made = 0
    for county in Division.objects.filter(province_code=PROVINCE, level="county").order_by("code"):
        if Hall.objects.filter(division=county, name=HALL_NAME).exists():
            continue
        organizations = list(Organization.objects.filter(division=county).order_by("pk")[: WINDOWS_PER_HALL + 1])
        if not organizations:
            continue
        hall = Hall.objects.create(organization=organizations[0], division=county, name=HALL_NAME)
        group = ServiceGroup.objects.create(hall=hall, name="综合业务", prefix="A")
        for n, department in enumerate(organizations[1:], 1):
            window = Window.objects.create(
                hall=hall, number=f"A{n:02d}", name=department.name, kind=WindowKind.DEPARTMENT, department=department
            )
            group.windows.add(window)
        made += 1
    return made


def _workdays() -> list[dt.date]:
    from core.workdays import is_workday

    day, days = YEAR_START, []
    while day <= TODAY:
        if is_workday(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _existing() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM hall_ticket WHERE evaluation_token LIKE 'bench%%'")
        return cursor.fetchone()[0]


def _load_chunk(start: int, stop: int, indicator_set: int, user: int) -> tuple[int, int, int, int]:
    from bench.standards_load import insert_select
    from evaluation.models import Appeal, Evaluation, Rectification
    from hall.models import Ticket

    at = "(CAST(w.day AS TIMESTAMP) AT TIME ZONE 'Asia/Shanghai')"
    ticket_columns = {
        "hall": "bw.hall_id",
        "group": "bw.group_id",
        "day": "w.day",
        "serial": "s.serial",
        "number": "'A' || LPAD(CAST(s.serial AS TEXT), 4, '0')",
        "priority": "'normal'",
        "status": "CASE WHEN MOD(s.i, 20) = 7 THEN 'no_show' ELSE 'done' END",
        "phone": "''",
        "taken_at": f"{at} + INTERVAL '9 hours' + s.serial * INTERVAL '1 minute'",
        "called_at": f"{at} + INTERVAL '9 hours' + s.serial * INTERVAL '1 minute' + MOD(s.i, 40) * INTERVAL '1 minute'",
        "last_called_at": f"{at} + INTERVAL '9 hours' + s.serial * INTERVAL '1 minute' "
        "+ MOD(s.i, 40) * INTERVAL '1 minute'",
        "call_count": "1",
        "started_at": f"CASE WHEN MOD(s.i, 20) = 7 THEN NULL ELSE {at} + INTERVAL '9 hours' "
        "+ s.serial * INTERVAL '1 minute' + (MOD(s.i, 40) + 1) * INTERVAL '1 minute' END",
        "finished_at": f"CASE WHEN MOD(s.i, 20) = 7 THEN NULL ELSE {at} + INTERVAL '9 hours' "
        "+ s.serial * INTERVAL '1 minute' + (MOD(s.i, 40) + 12) * INTERVAL '1 minute' END",
        "window": "bw.window_id",
        "evaluation_token": "'bench' || LPAD(CAST(s.i AS TEXT), 12, '0')",
    }
    # Number i goes to hall i % H, on working day (i / H) % D, with serial (i / H) / D + 1: unique per group and day.
    ticket_source = """
FROM (
    SELECT g.i, MOD(g.i, h.n) AS hall_n, MOD(g.i / h.n, d.n) + 1 AS day_n, (g.i / h.n) / d.n + 1 AS serial
    FROM generate_series(%s, %s) AS g(i),
         (SELECT COUNT(*) AS n FROM bench_hall) h, (SELECT COUNT(*) AS n FROM bench_workday) d
) s
JOIN bench_hall bh ON bh.n = s.hall_n
JOIN bench_window bw ON bw.hall_id = bh.hall_id AND bw.n = MOD(s.i / 7, bw.windows)
JOIN bench_workday w ON w.n = s.day_n"""
    tickets = insert_select(Ticket, ticket_columns, ticket_source, [start, stop - 1])
    grade = (
        "CASE WHEN MOD(t.i, 1000) < 3 THEN 1 WHEN MOD(t.i, 1000) < 6 THEN 2 WHEN MOD(t.i, 1000) < 20 THEN 3 "
        "WHEN MOD(t.i, 1000) < 150 THEN 4 ELSE 5 END"
    )
    evaluation_columns = {
        "target": "'visit'",
        "indicator_set": str(int(indicator_set)),
        "grade": grade,
        "channel": "'window'",
        "comment": "''",
        "category": f"CASE WHEN {grade} <= 2 THEN 'efficiency' ELSE '' END",
        "is_real_name": "MOD(t.i, 3) = 0",
        "name": "''",
        "phone": "''",
        "ticket": "t.id",
        "window": "t.window_id",
        "organization": "win.department_id",
        "division": "h.division_id",
        "submitted_at": "t.finished_at + INTERVAL '2 minutes'",
        "excluded": f"{grade} <= 2 AND MOD(t.i / 1000, 20) = 0",
    }
    evaluation_source = """
FROM (
    SELECT tk.*, CAST(SUBSTRING(tk.evaluation_token FROM 6) AS BIGINT) AS i FROM hall_ticket tk
    WHERE tk.evaluation_token >= %s AND tk.evaluation_token <= %s AND tk.status = 'done'
) t
JOIN hall_window win ON win.id = t.window_id
JOIN hall_hall h ON h.id = t.hall_id"""
    token = "bench{:012d}"
    evaluations = insert_select(
        Evaluation, evaluation_columns, evaluation_source, [token.format(start), token.format(stop - 1)]
    )
    # Rectifications of the counted bad grades: 85 % closed (1 in 10 of those late), the rest open at a stage.
    stage = (
        "CASE WHEN MOD(e.id, 20) < 17 THEN 'closed' WHEN MOD(e.id, 20) = 17 THEN 'verify' "
        "WHEN MOD(e.id, 20) = 18 THEN 'rectify' ELSE 'reply' END"
    )
    rectification_columns = {
        "evaluation": "e.id",
        "organization": "e.organization_id",
        "division": "e.division_id",
        "stage": stage,
        "stage_started_on": "CAST(e.submitted_at AT TIME ZONE 'Asia/Shanghai' AS DATE)",
        "stage_due": f"CASE WHEN {stage} = 'closed' THEN NULL "
        "ELSE CAST(e.submitted_at AT TIME ZONE 'Asia/Shanghai' AS DATE) + 7 END",
        "opened_at": "e.submitted_at",
        "closed_at": f"CASE WHEN {stage} = 'closed' THEN e.submitted_at + (3 + MOD(e.id, 12)) * INTERVAL '1 day' END",
        "late": f"{stage} = 'closed' AND MOD(e.id / 20, 10) = 0",
        "followed_up": f"{stage} = 'closed' AND e.is_real_name",
    }
    window = "e.submitted_at >= %s AND e.submitted_at <= %s AND e.grade <= 2"
    bounds = "SELECT MIN(t.taken_at), MAX(t.finished_at) + INTERVAL '1 hour' FROM hall_ticket t " + (
        "WHERE t.evaluation_token >= %s AND t.evaluation_token <= %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(bounds, [token.format(start), token.format(stop - 1)])
        low, high = cursor.fetchone()
    own = (
        "JOIN hall_ticket tk ON tk.id = e.ticket_id AND tk.evaluation_token >= %s AND tk.evaluation_token <= %s "
        "LEFT JOIN evaluation_rectification r0 ON r0.evaluation_id = e.id"
    )
    params = [token.format(start), token.format(stop - 1), low, high]
    rectifications = insert_select(
        Rectification,
        rectification_columns,
        f"FROM evaluation_evaluation e {own} WHERE {window} AND NOT e.excluded AND r0.id IS NULL",
        params,
    )
    appeal_columns = {
        "evaluation": "e.id",
        "organization": "e.organization_id",
        "reason": "'mistaken'",
        "statement": "'申请人误评'",
        "filed_by": str(int(user)),
        "filed_at": "e.submitted_at + INTERVAL '1 day'",
        "state": "'upheld'",
        "decided_by": str(int(user)),
        "decided_at": "e.submitted_at + INTERVAL '3 days'",
        "decision_note": "'已核实'",
    }
    own = own.replace("evaluation_rectification r0 ON r0.evaluation_id", "evaluation_appeal r0 ON r0.evaluation_id")
    appeals = insert_select(
        Appeal,
        appeal_columns,
        f"FROM evaluation_evaluation e {own} WHERE {window} AND e.excluded AND r0.id IS NULL",
        params,
    )
    return tickets, evaluations, rectifications, appeals


@register(
    "evaluation-load",
    help="add a year of queue numbers, evaluations, rectifications and appeals to the province load",
    add_arguments=_load_arguments,
)
def evaluation_load(args) -> str:
    if connection.vendor != "postgresql":
        return "  not available: the evaluation load is written for PostgreSQL (generate_series)"
    from django.contrib.auth import get_user_model

    from evaluation.models import IndicatorSet

    wanted = PROVINCE_EVALUATIONS if getattr(args, "province", False) else args.evaluations
    started = time.perf_counter()
    halls = _halls()
    have = _existing()
    if have >= wanted:
        return f"  {have:,} bench queue numbers already there (wanted {wanted:,}): nothing to add"
    indicator_set = IndicatorSet.objects.get(kind="counter", is_current=True).pk
    user = get_user_model().objects.get(username="bench").pk
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE IF NOT EXISTS bench_workday (n integer PRIMARY KEY, day date)")
        cursor.execute("TRUNCATE bench_workday")
        cursor.executemany("INSERT INTO bench_workday VALUES (%s, %s)", list(enumerate(_workdays(), 1)))
        cursor.execute("DROP TABLE IF EXISTS bench_hall")
        cursor.execute(
            """CREATE TEMPORARY TABLE bench_hall AS
               SELECT ROW_NUMBER() OVER (ORDER BY h.id) - 1 AS n, h.id AS hall_id, g.id AS group_id
               FROM hall_hall h JOIN hall_servicegroup g ON g.hall_id = h.id WHERE h.name = %s""",
            [HALL_NAME],
        )
        cursor.execute("DROP TABLE IF EXISTS bench_window")
        cursor.execute(
            """CREATE TEMPORARY TABLE bench_window AS
               SELECT bh.hall_id, bh.group_id, w.id AS window_id,
                      ROW_NUMBER() OVER (PARTITION BY bh.hall_id ORDER BY w.id) - 1 AS n,
                      COUNT(*) OVER (PARTITION BY bh.hall_id) AS windows
               FROM bench_hall bh JOIN hall_window w ON w.hall_id = bh.hall_id"""
        )
        cursor.execute("CREATE INDEX ON bench_window (hall_id, n)")
    lines = [f"  halls made: {halls}"]
    totals = [0, 0, 0, 0]
    for start in range(have, wanted, CHUNK):
        stop = min(start + CHUNK, wanted)
        chunk_started = time.perf_counter()
        with transaction.atomic():
            made = _load_chunk(start, stop, indicator_set, user)
        totals = [a + b for a, b in zip(totals, made, strict=True)]
        print(f"  numbers {start:,}–{stop - 1:,}: {made[0]:,} numbers, {made[1]:,} evaluations, "
              f"{made[2]:,} rectifications, {made[3]:,} appeals, {time.perf_counter() - chunk_started:.1f} s",
              flush=True)  # fmt: skip
    with connection.cursor() as cursor:
        for table in ("hall_ticket", "evaluation_evaluation", "evaluation_rectification", "evaluation_appeal"):
            cursor.execute(f"ANALYZE {table}")
    seconds = time.perf_counter() - started
    lines.append(
        f"  added {totals[0]:,} queue numbers, {totals[1]:,} evaluations, {totals[2]:,} rectifications and "
        f"{totals[3]:,} appeals in {seconds:.1f} s (now {wanted:,} bench numbers)"
    )
    return "\n".join(lines)


HAND_WRITTEN_FIGURES = """
SELECT d.city_code,
       COUNT(*) FILTER (WHERE NOT e.excluded),
       COUNT(*) FILTER (WHERE NOT e.excluded AND e.grade >= 4),
       SUM(e.grade) FILTER (WHERE NOT e.excluded),
       COUNT(*) FILTER (WHERE NOT e.excluded AND e.grade <= 2),
       COUNT(*) FILTER (WHERE NOT e.excluded AND e.grade <= 2 AND r.stage = 'closed'),
       COUNT(*) FILTER (WHERE NOT e.excluded AND e.grade <= 2 AND r.stage = 'closed' AND NOT r.late),
       COUNT(*) FILTER (WHERE NOT e.excluded AND e.grade <= 2
                        AND r.stage IN ('verify', 'rectify', 'reply', 'follow_up')),
       COUNT(*) FILTER (WHERE NOT e.excluded AND e.grade <= 2
                        AND r.stage IN ('verify', 'rectify', 'reply', 'follow_up') AND r.stage_due < %s),
       SUM(r.closed_at - r.opened_at) FILTER (WHERE NOT e.excluded AND e.grade <= 2 AND r.stage = 'closed'),
       COUNT(*) FILTER (WHERE NOT e.excluded AND e.grade <= 2 AND e.is_real_name),
       COUNT(*) FILTER (WHERE NOT e.excluded AND e.grade <= 2 AND e.is_real_name AND r.followed_up),
       COUNT(*) FILTER (WHERE a.evaluation_id IS NOT NULL),
       COUNT(*) FILTER (WHERE e.excluded)
FROM evaluation_evaluation e
JOIN catalogue_division d ON d.code = e.division_id
LEFT JOIN evaluation_rectification r ON r.evaluation_id = e.id
LEFT JOIN (SELECT DISTINCT evaluation_id FROM evaluation_appeal) a ON a.evaluation_id = e.id
WHERE d.province_code = %s AND e.submitted_at >= %s AND e.submitted_at < %s
GROUP BY d.city_code
"""


@register(
    "evaluation-figures",
    help="the province's satisfaction and rectification figures per city vs one hand-written query",
    add_arguments=repeat_arguments,
)
def evaluation_figures(args) -> str:
    if connection.vendor != "postgresql":
        return "  not available: the hand-written query is PostgreSQL's (FILTER, interval sums)"
    from django.utils import timezone

    from catalogue.models import Division
    from evaluation.models import Evaluation
    from reporting.evaluation_figures.figures import _evaluation_rows, _sources, evaluation_board

    province = Division.objects.get(code=PROVINCE)
    tz = timezone.get_current_timezone()
    since = dt.datetime.combine(YEAR_START, dt.time.min, tzinfo=tz)
    until = dt.datetime.combine(TODAY + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    counted = Evaluation.objects.filter(division__province_code=PROVINCE).count()

    def baseline():
        with connection.cursor() as cursor:
            cursor.execute(HAND_WRITTEN_FIGURES, [TODAY, PROVINCE, since, until])
            return cursor.fetchall()

    def ours():
        evaluations, _tickets, _consultations = _sources(province, None, YEAR_START, TODAY)
        return _evaluation_rows(evaluations, "division__city_code", TODAY)

    def board():
        return evaluation_board(province, None, today=TODAY, start=YEAR_START, end=TODAY)

    check_base, check_ours = baseline(), ours()
    board()
    base_times, our_times, board_times = [], [], []
    for _ in range(args.repeat):
        base_times.append(timed(baseline))
        our_times.append(timed(ours))
        board_times.append(timed(board))
    same = {row[0]: row[1] for row in check_base} == {k: v["evaluations"] for k, v in check_ours.items()}
    if not same:
        raise BenchFailure("the page's evaluation counts per city differ from the hand-written query's")
    base, ourtime, boardtime = median(base_times), median(our_times), median(board_times)
    return "\n".join(
        [
            f"  evaluations in 440000: {counted:,} · same counts per city as the hand-written query: {same}",
            f"  hand-written aggregate query (per city): median {base:.3f} s  {fmt(base_times)}",
            f"  unit_rows' evaluation query (per city): median {ourtime:.3f} s  {fmt(our_times)} · "
            f"ratio {ourtime / base:.2f}",
            f"  the whole page's figures (evaluations, hall, consultation, names): median {boardtime:.3f} s  "
            f"{fmt(board_times)} · ratio {boardtime / base:.2f} (goal ≤ 2)",
        ]
    )
