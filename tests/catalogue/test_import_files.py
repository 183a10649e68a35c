"""Importing files of every shape: a profile for a made-up format, encodings, blank and duplicated rows, broken
files and profiles, and who may import."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import tomllib

import pytest
from django.utils import timezone
from openpyxl import Workbook

from catalogue.imports import (
    FileProblem,
    ImportDenied,
    ProfileError,
    catalogue_import,
    load_profile,
    parse_profile,
)
from catalogue.models import IssuedCode, LocalItem, LocalItemStatus, Organization
from tests.catalogue.import_helpers import (
    GUANGAN_PROFILE,
    ZHONGSHAN,
    _csv,
    _run,
    _zhongshan_rows,
)

THIRD_PROFILE = """
title = "某省事项导出（JSON lines）"
[source]
format = "jsonl"
[department]
name = "实施机关"
code = "机关代码"
[general]
code = { column = "目录编码", pattern = '^GD-(\\d{12})$' }
name = "名称"
type = "类别"
[general.types]
XK = "01"
GG = "20"
[local]
code = "实施编码"
"""


def test_a_profile_for_a_made_up_format_imports_without_code_changes(geo, orgs, admin_user, tmp_path, sector):
    profile = tmp_path / "jsonl_demo.toml"
    profile.write_text(THIRD_PROFILE, encoding="utf-8")
    uscc = orgs["edu"].uscc

    def line(code: str, name: str, kind: str) -> dict:
        return {"实施机关": "清城区教育局", "机关代码": uscc, "目录编码": f"GD-{code}", "名称": name, "类别": kind,
                "实施编码": f"{uscc}4{code}"}  # fmt: skip

    lines = [line("440102050000", "民办学校年检", "XK"), line("442002051000", "学籍咨询", "GG"),
             line("440102052000", "其他事项", "QT")]  # fmt: skip
    source = tmp_path / "items.jsonl"
    source.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n\n", encoding="utf-8")
    report = catalogue_import(actor=admin_user, path=source, profile=load_profile(profile), division_code="441802")
    assert report.counts == {"create": 2}
    assert [(r.row, r.column) for r in report.rejections] == [(3, "类别")]
    assert "QT" in report.rejections[0].reason and "[general.types]" in report.rejections[0].reason
    item = LocalItem.objects.get(code=f"{uscc}4440102050000")
    assert item.organization == orgs["edu"] and item.general_item.sector == sector and item.item_type == "01"


# --- bad input -----------------------------------------------------------------------------------------------------


def test_gbk_file_is_detected_and_read(zhongshan, admin_user, tmp_path):
    path = _csv(tmp_path / "gbk.csv", _zhongshan_rows(3), encoding="gbk")
    assert _run(admin_user, path, "gd_zhongshan").counts == {"create": 3}


def test_a_utf8_bom_file_is_read(zhongshan, admin_user, tmp_path):
    path = tmp_path / "bom.csv"
    _csv(path, _zhongshan_rows(2))
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert _run(admin_user, path, "gd_zhongshan").counts == {"create": 2}


def test_wrong_encoding_is_reported_with_its_line_and_nothing_saved(zhongshan, admin_user, tmp_path):
    rows = _zhongshan_rows(3)
    path = tmp_path / "mixed.csv"
    # UTF-8 for the first 64 KB the reader samples, then a GBK line: the sample cannot tell, the strict decoder can.
    good = io.StringIO()
    csv.writer(good, lineterminator="\n").writerows(rows * 200)
    bad = ",".join(rows[1]).encode("gbk") + b"\n"
    path.write_bytes(good.getvalue().encode("utf-8") + bad)
    with pytest.raises(FileProblem, match=r"第\d+行附近不是有效的 utf-8 编码"):
        _run(admin_user, path, "gd_zhongshan")
    assert not LocalItem.objects.exists()


def test_blank_rows_are_skipped_and_row_numbers_stay_true(zhongshan, admin_user, tmp_path):
    rows = _zhongshan_rows(2)
    rows[2][11] = "999999"  # unknown division on the file's line 5 once blanks are in
    path = _csv(tmp_path / "blank.csv", [rows[0], [], rows[1], [""] * 5, rows[2]])
    report = _run(admin_user, path, "gd_zhongshan")
    assert report.counts == {"create": 1}
    assert [(r.row, r.column, r.reason) for r in report.rejections] == [(5, "area_code", "区划代码“999999”不存在")]


def test_duplicated_codes_in_a_file_are_rejected(zhongshan, admin_user, tmp_path):
    rows = _zhongshan_rows(2)
    report = _run(admin_user, _csv(tmp_path / "dup.csv", [*rows, rows[1]]), "gd_zhongshan")
    assert report.counts == {"create": 2}
    (rejection,) = report.rejections
    assert rejection.row == 4 and rejection.column == "task_code" and "与第2行重复" in rejection.reason


def test_codes_colliding_with_cancelled_ones_are_rejected(zhongshan, admin_user, tmp_path):
    rows = _zhongshan_rows(2)
    _run(admin_user, _csv(tmp_path / "a.csv", rows[:2]), "gd_zhongshan")
    LocalItem.objects.filter(code=rows[1][0]).update(status=LocalItemStatus.CANCELLED, cancel_date=dt.date(2026, 1, 1))
    # A code issued once to an item whose row is gone (the registry keeps it): the second row's code.
    IssuedCode.objects.create(code=rows[2][0], kind="local", issued_at=timezone.now())
    report = _run(admin_user, _csv(tmp_path / "b.csv", rows), "gd_zhongshan")
    assert report.counts == {}
    reasons = {r.row: r.reason for r in report.rejections}
    assert "已取消" in reasons[2] and "不能通过导入恢复" in reasons[2]
    assert "曾发放给已取消或已删除的事项" in reasons[3]


def test_all_or_nothing_saves_nothing_when_a_row_is_rejected(zhongshan, admin_user, tmp_path):
    rows = _zhongshan_rows(3)
    rows[3][11] = "999999"
    report = _run(admin_user, _csv(tmp_path / "x.csv", rows), "gd_zhongshan", all_or_nothing=True)
    assert report.counts == {"create": 2} and len(report.rejections) == 1 and not report.saved
    assert not LocalItem.objects.exists() and not Organization.objects.exists()


def test_merged_header_cells_in_xlsx_are_reported(zhongshan, admin_user, tmp_path):
    profile = tmp_path / "x.toml"
    profile.write_text(
        load_profile("gd_zhongshan").source.read_text(encoding="utf-8").replace('format = "csv"', 'format = "xlsx"'),
        encoding="utf-8",
    )
    book = Workbook()
    sheet = book.active
    header = _zhongshan_rows(0)[0]
    sheet.append(header)
    sheet.merge_cells("A1:B1")  # a person merging two header cells: B1 loses its name
    book.save(tmp_path / "merged.xlsx")
    with pytest.raises(FileProblem, match="B列为空：可能是合并单元格"):
        catalogue_import(actor=admin_user, path=tmp_path / "merged.xlsx", profile=load_profile(profile))
    sheet.unmerge_cells("A1:B1")
    sheet["B1"] = header[1]
    for row in _zhongshan_rows(2)[1:]:
        sheet.append(row)
    sheet.append([])
    book.save(tmp_path / "ok.xlsx")
    report = catalogue_import(actor=admin_user, path=tmp_path / "ok.xlsx", profile=load_profile(profile))
    assert report.counts == {"create": 2}


def test_unknown_division_given_on_the_command_line(admin_user, zhongshan):
    with pytest.raises(FileProblem, match="指定的区划代码“449999”不存在"):
        _run(admin_user, ZHONGSHAN, "gd_zhongshan", division_code="449999")


def test_a_profile_naming_a_missing_column_is_reported(zhongshan, admin_user, tmp_path):
    rows = [[c if c != "dept_name" else "部门" for c in _zhongshan_rows(0)[0]], *_zhongshan_rows(1)[1:]]
    with pytest.raises(FileProblem, match="要求的列“dept_name”在文件第1行的表头中不存在"):
        _run(admin_user, _csv(tmp_path / "renamed.csv", rows), "gd_zhongshan")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"PK\x03\x04rest-of-a-zip", "不是有效的 Excel 工作簿"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "旧版 Excel 文件（.xls）"),
        (b"%PDF-1.7\n", "看起来是PDF"),
        (b'{"a": 1}\n', "要求的列.*不存在"),
        (b"", "文件是空的"),
    ],
)
def test_a_file_of_the_wrong_kind_is_reported(zhongshan, admin_user, tmp_path, content, message):
    path = tmp_path / "items.csv"
    path.write_bytes(content)
    with pytest.raises(FileProblem, match=message):
        _run(admin_user, path, "gd_zhongshan")


def test_a_broken_profile_is_reported(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(
        '[department]\nname = "d"\ncode = "c"\n[local]\ncode = "l"\n'
        '[general]\ncode = "c"\nname = "n"\ntype = "t"\n[general.types]\n"1" = "99"\n',
        encoding="utf-8",
    )
    with pytest.raises(ProfileError, match="“99”不是国家事项类型编码"):
        load_profile(path)


@pytest.mark.parametrize(
    ("tree", "message"),
    [
        ('main_name = "m"', "须写 general.tree.main_code_prefix"),
        ('main_name = "m"\nmain_code_prefix = "sc zx"', "须写 general.tree.main_code_prefix"),
        ('main_name = "m"\nmain_code_prefix = "51ZX"\nsub_name = "s"', "sub_name 无从使用"),
    ],
)
def test_a_foreign_main_item_column_needs_a_code_prefix(tree, message):
    data = tomllib.loads(GUANGAN_PROFILE.read_text(encoding="utf-8").split("[general.tree]")[0] + "[general.tree]\n"
                         + tree + "\n[general.types]\n\"1\" = \"01\"\n[local]\ncode = \"item_code\"\n"
                         + 'code_scheme = "foreign"\n')  # fmt: skip
    with pytest.raises(ProfileError, match=message):
        parse_profile(data, name="t")


def test_a_national_profile_takes_no_main_code_prefix():
    data = tomllib.loads(load_profile("gd_zhongshan").source.read_text(encoding="utf-8"))
    data["general"]["tree"]["main_code_prefix"] = "44ZX"
    with pytest.raises(ProfileError, match="只用于外部编码"):
        parse_profile(data, name="t")


def test_only_the_division_s_establishment_office_may_import(zhongshan, people, tmp_path):
    with pytest.raises(ImportDenied):
        _run(people["clerk"], ZHONGSHAN, "gd_zhongshan", division_code="442000")
    # Rows naming a division outside the user's reach are rejected, never saved.
    report = _run(people["compliance"], _csv(tmp_path / "z.csv", _zhongshan_rows(1)), "gd_zhongshan")
    assert report.counts == {} and "无权" in report.rejections[0].reason
    assert not LocalItem.objects.exists()


def test_an_established_general_item_with_another_name_is_a_conflict_until_decided(
    zhongshan, admin_user, general, tmp_path
):
    rows = _zhongshan_rows(1)
    rows[1][1] = "另一个名称"
    path = _csv(tmp_path / "renamed.csv", rows)
    report = _run(admin_user, path, "gd_zhongshan")
    assert report.counts == {"conflict": 1} and not report.rejections
    conflict = report.conflicts["440102001001"]
    assert conflict["rows"] == [2]
    assert (conflict["existing"]["name"], conflict["incoming"]["name"]) == (
        "中外合作开办学前教育机构审批",
        "另一个名称",
    )
    assert not LocalItem.objects.exists()

    report = _run(admin_user, path, "gd_zhongshan", decisions={"440102001001": "keep"})
    assert report.counts == {"create": 1}
    general["sub1"].refresh_from_db()
    assert general["sub1"].name == "中外合作开办学前教育机构审批"
    # The local item keeps its row's own name: the deviation is a finding of the checks, not overwritten.
    assert LocalItem.objects.get(code=rows[1][0]).name == "另一个名称"


def test_line_breaks_in_cells_are_read_as_lf(zhongshan, tmp_path):
    """A CSV saved on Windows ends its lines with CR LF, and a quoted cell may hold CR LF or CR of its own."""
    from catalogue.imports.readers import read_rows

    rows = _zhongshan_rows(2)
    header = rows[0]
    column = header.index("accept_standard")
    rows[1][column] = rows[1][column] + "\r\n（含延续）\r补充"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path = tmp_path / "crlf.csv"
    path.write_bytes(buffer.getvalue().encode("utf-8"))
    read = list(read_rows(path, load_profile("gd_zhongshan")))
    assert len(read) == 2
    assert not any("\r" in value for _number, row in read for value in row.values())
    assert read[0][1][header[column]].endswith("\n（含延续）\n补充")
