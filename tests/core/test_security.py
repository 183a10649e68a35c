"""The security baseline: password hashing, login lockout, session expiry, security headers and CSRF."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import importlib
import re
from pathlib import Path

import django_htmx
import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.hashers import check_password, get_hasher, make_password
from django.contrib.sessions.models import Session
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from catalogue.models import Claim
from core.models import AuditEvent
from tests.factories import UserFactory

PASSWORD = "pass-word-123"
LOGIN = "/login/"


def _base():
    return importlib.import_module("config.settings.base")


def _attempt(client: Client, username: str, password: str, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def _signed_in(client: Client) -> bool:
    return SESSION_KEY in client.session


# --- password hashing -------------------------------------------------------------------------------------------------


def test_argon2_is_the_first_hasher_of_base_settings():
    base = _base()
    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    # older PBKDF2 hashes still verify (and are upgraded to Argon2 at the next login)
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in base.PASSWORD_HASHERS
    # the test settings keep their fast hasher
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_argon2_hashes_and_verifies_here():
    with override_settings(PASSWORD_HASHERS=_base().PASSWORD_HASHERS):
        assert get_hasher().algorithm == "argon2"  # the default, and argon2-cffi is installed
        encoded = make_password("一个足够长的密码2026")
        assert encoded.startswith("argon2$argon2id$")
        assert check_password("一个足够长的密码2026", encoded)
        assert not check_password("另一个密码2026", encoded)


def test_password_validators_refuse_weak_passwords():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("short1", "1234567890123", "password123"):
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("审批标准-Portal-2026")


# --- lockout ----------------------------------------------------------------------------------------------------------


def test_base_settings_lock_out_by_account_and_by_address():
    base = _base()
    assert base.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert "django.contrib.auth.backends.ModelBackend" in base.AUTHENTICATION_BACKENDS
    assert base.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"
    assert base.AXES_FAILURE_LIMIT == 5
    assert dt.timedelta(minutes=30) == base.AXES_COOLOFF_TIME
    assert base.AXES_LOCKOUT_PARAMETERS == ["username", "ip_address"]
    assert base.AXES_RESET_ON_SUCCESS is True
    assert settings.AXES_ENABLED is True  # the suite runs with the lockout on


def test_five_failures_lock_the_account_for_thirty_minutes(client, db):
    user = UserFactory(username="clerk-a")
    for n in range(4):
        response = _attempt(client, "clerk-a", "wrong-password")
        assert response.status_code == 200, n
        assert "请输入一个正确的" in response.content.decode()
    fifth = _attempt(client, "clerk-a", "wrong-password")
    assert fifth.status_code == 429

    sixth = _attempt(client, "clerk-a", PASSWORD)  # the right password is refused too
    assert sixth.status_code == 429
    page = sixth.content.decode()
    assert "账号已锁定" in page
    assert "30 分钟" in page
    assert "联系系统管理员" in page
    assert not _signed_in(client)

    lockouts = AuditEvent.objects.filter(kind=AuditEvent.Kind.LOCKOUT, username="clerk-a")
    assert lockouts.exists()
    assert lockouts.first().ip_address == "127.0.0.1"
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.LOGIN_FAILURE, username="clerk-a").count() == 6
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.LOGIN_SUCCESS, user=user).exists()


def test_lockout_page_carries_the_security_headers(client, db):
    UserFactory(username="clerk-b")
    for _ in range(5):
        response = _attempt(client, "clerk-b", "wrong-password")
    assert response.status_code == 429
    assert "Content-Security-Policy" in response
    assert response["X-Frame-Options"] == "DENY"


def test_an_account_is_locked_whatever_addresses_the_failures_come_from(db):
    """Four wrong passwords from each of many addresses: the fifth failure locks the account everywhere."""
    UserFactory(username="clerk-c")
    for n in range(4):
        assert _attempt(Client(REMOTE_ADDR=f"203.0.113.{n}"), "clerk-c", "wrong-password").status_code == 200
    assert _attempt(Client(REMOTE_ADDR="203.0.113.50"), "clerk-c", "wrong-password").status_code == 429
    assert _attempt(Client(REMOTE_ADDR="198.51.100.7"), "clerk-c", PASSWORD).status_code == 429
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.LOCKOUT, username="clerk-c").exists()


def test_an_address_spraying_one_password_over_many_accounts_is_locked(db):
    """One failure on each of many accounts from one address: the address is locked at the fifth, for every
    account, while the accounts themselves still sign in from elsewhere."""
    for n in range(6):
        UserFactory(username=f"spray-{n}")
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    responses = [_attempt(attacker, f"spray-{n}", "Qingyuan2026!").status_code for n in range(6)]
    assert responses == [200, 200, 200, 200, 429, 429]
    assert _attempt(attacker, "spray-5", PASSWORD).status_code == 429
    assert _attempt(Client(REMOTE_ADDR="198.51.100.7"), "spray-0", PASSWORD).status_code == 302


def test_failures_below_both_limits_lock_nothing(db):
    UserFactory(username="clerk-d")
    UserFactory(username="clerk-h")
    office = Client(REMOTE_ADDR="203.0.113.20")
    for _ in range(2):
        _attempt(office, "clerk-d", "wrong-password")
        _attempt(office, "clerk-h", "wrong-password")
    assert _attempt(office, "clerk-d", PASSWORD).status_code == 302


def test_a_forged_forwarded_for_header_does_not_escape_the_lockout(client, db):
    UserFactory(username="clerk-e")
    for n in range(5):
        _attempt(client, "clerk-e", "wrong-password", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    response = _attempt(client, "clerk-e", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.200")
    assert response.status_code == 429


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_declared_proxy_the_forwarded_address_counts(db):
    UserFactory(username="clerk-f")
    proxy = Client(REMOTE_ADDR="10.0.0.1")
    for _ in range(5):
        _attempt(proxy, "clerk-f", "wrong-password", HTTP_X_FORWARDED_FOR="forged, 203.0.113.5")
    assert AccessAttempt.objects.get(username="clerk-f").ip_address == "203.0.113.5"
    assert _attempt(proxy, "clerk-f", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 429
    # the forwarded address is locked for other accounts too; the proxy's own address and other clients are not
    UserFactory(username="clerk-i")
    assert _attempt(proxy, "clerk-i", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 429
    assert _attempt(proxy, "clerk-i", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.6").status_code == 302


def test_a_successful_login_resets_the_failure_count(client, db):
    UserFactory(username="clerk-g")
    for _ in range(4):
        _attempt(client, "clerk-g", "wrong-password")
    assert _attempt(client, "clerk-g", PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="clerk-g").exists()
    client.post(reverse("logout"))
    for _ in range(4):
        assert _attempt(client, "clerk-g", "wrong-password").status_code == 200
    # 8 failures in all, but never 5 in a row: the right password still works
    assert _attempt(client, "clerk-g", PASSWORD).status_code == 302
    assert _signed_in(client)


def test_login_page_states_the_lockout_policy(client, db):
    page = client.get(LOGIN).content.decode()
    assert "连续 5 次密码错误，账号将被锁定 30 分钟" in page


# --- sessions ---------------------------------------------------------------------------------------------------------


def test_base_settings_end_idle_sessions_after_thirty_minutes():
    base = _base()
    assert base.SESSION_COOKIE_AGE == 1800
    assert base.SESSION_SAVE_EVERY_REQUEST is True
    assert base.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE == 1800
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


@override_settings(SESSION_SAVE_EVERY_REQUEST=True)
def test_every_request_pushes_the_expiry_back(client, people):
    client.force_login(people["clerk"])
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + dt.timedelta(minutes=1))
    response = client.get(reverse("catalogue:local_list"))
    assert response.status_code == 200
    remaining = Session.objects.get(session_key=key).expire_date - timezone.now()
    assert dt.timedelta(minutes=29) < remaining <= dt.timedelta(minutes=30)
    # a browser-session cookie: no Expires / Max-Age, so closing the browser ends it
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == "" and cookie["max-age"] == ""
    assert cookie["httponly"]


def test_an_idle_session_has_expired(client, people):
    client.force_login(people["clerk"])
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get(reverse("catalogue:local_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- headers and CSP --------------------------------------------------------------------------------------------------


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part}


@pytest.mark.parametrize("url", [LOGIN, "/public/441802/"])
def test_pages_send_a_strict_content_security_policy(client, geo, url):
    response = client.get(url)
    assert response.status_code == 200
    policy = _policy(response)
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"][0] == "'self'"
    assert all(src.startswith("'sha256-") for src in policy["style-src"][1:])
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["font-src"] == ["'self'"]
    assert policy["connect-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_style_hash_matches_the_installed_htmx():
    """htmx 2 adds one fixed <style> for its indicators; the policy admits exactly that block by its hash."""
    source = (Path(django_htmx.__file__).parent / "static/django_htmx/htmx-2.min.js").read_text(encoding="utf-8")
    indicator = re.search(r'indicatorClass:"([^"]+)"', source).group(1)
    request = re.search(r'requestClass:"([^"]+)"', source).group(1)
    css = (
        f".{indicator}{{opacity:0;visibility: hidden}} "
        f".{request} .{indicator}, .{request}.{indicator}{{opacity:1;visibility: visible;transition: opacity 200ms "
        "ease-in}"
    )
    assert "{opacity:0;visibility: hidden} `+`.${" in source, "htmx changed how it writes its indicator styles"
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["style-src"]


def test_templates_have_no_inline_script_or_style():
    root = Path(settings.BASE_DIR) / "templates"
    offenders = []
    for path in root.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for pattern in (r"<script(?![^>]*\ssrc=)[^>]*>", r"\sstyle=", r"<style", r"\son[a-z]+\s*=", r"javascript:"):
            offenders += [f"{path.relative_to(root)}: {m.group(0)}" for m in re.finditer(pattern, text)]
    assert offenders == []


# --- CSRF -------------------------------------------------------------------------------------------------------------


def test_login_without_csrf_token_is_refused(db):
    UserFactory(username="clerk-h")
    client = Client(enforce_csrf_checks=True)
    response = _attempt(client, "clerk-h", PASSWORD)
    assert response.status_code == 403
    assert not _signed_in(client)
    # the site's own 403 page in Chinese, under the CSP, and the refusal is in the audit trail
    page = response.content.decode()
    assert "无权访问" in page and "刷新后重试" in page
    assert "<style" not in page and "unsafe-inline" not in response["Content-Security-Policy"]
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.PERMISSION_DENIED)
    assert event.path == LOGIN and "CSRF" in event.detail
    # with the token from the form, the same login goes through
    client.get(LOGIN)
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(LOGIN, {"username": "clerk-h", "password": PASSWORD, "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_staff_form_without_csrf_token_is_refused(people, general):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["clerk"])
    data = {"general_items": [general["plain"].pk]}
    response = client.post(reverse("catalogue:claim_start"), data)
    assert response.status_code == 403
    assert not Claim.objects.exists()
    # the same form with the token from the page is accepted
    client.get(reverse("catalogue:claim_start"))
    data["csrfmiddlewaretoken"] = client.cookies[settings.CSRF_COOKIE_NAME].value
    assert client.post(reverse("catalogue:claim_start"), data).status_code == 302
    assert Claim.objects.count() == 1


def test_logout_without_csrf_token_is_refused(people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["clerk"])
    assert client.post(reverse("logout")).status_code == 403
    assert _signed_in(client)
