"""``staff-export``: the staff pages' Excel exports at province scale (see ``bench/README.md``, *staff-export*).

Each export runs in a fresh process as an administrator: wall time, rows, file size and the growth of the process's
peak RSS during the export. The baseline is one county's list measured the same way in the same run; flat memory
means the province's export (120–480 times the rows) grows the process by about as much as the county's.

Two ways to run an export (``--via``):

- ``job`` (the default): ``GET /catalogue/export.xlsx`` / ``/reviews/export.xlsx`` through the Django test client,
  as the 导出 Excel button does. A small export is the answer itself; a big one is queued as an ``ExportJob`` and the
  page redirects to it (``core.export_jobs``), and then ``export_job_build`` — what the Celery worker runs — writes
  the file in this process. The request's own time is printed beside the build's (goal: no request over 30 s).
- ``request``: ``GET /catalogue/export.xlsx`` / ``/reviews/export.xlsx`` through the Django test client, as the
  导出 Excel button does. A refusal (the row cap's redirect, any status but 200) is a FAILURE, never a figure.
"""

from __future__ import annotations

import os
import subprocess
import sys

from bench import register
from bench.generate import PROVINCE
from bench.results import BenchFailure, Outcome, Result

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
USERNAME = "bench-export-admin"
# The province's export grows the process by at most this much, whatever the rows: measured from the export's own
# start, a county's grows it by about 2 MB and the province's (128× the rows) by about 7 MB at 1× — openpyxl's
# shared-string table, every distinct code and name. A ratio of two such small figures says little, so the goal is a
# bound a worker can afford at the largest province (~400,000 local items); the county is printed beside it.
MEMORY_GOAL_MB = 64
# No request runs longer than this (gunicorn's timeout in docker-compose.yml is 30 s): a big export is a job.
REQUEST_GOAL_S = 30

PRELUDE = r"""
import os, sys, tempfile, time
sys.path.insert(0, os.getcwd())
import django
django.setup()
from django.conf import settings
settings.DEBUG = False
settings.ALLOWED_HOSTS = ["testserver"]
from django.contrib.auth.models import User
user = User.objects.get(username=sys.argv[1])
import re
def status_kb(key):
    return int(re.search(key + r":\s+(\d+)", open("/proc/self/status").read()).group(1))
def start_measuring():
    # The process's peak so far is Django's start-up: reset it (Linux: clear_refs 5), so the peak read at the end is
    # the export's own, measured from the RSS it starts from.
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")
    return status_kb("VmRSS")
"""

REPORT = r"""
download = tempfile.TemporaryFile()  # the browser's side: the body goes to disk as it arrives
for chunk in response.streaming_content if response.streaming else [response.content]:
    download.write(chunk)
response.close()
elapsed = time.perf_counter() - started
peak = status_kb("VmHWM")
size = download.tell()
download.seek(0)
from openpyxl import load_workbook
rows = 0
if response.status_code == 200:
    rows = sum(1 for _ in load_workbook(download, read_only=True).worksheets[0].iter_rows()) - 1
print(f"{response.status_code} {elapsed:.2f} {before} {peak} {size} {rows}")
"""

# The page's request through the test client, as the 导出 Excel button makes it.
REQUEST = r"""
from django.test import Client
client = Client()
client.force_login(user)
for page in ("/catalogue/", "/reviews/"):  # the first requests load the URLconf, middleware, views and templates
    client.get(page)
before = start_measuring()
started = time.perf_counter()
response = client.get(sys.argv[2])
request_seconds = time.perf_counter() - started
"""

REQUEST_SCRIPT = PRELUDE + REQUEST + REPORT

# The export as the portal runs it: the page's request (which answers at once: the file itself for a small export, or
# a queued job and a redirect to its page), then — for a job — what the Celery worker runs, ``export_job_build``, in
# this process so that its time and memory are measured. Queueing is replaced by a no-op: the web process only
# records the job, the worker part is timed on its own.
JOB_SCRIPT = (
    PRELUDE
    + r"""
import types
import core.export_jobs as export_jobs
from core.models import ExportJob
export_jobs.enqueue = lambda task, *args: types.SimpleNamespace(id="")
"""
    + REQUEST
    + r"""
job = None
if response.status_code == 302 and "/exports/" in response["Location"]:
    job = ExportJob.objects.filter(user=user).latest("pk")
    job = export_jobs.export_job_build(job_id=job.pk)
    from django.http import FileResponse
    response = FileResponse(job.file.open("rb")) if job.file else response
"""
    + REPORT.replace('print(f"', 'print(f"{request_seconds:.2f} ')
    + r"""
if job is not None:
    job.file.delete(save=False)
    job.delete()
"""
)


def _export(url: str, via: str) -> dict:
    env = {**os.environ, "LOG_LEVEL": "WARNING"}
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    out = subprocess.run(
        [sys.executable, "-c", JOB_SCRIPT if via == "job" else REQUEST_SCRIPT, USERNAME, url],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        raise BenchFailure(f"the export of {url} failed: {out.stderr[-1500:]}")
    fields = out.stdout.split()
    status, seconds, before, peak, size, rows = fields[-6:]
    request_seconds = float(fields[-7]) if via == "job" else float(seconds)
    return {
        "request_seconds": request_seconds,
        "status": int(status),
        "seconds": float(seconds),
        "growth_mb": (int(peak) - int(before)) / 1024,
        "peak_mb": int(peak) / 1024,
        "bytes": int(size),
        "rows": int(rows),
    }


def add_arguments(parser) -> None:
    parser.add_argument("--division", default=PROVINCE, help=f"division of the large export (default {PROVINCE})")
    parser.add_argument(
        "--via",
        choices=("job", "request"),
        default="job",
        help="job: the page's request, then the background job's build as the worker runs it (default); "
        "request: the page's URL only, whatever it answers",
    )


@register("staff-export", help="the staff pages' Excel exports: a county vs the province", add_arguments=add_arguments)
def staff_export(args) -> Outcome:
    from django.conf import settings
    from django.contrib.auth.models import User

    from catalogue.models import LocalItem

    User.objects.get_or_create(username=USERNAME, defaults={"is_superuser": True, "is_staff": True})
    county = (
        LocalItem.objects.filter(division__province_code=args.division[:2] + "0000")
        .exclude(division__county_code="")
        .values_list("division__county_code", flat=True)
        .order_by("division__county_code")
        .first()
    )
    runs = [
        (f"county {county}", f"/catalogue/export.xlsx?division={county}"),
        (f"division {args.division}", f"/catalogue/export.xlsx?division={args.division}"),
        ("review queue (all)", "/reviews/export.xlsx"),
    ]
    lines = [
        f"  via {args.via} · EXPORT_MAX_ROWS {settings.EXPORT_MAX_ROWS:,}",
        f"{'export':<24}{'status':>7}{'rows':>9}{'request s':>10}{'seconds':>9}{'kB':>9}{'RSS growth MB':>15}"
        f"{'peak RSS MB':>13}",
    ]
    results, failures = [], []
    for label, url in runs:
        r = _export(url, args.via)
        results.append(r)
        if r["status"] != 200:
            failures.append(f"{label}: {url} answered {r['status']} (refused), not a file")
            lines.append(f"FAILURE {label}: answered {r['status']} (refused: over EXPORT_MAX_ROWS?)")
            continue
        lines.append(
            f"{label:<24}{r['status']:>7}{r['rows']:>9}{r['request_seconds']:>10.2f}{r['seconds']:>9.2f}"
            f"{r['bytes'] / 1024:>9.0f}"
            f"{r['growth_mb']:>15.1f}{r['peak_mb']:>13.1f}"
        )
    base, large = results[0], results[1]
    goal = f"runs; request ≤ {REQUEST_GOAL_S} s; RSS growth ≤ {MEMORY_GOAL_MB} MB"
    if failures:
        return Outcome("\n".join(lines), [Result.failed("staff-export", "; ".join(failures), goal)])
    growth = large["growth_mb"] / base["growth_mb"] if base["growth_mb"] > 0 else None
    slowest = max(r["request_seconds"] for r in results)
    lines.append(
        f"rows ×{large['rows'] / base['rows']:.0f}, RSS growth {large['growth_mb']:.1f} MB vs "
        f"{base['growth_mb']:.1f} MB (county baseline)"
        + ("" if growth is None else f", ×{growth:.2f}")
        + f"; slowest request {slowest:.2f} s"
        + f"; goal: not refused, no request over {REQUEST_GOAL_S} s, RSS growth ≤ {MEMORY_GOAL_MB} MB"
    )
    result = Result(
        "staff-export",
        f"{large['rows']:,} rows, request {large['request_seconds']:.1f} s, job {large['seconds']:.1f} s, "
        f"+{large['growth_mb']:.1f} MB",
        f"{base['rows']:,} rows, {base['seconds']:.1f} s, +{base['growth_mb']:.1f} MB",
        growth,
        goal,
        large["growth_mb"] <= MEMORY_GOAL_MB and slowest <= REQUEST_GOAL_S,
    )
    return Outcome("\n".join(lines), [result])
