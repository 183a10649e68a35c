"""No input gets a server error: every URL pattern of the URLconf is requested with a small catalogue of hostile
values in its path parameters and in the query string, as anonymous and as staff of several roles, by GET and by
POST. Each answer may be a 2xx, a redirect, or a 4xx — never a 5xx.

The patterns are read from the URLconf, so a page added later is covered without touching this file."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from tests.api.conftest import items  # noqa: F401  (fixture: published, draft and township items)

# Path parameters: numbers past every integer column, negative and zero; texts with NUL, a lone surrogate (as the
# UTF-8 bytes no decoder accepts), traversal, SQL and template syntax, and a long run.
INTS = ["0", "-1", "2147483648", "99999999999999999999"]
TEXTS = [
    "%00",
    "%ED%A0%80",
    "..%2F..%2Fetc%2Fpasswd",
    "%27%20OR%20%271%27%3D%271",
    "%7B%7B7*7%7D%7D%7B%25%20debug%20%25%7D",
    "x" * 4000,
    "%E4%B8%AD%E6%96%87",
]
# Query parameters the pages and the API read, each given every hostile value at once.
QUERY_KEYS = [
    "q", "page", "page_size", "cursor", "sort", "ordering", "division", "status", "kind", "level", "item_type",
    "since", "updated_since", "organization", "province", "node_kind", "alert", "state", "no", "tail", "item",
    "date", "accepted_from", "accepted_to", "situation", "rule", "department", "department_name", "tab", "plan",
    "stage",
    "decision", "date_from", "date_to", "decided_from", "decided_to",
]  # fmt: skip
QUERY_VALUES = [
    "%00",
    "-1",
    "99999999999999999999",
    "2026-01-01T00:00:00%2B23:00",
    "%27%20OR%201%3D1--",
    "%7B%7B7*7%7D%7D",
    "%ED%A0%80",
    "y" * 2000,
]
SKIPPED = ("admin/", "i18n/", "logout/", "api/docs/", "api/schema/")
PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>|\(\?P<(?P<rname>\w+)>[^)]*\)")


def _patterns(patterns=None, prefix: str = "") -> Iterator[str]:
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def _paths() -> list[str]:
    """Every pattern with each hostile value in its parameters (a pattern without parameters once)."""
    paths: set[str] = set()
    for raw in _patterns():
        text = raw.replace("^", "").replace("$", "")
        if text.startswith(SKIPPED):
            continue
        params = list(PARAM.finditer(text))
        if not params:
            paths.add("/" + text)
            continue
        values = INTS if all(m.group("conv") == "int" for m in params) else INTS[:1] + TEXTS
        for value in values:
            paths.add("/" + PARAM.sub(lambda m, v=value: "1" if m.group("conv") == "int" and v in TEXTS else v, text))
    return sorted(paths)


def _queries() -> list[str]:
    return ["&".join(f"{key}={value}" for key in QUERY_KEYS) for value in QUERY_VALUES]


PATHS = _paths()


@pytest.fixture
def callers(people, admin_user):
    from django.test import Client

    def signed_in(user):
        c = Client(raise_request_exception=False)
        c.force_login(user)
        return c

    return {
        "anonymous": Client(raise_request_exception=False),
        "admin": signed_in(admin_user),
        "clerk": signed_in(people["clerk"]),
        "compliance": signed_in(people["compliance"]),
    }


def _server_errors(client, paths, queries) -> list[str]:
    errors = []
    for path in paths:
        for query in [""] + (queries if "%" not in path and len(path) < 200 else []):
            url = f"{path}?{query}" if query else path
            for method in (client.get, client.post):
                response = method(url)
                if response.status_code >= 500:
                    errors.append(f"{method.__name__.upper()} {url[:160]} → {response.status_code}")
    return errors


@pytest.mark.django_db
@pytest.mark.usefixtures("items")
@pytest.mark.parametrize("who", ["anonymous", "admin", "clerk", "compliance"])
def test_no_hostile_input_gets_a_server_error(callers, who):
    client = callers[who]
    cache.clear()
    with override_settings(API_THROTTLE_RATES={}, PROGRESS_TRIES=100000):
        errors = _server_errors(client, PATHS, _queries())
    assert errors == [], "\n".join(errors[:40])


def test_the_catalogue_covers_pages_with_and_without_parameters():
    assert any("<" not in p and p.endswith("/catalogue/") for p in PATHS)
    assert any("99999999999999999999" in p for p in PATHS)
    assert any("%00" in p for p in PATHS)
