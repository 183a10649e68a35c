"""The English interface speaks English in the catalogue's messages: import rejections (written by a background task
and read later), refusals and code errors. Only the data itself (names, codes, file values) may stay Chinese."""

from __future__ import annotations

import html
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from catalogue.codes import CodeError, parse_implementation_code, validate_uscc
from catalogue.models import CatalogueImport, Division, ImportRejection
from catalogue.services.claims import claim_decide, claims_create
from core.i18n import message_data, render_message
from tests.catalogue.test_import import GUANGAN
from tests.catalogue.test_import_views import _upload

CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")
QUOTED = re.compile(r"“[^”]*”")


def _without_data(text: str, data: list[str]) -> str:
    """The message with the values it quotes (“…”) and the known data strings taken out."""
    text = QUOTED.sub("", text)
    for value in sorted(data, key=len, reverse=True):
        text = text.replace(value, "")
    return text


def test_import_rejections_are_shown_in_english_though_written_in_chinese(client, admin_user, guangan):
    client.force_login(admin_user)
    _upload(client, GUANGAN, name=GUANGAN.name, profile="sc_guangan")  # the preview runs in Chinese
    record = CatalogueImport.objects.get()
    rejections = list(ImportRejection.objects.filter(catalogue_import=record))
    assert rejections and any(CJK.search(r.reason) for r in rejections)

    page = client.get(reverse("catalogue:import_detail", args=[record.pk]), HTTP_ACCEPT_LANGUAGE="en")
    cells = [html.unescape(c) for c in re.findall(r'<td class="small text-break">(.*?)</td>', page.content.decode())]
    assert len(cells) == len(rejections)
    assert "General catalogue code is empty" in cells
    data = [str(d) for d in Division.objects.all()] + [d.name for d in Division.objects.all()]
    left = [cell for cell in cells if CJK.search(_without_data(cell, data))]
    assert left == [], left


def test_a_rejection_message_survives_storage_and_reads_in_either_language():
    with translation.override("zh-hans"):
        try:
            validate_uscc("91440101MA59XXXXX1")
        except CodeError as exc:
            stored = message_data(exc.args[0])
            chinese = str(exc)
    assert CJK.search(chinese)
    with translation.override("en"):
        english = render_message(stored)
    assert english.startswith("Wrong check character") and not CJK.search(_without_data(english, []))


@pytest.mark.parametrize(
    "check",
    [
        lambda: validate_uscc("123"),
        lambda: validate_uscc("I1440101MA59XXXXX1"),
        lambda: parse_implementation_code("x" * 31),
        lambda: parse_implementation_code("11442000007332665G944010401200203"),
    ],
)
def test_code_errors_are_english(check):
    with translation.override("en"), pytest.raises(CodeError) as caught:
        check()
    assert not CJK.search(_without_data(str(caught.value), [])), str(caught.value)


def test_refused_catalogue_actions_are_english(people, orgs, general):
    with translation.override("en"):
        with pytest.raises(PermissionDenied) as refused:
            claims_create(actor=people["clerk"], organization=orgs["qx_edu"], general_items=[general["plain"]])
        assert str(refused.value) == "You may only claim items for your own department"
        (claim,) = claims_create(actor=people["clerk"], organization=orgs["edu"], general_items=[general["plain"]])
        with pytest.raises(PermissionDenied) as refused:
            claim_decide(actor=people["clerk"], claim=claim, approve=True)
        assert not CJK.search(str(refused.value))
        with pytest.raises(ValidationError) as invalid:
            claim_decide(actor=people["compliance"], claim=claim, approve=False)
        assert invalid.value.message_dict == {"note": ["Give a reason when returning a claim"]}
        with pytest.raises(ValidationError) as invalid:
            claims_create(actor=people["clerk"], organization=orgs["edu"], general_items=[general["plain"]])
        messages = invalid.value.messages
        assert messages and not any(CJK.search(_without_data(m, [general["plain"].name])) for m in messages)


def test_refusal_pages_are_english(client, people):
    client.force_login(people["clerk"])
    response = client.get(reverse("catalogue:import_list"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert "Only administrators and establishment office staff may import items in bulk" in response.content.decode()
