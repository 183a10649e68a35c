"""Offline entry in a real browser: the clerk ticks an item on the standards list, downloads its workbook, edits it
in Excel, uploads it through the page, checks the preview and saves; and the preview on a phone."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from catalogue.services import local_item_build
from standards.models import ItemStandard
from tests.e2e.conftest import sideways_overflow
from tests.e2e.test_catalogue_pages import sign_in
from tests.standards.factories import complete_standard
from tests.standards.offline_helpers import add_line, line_of, set_cell

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_MATERIAL = {
    "业务情形": "新办",
    "材料名称": "法定代表人身份证明",
    "材料类型": "原件",
    "材料形式": "纸质",
    "来源渠道": "申请人自备",
    "原件份数": 1,
    "必要性": "必要",
}
LONG_URL = (
    "https://www.gdzwfw.gov.cn/portal/guide?serviceId=8a3f9c2e7b1d4e6fa0c5b9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8"
)


@pytest.fixture
def draft(geo, orgs, general, people):
    item = local_item_build(
        general_item=general["plain"], division=geo["qc"], organization=orgs["edu"], actor=people["province"]
    )
    return complete_standard(people["clerk"], item)


def edit_as_a_clerk(book, code: str) -> None:
    """What a clerk does in Excel: retype a guide field, rename a material, add a material on the next free line."""
    basic = book["基本信息"]
    set_cell(basic, line_of(basic, "事项编码", code), "责任处（科）室", "行政审批股")
    materials = book["申请材料"]
    set_cell(materials, line_of(materials, "材料名称", "申请书"), "材料名称", "行政许可申请书")
    add_line(materials, {"事项编码": code, **NEW_MATERIAL})


def test_clerk_downloads_edits_uploads_previews_and_saves(page, live_server, people, draft, tmp_path):
    code = draft.local_item.code
    revision = draft.revision
    sign_in(page, live_server, "clerk")
    page.goto(f"{live_server.url}/standards/")
    page.check(f"#pick-{draft.local_item.pk}")
    with page.expect_download() as download:
        page.click("#offline-form button[type=submit]")
    assert download.value.suggested_filename.startswith(f"离线填报_{draft.local_item.name}")
    workbook = tmp_path / "填报表.xlsx"
    download.value.save_as(workbook)
    book = load_workbook(workbook)
    edit_as_a_clerk(book, code)
    book.save(workbook)

    page.goto(f"{live_server.url}/standards/")
    with page.expect_navigation():
        page.click("main a:has-text('离线填报')")
    page.set_input_files("#id_file", str(workbook))
    with page.expect_navigation():
        page.click("main form[enctype] button[type=submit]")
    assert page.locator("h1").inner_text() == "预览修改"
    changes = page.locator(".offline-change-table")
    assert changes.locator("tr", has_text="责任处（科）室").locator("td.old").inner_text() == "审批服务股"
    assert changes.locator("tr", has_text="责任处（科）室").locator("td.new").inner_text() == "行政审批股"
    assert changes.locator("td.new", has_text="行政许可申请书").count() == 1
    assert changes.locator("tr.table-success td.new", has_text="法定代表人身份证明").count() == 1
    assert ItemStandard.objects.get(pk=draft.pk).revision == revision  # a preview saves nothing

    with page.expect_navigation():
        page.click("main button:has-text('确认保存')")
    assert page.locator("h1").inner_text() == "已保存"
    assert "已保存 1 个事项的修改" in page.locator(".alert-success").inner_text()
    saved = ItemStandard.objects.get(pk=draft.pk)
    assert saved.revision == revision + 1 and saved.updated_by == people["clerk"]
    assert saved.guide.lead_office == "行政审批股"
    assert list(saved.materials.values_list("name", "material_type", "source_channel", "original_count")) == [
        ("行政许可申请书", "original", "applicant", 1),
        ("营业执照", "copy", "government", 0),
        ("法定代表人身份证明", "original", "applicant", 1),
    ]
    with page.expect_navigation():
        page.click("main a:has-text('打开编辑页')")
    assert page.input_value("#id_guide-lead_office") == "行政审批股"


def test_the_department_download_and_the_preview_fit_a_phone(phone, live_server, people, draft, tmp_path):
    sign_in(phone, live_server, "clerk")
    phone.goto(f"{live_server.url}/standards/offline/")
    with phone.expect_download() as download:
        phone.click("main a:has-text('下载这些事项的填报表')")
    workbook = tmp_path / "清城区教育局离线填报表（第二批）修改稿.xlsx"
    download.value.save_as(workbook)
    book = load_workbook(workbook)
    edit_as_a_clerk(book, draft.local_item.code)
    channels = book["办理渠道"]  # a pasted address is one long unbroken word, the usual cause of sideways scrolling
    set_cell(channels, line_of(channels, "事项编码", draft.local_item.code), "网上办理地址", LONG_URL)
    book.save(workbook)
    phone.set_input_files("#id_file", str(workbook))
    with phone.expect_navigation():
        phone.click("main form[enctype] button[type=submit]")
    changes = phone.locator("main section.card .list-group")
    assert changes.is_visible() and "法定代表人身份证明" in changes.inner_text() and LONG_URL in changes.inner_text()
    assert phone.locator("main button:has-text('确认保存')").is_visible()
    overflow = sideways_overflow(phone)
    assert overflow <= 0, f"the preview is {overflow}px wider than the phone"
    with phone.expect_navigation():
        phone.click("main button:has-text('确认保存')")
    assert phone.locator("h1").inner_text() == "已保存"
    overflow = sideways_overflow(phone)
    assert overflow <= 0, f"the saved page is {overflow}px wider than the phone"
