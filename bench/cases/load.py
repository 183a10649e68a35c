"""``case-load``: cases with their step records added to the province load, in SQL (see ``bench/README.md``)."""

from __future__ import annotations

import datetime as dt
import time

from django.db import connection, transaction

from bench import register
from bench.generate import PROVINCE
from bench.results import BenchFailure

from .common import TODAY

PROVINCE_CASES = 2_000_000
DEFAULT_CASES = 50_000
CHUNK = 200_000  # cases per transaction of the load
PREFIX = "BENCH-"
SERIAL_DIGITS = 8


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
            raise BenchFailure("no active local items in 440000: run `python -m bench generate` first")
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
