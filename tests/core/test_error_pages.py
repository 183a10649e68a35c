"""The portal's own error pages in every mode ``make run`` serves, a favicon, and a quiet start: no axes banner, no
kombu warning, only the logins from the demo data."""

from __future__ import annotations

import importlib
import logging
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from core.tasks import send_notification_emails

BRANDED = "core.middleware.BrandedErrorPagesMiddleware"


def local_settings():
    return importlib.import_module("config.settings.local")


def test_the_local_settings_serve_the_portals_pages_with_debug_on():
    local = local_settings()
    assert local.DEBUG is True
    assert BRANDED in local.MIDDLEWARE
    assert local.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"  # django-axes stays last


@pytest.fixture
def debug_on():
    with override_settings(DEBUG=True, MIDDLEWARE=local_settings().MIDDLEWARE):
        yield


def assert_branded_404(response):
    body = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in body and "行政审批标准化门户" in body and "portal.css" in body
    assert "URLconf" not in body and "technical_404" not in body and "Django" not in body


def test_an_unknown_address_gets_the_portals_404_with_debug_on(client, db, debug_on):
    assert_branded_404(client.get("/no-such-page/"))


def test_a_missing_record_gets_the_portals_404_with_debug_on(client, people, debug_on):
    client.force_login(people["clerk"])
    assert_branded_404(client.get(reverse("standards:detail", args=[999999])))


def test_a_missing_slash_is_still_added_with_debug_on(client, db, debug_on):
    response = client.get("/login")
    assert response.status_code == 301 and response["Location"] == "/login/"


@override_settings(ROOT_URLCONF="tests.core.urls_failing")
def test_a_failing_page_gets_the_portals_500_and_the_console_the_traceback(client, db, debug_on, caplog):
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/broken/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "系统暂时出现问题" in body and "行政审批标准化门户" in body and "portal.css" in body
    assert "Traceback" not in body and "RuntimeError" not in body
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.exc_info and record.exc_info[0] is RuntimeError


@override_settings(ROOT_URLCONF="tests.core.urls_failing", DEBUG=False)
def test_the_500_page_is_the_portals_with_debug_off(client, db):
    client.raise_request_exception = False
    body = client.get("/broken/").content.decode()
    assert "系统暂时出现问题" in body and "portal.css" in body and "favicon" in body


def test_every_page_links_the_favicon_and_favicon_ico_finds_it(client, db):
    page = client.get(reverse("login")).content.decode()
    assert "favicon.svg" in page and "favicon.ico" in page
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"].endswith("favicon.ico")
    assert finders.find("favicon.ico") and finders.find("favicon.svg")


def test_no_axes_banner():
    assert settings.AXES_VERBOSE is False


def test_an_eager_task_does_not_warn_about_a_missing_hostname(db, caplog):
    with caplog.at_level(logging.WARNING, logger="kombu"):
        send_notification_emails.delay("no-such-event")
    assert not [r for r in caplog.records if "hostname" in r.getMessage()]


def test_the_quiet_seed_prints_only_the_logins(db, monkeypatch):
    command = importlib.import_module("catalogue.management.commands.seed_demo")
    monkeypatch.setattr(command.DemoBuilder, "run", lambda self: self.log("行政区划：新增 0"))
    monkeypatch.setattr(command, "later_steps", lambda: iter([("报表", lambda log: log("统计快照：今日 0 个"))]))
    quiet, loud = StringIO(), StringIO()
    call_command("seed_demo", verbosity=0, stdout=quiet)
    call_command("seed_demo", verbosity=1, stdout=loud)
    assert "行政区划" in loud.getvalue() and "统计快照" in loud.getvalue()
    lines = quiet.getvalue().splitlines()
    assert lines[0].startswith("演示账号") and "clerk" in quiet.getvalue()
    assert "行政区划" not in quiet.getvalue() and "统计快照" not in quiet.getvalue()
