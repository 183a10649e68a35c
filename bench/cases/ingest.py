"""``case-ingest``: ``POST /api/v1/case-events/`` against a bare bulk ``INSERT`` of the same rows."""

from __future__ import annotations

import datetime as dt
import time

from django.conf import settings
from django.db import connection

from bench import register
from bench.generate import PROVINCE
from bench.results import BenchFailure

from .common import TODAY, median, rolled_back, timed


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
        raise BenchFailure("no items with a published standard: run `python -m bench generate` first")
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
            base.append(timed(lambda s=serials: _bare_insert(s, items, system.pk)))
        return ours, base, first_error

    ours, base, error = rolled_back(measure)
    if error:
        raise BenchFailure(f"the endpoint refused the bench events: {error}")
    events = batches * BATCH
    our_rate, base_rate = events / sum(ours), events / sum(base)
    return "\n".join(
        [
            f"  {events:,} events in {batches} requests of {BATCH} (new accepted cases, three steps each)",
            f"  endpoint: {our_rate:,.0f} events/s (per request median {median(ours):.3f} s)",
            f"  bare bulk INSERT of the same rows: {base_rate:,.0f} events/s (median {median(base):.3f} s)",
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
