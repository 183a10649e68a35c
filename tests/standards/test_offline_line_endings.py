"""Offline workbooks and imported guides store line breaks as LF, as the editor does: Excel and other systems may
write CR LF or CR, and an unchanged text must not read as an edit."""

from __future__ import annotations

import json

import pytest

from standards.offline.guide_profiles import parse_guide_profile, read_guides
from standards.offline.schema import columns_of
from tests.standards.offline_helpers import column_of, open_book, save_book, snapshot
from tests.standards.test_offline_workbook import apply, download, upload


@pytest.fixture
def clerk(client, people):
    client.force_login(people["clerk"])
    return client


def _sheet_with(book, label: str):
    for ws in book.worksheets:
        try:
            column_of(ws, label)
        except KeyError:
            continue
        return ws
    raise KeyError(label)


def test_a_cell_with_crlf_is_read_as_lf():
    column = columns_of("guide")["acceptance_conditions"]
    assert column.to_data("一、甲；\r\n二、乙；\r三、丙。\r\n") == ("一、甲；\n二、乙；\n三、丙。", None)


def test_an_unchanged_text_written_back_with_crlf_changes_nothing(clerk, standard):
    before = snapshot(standard)
    assert "\n" in before["guide"]["acceptance_conditions"]
    book = open_book(download(clerk, standard.local_item))
    ws = _sheet_with(book, "申请条件")
    cell = ws.cell(row=3, column=column_of(ws, "申请条件"))
    assert cell.value == before["guide"]["acceptance_conditions"]
    cell.value = cell.value.replace("\n", "\r\n")
    preview, token = upload(clerk, save_book(book))
    assert "没有需要保存的修改" in preview.content.decode()
    apply(clerk, token)
    assert snapshot(standard) == before


def test_an_edited_text_with_crlf_is_saved_with_lf(clerk, standard):
    book = open_book(download(clerk, standard.local_item))
    ws = _sheet_with(book, "申请条件")
    ws.cell(row=3, column=column_of(ws, "申请条件")).value = "1. 法人；\r\n2. 场所。\r3. 设备。"
    _preview, token = upload(clerk, save_book(book))
    assert apply(clerk, token).status_code == 200
    standard.guide.refresh_from_db()
    assert standard.guide.acceptance_conditions == "1. 法人；\n2. 场所。\n3. 设备。"


def test_an_imported_guide_has_lf_line_breaks_also_where_lists_are_joined():
    profile = parse_guide_profile(
        {
            "source": {"guides": "", "item_code": "code"},
            "guide": {"scope": "scope", "acceptance_conditions": {"key": "conditions", "join": "\r\n"}},
            "rows": {"faqs": {"key": "qa", "fields": {"question": "q", "answer": "a"}}},
        },
        name="crlf",
    )
    content = json.dumps(
        [{"code": "X1", "scope": "甲\r\n乙", "conditions": ["一", "二"], "qa": [{"q": "问？", "a": "答一\r答二"}]}]
    )
    parsed = read_guides(content.encode(), profile=profile)
    assert not parsed.errors
    item = parsed.items[0]
    assert item.guide == {"scope": "甲\n乙", "acceptance_conditions": "一\n二"}
    assert item.rows["faqs"][0].values == {"question": "问？", "answer": "答一\n答二"}
