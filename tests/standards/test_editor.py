"""The standard editor through the test client: create, edit, template copy, conflicts, bad input, query counts."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from standards.editor import Editor
from standards.models import Citation, ItemStandard, Material, ProcessStep, ReviewPoint, StandardState
from tests.standards.factories import complete_standard


def post_data(standard: ItemStandard, **changes) -> dict:
    """What the browser sends back for the editor as it was rendered: every field's current value."""
    editor = Editor.build(standard)
    data = {"revision": str(standard.revision)}
    for form in (editor.guide_form, editor.manual_form):
        for bound in form:
            _put(data, bound.html_name, bound.value(), bound.field)
    for _title, _section, formset in editor.formsets.values():
        for bound in formset.management_form:
            data[bound.html_name] = bound.value()
        for form in formset.forms:
            for bound in form:
                _put(data, bound.html_name, bound.value(), bound.field)
    data.update(changes)
    return data


def _put(data, name, value, field):
    from django import forms

    if isinstance(field, forms.BooleanField):
        if value:
            data[name] = "on"
    elif isinstance(field, forms.MultipleChoiceField):
        data[name] = list(value or [])
    elif isinstance(field, forms.FileField):
        return
    elif value is not None:
        data[name] = value


def edit_url(standard):
    return reverse("standards:edit", args=[standard.pk])


@pytest.fixture
def clerk(client, people):
    client.force_login(people["clerk"])
    return client


def test_anonymous_and_other_departments_cannot_open_the_editor(client, standard, people):
    assert client.get(edit_url(standard)).status_code == 302
    client.force_login(people["qx_clerk"])
    assert client.get(edit_url(standard)).status_code == 404
    client.force_login(people["compliance"])  # may read the county's standards, not edit them
    assert client.get(edit_url(standard)).status_code == 403


def test_clerk_starts_a_first_draft_from_the_list(clerk, local_items):
    assert local_items["qc"].name in clerk.get(reverse("standards:list")).content.decode()
    response = clerk.post(reverse("standards:start", args=[local_items["qc"].pk]), {"mode": "blank"})
    standard = ItemStandard.objects.get(local_item=local_items["qc"])
    assert response["Location"] == edit_url(standard)
    page = clerk.get(edit_url(standard))
    assert page.status_code == 200
    body = page.content.decode()
    assert "基本信息" in body and "申请材料" in body and "业务手册 · 内部流程" in body
    assert "F01" in body and "尚缺" in body  # the empty draft's missing parts are shown, each once


def test_saving_edits_fields_and_rows_and_records_who(clerk, standard, people):
    data = post_data(standard)
    data["guide-address"] = "清远市清城区人民一路28号政务服务中心一楼3号窗口"
    # Change the first material, delete the second, add a third.
    data["materials-0-name"] = "行政许可申请书"
    data["materials-1-DELETE"] = "on"
    total = int(data["materials-TOTAL_FORMS"])
    data.update(
        {
            "materials-TOTAL_FORMS": str(total + 1),
            f"materials-{total}-position": "5",
            f"materials-{total}-situation": "new",
            f"materials-{total}-name": "法定代表人身份证明",
            f"materials-{total}-material_type": "original",
            f"materials-{total}-material_form": "paper",
            f"materials-{total}-source_channel": "applicant",
            f"materials-{total}-original_count": "1",
            f"materials-{total}-necessity": "required",
        }
    )
    response = clerk.post(edit_url(standard), data)
    assert response.status_code == 302, response.context and response.context["editor"].guide_form.errors
    standard.refresh_from_db()
    assert standard.revision == 2 and standard.updated_by == people["clerk"]
    assert standard.guide.address.endswith("3号窗口")
    assert list(standard.materials.values_list("name", flat=True)) == ["行政许可申请书", "法定代表人身份证明"]
    assert standard.guide.history.first().history_user == people["clerk"]
    assert Material.history.filter(history_type="-", history_user=people["clerk"]).count() == 1


def test_reordering_rows_keeps_their_identity(clerk, standard):
    uids = list(standard.steps.values_list("uid", flat=True))
    data = post_data(standard, **{"steps-0-position": "2", "steps-2-position": "0"})
    assert clerk.post(edit_url(standard), data).status_code == 302
    assert list(standard.steps.values_list("uid", flat=True)) == [uids[2], uids[1], uids[0]]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("guide-legal_limit", "-5", "0"),
        ("guide-promised_limit_unit", "", "填写了时限，请选择单位"),
        ("guide-online_url", "not a url", "URL"),
    ],
)
def test_bad_input_is_refused_at_the_field_and_nothing_is_saved(clerk, standard, field, value, message):
    data = post_data(standard, **{field: value, "guide-address": "改动不应保存"})
    response = clerk.post(edit_url(standard), data)
    assert response.status_code == 200
    errors = response.context["editor"].guide_form.errors
    assert field.removeprefix("guide-") in errors
    standard.refresh_from_db()
    assert standard.revision == 1 and not standard.guide.address.startswith("改动")
    assert "尚未保存" in response.content.decode()


def test_a_wrong_file_type_is_refused(clerk, standard):
    data = post_data(standard)
    data["materials-0-blank_form"] = SimpleUploadedFile(
        "申请书.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )
    response = clerk.post(edit_url(standard), data)
    assert response.status_code == 200
    formset = response.context["editor"].formsets["materials"][2]
    assert "blank_form" in formset.forms[0].errors
    assert not Material.objects.exclude(blank_form="").exists()


def test_a_good_file_is_stored_privately(clerk, standard):
    data = post_data(standard)
    data["materials-0-blank_form"] = SimpleUploadedFile(
        "申请书.pdf", b"%PDF-1.4 minimal", content_type="application/pdf"
    )
    assert clerk.post(edit_url(standard), data).status_code == 302
    material = standard.materials.first()
    assert material.blank_form.name.endswith(".pdf")
    assert material.blank_form.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not material.blank_form.path.startswith(str(settings.MEDIA_ROOT) + "/")


def test_a_step_still_referred_to_cannot_be_removed(clerk, standard):
    point = ReviewPoint.objects.get(standard=standard)
    index = list(standard.manual_steps.values_list("pk", flat=True)).index(point.step_id)
    data = post_data(standard, **{f"manual_steps-{index}-DELETE": "on"})
    response = clerk.post(edit_url(standard), data)
    assert response.status_code == 200
    assert "仍被审查要点" in response.content.decode()
    assert standard.manual_steps.count() == 3


def test_a_forged_row_of_another_standard_changes_nothing(clerk, standard, local_items, people):
    other = complete_standard(people["qx_clerk"], local_items["qx"])
    victim = other.materials.first()
    data = post_data(standard, **{"materials-0-id": str(victim.pk), "materials-0-name": "被篡改"})
    data["guide-standard"] = str(other.pk)  # a field the form does not have
    response = clerk.post(edit_url(standard), data)
    assert response.status_code == 200
    victim.refresh_from_db()
    assert victim.name != "被篡改"
    assert ItemStandard.objects.get(pk=other.pk).revision == 1


def test_second_save_of_the_same_draft_gets_a_conflict_and_keeps_its_input(client, standard, people):
    first = post_data(standard, **{"guide-hall_name": "张三的修改"})
    second = post_data(standard, **{"guide-hall_name": "李四的修改"})
    client.force_login(people["clerk"])
    assert client.post(edit_url(standard), first).status_code == 302
    client.force_login(people["depthead"])
    response = client.post(edit_url(standard), second)
    assert response.status_code == 409
    body = response.content.decode()
    assert "保存冲突" in body and "李四的修改" in body  # told, and their input is still in the form
    standard.refresh_from_db()
    assert standard.guide.hall_name == "张三的修改"
    # Saving again on purpose, with the revision the conflict page carries, wins.
    again = dict(second, revision=str(response.context["revision"]))
    assert client.post(edit_url(standard), again).status_code == 302
    standard.refresh_from_db()
    assert standard.guide.hall_name == "李四的修改"


def test_template_copy_leaves_local_fields_empty(client, standard, local_items, people):
    ItemStandard.objects.filter(pk=standard.pk).update(state=StandardState.PUBLISHED, published_at=timezone.now())
    client.force_login(people["qx_clerk"])
    page = client.get(reverse("standards:start", args=[local_items["qx"].pk]))
    assert "清城区" in page.content.decode()
    response = client.post(
        reverse("standards:start", args=[local_items["qx"].pk]), {"mode": "template", "template": standard.pk}
    )
    copy = ItemStandard.objects.get(local_item=local_items["qx"])
    assert response["Location"] == edit_url(copy)
    assert copy.template_source_id == standard.pk
    assert copy.guide.address == "" and copy.guide.consult_phone == "" and copy.guide.accepting_body == ""
    assert copy.guide.acceptance_conditions == standard.guide.acceptance_conditions
    assert copy.materials.count() == standard.materials.count()
    assert copy.manual.handling_org == ""


def _grow(standard, materials=30, steps=10, citations=10):
    Material.objects.bulk_create(
        [
            Material(standard=standard, position=10 + n, name=f"材料{n}", material_type="original")
            for n in range(materials)
        ]
    )
    ProcessStep.objects.bulk_create(
        [ProcessStep(standard=standard, position=10 + n, name=f"环节{n}") for n in range(steps)]
    )
    Citation.objects.bulk_create(
        [
            Citation(standard=standard, position=10 + n, role="implementing", law_name=f"法规{n}")
            for n in range(citations)
        ]
    )


def _count(client, method, url, data=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url) if method == "get" else client.post(url, data)
    assert response.status_code in (200, 302)
    return len(ctx)


def test_opening_and_saving_cost_the_same_queries_whatever_the_row_counts(clerk, standard, local_items, people):
    small_open = _count(clerk, "get", edit_url(standard))
    small_save = _count(clerk, "post", edit_url(standard), post_data(standard, **{"guide-hall_name": "一"}))

    big = complete_standard(people["clerk"], local_items["qc_sub"])
    _grow(big)
    big_open = _count(clerk, "get", edit_url(big))
    data = post_data(big, **{"guide-hall_name": "一"})
    for n in range(32):  # change every material, so every row is written
        data[f"materials-{n}-remark"] = "已核对"
    big_save = _count(clerk, "post", edit_url(big), data)
    assert big.materials.filter(remark="已核对").count() == 32
    assert big_open == small_open, (small_open, big_open)
    # The only difference: the materials' bulk UPDATE and their history rows' bulk INSERT.
    assert big_save == small_save + 2, (small_save, big_save)
    assert big_open < 80 and big_save < 80


def test_an_oversized_file_is_refused_with_its_size(clerk, standard, monkeypatch):
    monkeypatch.setattr("standards.files.MAX_UPLOAD_BYTES", 1024)
    data = post_data(standard)
    data["materials-0-sample_form"] = SimpleUploadedFile("样表.pdf", b"%PDF-1.4 " + b"0" * 4096)
    response = clerk.post(edit_url(standard), data)
    assert response.status_code == 200
    errors = response.context["editor"].formsets["materials"][2].forms[0].errors["sample_form"]
    assert "文件过大" in errors[0]
    assert not Material.objects.exclude(sample_form="").exists()
