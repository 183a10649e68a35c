"""Case benchmarks (see ``bench/README.md``, *Cases*): the load of cases and four measurements against baselines taken
in the same run.

- ``case-load``: adds cases (办件) with their step records to the province load, in SQL (``INSERT … SELECT`` from
  ``generate_series``), on PostgreSQL. ``--cases N`` (default 50,000, what ``make bench`` makes in a few minutes) or
  ``--province`` (2,000,000 cases, about 9.5 million step records: the province-scale load). Idempotent: the cases
  are numbered ``BENCH-<serial>`` and only the serials not yet there are added, so a larger run extends a smaller one.
- ``case-sweep``: ``cases.supervision.sweep(today)`` over every open case against one hand-written ``UPDATE … FROM``
  that sets the same flags (``alert_level``), each run in a transaction rolled back afterwards, alternated; goal ≤ 2×.
  Also the statements the sweep issues with all the open cases and with half of them (bounded: the same number).
- ``case-ingest``: ``POST /api/v1/case-events/`` (batches of 500 new accepted cases with three steps each) through
  the Django test client against a bare bulk ``INSERT`` of the same rows (cases, steps, event records), alternated
  batch by batch, all rolled back; events per second, goal ≤ 3× the cost.
- ``case-figures``: ``reporting.case_figures.services.case_snapshots_store`` (every scope, stored) against the one
  hand-written aggregate query a report would use (the same counts per county).

Where the code measured is not on this branch (the sweep, the ingest endpoint), the benchmark says "not available"
instead of failing.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time

from django.conf import settings
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from bench import register
from bench.generate import PROVINCE

# The day the benchmarks take as today: the catalogue load's standards moved up to 20 November 2026.
TODAY = dt.date(2026, 11, 20)
PROVINCE_CASES = 2_000_000
DEFAULT_CASES = 50_000
CHUNK = 200_000  # cases per transaction of the load
PREFIX = "BENCH-"
SERIAL_DIGITS = 8


class Rollback(Exception):
    pass


def _median(values: list[float]) -> float:
    return statistics.median(values)


def _fmt(times: list[float]) -> str:
    return "[" + ", ".join(f"{t:.3f}" for t in times) + "]"


def _timed(func) -> float:
    started = time.perf_counter()
    func()
    return time.perf_counter() - started


def _rolled_back(func):
    """Run ``func`` in a transaction that is rolled back: every run starts from the same database."""
    result = None
    try:
        with transaction.atomic():
            result = func()
            raise Rollback
    except Rollback:
        pass
    return result


# --- the load ------------------------------------------------------------------------------------------------------


def _load_arguments(parser) -> None:
    parser.add_argument("--cases", type=int, default=DEFAULT_CASES, help=f"cases in all (default {DEFAULT_CASES:,})")
    parser.add_argument(
        "--province", action="store_true", help=f"the province-scale load: {PROVINCE_CASES:,} cases (overrides --cases)"
    )


def _workdays() -> list[dt.date]:
    """The working days from June to the end of 2026 (holidays and make-up days from ``core.workdays``)."""
    from core.workdays import is_workday

    day, days = dt.date(2026, 6, 1), []
    while day.year == 2026:
        if is_workday(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


# Fates by serial % 20, as SQL: 0–11 finished (by (serial / 20) % 10 early, on time or late), 12–15 in review,
# 16 suspended, 17 waiting for 补正, 18 not accepted, 19 decided.
STATUS = """CASE
    WHEN MOD(s.i, 20) < 12 THEN 'finished' WHEN MOD(s.i, 20) < 16 THEN 'in_progress'
    WHEN MOD(s.i, 20) = 16 THEN 'suspended' WHEN MOD(s.i, 20) = 17 THEN 'supplement'
    WHEN MOD(s.i, 20) = 18 THEN 'not_accepted' ELSE 'decided' END"""
# The ordinal of the acceptance day among the working days: finished cases spread over the months before today,
# open ones over the last 23 working days (so some are overdue, some near their limit, most on time).
ACCEPTED = "CASE WHEN MOD(s.i, 20) < 12 THEN {today} - 14 - MOD(s.i, 97) ELSE {today} - MOD(s.i, 23) END"
FINISH_OFFSET = "(MOD(s.i / 20, 10) - 7)"  # working days after the promised due day: 7 early … 2 late

# Step records per status: (seq, kind) in order.
STEPS = {
    "finished": ["receive", "accept", "review", "decide", "deliver", "finish"],
    "in_progress": ["receive", "accept", "review"],
    "suspended": ["receive", "accept", "suspend"],
    "supplement": ["receive", "supplement_notice"],
    "not_accepted": ["receive", "not_accept"],
    "decided": ["receive", "accept", "review", "decide"],
}


def _existing_serials() -> int:
    from cases.models import Case

    return Case.objects.filter(number__startswith=PREFIX).count()


def _load_chunk(start: int, stop: int, today_ordinal: int) -> tuple[int, int]:
    """Cases ``start`` … ``stop - 1`` and their steps, in two ``INSERT … SELECT``s."""
    from bench.standards_load import insert_select
    from cases.models import Case, CaseStep

    now = "TIMESTAMP WITH TIME ZONE '2026-11-20 09:00:00+08'"
    accepted = ACCEPTED.replace("{today}", str(today_ordinal))
    day = "(SELECT w.day FROM bench_workday w WHERE w.n = {})"
    columns = {
        "created_at": now,
        "updated_at": now,
        "number": f"'{PREFIX}' || LPAD(CAST(s.i AS TEXT), {SERIAL_DIGITS}, '0')",
        "local_item": "it.id",
        "standard": "NULL",
        "organization": "it.organization_id",
        "division": "it.division_id",
        "situation": "'new'",
        "source": "'window'",
        "applicant_kind": "'1'",
        "applicant_name": "'申请人' || CAST(s.i AS TEXT)",
        "applicant_phone": "'1380000' || LPAD(CAST(MOD(s.i, 10000) AS TEXT), 4, '0')",
        "phone_tail": "LPAD(CAST(MOD(s.i, 10000) AS TEXT), 4, '0')",
        "status": "s.status",
        "received_at": f"CAST({day.format('s.acc')} AS TIMESTAMP) AT TIME ZONE 'Asia/Shanghai' + INTERVAL '9 hours'",
        "accepted_at": "CASE WHEN s.status IN ('supplement', 'not_accepted') THEN NULL ELSE "
        f"CAST({day.format('s.acc')} AS TIMESTAMP) AT TIME ZONE 'Asia/Shanghai' + INTERVAL '10 hours' END",
        "accepted_on": f"CASE WHEN s.status IN ('supplement', 'not_accepted') THEN NULL ELSE {day.format('s.acc')} END",
        "legal_limit": "20",
        "promised_limit": "10",
        "suspended_since": f"CASE WHEN s.status = 'suspended' THEN {day.format('s.acc + 3')} END",
        "legal_due": "CASE WHEN s.status IN ('supplement', 'not_accepted') THEN NULL ELSE "
        f"{day.format('s.acc + 20')} END",
        "promised_due": "CASE WHEN s.status IN ('supplement', 'not_accepted') THEN NULL ELSE "
        f"{day.format('s.acc + 10')} END",
        "current_step": "''",
        "decision": "CASE WHEN s.status IN ('finished', 'decided') THEN "
        "(CASE WHEN MOD(s.i, 50) = 0 THEN 'deny' ELSE 'grant' END) ELSE '' END",
        "decision_reason": "CASE WHEN s.status IN ('finished', 'decided') AND MOD(s.i, 50) = 0 "
        "THEN '不符合许可条件' ELSE '' END",
        "refusal_reason": "CASE WHEN s.status = 'not_accepted' THEN '不属于本机关职权范围' ELSE '' END",
        "decided_at": "CASE WHEN s.status IN ('finished', 'decided') THEN "
        f"CAST({day.format('s.acc + 8')} AS TIMESTAMP) AT TIME ZONE 'Asia/Shanghai' END",
        "finished_at": "CASE WHEN s.status = 'finished' THEN "
        f"CAST({day.format('s.acc + 10 + ' + FINISH_OFFSET)} AS TIMESTAMP) AT TIME ZONE 'Asia/Shanghai' "
        "+ INTERVAL '16 hours' END",
        "finished_on": f"CASE WHEN s.status = 'finished' THEN {day.format('s.acc + 10 + ' + FINISH_OFFSET)} END",
        "alert_level": "''",
    }
    source = f"""
FROM (
    SELECT g.i, {STATUS.replace("s.i", "g.i")} AS status, {accepted.replace("s.i", "g.i")} AS acc
    FROM generate_series(%s, %s) AS g(i)
) s
JOIN bench_item it ON it.n = MOD(s.i, (SELECT COUNT(*) FROM bench_item))"""
    cases = insert_select(Case, columns, source, [start, stop - 1])
    kinds = ", ".join(
        f"('{status}', {seq}, '{kind}')" for status, steps in STEPS.items() for seq, kind in enumerate(steps, 1)
    )
    step_columns = {
        "case": "c.id",
        "seq": "k.seq",
        "kind": "k.kind",
        "post": "''",
        "actor_name": "'经办人'",
        "opinion": "CASE WHEN k.kind IN ('review', 'decide') THEN '同意' ELSE '' END",
        "started_on": "c.accepted_on",
        "due_on": "CASE WHEN k.kind = 'review' THEN c.promised_due END",
        "at": "COALESCE(c.accepted_at, c.received_at) + k.seq * INTERVAL '1 day'",
        "external_event_no": "''",
    }
    step_source = f"""
FROM cases_case c
JOIN (VALUES {kinds}) AS k(status, seq, kind) ON k.status = c.status
WHERE c.number >= %s AND c.number <= %s"""
    steps = insert_select(
        CaseStep,
        step_columns,
        step_source,
        [f"{PREFIX}{start:0{SERIAL_DIGITS}d}", f"{PREFIX}{stop - 1:0{SERIAL_DIGITS}d}"],
    )
    return cases, steps


@register("case-load", help="add cases with their step records to the province load", add_arguments=_load_arguments)
def case_load(args) -> str:
    if connection.vendor != "postgresql":
        return "  not available: the case load is written for PostgreSQL (generate_series)"
    wanted = PROVINCE_CASES if getattr(args, "province", False) else args.cases
    have = _existing_serials()
    if have >= wanted:
        return f"  {have:,} bench cases already there (wanted {wanted:,}): nothing to add"
    days = _workdays()
    today_ordinal = days.index(TODAY) + 1
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE IF NOT EXISTS bench_workday (n integer PRIMARY KEY, day date)")
        cursor.execute("TRUNCATE bench_workday")
        cursor.executemany("INSERT INTO bench_workday VALUES (%s, %s)", list(enumerate(days, 1)))
        cursor.execute("DROP TABLE IF EXISTS bench_item")
        cursor.execute(
            """CREATE TEMPORARY TABLE bench_item AS
               SELECT ROW_NUMBER() OVER (ORDER BY li.id) - 1 AS n, li.id, li.organization_id, li.division_id
               FROM catalogue_localitem li JOIN catalogue_division d ON d.code = li.division_id
               WHERE li.status = 'active' AND d.province_code = %s""",
            [PROVINCE],
        )
        cursor.execute("CREATE INDEX ON bench_item (n)")
        cursor.execute("SELECT COUNT(*) FROM bench_item")
        if not cursor.fetchone()[0]:
            return "  no active local items in 440000: run `python -m bench generate` first"
    lines, cases, steps = [], 0, 0
    for start in range(have, wanted, CHUNK):
        stop = min(start + CHUNK, wanted)
        chunk_started = time.perf_counter()
        with transaction.atomic():
            made, recorded = _load_chunk(start, stop, today_ordinal)
        cases, steps = cases + made, steps + recorded
        print(f"  cases {start:,}–{stop - 1:,}: {made:,} cases, {recorded:,} steps, "
              f"{time.perf_counter() - chunk_started:.1f} s", flush=True)  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_case")
        cursor.execute("ANALYZE cases_casestep")
    seconds = time.perf_counter() - started
    lines.append(f"  added {cases:,} cases and {steps:,} step records in {seconds:.1f} s (now {wanted:,} bench cases)")
    return "\n".join(lines)


# --- the supervision sweep ------------------------------------------------------------------------------------------


def _repeat_arguments(parser) -> None:
    parser.add_argument("--repeat", type=int, default=5, help="runs of each side (median taken; default 5)")


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


@register("case-sweep", help="the supervision sweep vs one hand-written UPDATE … FROM", add_arguments=_repeat_arguments)
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

    _rolled_back(baseline), _rolled_back(ours)  # warm both
    base_times, our_times = [], []
    for _ in range(args.repeat):
        base_times.append(_timed(lambda: _rolled_back(baseline)))
        our_times.append(_timed(lambda: _rolled_back(ours)))
    changed = _rolled_back(baseline)
    result = _rolled_back(ours)

    def statements(half: bool) -> int:
        def run():
            if half:  # half the open cases closed first: the sweep's statements must not follow the number
                Case.objects.filter(pk__in=_every_other_open()).update(
                    status="finished", finished_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC), finished_on=TODAY
                )
            with CaptureQueriesContext(connection) as captured:
                sweep(day)
            return len(captured)

        return _rolled_back(run)

    all_open, half_open = statements(False), statements(True)
    base, ourtime = _median(base_times), _median(our_times)
    return "\n".join(
        [
            f"  open cases: {open_cases:,}; the first sweep ({TODAY}, committed): {first_seconds:.1f} s, {first}",
            f"  the next working day ({day}): flags changed by the baseline {changed:,}; sweep: {result}",
            f"  hand-written UPDATE … FROM (flags only):  median {base:.3f} s  {_fmt(base_times)}",
            f"  sweep(day) (alerts, 督办, flags):          median {ourtime:.3f} s  {_fmt(our_times)}",
            f"  ratio: {ourtime / base:.2f} (goal ≤ 2)",
            f"  statements: {all_open} with every open case, {half_open} with half of them (goal: the same)",
        ]
    )


def _every_other_open():
    from django.db.models import F
    from django.db.models.functions import Mod

    from cases.models import OPEN_STATUSES, Case

    return Case.objects.filter(status__in=OPEN_STATUSES).annotate(odd=Mod(F("pk"), 2)).filter(odd=1).values("pk")


# --- the ingest endpoint ------------------------------------------------------------------------------------------


def _ingest_arguments(parser) -> None:
    parser.add_argument("--events", type=int, default=5_000, help="events each side (default 5,000)")


BATCH = 500


def _event(serial: int, item_code: str) -> dict:
    accepted = dt.datetime(2026, 11, 16, 9, 30) + dt.timedelta(minutes=serial % 300)
    moment = accepted.strftime("%Y-%m-%d %H:%M:%S")
    return {
        "eventNo": "1",
        "projectNo": f"BENCHEV{serial:08d}",
        "taskCode": item_code,
        "proStatus": "2",
        "projectType": "2",
        "userProp": "1",
        "applyName": f"申请人{serial}",
        "contactMobile": f"1380000{serial % 10000:04d}",
        "applyDate": moment,
        "acceptDate": moment,
        "promiseDays": 10,
        "steps": [
            {"stepNo": 1, "stepName": "收件", "time": moment},
            {"stepNo": 2, "stepName": "受理", "time": moment},
            {"stepNo": 3, "stepName": "审查", "time": moment, "opinion": "同意"},
        ],
    }


@register(
    "case-ingest",
    help="POST /api/v1/case-events/ vs a bare bulk INSERT of the same rows",
    add_arguments=_ingest_arguments,
)
def case_ingest(args) -> str:
    from django.urls import Resolver404, resolve

    try:
        resolve("/api/v1/case-events/")
        from cases.external import external_system_issue
    except (Resolver404, ImportError):
        return "  not available: POST /api/v1/case-events/ (cases.external) is not on this branch"
    from django.test import Client

    from catalogue.models import Division, LocalItem

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.API_THROTTLE_RATES = {**getattr(settings, "API_THROTTLE_RATES", {}), "case_events": None}
    items = list(
        LocalItem.objects.filter(status="active", division__province_code=PROVINCE, standards__state="published")
        .order_by("pk")
        .values_list("pk", "code", "organization_id", "division_id")[:BATCH]
    )
    if not items:
        return "  no items with a published standard: run `python -m bench generate` first"
    batches = max(1, args.events // BATCH)

    def measure():
        system, token = external_system_issue(name="bench-ingest", division=Division.objects.get(code=PROVINCE))
        client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
        ours, base, first_error = [], [], None
        for b in range(batches):
            serials = range(b * BATCH, (b + 1) * BATCH)
            events = [_event(s, items[s % len(items)][1]) for s in serials]
            started = time.perf_counter()
            response = client.post("/api/v1/case-events/", events, content_type="application/json")
            ours.append(time.perf_counter() - started)
            body = response.json() if response.status_code == 200 else {}
            if response.status_code != 200 or body.get("failed"):
                first_error = response.status_code, [r for r in body.get("results", []) if r["errors"]][:1] or body
                break
            base.append(_timed(lambda s=serials: _bare_insert(s, items, system.pk)))
        return ours, base, first_error

    ours, base, error = _rolled_back(measure)
    if error:
        return f"  the endpoint refused the bench events: {error}"
    events = batches * BATCH
    our_rate, base_rate = events / sum(ours), events / sum(base)
    return "\n".join(
        [
            f"  {events:,} events in {batches} requests of {BATCH} (new accepted cases, three steps each)",
            f"  endpoint: {our_rate:,.0f} events/s (per request median {_median(ours):.3f} s)",
            f"  bare bulk INSERT of the same rows: {base_rate:,.0f} events/s (median {_median(base):.3f} s)",
            f"  cost ratio: {base_rate / our_rate:.2f} (goal ≤ 3)",
        ]
    )


def _multirow_insert(model, rows: list[dict], returning: bool = False) -> list[int]:
    """One ``INSERT … VALUES (…), (…)`` of ``rows`` (values by column name); the columns not given get the field's
    default, prepared once for the whole statement."""
    from django.db import models

    fields = [f for f in model._meta.concrete_fields if not isinstance(f, models.AutoField)]
    given = set(rows[0])
    defaults = {f.column: f.get_db_prep_save(f.get_default(), connection) for f in fields if f.column not in given}
    columns = [f.column for f in fields]
    row_sql = "(" + ", ".join(["%s"] * len(columns)) + ")"
    sql = (
        f"INSERT INTO {model._meta.db_table} ({', '.join(connection.ops.quote_name(c) for c in columns)}) VALUES "
        + ", ".join([row_sql] * len(rows))
        + (" RETURNING id" if returning else "")
    )
    params = [row[c] if c in given else defaults[c] for row in rows for c in columns]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [r[0] for r in cursor.fetchall()] if returning else []


def _bare_insert(serials, items, system_id: int) -> None:
    """The rows an event becomes — the case, its three steps, the event record — in three multi-row INSERTs."""
    from django.utils import timezone

    from cases.models import Case, CaseStep, ExternalEvent

    now = timezone.now()
    cases = []
    for s in serials:
        pk, _code, org, division = items[s % len(items)]
        cases.append(
            {
                "created_at": now,
                "updated_at": now,
                "number": f"BARE{system_id}-{s:08d}",
                "local_item_id": pk,
                "organization_id": org,
                "division_id": division,
                "source": "external",
                "applicant_name": f"申请人{s}",
                "applicant_phone": f"1380000{s % 10000:04d}",
                "phone_tail": f"{s % 10000:04d}",
                "status": "in_progress",
                "received_at": now,
                "accepted_at": now,
                "accepted_on": TODAY,
                "promised_limit": 10,
                "promised_due": TODAY,
            }
        )
    ids = _multirow_insert(Case, cases, returning=True)
    steps = [
        {"case_id": i, "seq": seq, "kind": kind, "at": now}
        for i in ids
        for seq, kind in ((1, "receive"), (2, "accept"), (3, "review"))
    ]
    _multirow_insert(CaseStep, steps)
    events = [
        {"system_id": system_id, "case_no": f"BARE{s:08d}", "event_no": "1", "case_id": i, "received_at": now}
        for s, i in zip(serials, ids, strict=True)
    ]
    _multirow_insert(ExternalEvent, events)


# --- the case figures ------------------------------------------------------------------------------------------------

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
    add_arguments=_repeat_arguments,
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
        base_times.append(_timed(baseline))
        our_times.append(_timed(ours))
    stored = CaseSnapshot.objects.filter(date=day).count()
    CaseSnapshot.objects.filter(date=day).delete()
    base, ourtime = _median(base_times), _median(our_times)
    return "\n".join(
        [
            f"  hand-written aggregate query (per county): median {base:.3f} s  {_fmt(base_times)}",
            f"  case_snapshots_store (every scope, stored): median {ourtime:.3f} s  {_fmt(our_times)}",
            f"  snapshots stored: {stored:,} · ratio: {ourtime / base:.2f}",
        ]
    )
