"""An item list whose profile carries a ``[guide]`` table fills the catalogue and the guide drafts from one file: the
catalogue import first (it knows nothing of guides), then ``import_item_guides`` over the same file."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from catalogue.imports import catalogue_import
from catalogue.imports.profiles import ProfileError, load_profile, parse_profile
from catalogue.models import LocalItem
from standards.models import ItemStandard
from standards.offline.item_guides import guide_rules
from tests.factories import division

ROOT = Path(__file__).resolve().parents[2]
ZHONGSHAN = ROOT / "catalogue" / "fixtures" / "data" / "items_gd_zhongshan_442000.csv"
FIRST = "1144200032477691303440102001001"  # 中外合作开办学前教育机构审批, 1 (工作日)


@pytest.fixture
def zhongshan_items(geo, people):
    division("442000", "中山市", "city", geo["gd"])
    report = catalogue_import(actor=people["province"], path=ZHONGSHAN, profile=load_profile("gd_zhongshan"))
    assert report.rejections == [] and report.saved
    return LocalItem.objects.filter(division_id="442000")


def test_the_zhongshan_list_fills_the_guide_drafts_end_to_end(zhongshan_items, people, capsys):
    call_command("import_item_guides", str(ZHONGSHAN), "--profile", "gd_zhongshan", "--user", "province")
    assert "已保存 40 个事项" in capsys.readouterr().out
    assert ItemStandard.objects.filter(local_item__in=zhongshan_items).count() == 40
    guide = ItemStandard.objects.get(local_item__code=FIRST).guide
    assert (guide.promised_limit, guide.promised_limit_unit) == (1, "working_day")
    assert guide.address == "中山市东区博爱六路22号市行政服务中心C区C10、C11、C12窗口"  # the label cut off
    assert guide.service_objects == ["1", "2", "4"]  # 自然人|企业法人|社会组织法人
    assert (guide.consult_phone, guide.complain_phone) == ("0760-89817133", "0760-12345")
    assert guide.acceptance_conditions.startswith("1.国家机构以外的社会组织或者个人")
    standard = guide.standard
    assert (standard.imported_by, standard.imported_for) == (people["province"], standard.local_item.organization)

    # The same file again changes nothing.
    call_command("import_item_guides", str(ZHONGSHAN), "--profile", "gd_zhongshan", "--user", "province")
    assert "0 个有修改" in capsys.readouterr().out
    assert ItemStandard.objects.get(pk=standard.pk).revision == standard.revision


def test_a_department_clerk_imports_none_of_another_bodys_items(zhongshan_items, capsys):
    with pytest.raises(CommandError, match="有错误的指南未导入"):
        call_command("import_item_guides", str(ZHONGSHAN), "--profile", "gd_zhongshan", "--user", "clerk")
    assert "不存在或不在您的权限范围内" in capsys.readouterr().out
    assert not ItemStandard.objects.filter(local_item__in=zhongshan_items).exists()


def test_the_catalogue_keeps_the_guide_table_as_data_and_the_standards_check_it():
    profile = load_profile("gd_zhongshan")
    assert profile.guide["consult_phone"] == "consult_phone"
    assert set(guide_rules(profile)) >= {"promised_limit", "address", "service_objects"}
    data = tomllib.loads((ROOT / "catalogue" / "import_profiles" / "gd_zhongshan.toml").read_text(encoding="utf-8"))
    data["guide"] = {"consult_phon": "consult_phone"}
    with pytest.raises(ProfileError, match=r"未知的键“guide\.consult_phon”，是否应为“consult_phone”"):
        guide_rules(parse_profile(data, name="typo"))
    data.pop("guide")
    with pytest.raises(ProfileError, match="没有 \\[guide\\] 表"):
        guide_rules(parse_profile(data, name="none"))


def test_one_import_in_the_browser_fills_the_catalogue_and_the_guide_drafts(client, geo, people):
    """The web import applies the profile's [guide] table in the same run and shows what it did on its page."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from catalogue.models import CatalogueImport, ImportState

    division("442000", "中山市", "city", geo["gd"])
    client.force_login(people["province"])
    upload = SimpleUploadedFile(ZHONGSHAN.name, ZHONGSHAN.read_bytes())
    client.post(reverse("catalogue:import_list"), {"file": upload, "profile": "gd_zhongshan", "division": ""})
    record = CatalogueImport.objects.get()
    assert not ItemStandard.objects.exists()  # the preview fills nothing
    response = client.post(reverse("catalogue:import_confirm", args=[record.pk]), {})
    record.refresh_from_db()
    assert record.state == ImportState.IMPORTED and record.counts["create"] == 40
    assert ItemStandard.objects.filter(local_item__division_id="442000").count() == 40
    guide = ItemStandard.objects.get(local_item__code=FIRST).guide
    assert (guide.promised_limit, guide.promised_limit_unit) == (1, "working_day")
    page = client.get(response.url).content.decode()
    assert "指南草稿：40 个事项已保存，0 个事项有错误未保存" in page


def test_import_catalogue_fills_the_guide_drafts_in_the_same_run(geo, people, capsys):
    division("442000", "中山市", "city", geo["gd"])
    call_command("import_catalogue", str(ZHONGSHAN), "--profile", "gd_zhongshan", "--user", "province")
    assert "指南草稿：40 个事项已保存" in capsys.readouterr().out
    assert ItemStandard.objects.filter(local_item__division_id="442000").count() == 40


def test_a_clerk_without_guide_rights_gets_the_catalogue_and_is_told_why_no_draft(geo, people, capsys, monkeypatch):
    """The catalogue part is saved; the guide part reports each item it may not fill, and nothing half-saved."""
    from standards import receivers

    division("442000", "中山市", "city", geo["gd"])
    monkeypatch.setattr(receivers, "ERRORS_SHOWN", 2)
    report = catalogue_import(actor=people["province"], path=ZHONGSHAN, profile=load_profile("gd_zhongshan"))
    messages = receivers.fill_guide_drafts(
        None, actor=people["clerk"], path=ZHONGSHAN, profile=load_profile("gd_zhongshan"), file_name="x.csv"
    )
    assert report.saved and LocalItem.objects.filter(division_id="442000").count() == 40
    assert str(messages[0]) == "指南草稿：0 个事项已保存，40 个事项有错误未保存"
    assert len(messages) == 4 and "另有" in messages[-1]
    assert not ItemStandard.objects.exists()


def test_rows_the_catalogue_import_rejected_fill_no_draft(geo, people, capsys, tmp_path):
    """Only the rows the import accepted are filled from: a rejected row gets no draft and no second error."""
    import csv
    import io

    division("442000", "中山市", "city", geo["gd"])
    rows = list(csv.DictReader(ZHONGSHAN.open(encoding="utf-8")))
    rejected_code = rows[5]["task_code"]
    rows[5]["task_name"] = "很长的名称" * 50
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / "list.csv"
    path.write_text(text.getvalue(), encoding="utf-8")
    call_command("import_catalogue", str(path), "--profile", "gd_zhongshan", "--user", "province")
    out = capsys.readouterr().out
    assert "指南草稿：39 个事项已保存，0 个事项有错误未保存" in out and "不存在" not in out
    assert ItemStandard.objects.filter(local_item__division_id="442000").count() == 39
    assert not LocalItem.objects.filter(code=rejected_code).exists()
