"""The audit trail cannot be rewritten: read-only sign-in records in the admin, a database trigger on PostgreSQL, and
an archive that never removes a row younger than 180 days."""

from __future__ import annotations

import datetime as dt
import gzip
import json

import pytest
from axes.models import AccessAttempt, AccessLog
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from core.management.commands.archive_audit import archive
from core.models import AuditEvent
from tests.factories import UserFactory
from tests.services import need_postgres


def _event(days_ago: int, username: str = "someone") -> AuditEvent:
    return AuditEvent.objects.create(
        kind=AuditEvent.Kind.LOGIN_FAILURE, username=username, created_at=timezone.now() - dt.timedelta(days=days_ago)
    )


@pytest.mark.django_db
def test_the_archive_moves_only_rows_past_the_retention_period_to_a_file(tmp_path, settings):
    settings.AUDIT_RETENTION_DAYS = 365
    old, kept = _event(400, "old"), _event(100, "recent")
    removed, path = archive(tmp_path)
    assert removed == 1
    assert list(AuditEvent.objects.values_list("pk", flat=True)) == [kept.pk]
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        lines = [json.loads(line) for line in fh]
    assert [(row["id"], row["username"]) for row in lines] == [(old.pk, "old")]
    assert archive(tmp_path) == (0, None)


@pytest.mark.django_db
def test_no_setting_or_option_removes_a_row_younger_than_180_days(tmp_path, settings):
    settings.AUDIT_RETENTION_DAYS = 7
    young = _event(179)
    assert archive(tmp_path, days=1) == (0, None)
    assert AuditEvent.objects.filter(pk=young.pk).exists()


@pytest.mark.django_db
def test_sign_in_records_are_read_only_in_the_admin(client, admin_user):
    log = AccessLog.objects.create(username="x", ip_address="10.0.0.1", user_agent="t", attempt_time=timezone.now())
    attempt = AccessAttempt.objects.create(
        username="x", ip_address="10.0.0.1", user_agent="t", failures_since_start=9, attempt_time=timezone.now()
    )
    client.force_login(admin_user)
    assert client.get(reverse("admin:axes_accesslog_change", args=[log.pk])).status_code == 200
    assert client.post(reverse("admin:axes_accesslog_delete", args=[log.pk]), {"post": "yes"}).status_code == 403
    refused = client.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    assert refused.status_code == 403
    assert AccessLog.objects.filter(pk=log.pk).exists()

    response = client.post(
        reverse("admin:axes_accessattempt_changelist"), {"action": "unlock", "_selected_action": [attempt.pk]}
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(pk=attempt.pk).exists()
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.UNLOCK, user=admin_user, detail__contains="x").exists()


@pytest.mark.django_db(transaction=True)
def test_postgresql_refuses_to_change_or_delete_an_audit_row():
    need_postgres()
    event = _event(1)
    for sql in (
        "UPDATE core_auditevent SET username = 'forged' WHERE id = %s",
        "DELETE FROM core_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL spbz.audit_archive = 'on'")
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).username == "someone"


@pytest.mark.django_db(transaction=True)
def test_deleting_a_user_keeps_their_audit_rows_by_name():
    user = UserFactory(username="leaver")
    event = AuditEvent.objects.create(kind=AuditEvent.Kind.LOGIN_SUCCESS, user=user, username="leaver")
    user.delete()
    event = AuditEvent.objects.get(pk=event.pk)
    assert (event.user_id, event.username) == (None, "leaver")
