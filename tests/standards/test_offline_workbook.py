"""The offline workbook: download, edit as a person would in Excel, upload, preview, save — and the draft holds
exactly the edits."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl.worksheet.datavalidation import DataValidation

from standards.models import ItemStandard, Material, StandardState
from standards.offline import build_workbook, items_for_export
from standards.offline.workbook import META_SHEET
from standards.services import standard_publish
from tests.standards.factories import complete_standard
from tests.standards.offline_helpers import (
    add_line,
    column_of,
    line_of,
    open_book,
    save_book,
    set_cell,
    snapshot,
)


@pytest.fixture
def clerk(client, people):
    client.force_login(people["clerk"])
    return client


def download(client, *items) -> bytes:
    response = client.get(reverse("standards:offline_workbook"), {"item": [i.pk for i in items]})
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return response.content


def upload(client, content: bytes, name: str = "填报表.xlsx"):
    """Upload, follow to the preview; returns (preview response, token)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(reverse("standards:offline_upload"), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 302, response.content.decode()[:2000]
    token = response["Location"].rstrip("/").split("/")[-1]
    return client.get(response["Location"]), token


def apply(client, token: str, **extra):
    return client.post(reverse("standards:offline_apply", args=[token]), extra)


def test_workbook_has_a_sheet_per_group_with_values_lists_comments_and_hidden_ids(clerk, standard):
    book = open_book(download(clerk, standard.local_item))
    for title in ("基本信息", "法律依据", "受理条件", "申请材料", "办理环节", "收费项目", "内部环节", "审查要点"):
        assert title in book.sheetnames
    assert book[META_SHEET].sheet_state == "veryHidden"
    basic = book["基本信息"]
    row = line_of(basic, "事项编码", standard.local_item.code)
    assert basic.cell(row=row, column=column_of(basic, "事项名称")).value == standard.local_item.name
    assert basic.cell(row=row, column=column_of(basic, "责任处（科）室")).value == "审批服务股"
    assert basic.cell(row=row, column=column_of(basic, "权力来源")).value == "法定本级行使"  # a label, not "1"
    assert basic.freeze_panes == "C3"
    assert basic.row_dimensions[1].hidden
    assert "不读取" in basic.cell(row=2, column=column_of(basic, "事项名称")).comment.text
    name_header = basic.cell(row=2, column=column_of(basic, "责任处（科）室"))
    assert "内设处（科）室" in name_header.comment.text

    materials = book["申请材料"]
    assert [materials.cell(row=r, column=column_of(materials, "材料名称")).value for r in (3, 4)] == [
        "申请书",
        "营业执照",
    ]
    uid_column = column_of(materials, "行标识")
    assert materials.column_dimensions[materials.cell(row=2, column=uid_column).column_letter].hidden
    assert materials.cell(row=3, column=uid_column).value == str(standard.materials.first().uid)
    # Every enumeration has a drop-down list: 材料类型 draws from the hidden list of its labels.
    type_letter = materials.cell(row=2, column=column_of(materials, "材料类型")).column_letter
    checks = [
        dv for dv in materials.data_validations.dataValidation if f"{type_letter}3" in str(dv.sqref).split(":")[0]
    ]
    assert checks and isinstance(checks[0], DataValidation) and checks[0].type == "list"
    lists = book["_lists"]
    assert checks[0].formula1.startswith("='_lists'!$")
    source_column = checks[0].formula1.split("!$")[1].split("$")[0]
    labels = [c.value for c in lists[source_column] if c.value]
    assert labels == ["原件", "复印件", "原件和复印件", "原件或复印件"]
    assert (
        materials.column_dimensions[materials.cell(row=2, column=column_of(materials, "材料名称")).column_letter].width
        >= 12
    )


def test_workbook_round_trips_the_edits_a_person_makes(clerk, standard, people):
    before = snapshot(standard)
    book = open_book(download(clerk, standard.local_item))
    basic = book["基本信息"]
    set_cell(basic, 3, "责任处（科）室", "行政审批股")
    materials = book["申请材料"]
    set_cell(materials, line_of(materials, "材料名称", "申请书"), "材料名称", "行政许可申请书")
    materials.delete_rows(line_of(materials, "材料名称", "营业执照"))
    add_line(
        materials,
        {
            "事项编码": standard.local_item.code,
            "业务情形": "新办",
            "材料名称": "法定代表人身份证明",
            "材料类型": "原件",
            "材料形式": "纸质",
            "原件份数": 1,
            "必要性": "必要",
        },
    )
    preview, token = upload(clerk, save_book(book))
    assert preview.status_code == 200
    body = preview.content.decode()
    assert "行政许可申请书" in body and "法定代表人身份证明" in body and "营业执照" in body
    assert "确认保存" in body
    assert snapshot(standard) == before  # a preview saves nothing

    result = apply(clerk, token)
    assert result.status_code == 200 and "已保存" in result.content.decode()
    after = snapshot(standard)
    standard.refresh_from_db()
    assert standard.revision == before["revision"] + 1 and standard.updated_by == people["clerk"]
    assert after["guide"] == before["guide"] | {"lead_office": "行政审批股"}
    assert after["manual"] == before["manual"]
    for kind in before:
        if kind not in ("revision", "guide", "manual", "Material"):
            assert after[kind] == before[kind], kind
    kept, added = after["Material"]
    assert kept["uid"] == before["Material"][0]["uid"]  # edited in place, not removed and re-added
    assert kept == before["Material"][0] | {"name": "行政许可申请书"}
    assert (added["name"], added["material_type"], added["original_count"], added["necessity"]) == (
        "法定代表人身份证明",
        "original",
        1,
        "required",
    )
    assert Material.history.filter(history_type="-", history_user=people["clerk"]).count() == 1
    assert standard.guide.history.first().history_user == people["clerk"]

    # The same file uploaded again is no conflict with its own save: it changes nothing.
    again, token = upload(clerk, save_book(book))
    assert again.status_code == 200, [str(e) for e in again.context["outcome"].errors]
    assert "没有需要保存的修改" in again.content.decode()
    apply(clerk, token)
    assert snapshot(standard) == after


def test_an_unchanged_workbook_changes_nothing(clerk, standard):
    before = snapshot(standard)
    preview, token = upload(clerk, download(clerk, standard.local_item))
    assert "没有需要保存的修改" in preview.content.decode()
    assert "确认保存" not in preview.content.decode()
    apply(clerk, token)
    assert snapshot(standard) == before


def test_a_published_standard_is_revised_as_a_new_draft(clerk, standard, people):
    standard.state = StandardState.APPROVED
    standard.save()
    standard_publish(actor=people["compliance"], standard=standard)
    book = open_book(download(clerk, standard.local_item))
    set_cell(book["基本信息"], 3, "责任处（科）室", "行政审批股")
    _preview, token = upload(clerk, save_book(book))
    assert apply(clerk, token).status_code == 200
    draft = ItemStandard.objects.get(local_item=standard.local_item, state=StandardState.DRAFT)
    assert draft.version == 2 and draft.based_on_id == standard.pk
    assert draft.guide.lead_office == "行政审批股"
    assert list(draft.materials.values_list("uid", flat=True)) == list(standard.materials.values_list("uid", flat=True))
    standard.refresh_from_db()
    assert standard.state == StandardState.PUBLISHED and standard.guide.lead_office == "审批服务股"


def test_items_without_a_standard_start_a_draft_only_when_edited(clerk, local_items, standard):
    book = open_book(download(clerk, local_items["qc"], local_items["qc_sub"]))
    basic = book["基本信息"]
    row = line_of(basic, "事项编码", local_items["qc_sub"].code)
    assert basic.cell(row=row, column=column_of(basic, "受理机构")).value == "清城区教育局"  # from the catalogue
    set_cell(basic, row, "适用范围", "本区内申请开办学前教育机构的中外合作办学者。")
    _preview, token = upload(clerk, save_book(book))
    assert apply(clerk, token).status_code == 200
    draft = ItemStandard.objects.get(local_item=local_items["qc_sub"])
    assert draft.guide.scope.startswith("本区内") and draft.created_by.username == "clerk"
    assert ItemStandard.objects.filter(local_item=local_items["qc"]).count() == 1


def test_the_todo_workbook_holds_the_clerks_items_needing_a_standard(clerk, local_items, standard):
    response = clerk.get(reverse("standards:offline_workbook"), {"scope": "todo"})
    book = open_book(response.content)
    codes = {c.value for c in book["基本信息"]["A"][2:]}
    assert codes == {local_items["qc"].code, local_items["qc_sub"].code}  # not 清新区's item


def test_export_costs_the_same_queries_for_one_item_or_several(people, local_items, geo, orgs, general):
    from catalogue.services import local_item_build

    clerk = people["clerk"]
    complete_standard(clerk, local_items["qc"])
    complete_standard(clerk, local_items["qc_sub"])
    more = local_item_build(general_item=general["sub2"], division=geo["qc"], organization=orgs["edu"], actor=clerk)
    complete_standard(clerk, more)

    def count(items):
        with CaptureQueriesContext(connection) as queries:
            build_workbook(items=items_for_export(user=clerk, item_ids=[i.pk for i in items]), user=clerk)
        return len(queries)

    one = count([local_items["qc"]])
    three = count([local_items["qc"], local_items["qc_sub"], more])
    assert one == three
    assert one <= 22  # scope, items, versions with guide and manual, one per kind of row


def test_review_points_link_to_saved_internal_steps_by_their_label(clerk, standard):
    book = open_book(download(clerk, standard.local_item))
    points = book["审查要点"]
    row = line_of(points, "审查要点", "申请人主体资格")
    assert points.cell(row=row, column=column_of(points, "所属环节")).value == "新办 · 审查"
    set_cell(points, row, "所属环节", "新办 · 受理")
    _preview, token = upload(clerk, save_book(book))
    assert apply(clerk, token).status_code == 200
    assert standard.review_points_all.get().step.step == "accept"

    book = open_book(download(clerk, standard.local_item))
    set_cell(book["审查要点"], row, "所属环节", "变更 · 发证")
    preview, _token = upload(clerk, save_book(book))
    (error,) = preview.context["outcome"].errors
    assert (error.place.sheet, error.place.row, error.place.column) == ("审查要点", row, "所属环节")
    assert "不是本事项已保存的内部环节" in error.message


def test_a_workbook_exported_in_chinese_uploads_from_an_english_page(clerk, standard):
    book = open_book(download(clerk, standard.local_item))
    set_cell(book["基本信息"], 3, "责任处（科）室", "行政审批股")
    clerk.post("/i18n/setlang/", {"language": "en", "next": "/standards/"})
    preview, token = upload(clerk, save_book(book))
    body = preview.content.decode()
    assert preview.status_code == 200, [str(e) for e in preview.context["outcome"].errors]
    assert "Confirm and save" in body, [str(e) for e in preview.context["outcome"].errors]
    assert apply(clerk, token).status_code == 200
    standard.refresh_from_db()
    assert standard.guide.lead_office == "行政审批股"


def test_preview_queries_grow_by_a_constant_per_item(people, local_items, geo, orgs, general):
    """A preview validates every item through the editor's forms: a fixed number of queries per item, however many
    rows each has, and none for the layout after the first."""
    from catalogue.services import local_item_build
    from standards.offline import apply_upload, read_workbook

    clerk = people["clerk"]
    more = local_item_build(general_item=general["sub2"], division=geo["qc"], organization=orgs["edu"], actor=clerk)
    items = [local_items["qc"], local_items["qc_sub"], more]
    for item in items:
        complete_standard(clerk, item)

    def count(chosen):
        content = build_workbook(items=items_for_export(user=clerk, item_ids=[i.pk for i in chosen]), user=clerk)
        parsed = read_workbook(content)
        with CaptureQueriesContext(connection) as queries:
            outcome = apply_upload(actor=clerk, parsed=parsed, dry_run=True)
        assert not outcome.errors
        return len(queries)

    one, two, three = count(items[:1]), count(items[:2]), count(items)
    assert three - two == two - one
    assert two - one <= 40
