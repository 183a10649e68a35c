"""The outside services the deployment relies on, checked for real: PostgreSQL's triggers and trigram index, and
the Redis broker Celery is configured with. Each skips locally without its service and fails under
REQUIRE_SERVICES=1, as CI runs it."""

from __future__ import annotations

import os

import pytest
from django.db import IntegrityError, connection, transaction

from catalogue.models import GeneralItem, IssuedCode
from tests.services import need_postgres, need_redis


@pytest.mark.postgres
def test_postgres_refuses_a_reissued_code_even_after_the_row_is_gone(general):
    need_postgres()
    item = general["plain"]
    assert IssuedCode.objects.filter(code=item.code, kind="general").exists()
    with connection.cursor() as cursor:
        # Remove the row behind every service's back, as a careless script might.
        cursor.execute("DELETE FROM catalogue_catalogchange_general_items WHERE generalitem_id = %s", [item.pk])
        cursor.execute("DELETE FROM catalogue_generalitem WHERE id = %s", [item.pk])
    assert not GeneralItem.objects.filter(code=item.code).exists()
    clone = GeneralItem(
        province=item.province,
        code=item.code,
        name="复用编码的事项",
        item_type=item.item_type,
        sector=item.sector,
        main_seq=item.main_seq,
        sub_seq=item.sub_seq,
        levels=item.levels,
    )
    with pytest.raises(IntegrityError, match="may never be reused"), transaction.atomic():
        GeneralItem.objects.bulk_create([clone])


@pytest.mark.postgres
def test_postgres_name_search_uses_the_trigram_index(general):
    need_postgres()
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'catalogue_localitem'")
        assert "catalogue_localitem_name_trgm" in {row[0] for row in cursor.fetchall()}
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("EXPLAIN SELECT id FROM catalogue_localitem WHERE name LIKE '%%教育%%'")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "catalogue_localitem_name_trgm" in plan, plan


@pytest.mark.redis
def test_celery_broker_is_the_configured_redis():
    need_redis()
    from django.conf import settings

    from config.celery import app

    assert os.environ["REDIS_URL"] == settings.CELERY_BROKER_URL
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1)
        assert conn.transport.driver_type == "redis"


def test_a_dead_workers_message_is_redelivered_after_the_longest_task_could_have_run():
    """Redis hands a message a worker took back to the queue after ``visibility_timeout``: more than the hard time
    limit (a running task is never started twice), far less than Redis' default hour."""
    from django.conf import settings

    from config.celery import app

    timeout = app.conf.broker_transport_options["visibility_timeout"]
    assert timeout == settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert settings.CELERY_TASK_TIME_LIMIT < timeout < 3600
