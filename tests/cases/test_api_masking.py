"""Masking of personal data: the rules every list, the API and the public progress page rely on."""

from __future__ import annotations

import pytest

from cases.masking import applicant_display, mask_id_number, mask_person_name, mask_phone
from cases.models import ApplicantKind


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("440102199001011234", "4401**********1234"),
        ("91441802MA4UXXXX1X", "9144**********XX1X"),
        ("12345678", "******78"),
        ("1234", "****"),
        ("", ""),
        (None, ""),
    ],
)
def test_an_id_number_keeps_its_first_and_last_four_characters(value, masked):
    assert mask_id_number(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("13800001234", "138****1234"),
        ("138-0000-1234", "138****1234"),
        ("020 12345678", "020****5678"),
        ("5551234", "*****34"),
        ("", ""),
    ],
)
def test_a_phone_keeps_its_first_three_and_last_four_digits(value, masked):
    assert mask_phone(value) == masked


def test_a_person_keeps_the_family_name_and_an_organization_its_name():
    assert mask_person_name("张三") == "张*"
    assert mask_person_name("欧阳娜娜") == "欧阳*"
    assert mask_person_name("欧阳") == "欧*"
    assert applicant_display(ApplicantKind.PERSON, "李小明") == "李*"
    assert applicant_display(ApplicantKind.ENTERPRISE, "广州某某有限公司") == "广州某某有限公司"
