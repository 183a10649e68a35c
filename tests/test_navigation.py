"""The navigation and the pages agree, for every demo role: an entry is shown exactly when its page lets that role in,
and no page of the URLconf that takes no argument answers a role with a server error."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern

from catalogue.models import Membership
from portal.navigation import PAGES, navigation_for
from tests.factories import UserFactory

SKIPPED_PREFIXES = ("admin/", "api/", "i18n/", "static/", "media/")


def parameterless_urls(patterns=None, prefix: str = "") -> list[str]:
    """Every address of the URLconf reached without an argument (the administration, the API and the language switch
    have tests of their own)."""
    urls = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if not isinstance(pattern.pattern, RoutePattern) or pattern.pattern.converters:
            continue
        route = prefix + str(pattern.pattern)
        if route.startswith(SKIPPED_PREFIXES):
            continue
        if isinstance(pattern, URLResolver):
            urls += parameterless_urls(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            urls.append("/" + route)
    return urls


def get_as(user: User | AnonymousUser, url: str):
    """A fresh client per request: a page that signs out (or in) does not leak into the next one."""
    client = Client()
    if user.is_authenticated:
        client.force_login(user)
    return client.get(url)


@pytest.fixture
def roles(django_capture_on_commit_callbacks) -> dict[str, User | AnonymousUser]:
    """Every demo account by username, a signed-in user without any role, and the anonymous visitor."""
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())
    people: dict[str, User | AnonymousUser] = {
        u.username: u for u in User.objects.filter(pk__in=Membership.objects.values("user_id")).order_by("username")
    }
    people["(no role)"] = UserFactory(username="norole")
    people["(anonymous)"] = AnonymousUser()
    return people


@pytest.mark.django_db
def test_every_menu_entry_is_shown_exactly_when_its_page_opens_and_no_page_fails(roles):
    assert len(roles) >= 12, sorted(roles)
    every_entry = [reverse(name) for _, name, _ in PAGES]
    disagreements, failures = [], []
    for username, user in roles.items():
        shown = {entry["url"] for entry in navigation_for(user)}
        for url in every_entry:
            status = get_as(user, url).status_code
            if (url in shown) != (status == 200):
                where = "shown in the menu" if url in shown else "hidden from the menu"
                disagreements.append(f"{username}: {url} is {where} but the page answers {status}")
        for url in parameterless_urls():
            status = get_as(user, url).status_code
            if status >= 500:
                failures.append(f"{username}: GET {url} answers {status}")
    assert not disagreements, "\n".join(disagreements)
    assert not failures, "\n".join(failures)


def test_the_walk_reaches_the_pages_of_every_app():
    urls = parameterless_urls()
    for name in ("home", "catalogue:local_list", "reviews:queue", "workflow:milestones", "reporting:reports"):
        assert reverse(name) in urls, name
    assert not any(url.startswith(("/admin/", "/api/", "/i18n/")) for url in urls)
