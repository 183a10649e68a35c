"""``staff-export``: the staff pages' Excel exports at province scale (see ``bench/README.md``, *Staff exports*).

Each export runs in a fresh process through the Django test client as an administrator, exactly as the button
does (``/catalogue/export.xlsx``, ``/reviews/export.xlsx``): wall time, rows, file size and the growth of the
process's peak RSS during the export. The baseline is one county's list measured in the same run; flat memory
means the province's export (about 120 times the rows) grows the process by about as much as the county's.
"""

from __future__ import annotations

import os
import subprocess
import sys

from bench import register
from bench.generate import PROVINCE

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
USERNAME = "bench-export-admin"

EXPORT_SCRIPT = r"""
import os, resource, sys, tempfile, time
sys.path.insert(0, os.getcwd())
import django
django.setup()
from django.conf import settings
settings.DEBUG = False
settings.ALLOWED_HOSTS = ["testserver"]
from django.contrib.auth.models import User
from django.test import Client
client = Client()
client.force_login(User.objects.get(username=sys.argv[1]))
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
response = client.get(sys.argv[2])
download = tempfile.TemporaryFile()  # the browser's side: the body goes to disk as it arrives
for chunk in response.streaming_content if response.streaming else [response.content]:
    download.write(chunk)
response.close()
elapsed = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
size = download.tell()
download.seek(0)
from openpyxl import load_workbook
rows = 0
if response.status_code == 200:
    rows = sum(1 for _ in load_workbook(download, read_only=True).worksheets[0].iter_rows()) - 1
print(f"{response.status_code} {elapsed:.2f} {before} {peak} {size} {rows}")
"""


def _export(url: str) -> dict:
    env = {**os.environ, "LOG_LEVEL": "WARNING"}
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    out = subprocess.run(
        [sys.executable, "-c", EXPORT_SCRIPT, USERNAME, url], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-2000:])
    status, seconds, before, peak, size, rows = out.stdout.split()[-6:]
    return {
        "status": int(status),
        "seconds": float(seconds),
        "growth_mb": (int(peak) - int(before)) / 1024,
        "peak_mb": int(peak) / 1024,
        "bytes": int(size),
        "rows": int(rows),
    }


def add_arguments(parser) -> None:
    parser.add_argument("--division", default=PROVINCE, help=f"division of the large export (default {PROVINCE})")


@register("staff-export", help="the staff pages' Excel exports: a county vs the province", add_arguments=add_arguments)
def staff_export(args) -> str:
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
    lines = [f"{'export':<24}{'status':>7}{'rows':>9}{'seconds':>9}{'kB':>9}{'RSS growth MB':>15}{'peak RSS MB':>13}"]
    results = []
    for label, url in runs:
        r = _export(url)
        results.append(r)
        lines.append(
            f"{label:<24}{r['status']:>7}{r['rows']:>9}{r['seconds']:>9.2f}{r['bytes'] / 1024:>9.0f}"
            f"{r['growth_mb']:>15.1f}{r['peak_mb']:>13.1f}"
        )
    base, large = results[0], results[1]
    if base["rows"] and large["rows"]:
        lines.append(
            f"rows ×{large['rows'] / base['rows']:.0f}, RSS growth {large['growth_mb']:.1f} MB vs "
            f"{base['growth_mb']:.1f} MB (county baseline)"
        )
    return "\n".join(lines)
