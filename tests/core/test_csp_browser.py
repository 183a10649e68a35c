"""Pages under the Content Security Policy in a real browser: nothing the site or the admin ships is refused.

Chromium runs in a child process: the end-to-end tests keep a session-wide Playwright (sync API) in this process, and a
second one cannot start beside it."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.e2e.conftest import CHROMIUM_ARGS
from tests.services import need_chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCRIPT = r"""
import json, sys
from playwright.sync_api import sync_playwright

job = json.loads(sys.argv[1])
seen, statuses, checks = [], {}, {}
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path=job["chromium"], args=job["args"])
    page = browser.new_context(locale="zh-CN").new_page()
    page.set_default_timeout(15_000)
    page.on("console", lambda m: seen.append(m.text))
    page.on("pageerror", lambda e: seen.append(f"pageerror: {e}"))
    if job.get("login"):
        page.goto(job["base"] + "/admin/login/")
        page.fill("#id_username", job["login"][0])
        page.fill("#id_password", job["login"][1])
        with page.expect_navigation():
            page.click("input[type=submit]")
    for path in job["paths"]:
        response = page.goto(job["base"] + path)
        page.wait_for_load_state("load")
        statuses[path] = [response.status, "content-security-policy" in response.headers]
        checks[path] = page.evaluate(
            "() => [...document.styleSheets].some(s => !s.href && s.cssRules.length > 0)"
        )
        if page.locator("#calendarlink0").count():
            page.click("#calendarlink0")  # the admin's date widget builds its calendar in JavaScript
            checks[path] = page.locator("#calendarbox0").is_visible()
    browser.close()
print(json.dumps({"seen": seen, "statuses": statuses, "checks": checks}))
"""


def _browse(base: str, paths: list[str], login: tuple[str, str] | None = None) -> dict:
    job = {"chromium": need_chromium(), "args": CHROMIUM_ARGS, "base": base, "paths": paths, "login": login}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, json.dumps(job)], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def _violations(seen: list[str]) -> list[str]:
    return [text for text in seen if "Content Security Policy" in text or text.startswith("pageerror")]


def test_public_and_login_pages_raise_no_csp_violation(live_server, geo):
    report = _browse(live_server.url, ["/login/", "/public/441802/"])
    assert report["statuses"] == {"/login/": [200, True], "/public/441802/": [200, True]}
    # htmx's own indicator <style> is admitted by its hash: the rule is in force
    assert all(report["checks"].values())
    assert _violations(report["seen"]) == []


def test_admin_works_under_the_policy(live_server, admin_user):
    change = f"/admin/auth/user/{admin_user.pk}/change/"
    report = _browse(
        live_server.url, ["/admin/", "/admin/core/auditevent/", change], login=(admin_user.username, "pass-word-123")
    )
    assert all(status == [200, True] for status in report["statuses"].values()), report["statuses"]
    assert report["checks"][change] is True  # the calendar opened
    assert _violations(report["seen"]) == []
