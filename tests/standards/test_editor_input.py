"""What the editor makes of a browser's input: uploaded files link to their download address, and line breaks are
stored as LF so that saving an unchanged text changes nothing."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from standards.editor import Editor
from standards.models import InternalForm, Material, ResultSample
from standards.views.files import DOWNLOADABLE
from tests.standards.test_editor import edit_url, post_data

PDF = b"%PDF-1.4 minimal"


@pytest.fixture
def clerk(client, people):
    client.force_login(people["clerk"])
    return client


def test_every_file_field_of_the_editor_can_be_downloaded(standard):
    """The download view serves exactly the editor's file fields, so every "目前" link has an address that answers."""
    editor = Editor.build(standard)
    fields = {
        (formset.model._meta.model_name, name)
        for _title, _section, formset in editor.formsets.values()
        for name, field in formset.empty_form.fields.items()
        if field.widget.needs_multipart_form
    }
    assert fields and fields <= set(DOWNLOADABLE)


def test_an_uploaded_file_links_to_its_download_address_not_to_media(clerk, standard):
    InternalForm.objects.create(standard=standard, position=0, name="受理通知书")
    data = post_data(standard)
    uploads = {
        "materials-0-blank_form": ("material", Material, "blank_form"),
        "materials-0-sample_form": ("material", Material, "sample_form"),
        "result_samples-0-sample": ("resultsample", ResultSample, "sample"),
        "internal_forms-0-template": ("internalform", InternalForm, "template"),
    }
    for name in uploads:
        data[name] = SimpleUploadedFile(f"{name}.pdf", PDF, content_type="application/pdf")
    assert clerk.post(edit_url(standard), data).status_code == 302

    body = clerk.get(edit_url(standard)).content.decode()
    assert 'href="/media/' not in body
    for name, (model_name, model, field) in uploads.items():
        row = model.objects.filter(standard=standard).order_by("position", "id").first()
        address = reverse("guides:file", kwargs={"model": model_name, "pk": row.pk, "field": field})
        link = re.search(rf'<a href="{re.escape(address)}">([^<]*)</a>', body)
        assert link, f"no download link for {name}"
        stored = getattr(row, field).name
        assert stored.startswith("standards/") and link.group(1) == stored.rsplit("/", 1)[-1]  # not the storage path
        download = clerk.get(address)
        assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


def _as_browser(data: dict) -> dict:
    """The form data as a browser posts it: every line break of every text as CR LF."""
    return {key: value.replace("\n", "\r\n") if isinstance(value, str) else value for key, value in data.items()}


def test_a_browser_post_with_crlf_saves_lf_and_changes_nothing_unchanged(clerk, standard):
    """A browser sends each textarea back with CR LF: an unchanged text stays as it is and writes no history."""
    conditions = "一、具有法人资格；\n二、有固定场所。"
    data = _as_browser(post_data(standard, **{"guide-acceptance_conditions": conditions}))
    data["materials-0-fill_instructions"] = "第一行\r第二行\r\n第三行"
    assert clerk.post(edit_url(standard), data).status_code == 302
    standard.refresh_from_db()
    guide = standard.guide
    guide.refresh_from_db()
    assert guide.acceptance_conditions == conditions
    material = standard.materials.order_by("position", "id").first()
    assert material.fill_instructions == "第一行\n第二行\n第三行"
    guide_history = guide.history.count()
    material_history = Material.history.filter(id=material.pk).count()

    # The same page saved again, as the browser sends it back: no change, no history.
    data = _as_browser(post_data(standard))
    assert data["guide-acceptance_conditions"] == "一、具有法人资格；\r\n二、有固定场所。"
    assert clerk.post(edit_url(standard), data).status_code == 302
    assert guide.history.count() == guide_history
    assert Material.history.filter(id=material.pk).count() == material_history

    # A real edit of another field is the only change the history shows.
    standard.refresh_from_db()
    data = _as_browser(post_data(standard, **{"guide-hall_name": "清城区政务服务中心东区"}))
    assert clerk.post(edit_url(standard), data).status_code == 302
    latest = guide.history.first()
    assert latest.diff_against(latest.prev_record).changed_fields == ["hall_name"]
    assert Material.history.filter(id=material.pk).count() == material_history
