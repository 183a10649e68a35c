"""The security audit trail: sign-ins, failed sign-ins, sign-outs, lockouts and refused pages; read-only in admin."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from core.models import AuditEvent
from tests.factories import UserFactory

PASSWORD = "pass-word-123"
Kind = AuditEvent.Kind


def test_login_success_is_recorded(client, db):
    user = UserFactory(username="auditor-a")
    response = client.post("/login/", {"username": "auditor-a", "password": PASSWORD}, REMOTE_ADDR="198.51.100.20")
    assert response.status_code == 302
    event = AuditEvent.objects.get(kind=Kind.LOGIN_SUCCESS)
    assert event.user == user
    assert event.username == "auditor-a"
    assert event.ip_address == "198.51.100.20"
    assert event.path == "/login/"


def test_login_failure_keeps_the_username_tried_and_never_the_password(client, db):
    UserFactory(username="auditor-b")
    client.post("/login/", {"username": "auditor-b", "password": "secret-guess-1"})
    client.post("/login/", {"username": "no-such-user", "password": "secret-guess-2"})
    events = AuditEvent.objects.filter(kind=Kind.LOGIN_FAILURE).order_by("pk")
    assert [e.username for e in events] == ["auditor-b", "no-such-user"]
    assert all(e.user is None and e.ip_address == "127.0.0.1" for e in events)
    assert not any("secret-guess" in (e.detail + e.path) for e in events)


def test_logout_is_recorded(client, db):
    user = UserFactory(username="auditor-c")
    client.force_login(user)
    client.post(reverse("logout"))
    event = AuditEvent.objects.get(kind=Kind.LOGOUT)
    assert event.user == user and event.username == "auditor-c"


def test_anonymous_logout_records_nothing(client, db):
    client.post(reverse("logout"))
    assert not AuditEvent.objects.filter(kind=Kind.LOGOUT).exists()


def test_a_refused_page_is_recorded_and_still_answers_403(client, db):
    user = UserFactory(username="no-role")
    client.force_login(user)
    response = client.get("/catalogue/?division=441802")
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()
    event = AuditEvent.objects.get(kind=Kind.PERMISSION_DENIED)
    assert event.user == user
    assert event.path == "/catalogue/?division=441802"
    assert event.detail.startswith("GET ")
    assert "权限" in event.detail


def test_audit_rows_can_be_neither_changed_nor_deleted(db):
    event = AuditEvent.objects.create(kind=Kind.LOGIN_FAILURE, username="x")
    event.username = "y"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(username="y")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).username == "x"


def test_deleting_a_user_keeps_the_audit_rows(db):
    user = UserFactory(username="leaver")
    AuditEvent.objects.create(kind=Kind.LOGIN_SUCCESS, user=user, username="leaver")
    user.delete()
    event = AuditEvent.objects.get()
    assert event.user is None and event.username == "leaver"


@pytest.fixture
def admin_client_(client, admin_user):
    client.force_login(admin_user)
    return client


def test_admin_lists_and_searches_but_never_edits(admin_client_, db):
    clerk = UserFactory(username="clerk-z")
    AuditEvent.objects.create(kind=Kind.LOGIN_SUCCESS, user=clerk, username="clerk-z", ip_address="127.0.0.1")
    AuditEvent.objects.create(kind=Kind.PERMISSION_DENIED, username="someone-else", path="/catalogue/")
    url = reverse("admin:core_auditevent_changelist")

    page = admin_client_.get(url)
    assert page.status_code == 200
    assert "安全审计记录" in page.content.decode()
    assert page.context["cl"].date_hierarchy == "created_at"
    assert page.context["cl"].result_count == AuditEvent.objects.count()  # force_login itself is recorded too

    by_user = admin_client_.get(url, {"q": "clerk-z"})
    assert [e.username for e in by_user.context["cl"].result_list] == ["clerk-z"]
    by_kind = admin_client_.get(url, {"kind__exact": Kind.PERMISSION_DENIED})
    assert [e.username for e in by_kind.context["cl"].result_list] == ["someone-else"]

    event = AuditEvent.objects.get(username="clerk-z")
    assert admin_client_.get(reverse("admin:core_auditevent_add")).status_code == 403
    assert admin_client_.get(reverse("admin:core_auditevent_delete", args=[event.pk])).status_code == 403
    detail = admin_client_.get(reverse("admin:core_auditevent_change", args=[event.pk]))
    assert detail.status_code == 200  # read-only view
    assert 'name="_save"' not in detail.content.decode()
    posted = admin_client_.post(reverse("admin:core_auditevent_change", args=[event.pk]), {"username": "changed"})
    assert posted.status_code == 403
    actions = admin_client_.get(url).context["cl"].model_admin.get_actions(admin_client_.get(url).wsgi_request)
    assert "delete_selected" not in actions
    assert AuditEvent.objects.filter(username="clerk-z").count() == 1
    assert User.objects.filter(username="clerk-z").exists()
