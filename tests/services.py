"""Which outside services this run has. A test that needs one skips with a reason when it is absent, and fails
instead when REQUIRE_SERVICES=1 (CI), so a missing service can never pass unseen."""

from __future__ import annotations

import os
import shutil

import pytest
from django.db import connection

REQUIRED = os.environ.get("REQUIRE_SERVICES") == "1"


def need(condition: bool, reason: str) -> None:
    if condition:
        return
    if REQUIRED:
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}")
    pytest.skip(reason)


def need_postgres() -> None:
    need(connection.vendor == "postgresql", "needs PostgreSQL: set DATABASE_URL=postgres://…")


def need_redis() -> None:
    url = os.environ.get("REDIS_URL", "")
    ok = False
    if url:
        try:
            import redis

            ok = bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
        except Exception:
            ok = False
    need(ok, "needs Redis: set REDIS_URL=redis://… to a running server")


def need_chromium() -> str:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    need(os.path.exists(path), "needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)")
    return path
