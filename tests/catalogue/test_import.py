"""Bulk import of item lists: the two real files through their shipped profiles, a made-up third format through a
profile written in the test, and every kind of bad input the issue lists."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import tomllib
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import Workbook

from catalogue.codes import implementation_code
from catalogue.imports import (
    FileProblem,
    ImportDenied,
    ProfileError,
    catalogue_import,
    load_profile,
    parse_profile,
)
from catalogue.models import GeneralItem, IssuedCode, LocalItem, LocalItemStatus, Organization
from tests.factories import OrganizationFactory

DATA = Path(__file__).resolve().parents[2] / "catalogue" / "fixtures" / "data"
ZHONGSHAN = DATA / "items_gd_zhongshan_442000.csv"
GUANGAN = DATA / "items_sc_guangan_511602.csv"
GUANGAN_PROFILE = Path(__file__).resolve().parents[2] / "catalogue" / "import_profiles" / "sc_guangan.toml"


def _run(actor, path, profile, **kw):
    return catalogue_import(actor=actor, path=path, profile=load_profile(profile), **kw)


def _history_rows() -> int:
    return sum(m.history.count() for m in (GeneralItem, LocalItem, Organization))


def _csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def _zhongshan_rows(count: int | None = None) -> list[list[str]]:
    with open(ZHONGSHAN, encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    return rows if count is None else rows[: count + 1]


# --- the real files ----------------------------------------------------------------------------------------------


def test_zhongshan_imports_completely_and_reimport_changes_nothing(zhongshan, admin_user):
    report = _run(admin_user, ZHONGSHAN, "gd_zhongshan")
    assert report.rejections == []
    assert report.counts == {"create": 40}
    assert report.created_departments == 2
    items = LocalItem.objects.filter(division=zhongshan)
    assert items.count() == 40 and not items.filter(code_is_foreign=True).exists()
    item = LocalItem.objects.get(code="11442000007332665G344010401200203")
    # The handling item hangs under the sub item its code implies, under the main item, all flagged for review.
    assert item.general_item.parent.code == "440104012002"
    assert item.general_item.parent.parent.code == "44010401200Y"
    assert item.general_item.parent.parent.name == "无线电频率使用许可"
    assert item.general_item.needs_review and item.organization.needs_review
    record = item.history.get()
    assert record.history_user == admin_user
    assert record.history_change_reason == "批量导入：items_gd_zhongshan_442000.csv"

    before = _history_rows()
    again = _run(admin_user, ZHONGSHAN, "gd_zhongshan")
    assert again.counts == {"unchanged": 40} and again.rejections == []
    assert _history_rows() == before


def test_sichuan_imports_completely_with_irregular_rows_rejected(guangan, admin_user):
    report = _run(admin_user, GUANGAN, "sc_guangan")
    assert report.rows == 1135
    assert report.counts["create"] == 1124
    rejected = {r.row: r for r in report.rejections}
    # The 4 rows whose codes do not follow the usual pattern have no basic code (file line = data row + 1).
    assert [n for n, r in rejected.items() if r.column == "basic_code"] == [119, 167, 368, 632]
    assert all(r.reason == "通用目录编码为空" for r in rejected.values() if r.column == "basic_code")
    # 区烟草专卖局 has no valid credit code anywhere in the file, so it cannot be created.
    tobacco = [r for r in rejected.values() if r.column == "item_code"]
    assert len(tobacco) == 7 and "TE5116020105116050" in tobacco[0].reason
    item = LocalItem.objects.get(code="511A0138000000-511602000000-000-115113010833722043-1-00")
    assert item.code_is_foreign and item.general_item.code_is_foreign
    assert item.general_item.code == "511A0138000000" and item.item_type == "01"
    assert item.organization.name == "区教科体局"
    # A department given several codes in the file is one department, with the code it is given most often.
    assert Organization.objects.get(division=guangan, name="区人社局").uscc == "12511301452260997J"
    # Rows naming a main item (main_item) are its sub items; the main item, which has no code in the file, is
    # created once with sub items and a foreign code from its name.
    cancel = GeneralItem.objects.get(code="511F09014003")
    assert cancel.node_kind == "sub" and cancel.name == "户口注销"
    main = cancel.parent
    assert main.name == "户口登记（包括注销、恢复、变更）" and main.has_sub_items and main.node_kind == "main"
    assert main.code.startswith("51ZX") and len(main.code) == 14 and main.code_is_foreign and main.needs_review
    assert main.children.count() == 4 and main.history.get().history_user == admin_user
    with open(GUANGAN, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    accepted = [r for n, r in enumerate(rows, start=2) if n not in rejected]
    mains = {r["main_item"] for r in accepted if r["main_item"]}
    # 131 main items are named; one only by rows rejected for their department.
    assert GeneralItem.objects.filter(has_sub_items=True).count() == len(mains) == 130
    assert GeneralItem.objects.filter(node_kind="sub").count() == sum(1 for r in accepted if r["main_item"])
    assert report.created_general_items == GeneralItem.objects.count() == 1124 + 130

    before = _history_rows()
    again = _run(admin_user, GUANGAN, "sc_guangan")
    assert again.counts == {"unchanged": 1124} and len(again.rejections) == 11
    assert _history_rows() == before


def test_existing_general_items_are_matched_by_code(zhongshan, admin_user, general):
    _run(admin_user, ZHONGSHAN, "gd_zhongshan")
    item = LocalItem.objects.get(code="1144200032477691303440102001001")
    assert item.general_item == general["sub1"] and not item.general_item.needs_review


def test_dry_run_reports_the_same_and_saves_nothing(zhongshan, admin_user):
    report = _run(admin_user, ZHONGSHAN, "gd_zhongshan", dry_run=True)
    assert report.counts == {"create": 40} and not report.saved
    assert not LocalItem.objects.exists() and not GeneralItem.objects.exists() and not Organization.objects.exists()


def test_reimport_of_an_edited_file_updates_only_what_changed(zhongshan, admin_user, tmp_path):
    rows = _zhongshan_rows(5)
    _run(admin_user, _csv(tmp_path / "v1.csv", rows), "gd_zhongshan")
    rows[2][1] = "中等职业技术学校层次类别变更审批"
    report = _run(admin_user, _csv(tmp_path / "v2.csv", rows), "gd_zhongshan")
    assert report.counts == {"update": 1, "unchanged": 4}
    item = LocalItem.objects.get(code=rows[2][0])
    assert item.name == item.general_item.name == "中等职业技术学校层次类别变更审批"
    latest = item.history.first()
    assert latest.history_change_reason == "批量导入：v2.csv" and latest.history_user == admin_user


def test_command_reports_and_dry_run(zhongshan, admin_user):
    out = io.StringIO()
    call_command("import_catalogue", str(ZHONGSHAN), profile="gd_zhongshan", user=admin_user.username, dry_run=True,
                 stdout=out)  # fmt: skip
    assert "新增 40" in out.getvalue() and "试运行" in out.getvalue()
    assert not LocalItem.objects.exists()
    with pytest.raises(CommandError, match="找不到导入方案"):
        call_command("import_catalogue", str(ZHONGSHAN), profile="nope", user=admin_user.username)


def test_reimport_queries_are_bounded(zhongshan, admin_user, django_assert_max_num_queries):
    _run(admin_user, ZHONGSHAN, "gd_zhongshan")
    # One chunk: its lookups (general items, local items, issued codes), the departments and the savepoints.
    with django_assert_max_num_queries(15):
        _run(admin_user, ZHONGSHAN, "gd_zhongshan")


def _generated(path: Path, department: Organization, first: int, rows: int) -> Path:
    """Rows in the Zhongshan format, each a new main item (sector 90) with its local item in one department."""
    header = ["task_code", "task_name", "task_type_code", "dept_name", "area_code", "parent_catalog_name",
              "catalog_name"]  # fmt: skip
    lines = [header]
    for i in range(first, first + rows):
        general = f"440190{i:03d}000"
        code = implementation_code(uscc=department.uscc, level="4", general_code=general)
        lines.append([code, f"导入测试事项{i}", "01", department.name, "441802", "", ""])
    return _csv(path, lines)


def _queries(callable_) -> int:
    with CaptureQueriesContext(connection) as context:
        callable_()
    return len(context)


def test_a_chunk_costs_the_same_queries_whatever_its_rows(geo, admin_user, tmp_path):
    department = OrganizationFactory(division=geo["qc"], name="导入测试局")
    _run(admin_user, _generated(tmp_path / "warm.csv", department, 1, 1), "gd_zhongshan")  # creates the sector
    small = _generated(tmp_path / "small.csv", department, 100, 10)
    # 30 rows: SQLite takes at most 999 parameters a statement, so Django splits longer inserts of the history
    # rows (about 25 columns); PostgreSQL takes a chunk's rows in one statement.
    large = _generated(tmp_path / "large.csv", department, 200, 30)
    created = {path: _queries(lambda path=path: _run(admin_user, path, "gd_zhongshan")) for path in (small, large)}
    assert LocalItem.objects.count() == 41 and GeneralItem.objects.count() == 41
    assert created[small] == created[large] <= 15
    again = {path: _queries(lambda path=path: _run(admin_user, path, "gd_zhongshan")) for path in (small, large)}
    assert again[small] == again[large] < created[small]
    # Each chunk adds its lookups and writes, whatever the rows in it.
    two = _generated(tmp_path / "two.csv", department, 300, 20)
    three = _generated(tmp_path / "three.csv", department, 400, 30)
    chunked = {path: _queries(lambda path=path: _run(admin_user, path, "gd_zhongshan", chunk_rows=10))
               for path in (two, three)}  # fmt: skip
    assert chunked[three] - chunked[two] == chunked[two] - created[small] <= 10


def test_a_chunk_the_database_refuses_is_done_again_row_by_row(geo, admin_user, tmp_path, monkeypatch):
    """A row only the database refuses is that row's rejection; the other rows of its chunk go in."""
    from catalogue.imports import apply

    department = OrganizationFactory(division=geo["qc"], name="导入测试局")
    path = _generated(tmp_path / "items.csv", department, 1, 5)
    refused = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))[3][0]
    save_staged = apply.save_staged

    def refusing(rows, **kw):
        if any(r.local is not None and r.local.code == refused for r in rows):
            raise IntegrityError("value too long for type character varying(200)")
        save_staged(rows, **kw)

    monkeypatch.setattr(apply, "save_staged", refusing)
    report = _run(admin_user, path, "gd_zhongshan")
    assert report.counts == {"create": 4} and [r.row for r in report.rejections] == [4]
    assert "数据库拒绝了这一行" in report.rejections[0].reason
    assert LocalItem.objects.count() == 4 and not LocalItem.objects.filter(code=refused).exists()
    assert GeneralItem.objects.count() == 4 and report.created_general_items == 4
    assert all(r.history_user == admin_user for r in LocalItem.history.all())


# --- a third format, no code changes -------------------------------------------------------------------------------

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
        (b"PK\x03\x04rest-of-a-zip", "要求CSV 文本，而文件是Excel 工作簿"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "旧版 Excel 文件（.xls）"),
        (b"%PDF-1.7\n", "看起来是PDF"),
        (b'{"a": 1}\n', "而文件是JSON lines"),
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
    path.write_text('[general]\ncode = "c"\n[general.types]\n"1" = "99"\n', encoding="utf-8")
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


def test_an_established_general_item_keeps_its_name(zhongshan, admin_user, general, tmp_path):
    rows = _zhongshan_rows(1)
    rows[1][1] = "另一个名称"
    report = _run(admin_user, _csv(tmp_path / "renamed.csv", rows), "gd_zhongshan")
    assert report.counts == {"create": 1}
    general["sub1"].refresh_from_db()
    assert general["sub1"].name == "中外合作开办学前教育机构审批"
    assert LocalItem.objects.get(code=rows[1][0]).name == "中外合作开办学前教育机构审批"


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
