"""Bulk import of item lists: the two real files through their shipped profiles, a made-up third format through a
profile written in the test, and every kind of bad input the issue lists."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from catalogue.codes import implementation_code
from catalogue.models import GeneralItem, LocalItem, Organization
from tests.catalogue.import_helpers import (
    GUANGAN,
    ZHONGSHAN,
    _csv,
    _history_rows,
    _run,
    _zhongshan_rows,
)
from tests.factories import OrganizationFactory


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
