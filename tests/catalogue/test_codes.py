"""Codes of the catalogue (``catalogue/codes.py``): unified social credit codes (GB 32100), organization codes
(GB 11714), general-catalogue codes and implementation codes, checked against real codes from the shipped data."""

from __future__ import annotations

import csv
import itertools

import pytest

from catalogue.codes import (
    USCC_ALPHABET,
    CodeError,
    GeneralCode,
    implementation_code,
    make_uscc,
    org_code_check_char,
    parse_general_code,
    parse_implementation_code,
    uscc_check_char,
    validate_uscc,
)
from catalogue.services.divisions import DATA_DIR

# Real credit codes: 中山市教育和体育局, 中山市市场监管 (Zhongshan file), 广安区 departments (Sichuan file), and the
# issue's example of a province department.
REAL_USCC = [
    "114420003247769130",
    "11442000007332665G",
    "11511301008778183N",
    "11440000006939756B",
    "115113010833722043",
    "11511301008778386B",
    "1151130100877844X4",  # organization code with check character X
    "11511301MB051073XA",  # letters in the organization code
]


def _zhongshan_rows() -> list[dict]:
    with (DATA_DIR / "items_gd_zhongshan_442000.csv").open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


# --- unified social credit code ----------------------------------------------------------------------------------


@pytest.mark.parametrize("code", REAL_USCC)
def test_real_credit_codes_validate(code):
    assert validate_uscc(code) == code
    assert uscc_check_char(code[:17]) == code[17]


def test_validation_normalises_case_and_whitespace():
    # The Sichuan file has 11511301452259996u with a lower-case check character.
    assert validate_uscc(" 11511301452259996u ") == "11511301452259996U"
    assert validate_uscc("11511301mb051073xa") == "11511301MB051073XA"


@pytest.mark.parametrize(
    ("code", "length"),
    [
        ("1111111111111111", 16),  # the Sichuan file's bogus department code
        ("11442000007332665", 17),
        ("11442000007332665GG", 19),
        ("083372204", 9),  # a bare organization code is not a credit code
        ("", 0),
    ],
)
def test_wrong_length_is_refused_with_the_length(code, length):
    with pytest.raises(CodeError) as exc:
        validate_uscc(code)
    assert str(exc.value) == f"统一社会信用代码应为18位，当前为{length}位"


def test_none_is_refused_as_empty():
    with pytest.raises(CodeError, match="当前为0位"):
        validate_uscc(None)


@pytest.mark.parametrize("letter", list("IOZSV"))
@pytest.mark.parametrize("position", [0, 1, 10, 16, 17])
def test_forbidden_letters_are_refused(letter, position):
    good = "11442000007332665G"
    bad = good[:position] + letter + good[position + 1 :]
    with pytest.raises(CodeError) as exc:
        validate_uscc(bad)
    message = str(exc.value)
    assert "格式不正确" in message
    assert "I、O、Z、S、V" in message


@pytest.mark.parametrize("position", [2, 5, 7])
def test_division_part_must_be_digits(position):
    good = "11442000007332665G"
    bad = good[:position] + "A" + good[position + 1 :]
    with pytest.raises(CodeError, match="第3至8位应为行政区划代码"):
        validate_uscc(bad)


@pytest.mark.parametrize(
    ("code", "expected", "actual"),
    [
        ("11442000007332665H", "G", "H"),
        ("114420003247769131", "0", "1"),
        ("11440000006939756A", "B", "A"),
        ("TE5116020105116050", "7", "0"),  # a code from the Sichuan file that fails its check
    ],
)
def test_wrong_check_character_names_the_expected_one(code, expected, actual):
    with pytest.raises(CodeError) as exc:
        validate_uscc(code)
    assert str(exc.value) == f"统一社会信用代码校验位错误：应为“{expected}”，实为“{actual}”"


@pytest.mark.parametrize("code", REAL_USCC)
def test_every_single_character_change_is_caught(code):
    """The check character detects any substitution of one character by another of the alphabet."""
    for position, replacement in itertools.product(range(17), USCC_ALPHABET):
        if replacement == code[position]:
            continue
        changed = code[:position] + replacement + code[position + 1 :]
        with pytest.raises(CodeError):
            validate_uscc(changed)


def test_check_char_refuses_characters_outside_the_alphabet():
    with pytest.raises(CodeError, match="不允许的字符“O”"):
        uscc_check_char("1144200000O332665")
    with pytest.raises(ValueError):
        uscc_check_char("1144")  # fewer than 17 characters


def test_validation_errors_are_value_errors():
    # Forms and importers catch ValueError; CodeError must be one.
    assert issubclass(CodeError, ValueError)


# --- organization code and make_uscc -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "org9",
    ["324776913", "007332665", "008778183", "006939756", "083372204", "00877844X", "MB051073X"],
)
def test_organization_code_check_character_of_real_codes(org9):
    assert org_code_check_char(org9[:8]) == org9[8]


@pytest.mark.parametrize("division_code", ["441802", "440000", "500236", "442000", "441900003"])
@pytest.mark.parametrize("serial", [0, 1, 100, 12345678, 987654321])
def test_make_uscc_produces_valid_codes(division_code, serial):
    code = make_uscc(division_code=division_code, serial=serial)
    assert validate_uscc(code) == code
    assert code.startswith("11" + division_code[:6])
    org9 = code[8:17]
    assert org9[:8] == f"{serial:08d}"[-8:]
    assert org_code_check_char(org9[:8]) == org9[8]


def test_make_uscc_differs_by_serial_and_division():
    codes = {make_uscc(division_code=d, serial=s) for d in ("441802", "441803") for s in range(200)}
    assert len(codes) == 400


def test_make_uscc_other_registry_and_category():
    code = make_uscc(division_code="441802", serial=7, registry="5", category="2")
    assert code.startswith("52441802")
    assert validate_uscc(code) == code


# --- general-catalogue codes -------------------------------------------------------------------------------------


def test_parse_main_item_with_sub_items():
    parsed = parse_general_code("44010200100Y")
    assert parsed == GeneralCode("44", "01", "02", 1, None, None)
    assert str(parsed) == "44010200100Y"


def test_parse_sub_item():
    parsed = parse_general_code("440102001001")
    assert (parsed.province, parsed.item_type, parsed.sector, parsed.main, parsed.sub, parsed.handle) == (
        "44",
        "01",
        "02",
        1,
        1,
        None,
    )
    assert str(parsed) == "440102001001"


def test_parse_main_item_without_sub_items():
    parsed = parse_general_code("440101007000")
    assert (parsed.main, parsed.sub) == (7, 0)
    assert str(parsed) == "440101007000"


@pytest.mark.parametrize(
    ("code", "main", "sub", "handle"),
    [
        ("44010201600001", 16, 0, 1),  # handling item under a main item without sub items (Zhongshan)
        ("44010401200407", 12, 4, 7),  # handling item under a sub item
        ("44010401200599", 12, 5, 99),
    ],
)
def test_parse_handling_item(code, main, sub, handle):
    parsed = parse_general_code(code)
    assert (parsed.main, parsed.sub, parsed.handle) == (main, sub, handle)
    assert str(parsed) == code


def test_parse_normalises_lower_case_y():
    assert str(parse_general_code(" 44010200100y ")) == "44010200100Y"


@pytest.mark.parametrize(
    "code",
    [
        "",
        "4401020010",  # too short
        "4401020010011",  # 13 characters
        "440102001001011",  # 15 characters
        "44010200100X",  # only Y may end a main item's code
        "4401020010Y1",  # Y in the wrong place
        "4A0102001001",
        "44010200Y001",
    ],
)
def test_malformed_general_codes_are_refused(code):
    with pytest.raises(CodeError, match="通用目录编码应为12位"):
        parse_general_code(code)


@pytest.mark.parametrize("code", ["4401020010010A", "440102001Y0001", "44010200100Z01"])
def test_malformed_handling_codes_are_refused(code):
    with pytest.raises(CodeError, match="业务办理项编码应为12位通用目录编码加2位顺序号"):
        parse_general_code(code)


@pytest.mark.parametrize(
    "code",
    [
        GeneralCode("44", "01", "02", 1, None),
        GeneralCode("44", "20", "02", 999, 0),
        GeneralCode("50", "10", "99", 12, 345),
        GeneralCode("44", "01", "02", 16, 0, 1),
        GeneralCode("44", "01", "04", 12, 4, 7),
    ],
)
def test_general_code_round_trip(code):
    assert parse_general_code(str(code)) == code


# --- implementation codes ----------------------------------------------------------------------------------------


def test_implementation_code_issue_example():
    code = implementation_code(uscc="11440000006939756B", level="2", general_code="440101007000")
    assert code == "11440000006939756B2440101007000"
    assert len(code) == 31
    assert parse_implementation_code(code) == ("11440000006939756B", "2", "440101007000")


@pytest.mark.parametrize(
    ("level", "digit"), [("national", "1"), ("province", "2"), ("city", "3"), ("county", "4"), ("township", "5")]
)
def test_implementation_code_accepts_level_names(level, digit):
    code = implementation_code(uscc="114420003247769130", level=level, general_code="440102001001")
    assert code == f"114420003247769130{digit}440102001001"


def test_implementation_code_of_a_handling_item_has_33_characters():
    code = implementation_code(uscc="114420003247769130", level="3", general_code="44010201600001")
    assert code == "114420003247769130344010201600001"
    assert parse_implementation_code(code) == ("114420003247769130", "3", "44010201600001")


@pytest.mark.parametrize("level", ["0", "6", "village", ""])
def test_implementation_code_refuses_unknown_level(level):
    with pytest.raises(CodeError, match="未知的行使层级"):
        implementation_code(uscc="114420003247769130", level=level, general_code="440102001001")


def test_implementation_code_refuses_invalid_credit_code():
    with pytest.raises(CodeError, match="校验位错误"):
        implementation_code(uscc="114420003247769131", level="4", general_code="440102001001")


@pytest.mark.parametrize("general_code", ["", "4401020010", "44010200100X", "4401020010011"])
def test_implementation_code_refuses_invalid_general_code(general_code):
    # Whatever implementation_code builds, parse_implementation_code must accept.
    with pytest.raises(CodeError):
        implementation_code(uscc="114420003247769130", level="4", general_code=general_code)


def test_implementation_code_normalises_the_credit_code():
    code = implementation_code(uscc="11511301452259996u", level="4", general_code="440102001001")
    assert code.startswith("11511301452259996U4")


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("11440000006939756B244010100700", "实施编码应为31位（业务办理项33位），当前为30位"),
        ("11440000006939756B24401010070000", "当前为32位"),
        ("11440000006939756B6440101007000", "第19位应为层级代码1至5，实为“6”"),
        ("11440000006939756C2440101007000", "校验位错误"),
        ("11440000006939756B244010100700X", "通用目录编码应为12位"),
    ],
)
def test_parse_implementation_code_refuses_malformed(code, message):
    with pytest.raises(CodeError, match=message):
        parse_implementation_code(code)


def test_every_zhongshan_task_code_parses_and_matches_its_catalogue_entry():
    rows = _zhongshan_rows()
    assert len(rows) == 40
    handling = 0
    for row in rows:
        uscc, digit, general = parse_implementation_code(row["task_code"])
        assert digit == "3", row["task_code"]  # 中山 is a city without counties: every item is city level
        assert row["task_code"] == uscc + digit + general
        assert row["org_code"] in uscc
        parsed = parse_general_code(general)
        if len(general) == 14:
            handling += 1
            assert general[:12] == row["catalog_id"], row["task_code"]
            assert parsed.handle is not None
        else:
            assert general == row["catalog_id"], row["task_code"]
            assert parsed.handle is None
        # The parent catalogue entry is the main item: same main number, ends in Y when it has sub items.
        parent = parse_general_code(row["parent_catalog_id"])
        assert parent.main == parsed.main
        assert (parent.sub is None) == (parsed.sub != 0)
    assert handling > 0


# --- type schemes --------------------------------------------------------------------------------------------------


def test_the_guangdong_scheme_maps_20_and_21_and_leaves_the_rest():
    from catalogue.codes import NATIONAL_TYPES, TYPE_SCHEMES, scheme_for, scheme_type

    assert (scheme_type("20", "guangdong"), scheme_type("21", "guangdong")) == ("10", "20")
    assert scheme_type("10", "guangdong") is None and scheme_type("21", "national") is None
    assert all(scheme_type(t, "national") == t for t in NATIONAL_TYPES)
    assert {t: scheme_type(t, "guangdong") for t in ("01", "02", "09")} == {"01": "01", "02": "02", "09": "09"}
    assert set(TYPE_SCHEMES["guangdong"].values()) <= set(NATIONAL_TYPES)
    # The scheme an item's code agrees with: the preferred one when it does, else the first that does.
    assert scheme_for("20", "20") == "national" and scheme_for("20", "10") == "guangdong"
    assert scheme_for("21", "20") == "guangdong" and scheme_for("21", "10") is None
