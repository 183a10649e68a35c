"""The password policy: three of four character classes; a password an administrator set is changed by its owner at
the next sign-in, before any other page; an optional maximum age."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from core.models import AccountSecurity
from tests.factories import UserFactory

PASSWORD = "Temp-pass-2026"


@pytest.mark.parametrize("password", ["qingyuan2026", "QINGYUAN-TOWN", "correcthorsebattery"])
def test_two_character_classes_are_refused(password):
    with pytest.raises(ValidationError) as excinfo:
        validate_password(password)
    assert any("至少 3 类" in message for message in excinfo.value.messages)


@pytest.mark.parametrize("password", ["spbz-demo-2026", "Qingyuan2026x", "清远市-edu-2026"])
def test_three_character_classes_pass(password):
    validate_password(password)


def _login(client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


@pytest.mark.django_db
def test_an_account_created_in_the_admin_changes_its_password_before_anything_else(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:auth_user_add"),
        {"username": "newclerk", "password1": PASSWORD, "password2": PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert AccountSecurity.objects.get(user__username="newclerk").must_change_password
    client.logout()

    _login(client, "newclerk", PASSWORD)
    for page in (reverse("home"), reverse("inbox"), reverse("standards:list")):
        response = client.get(page)
        assert response.status_code == 302 and response["Location"] == reverse("password_change"), page
    page = client.get(reverse("password_change"))
    assert "由管理员设置" in page.content.decode()

    refused = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "qingyuan2026", "new_password2": "qingyuan2026"},
    )
    assert refused.status_code == 200 and "至少 3 类" in refused.content.decode()
    assert client.get(reverse("home")).status_code == 302

    done = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Mine-only-2026", "new_password2": "Mine-only-2026"},
    )
    assert done.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    state = AccountSecurity.objects.get(user__username="newclerk")
    assert not state.must_change_password and state.password_changed_at is not None


@pytest.mark.django_db
def test_a_password_reset_by_an_administrator_is_changed_at_next_sign_in(client, admin_user):
    user = UserFactory(username="resetme")
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"password1": PASSWORD, "password2": PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302
    assert AccountSecurity.objects.get(user=user).must_change_password


@pytest.mark.django_db
def test_an_account_nobody_else_set_goes_straight_in(client):
    user = UserFactory(username="ownpass")
    user.set_password(PASSWORD)
    user.save()
    _login(client, "ownpass", PASSWORD)
    assert client.get(reverse("inbox")).status_code == 200


@pytest.mark.django_db
def test_a_password_past_its_maximum_age_is_changed_first(client):
    user = UserFactory(username="oldpass")
    user.set_password(PASSWORD)
    user.save()
    AccountSecurity.objects.create(user=user, password_changed_at=timezone.now() - dt.timedelta(days=91))
    with override_settings(PASSWORD_MAX_AGE_DAYS=90):
        _login(client, "oldpass", PASSWORD)
        assert client.get(reverse("inbox"))["Location"] == reverse("password_change")
    client.logout()
    with override_settings(PASSWORD_MAX_AGE_DAYS=0):
        _login(client, "oldpass", PASSWORD)
        assert client.get(reverse("inbox")).status_code == 200
    assert User.objects.filter(username="oldpass").exists()
