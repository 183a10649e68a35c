"""Uploading offline workbooks that are wrong in every way a person manages: each gets its message where the clerk
will look (sheet, row, column), and nothing is saved — not even the correct items of the same upload."""

from __future__ import annotations

import io

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signing import dumps
from django.urls import reverse
from openpyxl import Workbook

from catalogue.models import Role
from standards.models import ItemStandard
from standards.offline.reader import not_a_workbook, not_ours
from standards.offline.workbook import META_SHEET
from standards.services import standard_save
from tests.factories import UserFactory, member
from tests.standards.factories import complete_standard
from tests.standards.offline_helpers import add_line, line_of, open_book, save_book, set_cell, snapshot
from tests.standards.test_offline_workbook import apply, download, upload


@pytest.fixture
def clerk(client, people):
    client.force_login(people["clerk"])
    return client


@pytest.fixture
def exported(clerk, standard):
    """The clerk's workbook of the standard, opened for editing."""
    return open_book(download(clerk, standard.local_item))


def errors_of(response) -> list[tuple]:
    return [(e.place.sheet, e.place.row, e.place.column, e.message) for e in response.context["outcome"].errors]


def refused(client, content: bytes, standard, name="填报表.xlsx") -> list[tuple]:
    """Upload, preview, try to save anyway: the errors of the preview, and nothing changed."""
    before = snapshot(standard)
    count = ItemStandard.objects.count()
    preview, token = upload(client, content, name)
    assert "确认保存" not in preview.content.decode()
    assert apply(client, token).status_code in (400, 409)
    assert snapshot(standard) == before and ItemStandard.objects.count() == count
    return errors_of(preview)


def test_invalid_choice_missing_value_and_wrong_type_are_row_errors(clerk, standard, exported):
    materials = exported["申请材料"]
    first, second = line_of(materials, "材料名称", "申请书"), line_of(materials, "材料名称", "营业执照")
    set_cell(materials, first, "材料类型", "扫描件")
    set_cell(materials, first, "原件份数", "两份")
    set_cell(materials, second, "材料名称", None)
    set_cell(exported["办理时限"], 3, "法定办结时限", "二十")
    set_cell(exported["基本信息"], 3, "有数量限制", "也许")
    set_cell(exported["办理渠道"], 3, "办理形式", "窗口办理、飞鸽传书")
    errors = refused(clerk, save_book(exported), standard)
    assert ("申请材料", first, "材料类型") in [e[:3] for e in errors]
    assert any(e[:3] == ("申请材料", first, "材料类型") and "“扫描件”不是可选值" in e[3] for e in errors)
    assert any(e[:3] == ("申请材料", first, "原件份数") and "整数" in e[3] for e in errors)
    required = str(forms.Field.default_error_messages["required"])
    assert ("申请材料", second, "材料名称", required) in errors
    assert any(e[:3] == ("办理时限", 3, "法定办结时限") for e in errors)
    assert any(e[:3] == ("基本信息", 3, "有数量限制") and "“是”或“否”" in e[3] for e in errors)
    assert any(e[:3] == ("办理渠道", 3, "办理形式") and "飞鸽传书" in e[3] for e in errors)


def test_editor_rules_apply_to_uploads_too(clerk, standard, exported):
    set_cell(exported["办理时限"], 3, "承诺时限单位", None)  # a limit without its unit, as the editor refuses
    errors = refused(clerk, save_book(exported), standard)
    assert ("办理时限", 3, "承诺时限单位", "填写了时限，请选择单位") in errors


def test_unknown_item_code_on_a_line(clerk, standard, exported):
    row = add_line(
        exported["常见问题"], {"事项编码": "11440000000000000X4449999999999", "问题": "能否代办？", "解答": "可以。"}
    )
    errors = refused(clerk, save_book(exported), standard)
    assert any(e[:3] == ("常见问题", row, "事项编码") and "不是本表导出的事项" in e[3] for e in errors)


def test_all_items_of_an_upload_save_together_or_not_at_all(clerk, standard, local_items):
    other = complete_standard(standard.created_by, local_items["qc_sub"])
    book = open_book(download(clerk, standard.local_item, other.local_item))
    basic = book["基本信息"]
    set_cell(basic, line_of(basic, "事项编码", other.local_item.code), "责任处（科）室", "行政审批股")  # fine
    materials = book["申请材料"]
    set_cell(materials, 3, "必要性", "看情况")  # wrong, in the other item's rows
    before = snapshot(other)
    refused(clerk, save_book(book), standard)
    assert snapshot(other) == before


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("填报表.xlsx", b"PK\x03\x04 not really a zip", not_a_workbook),
        ("填报表.xlsx", "事项编码,材料名称\n1,申请书\n".encode("gbk"), not_a_workbook),
    ],
)
def test_a_file_that_is_not_a_workbook(clerk, standard, name, content, message):
    assert refused(clerk, content, standard, name) == [(name, None, "", message())]


def test_a_workbook_not_made_by_the_portal(clerk, standard):
    book = Workbook()
    book.active.append(["事项编码", "材料名称"])
    out = io.BytesIO()
    book.save(out)
    assert refused(clerk, out.getvalue(), standard) == [("填报表.xlsx", None, "", not_ours())]


def test_a_forged_list_of_items_is_refused(clerk, standard, exported):
    exported[META_SHEET]["A1"] = dumps({"v": 1, "items": [[standard.local_item.code, standard.pk, 99]]})
    assert refused(clerk, save_book(exported), standard) == [("填报表.xlsx", None, "", not_ours())]


def test_wrong_kind_of_file_is_refused_at_the_field(clerk, standard):
    response = clerk.post(reverse("standards:offline_upload"), {"file": SimpleUploadedFile("标准.docx", b"x")})
    assert response.status_code == 400
    assert "只能上传 .xlsx" in response.content.decode()
    response = clerk.post(reverse("standards:offline_upload"), {"file": SimpleUploadedFile("指南.json", b"{}")})
    assert response.status_code == 400 and "须选择导入方案" in response.content.decode()


def test_conflict_when_the_draft_changed_after_export(clerk, client, standard, exported, people):
    set_cell(exported["基本信息"], 3, "责任处（科）室", "行政审批股")
    content = save_book(exported)
    # The department head saves the draft in the editor after the clerk's export.
    standard_save(
        actor=people["depthead"], standard=standard, expected_revision=standard.revision, write=lambda s: None
    )
    before = snapshot(standard)
    preview, token = upload(clerk, content)
    assert preview.status_code == 409
    (error,) = preview.context["outcome"].errors
    assert "保存冲突" in error.message and "depthead" in error.message
    assert apply(clerk, token).status_code == 409
    assert snapshot(standard) == before
    # Saving anyway, on purpose, wins — as in the editor.
    forced = clerk.get(reverse("standards:offline_preview", args=[token]), {"force": "1"})
    assert forced.status_code == 200 and "确认保存" in forced.content.decode()
    assert apply(clerk, token, force="1").status_code == 200
    standard.refresh_from_db()
    assert standard.guide.lead_office == "行政审批股" and standard.revision == before["revision"] + 1


def test_a_draft_submitted_after_export_cannot_be_changed(clerk, standard, exported):
    set_cell(exported["基本信息"], 3, "责任处（科）室", "行政审批股")
    standard.state = "dept_confirm"
    standard.save()
    errors = refused(clerk, save_book(exported), standard)
    assert any("待部门确认" in e[3] and "不能修改" in e[3] for e in errors)


@pytest.fixture
def neighbour(orgs):
    """A clerk of another department of the same county: neither sees nor writes 教育局's items."""
    return member(UserFactory(username="civil_clerk"), orgs["other_dept"], Role.CLERK)


def test_other_departments_and_counties_cannot_export(client, standard, people, neighbour):
    url = reverse("standards:offline_workbook")
    client.force_login(people["qx_clerk"])
    assert client.get(url, {"item": standard.local_item_id}).status_code == 404
    client.force_login(neighbour)
    assert client.get(url, {"item": standard.local_item_id}).status_code == 404
    client.force_login(people["compliance"])  # sees the county's items, writes none
    assert client.get(url, {"item": standard.local_item_id}).status_code == 403


@pytest.mark.parametrize("who", ["qx_clerk", "civil_clerk", "compliance"])
def test_other_departments_and_counties_cannot_upload(clerk, client, standard, exported, people, neighbour, who):
    set_cell(exported["基本信息"], 3, "责任处（科）室", "行政审批股")
    content = save_book(exported)
    client.force_login(neighbour if who == "civil_clerk" else people[who])
    errors = refused(client, content, standard)
    expected = "只能修改本部门事项的标准" if who == "compliance" else "不在您的权限范围内"
    assert len(errors) == 1 and expected in errors[0][3]


def test_someone_elses_upload_token_is_not_found(clerk, client, standard, exported, people):
    _preview, token = upload(clerk, save_book(exported))
    client.force_login(people["depthead"])
    assert client.get(reverse("standards:offline_preview", args=[token])).status_code == 404
    assert client.post(reverse("standards:offline_apply", args=[token])).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, standard):
    assert client.get(reverse("standards:offline")).status_code == 302
    assert client.get(reverse("standards:offline_workbook"), {"item": standard.local_item_id}).status_code == 302
