"""Guides exported by other systems as JSON, imported through a profile: the shipped example, a made-up format that
needs only a new profile, and the bad input each gets a message for."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from standards.models import ItemStandard
from tests.standards.offline_helpers import snapshot

FIXTURE = Path(__file__).resolve().parents[2] / "standards" / "fixtures" / "guides_zwfw_example.json"

# A format the portal has never seen: a top-level list, other key names, codes of its own for units and kinds.
MADE_UP_PROFILE = """
title = "某市一网通办导出"
[source]
guides = ""
item_code = "meta.itemNo"

[guide]
scope = "applyScope"
promised_limit = "promise"
promised_limit_unit = { key = "promiseUnit", map = { "WD" = "working_day", "CD" = "natural_day" } }
legal_limit = "legal"
legal_limit_unit = { value = "working_day" }
delivery_methods = { key = "delivery", map = { "W" = "window", "P" = "post" } }
has_intermediary = "agency"

[manual]
staff_requirements = "staff"

[rows.faqs]
key = "qa"
match_on = "question"
[rows.faqs.fields]
question = "q"
answer = "a"
"""


def made_up_guides(code: str) -> list:
    return [
        {
            "meta": {"itemNo": code},
            "applyScope": "本区内的中小学校。",
            "promise": 8,
            "promiseUnit": "WD",
            "legal": 20,
            "delivery": ["W", "P"],
            "agency": "否",
            "staff": "持证审查人员2名。",
            "qa": [
                {"q": "可以委托他人办理吗？", "a": "可以，须提交授权委托书和受托人身份证。"},
                {"q": "多久可以拿到结果？", "a": "受理后8个工作日内。"},
            ],
        }
    ]


@pytest.fixture
def made_up(tmp_path, standard):
    profile = tmp_path / "made_up.toml"
    profile.write_text(MADE_UP_PROFILE, encoding="utf-8")
    data = tmp_path / "guides.json"
    data.write_text(json.dumps(made_up_guides(standard.local_item.code), ensure_ascii=False), encoding="utf-8")
    return profile, data


def test_a_made_up_format_imports_through_a_new_profile_only(made_up, standard, people):
    profile, data = made_up
    before = snapshot(standard)
    faq_uid = standard.faqs.get().uid
    call_command("import_guides", str(data), "--profile", str(profile), "--user", "clerk", "--dry-run")
    assert snapshot(standard) == before
    call_command("import_guides", str(data), "--profile", str(profile), "--user", "clerk")
    after = snapshot(standard)
    assert after["guide"] == before["guide"] | {
        "scope": "本区内的中小学校。",
        "promised_limit": 8,
        "delivery_methods": ["window", "post"],
    }
    assert after["manual"] == before["manual"] | {"staff_requirements": "持证审查人员2名。"}
    faqs = standard.faqs.order_by("position")
    assert [f.question for f in faqs] == ["可以委托他人办理吗？", "多久可以拿到结果？"]
    assert faqs[0].uid == faq_uid  # matched by question: edited, not removed and re-added
    assert faqs[0].answer.startswith("可以，须提交授权委托书和受托人")
    for kind in ("Material", "ProcessStep", "Citation", "ManualStep"):
        assert after[kind] == before[kind]
    assert standard.guide.history.first().history_user == people["clerk"]
    # Importing the same file again changes nothing.
    call_command("import_guides", str(data), "--profile", str(profile), "--user", "clerk")
    assert snapshot(standard) == after


def test_the_shipped_example_imports_and_starts_a_first_draft(tmp_path, local_items):
    document = json.loads(FIXTURE.read_text(encoding="utf-8"))
    document["data"]["guides"][0]["implementCode"] = local_items["qc_sub"].code
    del document["data"]["guides"][1]
    path = tmp_path / "zwfw.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    call_command("import_guides", str(path), "--profile", "zwfw_json", "--user", "clerk")
    draft = ItemStandard.objects.get(local_item=local_items["qc_sub"])
    assert draft.guide.promised_limit == 10 and draft.guide.legal_limit_unit == "working_day"
    assert draft.guide.acceptance_conditions.count("\n") == 1
    assert [(m.name, m.material_type, m.necessity) for m in draft.materials.all()] == [
        ("特别资助申请表", "original", "required"),
        ("学生证", "copy", "required"),
    ]
    assert [(s.name, s.duration) for s in draft.steps.all()] == [("受理", 2), ("审核", 5), ("决定", 3)]


def test_all_or_nothing_reports_bad_values_and_unknown_items_and_saves_nothing(tmp_path, made_up, standard, capsys):
    profile, _data = made_up
    guides = made_up_guides(standard.local_item.code)
    guides[0]["promise"] = "八天"
    guides[0]["promiseUnit"] = "XX"
    guides[0]["qa"][1] = {"q": "", "a": "没有问题的回答"}
    guides.append({"meta": {"itemNo": "NOPE-1"}, "applyScope": "x"})
    guides.append({"meta": {}})
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(guides, ensure_ascii=False), encoding="utf-8")
    before = snapshot(standard)
    with pytest.raises(CommandError, match="未保存任何内容"):
        call_command("import_guides", str(path), "--profile", str(profile), "--user", "clerk", "--all-or-nothing")
    out = capsys.readouterr().out
    assert "第1条指南 “promise”列：应为不小于 0 的整数，实为“八天”" in out
    assert "第1条指南 “promiseUnit”列：“XX”不是可选值" in out
    assert "第1条指南 · 常见问题 第2行 “问题”列" in out
    assert "事项编码“NOPE-1”不存在或不在您的权限范围内" in out
    assert "第3条指南 “meta.itemNo”列：缺少事项实施编码" in out
    assert snapshot(standard) == before


def test_a_row_that_is_not_an_object_is_reported_not_matched(tmp_path, made_up, standard, capsys):
    profile, _data = made_up
    guides = made_up_guides(standard.local_item.code)
    guides[0]["qa"].append("这一行不是键值表")
    path = tmp_path / "rows.json"
    path.write_text(json.dumps(guides, ensure_ascii=False), encoding="utf-8")
    before = snapshot(standard)
    with pytest.raises(CommandError, match="未导入"):
        call_command("import_guides", str(path), "--profile", str(profile), "--user", "clerk")
    assert "第1条指南 · 常见问题 第3行 “qa”列：应为一个对象（键值表）" in capsys.readouterr().out
    assert snapshot(standard) == before


def test_more_guides_than_one_upload_takes_are_refused(tmp_path, made_up, standard, capsys):
    from standards.offline.inputs import MAX_ITEMS

    profile, _data = made_up
    guides = [{"meta": {"itemNo": f"X-{n}"}} for n in range(MAX_ITEMS + 1)]
    path = tmp_path / "many.json"
    path.write_text(json.dumps(guides), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_guides", str(path), "--profile", str(profile), "--user", "clerk")
    assert f"一次最多导入 {MAX_ITEMS} 条指南" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "不是有效的 JSON"),
        ("[]".encode("utf-16"), "不是 UTF-8"),
        (b'{"data": 1}', "找不到指南列表"),
    ],
)
def test_files_that_are_not_guides(tmp_path, made_up, standard, capsys, content, message):
    profile, _data = made_up
    path = tmp_path / "x.json"
    path.write_bytes(content)
    with pytest.raises(CommandError):
        call_command("import_guides", str(path), "--profile", str(profile), "--user", "clerk")
    assert message in capsys.readouterr().out


@pytest.mark.parametrize(
    ("profile", "message"),
    [
        ('[source]\nitem_code = "c"\n[guide]\nflavour = "x"\n', "未知的键“guide.flavour”"),
        ('[guide]\nscope = "x"\n', "缺少“source.item_code”"),
        ('[source]\nitem_code = "c"\n[rows.gifts]\nkey = "g"\n', "未知的键“rows.gifts”"),
        (
            '[source]\nitem_code = "c"\n[rows.faqs]\nkey = "q"\nmatch_on = "a"\n[rows.faqs.fields]\nquestion = "q"\n',
            "match_on",
        ),
        ("not = toml = at all", "不是有效的 TOML"),
    ],
)
def test_a_wrong_profile_is_reported_before_anything_is_read(tmp_path, standard, profile, message):
    path = tmp_path / "wrong.toml"
    path.write_text(profile, encoding="utf-8")
    with pytest.raises(CommandError, match=message.replace("[", r"\[").replace("]", r"\]")):
        call_command("import_guides", str(tmp_path / "missing.json"), "--profile", str(path), "--user", "clerk")


def test_guides_upload_in_the_browser_with_a_shipped_profile(client, people, local_items):
    client.force_login(people["clerk"])
    document = json.loads(FIXTURE.read_text(encoding="utf-8"))
    document["data"]["guides"][0]["implementCode"] = local_items["qc_sub"].code
    del document["data"]["guides"][1]
    upload = SimpleUploadedFile("zwfw.json", json.dumps(document, ensure_ascii=False).encode())
    response = client.post(reverse("standards:offline_upload"), {"file": upload, "profile": "zwfw_json"})
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert preview.status_code == 200 and "特别资助申请表" in preview.content.decode()
    assert not ItemStandard.objects.filter(local_item=local_items["qc_sub"]).exists()
    token = response["Location"].rstrip("/").split("/")[-1]
    assert client.post(reverse("standards:offline_apply", args=[token])).status_code == 200
    assert ItemStandard.objects.get(local_item=local_items["qc_sub"]).materials.count() == 2
