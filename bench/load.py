"""A bounded load run (``python -m bench load``): gunicorn with 4 sync workers on loopback, 50 concurrent clients for
60 s, against a throwaway database holding the demo data (``manage.py seed_demo``).

The clients mix what a county's portal serves at once:

- **guide**: anonymous readers of published service guides (``/guides/<code>/``);
- **api**: anonymous API lists (items, organizations, general catalogue, divisions; page 50);
- **editor page** and **editor save**: signed-in clerks, each on a draft of their own, opening the editor page and
  saving it the way the page does — the whole form (every formset row) posted as ``multipart/form-data`` with the
  CSRF token and the revision it loaded, one text field changed, answered by the redirect back to the editor.

Every answer is checked (status, and the redirect of a save); anything else counts as an error. The baseline is a
WSGI app with no project code (``bench.load_baseline_wsgi``) served by the same gunicorn and hit by the same 50
clients, before and after the run, so each kind's latency is also given as a multiple of the baseline's.
"""

from __future__ import annotations

import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from html.parser import HTMLParser
from pathlib import Path

import requests

from bench import register
from bench.results import Outcome, Result

ROOT = Path(__file__).resolve().parent.parent
API_LISTS = (
    "/api/v1/items/?page_size=50",
    "/api/v1/items/?division={county}&page_size=50",
    "/api/v1/organizations/?division={county}&page_size=50",
    "/api/v1/general-items/?page_size=50",
    "/api/v1/divisions/?parent={city}",
)
GUNICORN = ("--backlog", "2048", "--timeout", "120")
KINDS = ("guide", "api", "editor page", "editor save")
MARK = re.compile(r"（负载测试第 \d+ 次保存）$")


def add_arguments(parser) -> None:
    parser.add_argument("--port", type=int, default=8102, help="port of the project's gunicorn (default 8102)")
    parser.add_argument("--baseline-port", type=int, default=8103, help="port of the bare app (default 8103)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers (default 4)")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (default 50)")
    parser.add_argument("--editors", type=int, default=10, help="of them, signed-in editors (default 10)")
    parser.add_argument("--seconds", type=float, default=60, help="length of the run (default 60)")
    parser.add_argument(
        "--baseline-seconds", type=float, default=10, help="bare app, before and after the run each (default 10)"
    )
    parser.add_argument("--seed", type=int, default=2026, help="seed of the clients' choices (default 2026)")


# --- the servers ---------------------------------------------------------------------------------------------------


class Gunicorn:
    """gunicorn on 127.0.0.1 only, started here and stopped by its own process id."""

    def __init__(self, module: str, port: int, workers: int, ready_path: str) -> None:
        self.base = f"http://127.0.0.1:{port}"
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.api_settings", "DEBUG": "False", "LOG_LEVEL": "WARNING"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", module, "-b", f"127.0.0.1:{port}", "-w", str(workers), *GUNICORN],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if requests.get(self.base + ready_path, timeout=10).status_code == 200:
                    return
            except requests.RequestException:
                pass
            if self.process.poll() is not None:
                break
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"gunicorn ({module}) did not answer on port {port}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# --- the editor form, as a browser would send it -------------------------------------------------------------------


class FormFields(HTMLParser):
    """The successful controls of one form (by id): what a browser submits, in document order."""

    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._textarea: list | None = None
        self._select: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
            return
        if not self.inside or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((name, a.get("value") or ("on" if kind in ("checkbox", "radio") else "")))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
        elif tag == "select" and name:
            self._select = {"name": name, "multiple": "multiple" in a, "first": None, "chosen": []}
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in a:
                self._select["chosen"].append(value)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            name, value = self._textarea
            self.fields.append((name, value[1:] if value.startswith("\n") else value))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            chosen = self._select["chosen"] or ([] if self._select["multiple"] else [self._select["first"] or ""])
            self.fields.extend((self._select["name"], value) for value in chosen)
            self._select = None


def form_fields(html: str, form_id: str) -> list[tuple[str, str]]:
    parser = FormFields(form_id)
    parser.feed(html)
    return parser.fields


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not found:
        raise RuntimeError("no CSRF token on the page")
    return found.group(1)


# --- the clients ---------------------------------------------------------------------------------------------------


class Results:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = {}
        self.errors: dict[str, int] = {}
        self.samples: list[str] = []

    def add(self, kind: str, seconds: float, error: str | None = None) -> None:
        with self.lock:
            self.latency.setdefault(kind, []).append(seconds)
            if error:
                self.errors[kind] = self.errors.get(kind, 0) + 1
                if len(self.samples) < 10:
                    self.samples.append(f"{kind}: {error}")


def timed(results: Results, kind: str, call, check) -> requests.Response | None:
    started = time.perf_counter()
    try:
        response = call()
    except requests.RequestException as exc:
        results.add(kind, time.perf_counter() - started, f"{type(exc).__name__}: {exc}")
        return None
    elapsed = time.perf_counter() - started
    problem = check(response)
    results.add(kind, elapsed, problem)
    return None if problem else response


def expect_200(response: requests.Response) -> str | None:
    return None if response.status_code == 200 else f"{response.request.url} answered {response.status_code}"


def reader(base: str, guides: list[str], api_lists: list[str], stop: float, rng: random.Random, results: Results):
    session = requests.Session()
    while time.monotonic() < stop:
        if rng.random() < 0.6:
            path, kind = f"/guides/{rng.choice(guides)}/", "guide"
        else:
            path, kind = rng.choice(api_lists), "api"
        timed(results, kind, lambda path=path: session.get(base + path, timeout=120), expect_200)


def sign_in(base: str, username: str, password: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/login/", timeout=60)
    answer = session.post(
        f"{base}/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": csrf_of(page.text)},
        headers={"Referer": f"{base}/login/"},
        allow_redirects=False,
        timeout=60,
    )
    if answer.status_code != 302 or "sessionid" not in session.cookies:
        raise RuntimeError(f"{username} could not sign in ({answer.status_code})")
    return session


def editor(base: str, session: requests.Session, pk: int, stop: float, results: Results, saves: dict) -> None:
    url = f"{base}/standards/{pk}/edit/"
    count = 0
    while time.monotonic() < stop:
        page = timed(results, "editor page", lambda: session.get(url, timeout=120), expect_200)
        if page is None:
            continue
        fields = form_fields(page.text, "editor-form")
        textareas = [i for i, (name, _) in enumerate(fields) if name.startswith("guide-") or "-" not in name]
        # One text of the guide changes each time, as a clerk's edit would; the rest goes back as loaded.
        index = next((i for i in textareas if fields[i][0].endswith("conditions")), textareas[0] if textareas else 0)
        count += 1
        name, value = fields[index]
        fields[index] = (name, MARK.sub("", value) + f"（负载测试第 {count} 次保存）")
        body = [(name, (None, value)) for name, value in fields] + [("action", (None, "save"))]

        def check(response: requests.Response) -> str | None:
            if response.status_code == 302 and response.headers.get("Location", "").endswith(f"/standards/{pk}/edit/"):
                return None
            return f"save of {pk} answered {response.status_code}"

        saved = timed(
            results,
            "editor save",
            lambda body=body: session.post(
                url, files=body, headers={"Referer": url}, allow_redirects=False, timeout=120
            ),
            check,
        )
        if saved is not None:
            saves[pk] = saves.get(pk, 0) + 1


def bare_client(base: str, stop: float, results: Results) -> None:
    session = requests.Session()
    while time.monotonic() < stop:
        timed(results, "baseline", lambda: session.get(base + "/", timeout=60), expect_200)


def run_threads(targets: list) -> None:
    threads = [threading.Thread(target=target, args=args, daemon=True) for target, args in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


# --- the data the clients need -------------------------------------------------------------------------------------


def demo_targets(editors: int) -> tuple[list[str], list[tuple[str, int]], dict[str, str]]:
    """Published guides, a draft of its own for each editor (with a demo login allowed to edit it), and codes for
    the API lists. Refuses a database without the demo data."""
    from django.contrib.auth import get_user_model

    from catalogue.demo.data import DEMO_LOGINS
    from catalogue.models import Division, LocalItemStatus
    from standards import permissions
    from standards.models import EDITABLE_STATES, ItemStandard

    guides = list(
        ItemStandard.objects.published()
        .filter(local_item__status=LocalItemStatus.ACTIVE)
        .values_list("local_item__code", flat=True)[:500]
    )
    users = list(get_user_model().objects.filter(username__in=[login for login, _ in DEMO_LOGINS], is_active=True))
    if not guides or not users:
        raise RuntimeError(
            "the load run needs the demo data: point DATABASE_URL at a throwaway database, then "
            "`manage.py migrate` and `manage.py seed_demo`"
        )
    drafts: list[tuple[str, int]] = []
    for standard in ItemStandard.objects.filter(state__in=EDITABLE_STATES).select_related("local_item").order_by("pk"):
        user = next((u for u in users if not u.is_superuser and permissions.can_edit(u, standard)), None)
        if user is not None:
            drafts.append((user.username, standard.pk))
        if len(drafts) == editors:
            break
    county = Division.objects.filter(code="441802").first() or Division.objects.filter(level="county").first()
    return guides, drafts, {"county": county.code, "city": county.parent_id or county.code}


def summary(results: Results, seconds: float) -> dict[str, dict]:
    table = {}
    for kind, values in results.latency.items():
        values = sorted(values)
        table[kind] = {
            "requests": len(values),
            "errors": results.errors.get(kind, 0),
            "rps": len(values) / seconds,
            "p50": statistics.median(values) * 1000,
            "p99": values[min(len(values) - 1, int(len(values) * 0.99))] * 1000,
        }
    return table


@register(
    "load",
    help="50 clients for 60 s on gunicorn (4 workers, loopback): guides, API lists, editor saves; vs a bare app",
    add_arguments=add_arguments,
)
def run(args) -> Outcome | str:
    from catalogue.demo.data import DEMO_PASSWORD
    from standards.models import ItemStandard

    try:
        guides, drafts, codes = demo_targets(args.editors)
    except RuntimeError as exc:
        return f"load: skipped: {exc}"
    rng = random.Random(args.seed)
    api_lists = [path.format(**codes) for path in API_LISTS]
    readers = args.clients - len(drafts)
    lines = [
        f"gunicorn {args.workers} sync workers on 127.0.0.1; {args.clients} clients: {len(drafts)} editors (a draft "
        f"each), {readers} anonymous readers (60 % guide pages of {len(guides)} published guides, 40 % API lists)"
    ]

    baseline = Results()
    bare = Gunicorn("bench.load_baseline_wsgi", args.baseline_port, args.workers, "/")
    try:
        stop = time.monotonic() + args.baseline_seconds
        run_threads([(bare_client, (bare.base, stop, baseline)) for _ in range(args.clients)])
    finally:
        bare.stop()

    results, saves = Results(), {}
    revisions = dict(ItemStandard.objects.filter(pk__in=[pk for _, pk in drafts]).values_list("pk", "revision"))
    server = Gunicorn("bench.api_site_wsgi", args.port, args.workers, "/api/v1/divisions/?page_size=1")
    try:
        sessions = [(sign_in(server.base, username, DEMO_PASSWORD), pk) for username, pk in drafts]
        for path in [f"/guides/{guides[0]}/", *api_lists]:  # each worker's first requests pay for imports
            for _ in range(args.workers):
                requests.get(server.base + path, timeout=120)
        started = time.monotonic()
        stop = started + args.seconds
        targets = [(editor, (server.base, session, pk, stop, results, saves)) for session, pk in sessions]
        targets += [
            (reader, (server.base, guides, api_lists, stop, random.Random(rng.random()), results))
            for _ in range(readers)
        ]
        run_threads(targets)
        elapsed = time.monotonic() - started
    finally:
        server.stop()

    bare = Gunicorn("bench.load_baseline_wsgi", args.baseline_port, args.workers, "/")
    try:
        stop = time.monotonic() + args.baseline_seconds
        run_threads([(bare_client, (bare.base, stop, baseline)) for _ in range(args.clients)])
    finally:
        bare.stop()

    after = dict(ItemStandard.objects.filter(pk__in=list(revisions)).values_list("pk", "revision"))
    stored = sum(after[pk] - revisions[pk] for pk in revisions)
    table = summary(results, elapsed)
    base = summary(baseline, 2 * args.baseline_seconds)["baseline"]
    total = sum(row["requests"] for row in table.values())
    errors = sum(row["errors"] for row in table.values())
    lines.append(
        f"{elapsed:.0f} s: {total:,} requests, {errors} errors ({errors / max(total, 1):.2%}); saves stored in the "
        f"database: {stored} of {sum(saves.values())} answered as saved"
    )
    load = os.getloadavg()[0]
    lines.append(f"the machine's load average (1 min) at the end: {load:.1f} on {os.cpu_count()} CPUs")
    lines.append(f"{'kind':<14}{'requests':>9}{'errors':>8}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'p50 ×base':>11}")
    for kind in (*KINDS, "baseline"):
        row = base if kind == "baseline" else table.get(kind)
        if row is None:
            continue
        lines.append(
            f"{kind:<14}{row['requests']:>9,}{row['errors']:>8}{row['rps']:>8.1f}{row['p50']:>9.1f}{row['p99']:>9.1f}"
            f"{row['p50'] / base['p50']:>10.1f}×"
        )
    lines.append("baseline: bench.load_baseline_wsgi, same gunicorn and clients, before and after the run")
    lines.extend(f"  error: {sample}" for sample in results.samples + baseline.samples)
    if errors or stored != sum(saves.values()):
        # Answers that were wrong, or saves answered but not stored: the run failed, whatever its latencies.
        failure = f"{errors} errors in {total:,} requests; {stored} of {sum(saves.values())} saves stored"
        return Outcome("\n".join(lines), [Result.failed("load", failure, goal="0 errors, every save stored")])
    return Outcome("\n".join(lines))
