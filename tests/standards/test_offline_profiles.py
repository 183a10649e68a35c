"""Guide profiles read real formatting through one rule type (pattern with named groups, default, value maps, lists of
plain strings), and catch their own mistakes: an unknown key names the nearest known one, a missing key says what
was found instead, and every mistake of a file is reported at once."""

from __future__ import annotations

import json
import tomllib

import pytest
from django.utils import translation

from catalogue.imports.profiles import ProfileError
from standards.offline.guide_profiles import guide_profile_names, load_guide_profile, parse_guide_profile, read_guides

UNITS = '{ unit = { "工作日" = "working_day", "即办" = "instant" } }'
LIMIT = r"(?P<value>\d*)\s*[(（]?(?P<unit>[^)）\d\s]*)"
PROFILE = f"""
[source]
item_code = "code"

[guide]
legal_limit = {{ key = "limit", pattern = '{LIMIT}', map = {UNITS} }}
legal_limit_unit = {{ key = "unitCode", map = {{ "1" = "working_day", "2" = "natural_day" }} }}
promised_limit = {{ key = "promise", pattern = '^(\\d+)' }}
is_charged = {{ key = "fee", map = {{ "0" = "否", "1" = "是" }}, default = "否" }}
office_hours = {{ key = "hours", default = "工作日9:00-17:00" }}

[rows.materials]
key = "materials"
from_strings = "name"
[rows.materials.fields]
name = "title"
necessity = {{ key = "need", map = {{ "1" = "required", "0" = "optional" }}, default = "required" }}
"""


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def parse(text: str, name: str = "t"):
    return parse_guide_profile(tomllib.loads(text), name=name)


def read(*guides: dict):
    return read_guides(json.dumps(list(guides)).encode(), profile=parse(PROFILE))


@pytest.mark.parametrize(
    ("limit", "unit_code", "expected"),
    [
        ("20(工作日)", None, ("20", "working_day")),
        ("20（工作日）", None, ("20", "working_day")),
        ("1 (工作日)", None, ("1", "working_day")),
        ("即办", None, ("", "instant")),
        (20, "2", ("20", "natural_day")),  # a bare number: the unit comes from its own column
        ("15", "1", ("15", "working_day")),
        ("20(工作日)", "2", ("20", "working_day")),  # the text's own unit wins over the code
    ],
)
def test_a_pattern_splits_value_and_unit(limit, unit_code, expected):
    guide = {"code": "A", "limit": limit}
    if unit_code:
        guide["unitCode"] = unit_code
    parsed = read(guide)
    assert parsed.errors == []
    values = parsed.items[0].guide
    assert (values["legal_limit"], values["legal_limit_unit"]) == expected


def test_a_text_the_pattern_does_not_match_is_an_error_at_its_guide_and_field():
    parsed = read({"code": "A", "promise": "五个工作日"}, {"code": "B", "promise": "5个工作日"})
    assert [str(e) for e in parsed.errors] == ["第1条指南 “promise”列：“五个工作日”不符合导入方案的格式（^(\\d+)）"]
    assert parsed.errors[0].item == "A"
    assert parsed.items[1].guide["promised_limit"] == "5"


def test_defaults_fill_absent_and_empty_values_and_maps_translate_codes():
    parsed = read({"code": "A", "fee": "1"}, {"code": "B", "fee": "", "hours": ""}, {"code": "C", "hours": "全天"})
    assert [(i.guide["is_charged"], i.guide["office_hours"]) for i in parsed.items] == [
        (True, "工作日9:00-17:00"),
        (False, "工作日9:00-17:00"),
        (False, "全天"),
    ]


def test_materials_as_plain_strings_or_objects():
    parsed = read({"code": "A", "materials": ["身份证", {"title": "申请书", "need": "0"}, "  营业执照 "]})
    assert parsed.errors == []
    assert [r.values for r in parsed.items[0].rows["materials"]] == [
        {"necessity": "required", "name": "身份证"},
        {"name": "申请书", "necessity": "optional"},
        {"necessity": "required", "name": "营业执照"},
    ]


def test_a_material_that_is_neither_text_nor_object_is_reported():
    parsed = read({"code": "A", "materials": [["嵌套", "列表"], None]})
    assert [str(e) for e in parsed.errors] == [
        "第1条指南 · 申请材料 第1行 “materials”列：应为一段文字或一个对象（键值表）",
        "第1条指南 · 申请材料 第2行 “materials”列：应为一段文字或一个对象（键值表）",
    ]


@pytest.mark.parametrize(
    ("text", "messages"),
    [
        ('[sorce]\nitem_code = "c"\n', ["未知的键“sorce”，是否应为“source”？", "缺少“source.item_code”"]),
        ('[source]\nitemcode = "c"\n', ["缺少“source.item_code”；找到的是“itemcode”，是否拼写有误？"]),
        (
            '[source]\nitem_code = "c"\n[guide]\nlegal_limit = { key = "x", patern = "(\\\\d+)" }\n',
            ["未知的键“guide.legal_limit.patern”，是否应为“pattern”？"],
        ),
        (
            '[source]\nitem_code = "c"\n[guide]\nlegal_limt = "x"\n',
            ["未知的键“guide.legal_limt”，是否应为“legal_limit”？"],
        ),
        (
            '[source]\nitem_code = "c"\n[guide]\nlegal_limit = { pattern = "(\\\\d+)" }\n',
            ["缺少“guide.legal_limit.key”"],
        ),
        (
            '[source]\nitem_code = "c"\n[rows.materials]\nkye = "m"\n',
            ["未知的键“rows.materials.kye”，是否应为“key”？", "缺少“rows.materials.key”；找到的是“kye”"],
        ),
        ('[source]\nitem_code = "c"\n[rows.materials]\nkey = "m"\nfrom_strings = "nmae"\n', ["是否应为“name”？"]),
        ('[source]\nitem_code = "c"\n[rows.materils]\nkey = "m"\n', ["未知的键“rows.materils”，是否应为“materials”？"]),
        (
            '[source]\nitem_code = "c"\n[guide]\nitem_name = { key = "n", pattern = "(?P<value>.+)(?P<kind>x)" }\n',
            ["分组“kind”应填入字段“item_name_kind”，但没有这个字段"],
        ),
        (
            '[source]\nitem_code = "c"\n[guide]\n'
            'legal_limit = { key = "n", pattern = "(\\\\d+)", map = { unit = { a = "b" } } }\n',
            ["“guide.legal_limit.map.unit”应为 pattern 中同名分组的取值表"],
        ),
        ('[source]\nitem_code = "c"\n[guide]\nlegal_limit = { key = "n", pattern = "(" }\n', ["正则表达式有误"]),
    ],
)
def test_profile_mistakes_name_the_key_and_the_nearest_known(text, messages):
    with pytest.raises(ProfileError) as caught:
        parse(text, "mine")
    message = str(caught.value)
    assert message.startswith("指南导入方案“mine”：")
    for expected in messages:
        assert expected in message


def test_every_mistake_of_a_profile_is_reported_together():
    text = '[source]\nitem_cod = "c"\n[guide]\nscop = "x"\n[rows.faqs]\nkey = "q"\nmatch_on = "a"\n'
    with pytest.raises(ProfileError) as caught:
        parse(text)
    message = str(caught.value)
    assert "item_cod" in message and "“guide.scop”，是否应为“scope”" in message and "match_on" in message


@pytest.mark.parametrize("name", guide_profile_names())
def test_every_shipped_profile_loads(name):
    assert load_guide_profile(name).item_code is not None


def test_hostile_values_are_errors_at_their_field_never_a_crash():
    parsed = read(
        {"code": "A", "limit": {"days": 3}, "materials": "身份证"},
        {"code": "B", "limit": "2" * 400, "fee": ["1"], "materials": [{"title": {"x": 1}}, 7]},
        {"code": {"nested": 1}},
        {"code": "\x00", "hours": "\ud800"},
    )
    shown = [str(e) for e in parsed.errors]
    assert "第1条指南 “limit”列：应为单个值，实为一组键值" in shown
    assert "第1条指南 · 申请材料 “materials”列：应为列表" in shown
    assert "第2条指南 · 申请材料 第1行 “title”列：应为单个值，实为一组键值" in shown
    assert "第3条指南 “code”列：事项实施编码应为一段不含控制字符的文字（至多64个字符）" in shown
    assert "第4条指南 “code”列：事项实施编码应为一段不含控制字符的文字（至多64个字符）" in shown
    assert [i.code for i in parsed.items] == ["A", "B"]
    assert parsed.items[1].rows["materials"][-1].values["name"] == "7"  # a number among names is a name
