"""Item profiles read real files as people save them: a csv profile reads xlsx, codes Excel turned into numbers are
reported as such, and a profile's own mistakes (unknown or missing keys, scheme and map both) are refused before any
row is read."""

from __future__ import annotations

import pytest

from catalogue.imports import ProfileError, catalogue_import, load_profile, parse_profile
from tests.catalogue.import_helpers import ZHONGSHAN, _run, _zhongshan_rows

PROFILE = load_profile("gd_zhongshan").source


# --- Excel as people save it -------------------------------------------------------------------------------------


def test_the_csv_profile_reads_xlsx_and_reports_codes_excel_made_numbers(zhongshan, admin_user, tmp_path):
    from openpyxl import Workbook

    rows = _zhongshan_rows(3)
    header = rows[0]
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    sheet.append(rows[1])  # text cells, as exported: imported
    scientific = list(rows[2])
    scientific[header.index("task_code")] = float(rows[2][header.index("task_code")])  # shown as 1.144E+30
    sheet.append(scientific)
    leading_zero = list(rows[3])
    leading_zero[header.index("task_type_code")] = 1  # "01" typed into a number cell
    sheet.append(leading_zero)
    path = tmp_path / "items.xlsx"
    workbook.save(path)

    report = _run(admin_user, path, "gd_zhongshan")
    assert report.counts == {"create": 1}
    by_row = {r.row: r for r in report.rejections}
    assert by_row[3].column == "task_code" and "1.144E+30" in by_row[3].reason and "末尾的数位" in by_row[3].reason
    assert by_row[4].column == "task_type_code" and "（1）" in by_row[4].reason and "开头的0" in by_row[4].reason
    for rejection in by_row.values():
        assert "“文本”格式" in rejection.reason and "CSV" in rejection.reason


def test_a_whole_number_cell_that_is_the_code_is_read_as_text(zhongshan, admin_user, tmp_path):
    from openpyxl import Workbook

    rows = _zhongshan_rows(1)
    header = rows[0]
    row = list(rows[1])
    row[header.index("area_code")] = 442000  # a division code, numeric in Excel, still right
    workbook = Workbook()
    workbook.active.append(header)
    workbook.active.append(row)
    path = tmp_path / "items.xlsx"
    workbook.save(path)
    assert _run(admin_user, path, "gd_zhongshan").counts == {"create": 1}


# --- profiles that catch their own mistakes -----------------------------------------------------------------------


def _profile_text(**replace: str) -> dict:
    import tomllib

    text = PROFILE.read_text(encoding="utf-8")
    for old, new in replace.items():
        text = text.replace(old.replace("_SP_", " "), new)
    return tomllib.loads(text)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("type_scheme_SP_=", "type_shceme =", "未知的键“general.type_shceme”，是否应为“type_scheme”？"),
        ("header_row", "header_row", ""),
        ("main_name_SP_=", "main_nmae =", "未知的键“general.tree.main_nmae”，是否应为“main_name”？"),
        ("[source]\nformat", "[source]\nfromat", "未知的键“source.fromat”，是否应为“format”？"),
        ("pattern = '^(\\d{6})'", "patern = '^(\\d{6})'", "未知的键“division.patern”，是否应为“pattern”？"),
        ('name = "dept_name"', 'nmae = "dept_name"', "缺少“department.name”；找到的是“nmae”"),
        ('[local]\ncode = "task_code"', '[local]\ncodes = "task_code"', "缺少“local.code”；找到的是“codes”"),
        ('type_scheme_SP_= "guangdong"', 'type_scheme = "zhejiang"', "type_scheme 应为 national / guangdong 之一"),
    ],
)
def test_profile_mistakes_are_refused_naming_the_nearest_key(old, new, message):
    data = _profile_text(**{old: new})
    if not message:
        assert parse_profile(data, name="gd").type_scheme == "guangdong"
        return
    with pytest.raises(ProfileError) as exc:
        parse_profile(data, name="gd")
    assert message in str(exc.value)


def test_an_unknown_top_level_table_is_refused():
    data = _profile_text()
    data["gneral"] = {}
    with pytest.raises(ProfileError, match="未知的键“gneral”，是否应为“general”？"):
        parse_profile(data, name="gd")


def test_a_profile_names_a_scheme_or_maps_codes_itself_not_both():
    data = _profile_text()
    data["general"]["types"] = {"20": "10"}
    with pytest.raises(ProfileError, match="只能写一个"):
        parse_profile(data, name="gd")
    del data["general"]["types"], data["general"]["type_scheme"]
    with pytest.raises(ProfileError, match=r"缺少 general.type_scheme 或 \[general.types\]"):
        parse_profile(data, name="gd")


def test_import_with_an_unknown_key_reads_no_row(zhongshan, admin_user, tmp_path):
    path = tmp_path / "typo.toml"
    path.write_text(PROFILE.read_text(encoding="utf-8").replace("sub_name", "subname"), encoding="utf-8")
    with pytest.raises(ProfileError, match="是否应为“sub_name”"):
        catalogue_import(actor=admin_user, path=ZHONGSHAN, profile=load_profile(path))


def test_an_over_long_local_name_is_a_rejected_row_not_a_database_error(people, geo):
    """A name the column cannot hold is told at its row, and the other rows still come in."""
    import csv
    import io
    import tempfile
    from pathlib import Path

    from catalogue.imports import catalogue_import, load_profile
    from catalogue.models import LocalItem
    from tests.catalogue.test_import import ZHONGSHAN
    from tests.factories import division

    division("442000", "中山市", "city", geo["gd"])
    rows = list(csv.DictReader(ZHONGSHAN.open(encoding="utf-8")))
    rows[5]["task_name"] = "很长的名称" * 50
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "long.csv"
        path.write_text(text.getvalue(), encoding="utf-8")
        report = catalogue_import(actor=people["province"], path=path, profile=load_profile("gd_zhongshan"))
    assert [r.row for r in report.rejections] == [7]
    assert "超过 200 个字" in str(report.rejections[0].reason)
    assert LocalItem.objects.filter(division_id="442000").count() == 39
