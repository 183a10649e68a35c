"""Pages read in English say nothing in Chinese but the data itself.

Each page is rendered for a client asking for English. The data shown on it — item, organization, division and user
names, the standard's field values, an uploaded file's cells — is removed from the HTML first; any Chinese left is a
message, a label or a title that did not go through gettext (or was stored in the language it was produced in).
"""

from __future__ import annotations

import csv
import html
import re
from collections.abc import Iterable
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse

from catalogue.models import CatalogueImport
from core.models import Notification
from reviews.models import ReviewTask
from standards.demo import _build as build_demo_standard
from standards.models import ROW_MODELS, ItemStandard
from tests.catalogue.conftest import guangan  # noqa: F401  (fixture)
from tests.catalogue.import_helpers import GUANGAN
from tests.standards.conftest import local_items  # noqa: F401  (fixture)
from tests.workflow.conftest import cast, version  # noqa: F401  (fixtures)

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Where a data value is split into the pieces a page may show on their own (a line of the conditions, a phrase a
# finding quotes, a law's name without its brackets).
PIECES = re.compile(r"[\s。；;，,、：:（）()《》〈〉“”\"'【】\[\]/|]+")
# The language switcher names each language in its own tongue.
NATIVE_NAMES = ("简体中文",)
CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _examples() -> set[str]:
    """Chinese the English catalogue quotes on purpose: what to type into a field of a Chinese document
    (“第十二条第（三）项”, “无”), never a sentence of the interface."""
    translations = re.findall(r'^msgstr "(.*)"$', CATALOGUE.read_text(encoding="utf-8"), flags=re.M)
    return {token for text in translations for token in re.findall(r'[^\s“”"]*[\u3400-\u9fff][^\s“”"]*', text)}


EXAMPLES = _examples()


def _texts(value) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for inner in value.values():
            yield from _texts(inner)
    elif isinstance(value, list | tuple):
        for inner in value:
            yield from _texts(inner)


def data_of(*instances: models.Model) -> set[str]:
    """Every text value of these rows, as a page may show it: whole, and in the pieces it splits into."""
    found: set[str] = set()
    for instance in instances:
        if instance is None:
            continue
        for field in instance._meta.concrete_fields:
            for text in _texts(getattr(instance, field.attname, None)):
                found.add(text)
        for extra in ("full_name", "get_full_name"):
            value = getattr(instance, extra, None)
            value = value() if callable(value) else value
            if isinstance(value, str):
                found.add(value)
    pieces = {piece for text in found for piece in PIECES.split(text)}
    return {text for text in found | pieces if len(text.strip()) >= 2}


def standard_data(standard: ItemStandard) -> set[str]:
    """The standard's own values, its item's, the catalogue's and the people's who wrote it."""
    item = standard.local_item
    rows = [row for model in ROW_MODELS for row in model.objects.filter(standard=standard)]
    divisions = []
    division = item.division
    while division is not None:
        divisions.append(division)
        division = division.parent
    return data_of(
        standard,
        getattr(standard, "guide", None),
        getattr(standard, "manual", None),
        item,
        item.general_item,
        item.organization,
        *divisions,
        *rows,
        standard.created_by,
        standard.updated_by,
    )


def untranslated(page: str, data: Iterable[str]) -> list[str]:
    """Chinese left on the page once the data is taken out, each with a little context."""
    text = html.unescape(page)
    for value in sorted({value for value in data if CJK.search(value)}, key=len, reverse=True):
        text = text.replace(value, " ")
    for value in sorted(EXAMPLES | set(NATIVE_NAMES), key=len, reverse=True):
        text = text.replace(value, " ")
    return [text[max(0, m.start() - 40) : m.end() + 40].replace("\n", " ") for m in CJK.finditer(text)]


def english(client, user, url: str, method: str = "get", **data):
    client.force_login(user)
    response = getattr(client, method)(url, data, **ENGLISH) if method == "post" else client.get(url, **ENGLISH)
    return response


# (a) ------------------------------------------------------------------------------------------------------------
def test_the_editor_of_a_demo_standard_with_findings_speaks_english(client, local_items, people, admin_user):  # noqa: F811
    item = local_items["qc"]
    build_demo_standard("findings", item, actor=people["clerk"], admin=admin_user)
    standard = ItemStandard.objects.get(local_item=item)
    response = english(client, people["clerk"], reverse("standards:edit", args=[standard.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert response.context["findings"], "the demo standard has findings"
    assert "exceeds the statutory time limit" in page  # C03, in English
    assert untranslated(page, standard_data(standard)) == []


# (b) ------------------------------------------------------------------------------------------------------------
def test_a_refused_workflow_action_on_the_story_page_speaks_english(client, version, cast):  # noqa: F811
    client.force_login(cast["clerk"])
    client.post(reverse("flow:act", args=[version.pk]), {"action": "submit"}, **ENGLISH)
    response = english(
        client,
        cast["clerk"],
        reverse("flow:act", args=[version.pk]),
        "post",
        action="submit",
        expected_state="draft",  # a second tab, still showing the draft: refused as stale
    )
    assert response.status_code == 409
    page = response.content.decode()
    data = standard_data(version) | data_of(*cast.values())
    assert untranslated(page, data) == []
    story = english(client, cast["clerk"], reverse("flow:story", args=[version.pk])).content.decode()
    assert untranslated(story, data) == []


# (c) ------------------------------------------------------------------------------------------------------------
def test_a_catalogue_import_preview_with_rejected_rows_speaks_english(client, admin_user, guangan):  # noqa: F811
    client.force_login(admin_user)
    upload = SimpleUploadedFile(GUANGAN.name, GUANGAN.read_bytes())
    client.post(reverse("catalogue:import_list"), {"file": upload, "profile": "sc_guangan"}, **ENGLISH)
    record = CatalogueImport.objects.get()
    assert record.preview_counts["rejected"] > 0
    response = english(client, admin_user, reverse("catalogue:import_detail", args=[record.pk]))
    assert response.status_code == 200
    cells = {cell for row in csv.reader(GUANGAN.read_text(encoding="utf-8").splitlines()) for cell in row}
    data = data_of(record, admin_user, guangan, guangan.parent, guangan.parent.parent) | {
        piece for cell in cells for piece in {cell, *PIECES.split(cell)} if len(piece.strip()) >= 2
    }
    assert untranslated(response.content.decode(), data) == []


# (d) ------------------------------------------------------------------------------------------------------------
def test_the_review_screen_of_a_task_speaks_english(client, version, cast, return_reasons, flow):  # noqa: F811
    flow(cast["clerk"], version, "submit")
    task = ReviewTask.objects.open().get(standard=version)
    response = english(client, cast["depthead"], reverse("reviews:task", args=[task.pk]))
    assert response.status_code == 200
    data = standard_data(version) | data_of(*cast.values())
    assert untranslated(response.content.decode(), data) == []


# (e) ------------------------------------------------------------------------------------------------------------
def test_a_notification_in_the_inbox_speaks_english(client, version, cast, flow):  # noqa: F811
    flow(cast["clerk"], version, "submit")  # the department head is told of the new task
    assert Notification.objects.filter(recipient=cast["depthead"]).exists()
    response = english(client, cast["depthead"], reverse("inbox"))
    assert response.status_code == 200
    data = standard_data(version) | data_of(*cast.values())
    assert untranslated(response.content.decode(), data) == []


@pytest.fixture
def flow(django_capture_on_commit_callbacks):
    """A workflow transition whose on-commit callbacks (the review task and its notice) run before it returns."""
    from reviews.services import standard_transition

    def run(actor, standard, action, note=""):
        with django_capture_on_commit_callbacks(execute=True):
            return standard_transition(actor=actor, standard=standard, action=action, note=note)

    return run
