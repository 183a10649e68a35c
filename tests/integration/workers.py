"""Start a real Celery worker on Redis against this test run's database (used by the integration tests)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{s['NAME']}"


@contextlib.contextmanager
def running_worker(prefix: str) -> Iterator[tuple[str, subprocess.Popen]]:
    """A worker process consuming a queue of its own, with ``DATABASE_URL`` pointing at the database pytest-django
    created for this run; yields the queue name and the process. Its output is printed when it stops."""
    queue = f"{prefix}-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "config.settings.test",  # the same file storage as this process
        "CELERY_TASK_ALWAYS_EAGER": "False",  # retries go back through the broker
        "PYTHONPATH": str(ROOT),
    }
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", queue, "--pool", "solo", "-l", "info"]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"{queue}@%h"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        yield queue, process
    finally:
        if process.poll() is None:
            process.terminate()
        try:
            output, _ = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
        print(output.decode(errors="replace")[-4000:])  # shown when the test fails


def send(queue: str, name: str, *args, wait: bool = True, timeout: int = 120):
    """Send a task through the broker to ``queue``; with ``wait``, its result."""
    from config.celery import app

    assert not settings.CELERY_BROKER_URL.startswith("memory"), "REDIS_URL must be set for this test"
    # The test settings run tasks in-process; this test talks to the worker, so results come from the backend.
    eager, app.conf.task_always_eager = app.conf.task_always_eager, False
    try:
        result = app.send_task(name, args=args, queue=queue)
        return result.get(timeout=timeout) if wait else result
    finally:
        app.conf.task_always_eager = eager
