"""``python -m bench import-memory``: peak memory of a catalogue import as the file grows.

Generates two CSV files in the Zhongshan export's format (the shipped ``gd_zhongshan`` profile reads them), a
baseline of ``--rows / 10`` rows and one of ``--rows`` rows, each a new main item with its local item in one
county, and imports each with ``manage.py import_catalogue --dry-run`` (everything is done, then rolled back, so
both runs start from the same database) in a process of its own, whose peak RSS the kernel reports. An import that
streams keeps the ratio of the two peaks far below the ratio of the row counts.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.contrib.auth import get_user_model

from bench import register
from bench.results import BenchFailure
from catalogue.codes import implementation_code, make_uscc
from catalogue.models import Division

HEADER = ["task_code", "task_name", "catalog_id", "parent_catalog_id", "parent_catalog_name", "catalog_name",
          "task_type_code", "dept_name", "area_code"]  # fmt: skip
ROOT = Path(__file__).resolve().parent.parent
COUNTY = "441802"
DEPARTMENTS = 40


def add_arguments(parser: argparse.ArgumentParser) -> None:
    # A province-sized list; the import does a chunk of rows in a few queries, so both files take about 2 minutes.
    parser.add_argument("--rows", type=int, default=100_000, help="rows of the large file (default 100,000)")


def write_file(path: Path, rows: int) -> None:
    """One new general main item per row (sector 90–99, so it meets none of the generated catalogue), spread over
    40 departments that do not exist yet."""
    departments = [(f"导入测试部门{n:02d}", make_uscc(division_code=COUNTY, serial=9_000_000 + n)) for n in range(40)]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        for i in range(rows):
            name, uscc = departments[i % DEPARTMENTS]
            sector, main, sub = 90 + i // 998_001, (i // 999) % 999 + 1, i % 999 + 1
            general = f"4401{sector}{main:03d}{sub:03d}"
            code = implementation_code(uscc=uscc, level="4", general_code=general)
            parent = general[:9] + "00Y"
            writer.writerow([code, f"导入测试事项{i}", general, parent, f"导入测试主项{main}", "", "01", name, COUNTY])


def measure(path: Path, username: str) -> tuple[int, float, str]:
    """Peak RSS (bytes), wall seconds and the report's last lines of one import in a child process."""
    command = [sys.executable, str(ROOT / "manage.py"), "import_catalogue", str(path), "--profile", "gd_zhongshan",
               "--user", username, "--dry-run"]  # fmt: skip
    started = time.perf_counter()
    # DEBUG off, as in production: with it on, Django keeps the text of the last 9,000 queries, and each bulk INSERT
    # of a chunk is a megabyte — that would be measured as the import's memory.
    env = {**os.environ, "DEBUG": "0"}
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT, env=env)
    output = child.stdout.read()
    _pid, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"import_catalogue failed: {output[-2000:]}")
    summary = next((line for line in output.splitlines() if line.startswith("共")), "")
    return usage.ru_maxrss * 1024, seconds, summary


@register("import-memory", help="peak memory of a catalogue import, 10x rows vs. baseline", add_arguments=add_arguments)
def import_memory(args: argparse.Namespace) -> str:
    if not Division.objects.filter(code=COUNTY).exists():
        raise BenchFailure(f"division {COUNTY} missing; run `python -m bench generate` or load_divisions first")
    get_user_model().objects.get_or_create(username="bench-import", defaults={"is_superuser": True})
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        results = []
        for rows in (max(args.rows // 10, 1), args.rows):
            path = Path(tmp) / f"items_{rows}.csv"
            write_file(path, rows)
            peak, seconds, summary = measure(path, "bench-import")
            results.append((rows, peak))
            lines.append(f"{rows:>8,} rows: peak RSS {peak / 2**20:7.1f} MiB, {seconds:7.1f} s — {summary}")
    (base_rows, base_peak), (rows, peak) = results
    lines.append(f"rows x{rows / base_rows:.0f} → peak memory x{peak / base_peak:.2f} (goal: flat, kept from issue 19)")
    return "\n".join(lines)
