"""The contact parser C06 reads phone fields with: every number written, what kind it is, and its problem once."""

from __future__ import annotations

import pytest

from standards.checks.contacts import Kind, parse_phones, same_line


def kinds(text: str) -> list[tuple[str, str, str]]:
    return [(phone.kind.value, phone.line, phone.extension) for phone in parse_phones(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # labels before numbers, several numbers separated by ； 、 ， / 或 and spaces
        (
            "省厅：020-83135000；广州：020-83135001",
            [("landline", "02083135000", ""), ("landline", "02083135001", "")],
        ),
        ("0760-89817133、0760-89817134", [("landline", "076089817133", ""), ("landline", "076089817134", "")]),
        ("0760-89817133/12345", [("landline", "076089817133", ""), ("hotline", "12345", "")]),
        ("12345或0763-3362001", [("hotline", "12345", ""), ("landline", "07633362001", "")]),
        ("0760-88888888 0760-99999999", [("landline", "076088888888", ""), ("landline", "076099999999", "")]),
        # notes in brackets (with 、 inside), clock times, a trailing 。, a numbering before the number
        ("0763-3362001（工作日9:00-17:30、节假日除外）。", [("landline", "07633362001", "")]),
        ("工作时间8点30分至17点 电话0760-88888888", [("landline", "076088888888", "")]),
        ("1：0760-89817133", [("landline", "076089817133", "")]),
        ("咨询电话（0760-89817133）", [("landline", "076089817133", "")]),
        # area codes with -, — or no separator, or in brackets
        ("0777—6428820", [("landline", "07776428820", "")]),
        ("07633362001", [("landline", "07633362001", "")]),
        ("０７６３－３３６２００１", [("landline", "07633362001", "")]),
        ("（0763）3362001", [("landline", "07633362001", "")]),
        ("0763 3362001", [("landline", "07633362001", "")]),
        # extensions and menu choices
        ("12366-2-4", [("hotline", "12366", "2-4")]),
        ("0763-3362001转8", [("landline", "07633362001", "8")]),
        ("0763-3362001 转 8001", [("landline", "07633362001", "8001")]),
        ("020-83135000-8", [("landline", "02083135000", "8")]),
        # mobiles, 400/800, short public hotlines with or without the city's area code
        ("138 0013 8000", [("mobile", "13800138000", "")]),
        ("400-888-1234", [("service", "4008881234", "")]),
        ("800-830-1234", [("service", "8008301234", "")]),
        ("12333", [("hotline", "12333", "")]),
        ("12315", [("hotline", "12315", "")]),
        ("96333", [("hotline", "96333", "")]),
        ("0763-12345", [("hotline", "12345", "")]),
        # what cannot be dialled from elsewhere
        ("3362001", [("local", "3362001", "")]),
        ("96888725", [("local", "96888725", "")]),
        ("0763-33", [("unreadable", "076333", "")]),
        ("电话待定", []),
    ],
)
def test_numbers_and_their_kinds(text, expected):
    assert kinds(text) == expected


def test_each_number_once_however_written():
    assert kinds("0763-3362001、07633362001；0763 3362001") == [("landline", "07633362001", "")]
    assert kinds("3362001、3362001") == [("local", "3362001", "")]


def test_problems():
    problems = {phone.text: phone.problem for phone in parse_phones("0763-3362001、13800138000、3362002、0763-33")}
    assert problems == {
        "0763-3362001": None,
        "13800138000": "mobile",
        "3362002": "no_area_code",
        "0763-33": "unreadable",
    }


def one(text: str):
    (phone,) = parse_phones(text)
    return phone


def test_the_same_line_whatever_the_extension_or_area_code():
    (consult,) = parse_phones("12366-2-4")
    (complaint,) = parse_phones("12366转5")
    assert same_line(consult, complaint) and consult.extension != complaint.extension
    assert same_line(one("0760-12345"), one("12345"))
    assert parse_phones("0760-12345、12345") == parse_phones("0760-12345")  # one line, written twice, reported once
    assert not same_line(one("0760-12345"), one("0760-12366"))
    assert not same_line(one("3362001"), one("0763-3362001"))  # a number without area code is not comparable
    assert parse_phones("12345")[0].kind is Kind.HOTLINE


@pytest.mark.parametrize("hostile", ["", None, "（（（", "—" * 300, "1" * 400, "转转转", "0763-" * 100, "\x00\n\t"])
def test_hostile_text_does_not_break_the_parser(hostile):
    assert isinstance(parse_phones(hostile), list)
