"""Deployment checks: production settings pass ``check --deploy``, refuse to start without a SECRET_KEY, and the
compose file describes the whole stack. Each check runs ``manage.py`` in a subprocess, because settings are read once
per process; none of them needs PostgreSQL or Redis."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent

# Variables the production settings read; a developer's shell must not decide the outcome of these tests.
_PRODUCTION_VARS = (
    "DJANGO_SETTINGS_MODULE",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "REDIS_URL",
    "CACHE_URL",
    "DEBUG",
    "STATIC_ROOT",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_PRELOAD",
    # Test-only switches that must never reach a production process.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "REQUIRE_SERVICES",
)


def _production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in _PRODUCTION_VARS}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        ALLOWED_HOSTS="portal.example.gov.cn",
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        STATIC_ROOT=str(tmp_path / "staticfiles"),
    )
    env.update(overrides)
    return env


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _dotenv_sets(name: str) -> bool:
    """base.py reads BASE_DIR/.env without overwriting the environment, so a local .env can supply a variable."""
    dotenv = BASE_DIR / ".env"
    if not dotenv.exists():
        return False
    lines = dotenv.read_text(encoding="utf-8").splitlines()
    return any(line.strip().removeprefix("export ").lstrip().startswith(f"{name}=") for line in lines)


def test_check_deploy_warns_when_request_limits_would_be_counted_per_process(tmp_path):
    result = _manage(_production_env(tmp_path, SECRET_KEY=secrets.token_urlsafe(50)), "check", "--deploy")
    assert "core.W001" in result.stdout + result.stderr


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    # As docker-compose.yml runs it: a shared Redis cache (the check does not connect to it).
    env = _production_env(tmp_path, SECRET_KEY=secrets.token_urlsafe(50), REDIS_URL="redis://redis:6379/0")
    result = _manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, f"check --deploy failed:\n{result.stdout}\n{result.stderr}"


def test_production_refuses_to_start_without_secret_key(tmp_path):
    if _dotenv_sets("SECRET_KEY"):
        pytest.skip("the local .env sets SECRET_KEY")
    result = _manage(_production_env(tmp_path), "check")
    assert result.returncode != 0, f"production settings loaded without SECRET_KEY:\n{result.stdout}\n{result.stderr}"
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_compose_file_defines_the_stack():
    yaml = pytest.importorskip("yaml")
    compose = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert {"db", "redis", "web", "worker", "beat"} <= set(services)
    for name in ("web", "worker", "beat"):
        environment = services[name]["environment"]
        assert environment["DJANGO_SETTINGS_MODULE"] == "config.settings.production", name
        assert environment["DATABASE_URL"].startswith("postgres://"), name
        assert "@db:5432/" in environment["DATABASE_URL"], name
        assert environment["REDIS_URL"] == "redis://redis:6379/0", name
    assert "migrate" in " ".join(services["web"]["command"])
    assert "config.wsgi:application" in " ".join(services["web"]["command"])
