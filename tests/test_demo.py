"""The demo data people meet after `make run`: standards in every state with real histories, something waiting in
every demo role's queue and inbox, and a second run that adds nothing."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db.models import F
from django.urls import reverse

from cases.models import Alert, AlertLevel, Case, CaseStatus, Decision, Oversight, OversightState, PublishedResult
from catalogue.demo import DEMO_LOGINS
from core.models import Notification
from reporting.models import CaseSnapshot, Compendium
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
    # Cases in every state in every demo county, with yellow and red alerts and an open 督办.
    for county in Case.objects.values_list("division", flat=True).distinct():
        in_county = Case.objects.filter(division=county)
        assert {CaseStatus.SUPPLEMENT, CaseStatus.IN_PROGRESS, CaseStatus.SUSPENDED, CaseStatus.NOT_ACCEPTED,
                CaseStatus.FINISHED} <= set(in_county.values_list("status", flat=True)), county  # fmt: skip
        assert in_county.filter(extension_days__gt=0).exists(), county
        finished = in_county.filter(status=CaseStatus.FINISHED)
        assert finished.filter(finished_on__lt=F("promised_due")).exists(), county  # early
        assert finished.filter(finished_on=F("promised_due")).exists(), county  # on time
        assert finished.filter(finished_on__gt=F("promised_due")).exists(), county  # late
        assert finished.filter(decision=Decision.DENY).exists(), county
        open_alerts = Alert.objects.filter(case__division=county, cleared_at=None)
        assert {AlertLevel.YELLOW, AlertLevel.RED} <= set(open_alerts.values_list("level", flat=True)), county
        assert Oversight.objects.filter(case__division=county, state=OversightState.OPEN).exists(), county
    assert Case.objects.filter(division="441802").count() == 12
    # 结果公开: granted and denied licensing decisions, of organizations and (masked) persons, some published late.
    results = PublishedResult.objects.all()
    assert {"grant", "deny"} <= set(results.values_list("decision", flat=True))
    assert {"1", "2"} <= set(results.values_list("applicant_kind", flat=True))
    assert results.filter(published_late=True).exists() and results.filter(published_late=False).exists()
    assert not results.filter(applicant_kind="1").exclude(applicant_display__endswith="*").exists()
    assert client.get("/results/").status_code == 200
    # The day's case figures include the demo's cases (the figures page has something to show).
    assert CaseSnapshot.objects.filter(scope_key="441802", accepted__gt=0).exists()
    # A compendium of the demo county to download (标准文本汇编).
    compendium = Compendium.objects.get(division="441802", status="ready")
    client.force_login(User.objects.get(username="supervisor"))
    assert client.get(reverse("reporting:compendium_download", args=[compendium.pk])).status_code == 200

    for username in (
        "clerk", "depthead", "compliance", "legality", "supervisor", "province", "fj_clerk", "admin",
        "window", "approver", "center", "fj_window", "fj_approver", "fj_center",
    ):  # fmt: skip
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

    counts = (
        ItemStandard.objects.count(), ReviewTask.objects.count(), Notification.objects.count(), Case.objects.count(),
        Compendium.objects.count(),
        list(PublishedResult.objects.values_list("pk", "published_at", "published_late").order_by("pk")),
    )  # fmt: skip
    seed(django_capture_on_commit_callbacks)
    assert (
        ItemStandard.objects.count(), ReviewTask.objects.count(), Notification.objects.count(), Case.objects.count(),
        Compendium.objects.count(),
        list(PublishedResult.objects.values_list("pk", "published_at", "published_late").order_by("pk")),
    ) == counts  # fmt: skip
