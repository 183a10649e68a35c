"""A real guide export (Guangxi's 事项库 interface, standards/fixtures/guides_gx_audit_item.json) imported the way a
provincial establishment office does it: string materials, ``N(工作日)`` limits, one over-long field and one unknown
item in the same file — every good guide comes in, the others are reported per guide and field."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from standards.models import ItemStandard, StandardState

FIXTURE = Path(__file__).resolve().parents[2] / "standards" / "fixtures" / "guides_gx_audit_item.json"
UNKNOWN = "1145072100811537184452004020999"


def real_record() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))[0]


def item_of(record: dict) -> dict:
    return record["CUSTOM"]["AUDIT_ITEM"][0]


@pytest.fixture
def export(tmp_path, local_items):
    """Four guides: the real record as exported; the same with a Guangdong-style ``20(工作日)`` limit, ``即办`` and
    its materials as plain names; one with a consult phone longer than the field takes; one for an unknown item."""
    real = real_record()
    item_of(real)["task_code"] = local_items["qc"].code
    strings = copy.deepcopy(real)
    item_of(strings).update(task_code=local_items["qc_sub"].code, anticipate_day="20(工作日)", promise_day="即办")
    strings["CUSTOM"]["AUDIT_MATERIAL"] = ["由相应工程咨询资格的机构编制的可行性研究报告", "项目建议书批复文件"]
    too_long = copy.deepcopy(real)
    item_of(too_long).update(task_code=local_items["qx"].code, link_way="0777—6428820；" * 12)
    unknown = copy.deepcopy(real)
    item_of(unknown)["task_code"] = UNKNOWN
    path = tmp_path / "gx.json"
    path.write_text(json.dumps([real, strings, too_long, unknown], ensure_ascii=False), encoding="utf-8")
    return path


def test_every_good_guide_is_imported_and_the_others_reported_per_field(export, local_items, people, orgs, capsys):
    with pytest.raises(CommandError, match="有错误的指南未导入"):
        call_command("import_guides", str(export), "--profile", "gx_audit_item", "--user", "province")
    out = capsys.readouterr().out
    assert "第3条指南 “CUSTOM.AUDIT_ITEM.0.link_way”列" in out  # the guide and the field of the over-long phone
    assert f"{UNKNOWN} 第4条指南：事项编码“{UNKNOWN}”不存在" in out
    assert "2 个有修改，2 个有错误未导入" in out

    real = ItemStandard.objects.get(local_item=local_items["qc"])
    assert (real.guide.legal_limit, real.guide.legal_limit_unit) == (20, "working_day")
    assert (real.guide.promised_limit, real.guide.promised_limit_unit) == (5, "working_day")
    assert real.guide.address.endswith("工程建设项目综合窗口（县卫生监督所一楼）")
    assert [(m.name, m.material_type, m.necessity) for m in real.materials.order_by("position")] == [
        ("由相应工程咨询资格的机构编制的可行性研究报告", "original", "required"),
        ("由相应工程咨询资格的机构出具的评估报告或行业主管部门审查意见", "original", "required"),
        (
            "项目可行性研究报告审批的申请项目所在地县级以上人民政府出具的社会稳定风险评估意见（详见备注）",
            "copy",
            "optional",
        ),
    ]
    strings = ItemStandard.objects.get(local_item=local_items["qc_sub"])
    assert (strings.guide.legal_limit, strings.guide.legal_limit_unit) == (20, "working_day")
    assert (strings.guide.promised_limit, strings.guide.promised_limit_unit) == (None, "instant")
    assert [(m.name, m.necessity, m.source_channel) for m in strings.materials.order_by("position")] == [
        ("由相应工程咨询资格的机构编制的可行性研究报告", "required", "applicant"),
        ("项目建议书批复文件", "required", "applicant"),
    ]
    assert not ItemStandard.objects.filter(local_item=local_items["qx"]).exists()  # nothing half-saved

    # Recorded for the department, which still confirms the draft through the workflow.
    assert (real.imported_by, real.imported_for, real.state) == (people["province"], orgs["edu"], StandardState.DRAFT)


def test_all_or_nothing_saves_nothing_when_one_guide_is_bad(export, local_items, capsys):
    with pytest.raises(CommandError, match="未保存任何内容"):
        call_command(
            "import_guides", str(export), "--profile", "gx_audit_item", "--user", "province", "--all-or-nothing"
        )
    assert not ItemStandard.objects.filter(local_item__in=local_items.values()).exists()


def test_a_second_import_of_the_same_file_changes_nothing(export, local_items, capsys):
    with pytest.raises(CommandError):
        call_command("import_guides", str(export), "--profile", "gx_audit_item", "--user", "province")
    capsys.readouterr()
    with pytest.raises(CommandError):
        call_command("import_guides", str(export), "--profile", "gx_audit_item", "--user", "province")
    assert "0 个有修改，2 个有错误未导入" in capsys.readouterr().out
    standard = ItemStandard.objects.get(local_item=local_items["qc"])
    assert standard.revision == 2  # created, saved once: the second run wrote nothing


@pytest.mark.parametrize(
    ("user", "imported", "refused"),
    [
        ("compliance", {"qc", "qc_sub"}, {"qx"}),  # 清城区编办: its county only
        ("qx_compliance", {"qx"}, {"qc", "qc_sub"}),
        ("clerk", {"qc", "qc_sub"}, {"qx"}),  # the department's own clerk, as before
        ("supervisor", set(), {"qc", "qc_sub", "qx"}),  # a supervisor of the city's office imports nothing
    ],
)
def test_who_may_import_guides(tmp_path, local_items, user, imported, refused, capsys):
    guides = []
    for key in ("qc", "qc_sub", "qx"):
        record = real_record()
        item_of(record)["task_code"] = local_items[key].code
        guides.append(record)
    path = tmp_path / "three.json"
    path.write_text(json.dumps(guides, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_guides", str(path), "--profile", "gx_audit_item", "--user", user)
    saved = {k for k in ("qc", "qc_sub", "qx") if ItemStandard.objects.filter(local_item=local_items[k]).exists()}
    assert saved == imported and not saved & refused


def test_the_page_imports_good_guides_unless_all_or_nothing_is_ticked(client, export, local_items, people):
    client.force_login(people["province"])
    content = export.read_bytes()
    url = reverse("standards:offline_upload")
    whole = client.post(
        url, {"file": SimpleUploadedFile("gx.json", content), "profile": "gx_audit_item", "all_or_nothing": "on"}
    )
    preview = client.get(whole["Location"])
    assert "全部事项均未保存" in preview.content.decode()
    token = whole["Location"].rstrip("/").split("/")[-1]
    assert client.post(reverse("standards:offline_apply", args=[token])).status_code == 400
    assert not ItemStandard.objects.filter(local_item__in=local_items.values()).exists()

    one_by_one = client.post(url, {"file": SimpleUploadedFile("gx.json", content), "profile": "gx_audit_item"})
    page = client.get(one_by_one["Location"]).content.decode()
    assert "所在的指南不会导入" in page and "确认保存" in page
    token = one_by_one["Location"].rstrip("/").split("/")[-1]
    assert client.post(reverse("standards:offline_apply", args=[token])).status_code == 200
    standard = ItemStandard.objects.get(local_item=local_items["qc"])
    assert not ItemStandard.objects.filter(local_item=local_items["qx"]).exists()
    detail = client.get(reverse("standards:detail", args=[standard.pk])).content.decode()
    assert "为清城区教育局导入的指南" in detail
    client.force_login(people["clerk"])  # the department edits and submits the draft itself
    editor = client.get(reverse("standards:edit", args=[standard.pk])).content.decode()
    assert "为清城区教育局导入的指南" in editor


def test_the_page_refuses_guides_to_whom_may_import_none(client, export, people):
    client.force_login(people["supervisor"])
    upload = SimpleUploadedFile("gx.json", export.read_bytes())
    response = client.post(reverse("standards:offline_upload"), {"file": upload, "profile": "gx_audit_item"})
    assert response.status_code == 403
    assert "您没有可导入办事指南的事项" in response.content.decode()
