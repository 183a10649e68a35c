"""API benchmarks at province scale (``python -m bench api``), served by gunicorn on a port of their own.

- items list, page size 100: requests per second and latency p50/p99, against a truly bare Django view returning the
  same columns with ``LocalItem.objects.values()`` — no scoping, no subquery (``bench.api_site``) — measured in the
  same run, interleaved;
- a 304 answer (``If-None-Match``) against the full 200 of the same list;
- a cursor walk over 150,000 items (or all there are): the last pages against the first;
- the full-province export in each format, each in a fresh process: wall time and peak RSS over the process's RSS
  before the export (flat memory: the same at 1× and 2× the province); a refused or failed export prints as a
  failure, never as a figure.

``run`` returns an ``Outcome`` (``bench.results``): the printed text and a ``Result`` per figure for the summary;
the list's requests per second are the summary's "items API list" row.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench import register
from bench.results import Outcome, Result

ROOT = Path(__file__).resolve().parent.parent
LIST = "/api/v1/items/?page_size=100"
BASELINE = "/bench/items-values/?page_size=100"
# Goals of issue 19's table: the list within 2× of the bare view, a 304 at most 30 % of a 200, the walk's last pages
# within 1.5× of its first.
LIST_GOAL, CACHED_GOAL, WALK_GOAL = 2.0, 0.3, 1.5


def add_arguments(parser) -> None:
    parser.add_argument("--port", type=int, default=8101, help="gunicorn port (default 8101)")
    parser.add_argument("--requests", type=int, default=400, help="requests per scenario (default 400)")
    parser.add_argument("--concurrency", type=int, default=2, help="client threads (default 2)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--walk", type=int, default=150_000, help="items in the cursor walk (default 150,000; 0: none)")
    parser.add_argument("--division", default="440000", help="division of the export (default 440000)")
    parser.add_argument(
        "--formats",
        default="csv,json,xlsx,cpsv",
        help="export formats to measure (default csv,json,xlsx,cpsv; '': none)",
    )


class Server:
    def __init__(self, port: int, workers: int) -> None:
        self.port = port
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.api_settings", "DEBUG": "False", "LOG_LEVEL": "WARNING"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "bench.api_site_wsgi", "-b", f"127.0.0.1:{port}", "-w", str(workers)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status, _, _ = self.get("/api/v1/divisions/?page_size=1")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer on port {port}")

    def get(self, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            connection.request("GET", path, headers=headers or {})
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def load(server: Server, scenarios: dict[str, tuple[str, dict, int]], total: int, concurrency: int) -> dict:
    """``total`` requests of each scenario from ``concurrency`` threads, the scenarios interleaved request by request
    (in turn, starting at a different one each round), so a change in the machine's load — it is shared — weighs on
    all of them alike. Each request on its own connection (gunicorn's sync workers close it anyway)."""
    names = list(scenarios)
    latencies: dict[str, list[float]] = {name: [] for name in names}
    server_ms: dict[str, list[float]] = {name: [] for name in names}
    lock = threading.Lock()
    rounds = total // concurrency

    def request(name: str) -> tuple[float, float]:
        path, headers, expect = scenarios[name]
        started = time.perf_counter()
        status, answer, _ = server.get(path, headers)
        elapsed = time.perf_counter() - started
        if status != expect:
            raise RuntimeError(f"{path} answered {status}, expected {expect}")
        return elapsed, float(answer.get("Server-Timing", "app;dur=0").split("dur=")[1])

    def worker(offset: int) -> None:
        mine = {name: ([], []) for name in names}
        for round_ in range(rounds):
            for step in range(len(names)):
                name = names[(round_ + offset + step) % len(names)]
                elapsed, own = request(name)
                mine[name][0].append(elapsed)
                mine[name][1].append(own)
        with lock:
            for name, (elapsed, own) in mine.items():
                latencies[name].extend(elapsed)
                server_ms[name].extend(own)

    for _ in range(10):  # warm the workers (connections, caches)
        for name in names:
            request(name)
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results = {}
    for name in names:
        values = sorted(latencies[name])
        results[name] = {
            # requests per second one scenario alone would get at this concurrency (from its mean latency)
            "rps": concurrency * len(values) / sum(values),
            "p50": statistics.median(values) * 1000,
            "p99": values[min(len(values) - 1, int(len(values) * 0.99))] * 1000,
            "server": statistics.median(server_ms[name]),
        }
    return results


def walk(server: Server, items: int) -> dict:
    """Follow ``next`` from the first page until ``items`` items were read; time each page."""
    path, seen, times = LIST, 0, []
    while path and seen < items:
        started = time.perf_counter()
        status, _, body = server.get(path)
        times.append(time.perf_counter() - started)
        if status != 200:
            raise RuntimeError(f"cursor walk: {path} answered {status}")
        data = json.loads(body)
        seen += len(data["results"])
        nxt = data["next"]
        path = nxt[nxt.index("/api/") :] if nxt else None
    first, last = times[1:21], times[-20:]  # the very first page warms up
    return {
        "items": seen,
        "pages": len(times),
        "seconds": sum(times),
        "first_ms": statistics.median(first) * 1000,
        "last_ms": statistics.median(last) * 1000,
    }


EXPORT_SCRIPT = r"""
import os, resource, sys, time
sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.api_settings")
import django
django.setup()
from django.test import RequestFactory
from standards.api.cpsv import CpsvExportView
from standards.api.exports import CsvExportView, JsonExportView, XlsxExportView
views = {"csv": CsvExportView, "json": JsonExportView, "xlsx": XlsxExportView, "cpsv": CpsvExportView}
fmt, division = sys.argv[1], sys.argv[2]
request = RequestFactory().get("/export", {"division": division})
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
response = views[fmt].as_view()(request)
size = 0
if response.streaming:
    for chunk in response.streaming_content:
        size += len(chunk)
else:
    size = len(response.content)
response.close()
elapsed = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"{response.status_code} {elapsed:.2f} {before} {peak} {size}")
"""


def export(fmt: str, division: str) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.api_settings", "DEBUG": "False", "LOG_LEVEL": "WARNING"}
    out = subprocess.run(
        [sys.executable, "-c", EXPORT_SCRIPT, fmt, division], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-2000:])
    status, seconds, before, peak, size = out.stdout.split()[-5:]
    return {
        "status": int(status),
        "seconds": float(seconds),
        "base_mb": int(before) / 1024,
        "peak_mb": int(peak) / 1024,
        "growth_mb": (int(peak) - int(before)) / 1024,
        "bytes": int(size),
    }


def _result(workload: str, project: float, baseline: float, ratio: float, goal: float, unit: str) -> Result:
    return Result(workload, f"{project:.1f}{unit}", f"{baseline:.1f}{unit}", ratio, f"≤ {goal:g}×", ratio <= goal)


def list_results(baseline: dict, full: dict, cached: dict) -> list[Result]:
    """The list against the bare ``values()`` view (requests per second — the summary's row — and server and client
    p50: goal ≤ 2×) and the 304 against the full 200 (goal ≤ 30 %, the ratio as a fraction)."""
    return [
        _result("items-api", full["rps"], baseline["rps"], baseline["rps"] / full["rps"], LIST_GOAL, " req/s"),
        _result(
            "items API list vs bare values(): server p50",
            full["server"],
            baseline["server"],
            full["server"] / baseline["server"],
            LIST_GOAL,
            " ms",
        ),
        _result(
            "items API list vs bare values(): client p50",
            full["p50"],
            baseline["p50"],
            full["p50"] / baseline["p50"],
            LIST_GOAL,
            " ms",
        ),
        _result(
            "304 vs full 200 of the list: server p50",
            cached["server"],
            full["server"],
            cached["server"] / full["server"],
            CACHED_GOAL,
            " ms",
        ),
    ]


@register(
    "api",
    help="REST API at province scale: list vs bare values() view, 304, cursor walk, exports",
    add_arguments=add_arguments,
)
def run(args) -> Outcome:
    from catalogue.models import LocalItem

    lines = [f"local items in the database: {LocalItem.objects.count():,}"]
    results: list[Result] = []
    server = Server(args.port, args.workers)
    try:
        _, headers, _ = server.get(LIST)
        etag = headers.get("ETag") or headers.get("Etag")
        results = load(
            server,
            {
                "base": (BASELINE, {}, 200),
                "list": (LIST, {}, 200),
                "304": (LIST, {"If-None-Match": etag}, 304),
            },
            args.requests,
            args.concurrency,
        )
        baseline, full, cached = results["base"], results["list"], results["304"]
        lines.append(
            f"gunicorn {args.workers} workers, {args.concurrency} client threads, {args.requests} requests of each "
            "scenario, interleaved"
        )
        lines.append(f"{'scenario':<36}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'server p50 ms':>15}")
        for name, r in (
            ("bare values() view (baseline)", baseline),
            ("GET /api/v1/items/ page 100", full),
            ("same, If-None-Match → 304", cached),
        ):
            lines.append(f"{name:<36}{r['rps']:>8.1f}{r['p50']:>9.1f}{r['p99']:>9.1f}{r['server']:>15.1f}")
        results += list_results(baseline, full, cached)
        if args.walk:
            w = walk(server, args.walk)
            lines.append(f"cursor walk: {w['items']:,} items in {w['pages']:,} pages, {w['seconds']:.1f} s")
            results.append(
                _result(
                    "cursor walk, last 20 pages vs first 20 (median)",
                    w["last_ms"],
                    w["first_ms"],
                    w["last_ms"] / w["first_ms"],
                    WALK_GOAL,
                    " ms",
                )
            )
    finally:
        server.stop()
    lines.append(
        f"{'export of ' + args.division:<20}{'status':>7}{'seconds':>9}{'MB':>9}{'base RSS':>10}{'peak RSS':>10}"
    )
    for fmt in filter(None, (f.strip() for f in args.formats.split(","))):
        e = export(fmt, args.division)
        if e["status"] != 200:  # refused (too many rows) or failed: a failure, never a figure
            lines.append(f"{fmt:<20}{e['status']:>7}  FAILED: the export answered {e['status']}, not 200")
            results.append(Result.failed(f"API export {fmt}", f"answered {e['status']}, not 200", "200, flat memory"))
            continue
        lines.append(
            f"{fmt:<20}{e['status']:>7}{e['seconds']:>9.1f}{e['bytes'] / 1e6:>9.1f}"
            f"{e['base_mb']:>9.0f}M{e['peak_mb']:>9.0f}M  (+{e['growth_mb']:.0f} MB)"
        )
    return Outcome("\n".join(lines), results)
