"""The demo data people meet after `make run`: standards in every state with real histories, something waiting in
every demo role's queue and inbox, and a second run that adds nothing."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from catalogue.demo import DEMO_LOGINS
from core.models import Notification
from reviews import selectors as review_selectors
from reviews.models import ReviewTask
from standards.models import ItemStandard, StandardState
from workflow.models import StateTransition

DEMO_TITLES = dict(DEMO_LOGINS)


def seed(capture) -> None:
    with capture(execute=True):  # the inbox follows transitions after commit, as in a real run
        call_command("seed_demo", stdout=io.StringIO())


@pytest.mark.django_db
def test_the_demo_has_every_state_a_queue_for_every_role_and_a_second_run_adds_nothing(
    client, django_capture_on_commit_callbacks
):
    seed(django_capture_on_commit_callbacks)
    assert set(ItemStandard.objects.values_list("state", flat=True)) == set(StandardState.values)
    # Real histories: every version that left the draft got there through logged transitions.
    moved = ItemStandard.objects.exclude(state__in=[StandardState.DRAFT]).filter(transitions__isnull=False)
    assert moved.filter(state=StandardState.RETURNED).exists() and StateTransition.objects.count() > 30
    for username in ("depthead", "compliance", "legality", "fj_depthead", "fj_compliance", "fj_legality"):
        assert review_selectors.queue(User.objects.get(username=username)).exists(), username
    assert Notification.objects.filter(recipient__username="clerk", kind="returned").exists()
    for username in ("clerk", "depthead", "compliance", "legality", "supervisor", "province", "fj_clerk", "admin"):
        client.force_login(User.objects.get(username=username))
        home = client.get("/")
        assert home.status_code == 200, username
        # The workbench names the role as the demo's list of logins does, and its first to-dos open.
        assert DEMO_TITLES[username].split("（")[0] in home.context["roles"], username
        for section in home.context["sections"]:
            for entry in section.entries[:1]:
                assert client.get(entry.url).status_code == 200, (username, entry.url)
        for entry in home.context["nav_items"]:  # every page a role's navigation offers opens
            assert client.get(entry["url"]).status_code == 200, (username, entry["url"])

    counts = (ItemStandard.objects.count(), ReviewTask.objects.count(), Notification.objects.count())
    seed(django_capture_on_commit_callbacks)
    assert (ItemStandard.objects.count(), ReviewTask.objects.count(), Notification.objects.count()) == counts
