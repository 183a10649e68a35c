"""Loading the administrative divisions (``catalogue.services.divisions_load`` and ``manage.py load_divisions``)."""

from __future__ import annotations

import csv
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from catalogue.models import Division, DivisionLevel
from catalogue.services import divisions_load
from catalogue.services.divisions import DATA_DIR, DEFAULT_FILES

pytestmark = pytest.mark.django_db

HEADER = "code,name,level,parent_code\n"


def _csv_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


@pytest.fixture(scope="module")
def shipped_rows() -> list[dict]:
    return [row for path in DEFAULT_FILES for row in _csv_rows(path)]


@pytest.fixture
def loaded(db):
    return divisions_load()


# --- the shipped files -------------------------------------------------------------------------------------------


def test_loads_every_shipped_row(loaded, shipped_rows):
    assert len(shipped_rows) == 6136
    assert loaded.errors == []
    assert (loaded.created, loaded.updated, loaded.unchanged) == (6136, 0, 0)
    assert Division.objects.count() == 6136
    assert Division.objects.filter(level=DivisionLevel.PROVINCE).count() == 31
    assert set(Division.objects.values_list("code", flat=True)) == {r["code"] for r in shipped_rows}


def test_every_row_hangs_off_the_parent_named_in_the_file(loaded, shipped_rows):
    parents = dict(Division.objects.values_list("code", "parent_id"))
    for row in shipped_rows:
        assert parents[row["code"]] == (row["parent_code"] or None), row


def test_ancestor_codes_agree_with_the_parent_chain(loaded):
    divisions = {d.code: d for d in Division.objects.all()}
    for division in divisions.values():
        chain = []
        node = division
        while node is not None:
            chain.append(node.code)
            node = divisions.get(node.parent_id) if node.parent_id else None
        assert division.ancestor_codes() == list(reversed(chain)), division.code
        assert getattr(division, f"{division.level}_code") == division.code


def test_townships_of_cities_without_counties_hang_off_the_city(loaded):
    for city_code, name, townships in (("441900", "东莞市", 36), ("442000", "中山市", 23)):
        city = Division.objects.get(code=city_code)
        assert (city.name, city.level, city.parent_id) == (name, DivisionLevel.CITY, "440000")
        children = Division.objects.filter(parent=city)
        assert children.count() == townships
        assert set(children.values_list("level", flat=True)) == {DivisionLevel.TOWNSHIP}
        assert set(children.values_list("county_code", flat=True)) == {""}
        assert set(children.values_list("city_code", flat=True)) == {city_code}
        assert set(children.values_list("province_code", flat=True)) == {"440000"}
        assert Division.objects.subtree(city).count() == townships + 1

    guancheng = Division.objects.get(code="441900003")
    assert guancheng.name == "东城街道"
    assert guancheng.code12 == "441900003000"
    assert guancheng.township_code == "441900003"
    assert guancheng.full_name == "广东省东莞市东城街道"
    assert guancheng.ancestor_codes() == ["440000", "441900", "441900003"]
    shiqi = Division.objects.get(code="442000001")
    assert (shiqi.name, shiqi.county_code, shiqi.full_name) == ("石岐街道", "", "广东省中山市石岐街道")


def test_chongqing_counties_hang_off_the_placeholder_city(loaded):
    fengjie = Division.objects.get(code="500236")
    assert fengjie.name == "奉节县"
    assert fengjie.level == DivisionLevel.COUNTY
    assert fengjie.parent_id == "500200"
    assert (fengjie.province_code, fengjie.city_code, fengjie.county_code) == ("500000", "500200", "500236")
    # "县" is a grouping row, not a real city: it stays out of the full name.
    assert fengjie.full_name == "重庆市奉节县"
    placeholder = Division.objects.get(code="500200")
    assert (placeholder.name, placeholder.level, placeholder.full_name) == ("县", DivisionLevel.CITY, "重庆市")
    townships = Division.objects.filter(parent=fengjie)
    assert townships.count() == 33
    assert set(townships.values_list("county_code", flat=True)) == {"500236"}
    assert all(t.full_name.startswith("重庆市奉节县") for t in townships)


def test_subtree_of_qingyuan_holds_its_counties_and_townships(loaded):
    qingyuan = Division.objects.get(code="441800")
    subtree = Division.objects.subtree(qingyuan)
    assert subtree.count() == 101
    assert subtree.filter(level=DivisionLevel.CITY).count() == 1
    assert subtree.counties().count() == 8
    assert subtree.filter(level=DivisionLevel.TOWNSHIP).count() == 92
    assert set(subtree.counties().values_list("name", flat=True)) >= {"清城区", "清新区", "英德市", "连州市"}
    # Nothing outside 清远 leaks in, nothing inside is missing.
    assert all(d.code.startswith("4418") for d in subtree)
    assert subtree.count() == Division.objects.filter(code__startswith="4418").count()


def test_subtree_counts_at_each_level(loaded):
    qingcheng = Division.objects.get(code="441802")
    assert Division.objects.subtree(qingcheng).count() == 11
    assert Division.objects.subtree(Division.objects.get(code="500236")).count() == 34
    township = Division.objects.get(code="441802006")  # 凤城街道
    assert list(Division.objects.subtree(township)) == [township]
    guangdong = Division.objects.get(code="440000")
    assert Division.objects.subtree(guangdong).count() == Division.objects.filter(province_code="440000").count()
    assert Division.objects.subtree(guangdong).count() == 1901
    # 儋州 has no county level and no township rows shipped: its subtree is itself.
    assert Division.objects.subtree(Division.objects.get(code="460400")).count() == 1


def test_second_load_changes_nothing(loaded):
    before = {d.code: (d.name, d.full_name, d.parent_id, d.county_code) for d in Division.objects.all()}
    again = divisions_load()
    assert (again.created, again.updated, again.unchanged, again.errors) == (0, 0, 6136, [])
    after = {d.code: (d.name, d.full_name, d.parent_id, d.county_code) for d in Division.objects.all()}
    assert after == before


def test_smaller_guangdong_chongqing_file_agrees_with_the_national_one(loaded):
    report = divisions_load(paths=[DATA_DIR / "divisions_gd_cq.csv"])
    assert report.errors == []
    assert (report.created, report.updated, report.unchanged) == (0, 0, 185)


# --- files with problems -----------------------------------------------------------------------------------------

BAD_FILE = (
    HEADER
    + "990000,测试省,province,\n"  # 2 good
    + "990100,甲市,city,990000\n"  # 3 good
    + "990101,甲区,county,990100\n"  # 4 good
    + "990102,乙区,district,990100\n"  # 5 bad level
    + "99010,丙区,county,990100\n"  # 6 code too short
    + "990103,丁区,county,998800\n"  # 7 unknown parent
    + "990101,甲区（重复）,county,990100\n"  # 8 duplicate code
    + "990104,,county,990100\n"  # 9 empty name
    + "990101001,甲街道,township,990101\n"  # 10 good
    + "990105,戊区,county,990101\n"  # 11 parent not above
    + "990106,己区,county,\n"  # 12 no parent
    + "990200,伪省,province,990000\n"  # 13 province with a parent
    + "9901010020,乙街道,township,990101\n"  # 14 township code of 10 digits
)


@pytest.fixture
def bad_file(tmp_path):
    return _write(tmp_path / "bad.csv", BAD_FILE)


def test_bad_rows_are_reported_by_file_and_row_and_good_rows_load(db, bad_file):
    report = divisions_load(paths=[bad_file])
    by_row = {e.row: e for e in report.errors}
    assert sorted(by_row) == [5, 6, 7, 8, 9, 11, 12, 13, 14]
    assert {e.file for e in report.errors} == {"bad.csv"}
    assert "层级“district”无效" in by_row[5].message
    assert "区划代码“99010”应为6位数字" in by_row[6].message
    assert "上级区划“998800”不存在" in by_row[7].message
    assert "区划代码“990101”重复" in by_row[8].message
    assert by_row[9].message == "名称为空"
    assert "上级区划“990101”的层级不高于本行" in by_row[11].message
    assert by_row[12].message == "缺少上级区划代码"
    assert by_row[13].message == "省级区划不应有上级代码"
    assert "应为9位数字" in by_row[14].message
    assert str(by_row[7]).startswith("bad.csv 第7行：")

    assert report.created == 4
    assert set(Division.objects.values_list("code", flat=True)) == {"990000", "990100", "990101", "990101001"}
    # The first occurrence of a duplicated code wins.
    assert Division.objects.get(code="990101").name == "甲区"
    street = Division.objects.get(code="990101001")
    assert (street.county_code, street.city_code, street.full_name) == ("990101", "990100", "测试省甲市甲区甲街道")


def test_children_of_a_refused_row_are_refused_too(db, tmp_path):
    path = _write(
        tmp_path / "orphans.csv",
        HEADER + "990000,测试省,province,\n990100,甲市,city,990001\n990101,甲区,county,990100\n",
    )
    report = divisions_load(paths=[path])
    assert [(e.row, e.message) for e in report.errors] == [
        (3, "上级区划“990001”不存在"),
        (4, "上级区划“990100”不存在"),
    ]
    assert list(Division.objects.values_list("code", flat=True)) == ["990000"]


def test_children_may_come_before_their_parents(db, tmp_path):
    path = _write(
        tmp_path / "reversed.csv",
        HEADER + "990101001,甲街道,township,990101\n990101,甲区,county,990100\n990100,甲市,city,990000\n"
        "990000,测试省,province,\n",
    )
    report = divisions_load(paths=[path])
    assert report.errors == []
    assert report.created == 4
    assert Division.objects.get(code="990101001").ancestor_codes() == ["990000", "990100", "990101", "990101001"]


def test_missing_column_is_reported_on_the_header_row(db, tmp_path, bad_file):
    missing = _write(tmp_path / "missing.csv", "code,name,level\n990300,某市,city\n")
    report = divisions_load(paths=[missing, bad_file])
    header_errors = [e for e in report.errors if e.file == "missing.csv"]
    assert len(header_errors) == 1
    assert header_errors[0].row == 1
    assert "缺少列" in header_errors[0].message
    assert "parent_code" in header_errors[0].message
    assert not Division.objects.filter(code="990300").exists()
    # The other file still loads.
    assert report.created == 4


def test_gbk_file_is_an_error_not_a_crash(db, tmp_path, bad_file):
    gbk = _write(tmp_path / "gbk.csv", HEADER + "990000,测试省,province,\n990100,甲市,city,990000\n", encoding="gbk")
    with pytest.raises(UnicodeDecodeError):
        gbk.read_text(encoding="utf-8")  # the file really is not UTF-8
    report = divisions_load(paths=[gbk, bad_file])
    gbk_errors = [e for e in report.errors if e.file == "gbk.csv"]
    assert len(gbk_errors) == 1
    assert "UTF-8" in gbk_errors[0].message
    assert report.created == 4
    assert Division.objects.get(code="990000").name == "测试省"


def test_missing_file_is_an_error(db, tmp_path):
    report = divisions_load(paths=[tmp_path / "nowhere.csv"])
    assert report.created == 0
    assert [e.file for e in report.errors] == ["nowhere.csv"]
    assert "不存在" in report.errors[0].message


def test_utf8_with_bom_and_code12_column(db, tmp_path):
    path = _write(
        tmp_path / "bom.csv",
        "code,code12,name,level,parent_code\n990000,,测试省,province,\n990100,,甲市,city,990000\n"
        "990100001,990100001000,甲街道,township,990100\n",
        encoding="utf-8-sig",
    )
    report = divisions_load(paths=[path])
    assert report.errors == []
    street = Division.objects.get(code="990100001")
    assert street.code12 == "990100001000"
    assert street.county_code == ""


def test_renaming_a_city_updates_it_and_the_full_names_below(db, tmp_path):
    text = HEADER + "990000,测试省,province,\n990100,甲市,city,990000\n990101,甲区,county,990100\n"
    path = _write(tmp_path / "d.csv", text)
    assert divisions_load(paths=[path]).created == 3
    _write(path, text.replace("甲市", "乙市"))
    report = divisions_load(paths=[path])
    assert (report.created, report.updated, report.unchanged) == (0, 2, 1)
    assert Division.objects.get(code="990100").name == "乙市"
    assert Division.objects.get(code="990101").full_name == "测试省乙市甲区"


# --- management command ------------------------------------------------------------------------------------------


def test_command_loads_the_shipped_files_and_is_repeatable(db):
    out = StringIO()
    call_command("load_divisions", stdout=out, stderr=StringIO())
    assert "新增 6136，更新 0，未变 0，错误行 0" in out.getvalue()
    out = StringIO()
    call_command("load_divisions", stdout=out, stderr=StringIO())
    assert "新增 0，更新 0，未变 6136，错误行 0" in out.getvalue()
    assert Division.objects.count() == 6136


def test_command_prints_summary_and_warnings(db, bad_file):
    out, err = StringIO(), StringIO()
    call_command("load_divisions", str(bad_file), stdout=out, stderr=err)
    assert "行政区划：新增 4，更新 0，未变 0，错误行 9" in out.getvalue()
    warnings = err.getvalue()
    assert "bad.csv 第5行：层级“district”无效" in warnings
    assert "bad.csv 第8行：区划代码“990101”重复" in warnings
    assert warnings.count("bad.csv 第") == 9


def test_command_fails_when_nothing_loads(db, tmp_path):
    gbk = _write(tmp_path / "gbk.csv", HEADER + "990000,测试省,province,\n", encoding="gbk")
    err = StringIO()
    with pytest.raises(CommandError, match="没有可载入的有效行"):
        call_command("load_divisions", str(gbk), stdout=StringIO(), stderr=err)
    assert "gbk.csv" in err.getvalue()
    assert Division.objects.count() == 0
