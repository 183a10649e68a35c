"""The applicant's progress page: found by case number and the phone's last four digits, showing where the case
stands and nothing personal beyond the rules, and rate-limited per client address."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.external import external_case_number, external_system_issue
from cases.models import ApplicantKind, Case, CaseMaterial, CaseSource, CaseStatus, CaseStep, StepKind

URL = "/progress/"
LOCAL = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


def make_case(bed, number: str = "QC2026-0001", **fields) -> Case:
    values = {
        "number": number,
        "local_item": bed["item"],
        "standard": bed["standard"],
        "organization": bed["edu"],
        "division": bed["item"].division,
        "applicant_name": "张三丰",
        "applicant_id_number": "440102199001011234",
        "applicant_phone": "138-0000-5678",
        "applicant_address": "清远市清城区某路1号",
        "received_at": dt.datetime(2026, 9, 28, 9, 0, tzinfo=LOCAL),
        "status": CaseStatus.IN_PROGRESS,
        "accepted_at": dt.datetime(2026, 9, 30, 9, 30, tzinfo=LOCAL),
        "accepted_on": dt.date(2026, 9, 30),
        "promised_limit": 3,
        "promised_due": dt.date(2026, 10, 10),
        "current_step": StepKind.REVIEW,
    }
    values.update(fields)
    return Case.objects.create(**values)


def ask(number: str, tail: str, ip: str = "203.0.113.7"):
    return Client(REMOTE_ADDR=ip).post(URL, {"no": number, "tail": tail})


@pytest.mark.django_db
def test_the_page_opens_with_the_number_from_a_printed_notice(casebed):
    assert reverse("case_progress") == URL
    response = Client().get(URL, {"no": "QC2026-0001"})
    assert response.status_code == 200
    assert 'value="QC2026-0001"' in response.content.decode()
    assert 'name="viewport"' in response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_a_match_shows_where_the_case_stands_and_nothing_personal(casebed):
    case = make_case(casebed)
    CaseStep.objects.create(
        case=case, seq=1, kind=StepKind.ACCEPT, actor_name="窗口李四", opinion="材料齐全同意受理", at=case.accepted_at
    )
    CaseStep.objects.create(
        case=case,
        seq=2,
        kind=StepKind.SUPPLEMENT_RECEIVED,
        actor_name="窗口李四",
        at=dt.datetime(2026, 10, 9, 10, 0, tzinfo=LOCAL),
    )
    CaseMaterial.objects.create(case=case, name="营业执照", missing_at_acceptance=True, received=False)
    CaseMaterial.objects.create(case=case, name="申请书", missing_at_acceptance=True, received=True)
    CaseMaterial.objects.create(case=case, name="身份证明", received=True)
    response = ask("QC2026-0001", "5678")
    page = response.content.decode()
    assert response.status_code == 200
    for shown in (casebed["item"].name, "在办", "受理", "2026-09-30", "补正材料", "2026-10-09", "审查", "2026-10-10"):
        assert shown in page, shown
    assert "营业执照" in page
    assert "申请书" not in page and "身份证明" not in page
    assert "张*" in page
    for hidden in ("张三丰", "窗口李四", "材料齐全同意受理", "440102", "1234", "138", "清城区某路", "5678"):
        assert hidden not in page, hidden


@pytest.mark.django_db
def test_an_organizations_name_shows_whole(casebed):
    make_case(casebed, applicant_kind=ApplicantKind.ENTERPRISE, applicant_name="广州某某有限公司")
    assert "广州某某有限公司" in ask("QC2026-0001", "5678").content.decode()


@pytest.mark.django_db
def test_a_finished_case_shows_its_end_and_no_due_date_or_current_step(casebed):
    make_case(
        casebed,
        status=CaseStatus.FINISHED,
        finished_at=dt.datetime(2026, 10, 9, 16, 0, tzinfo=LOCAL),
        finished_on=dt.date(2026, 10, 9),
    )
    page = ask("QC2026-0001", "5678").content.decode()
    assert "已办结" in page and "2026-10-09" in page
    assert "2026-10-10" not in page and "当前环节" not in page


@pytest.mark.django_db
def test_a_wrong_number_and_a_wrong_tail_say_the_same_not_found(casebed):
    make_case(casebed)
    answers = [ask("QC2026-9999", "5678"), ask("QC2026-0001", "1234")]
    for response in answers:
        assert response.status_code == 200
        assert "未找到" in response.content.decode()
        assert casebed["item"].name not in response.content.decode()
    # Apart from the number typed in and the form's token, the two answers are the same page.
    first, second = (re.sub(r'value="[^"]*"', "", r.content.decode()) for r in answers)
    assert first == second


@pytest.mark.django_db
def test_a_case_without_a_phone_is_never_found(casebed):
    make_case(casebed, applicant_phone="")
    assert "未找到" in ask("QC2026-0001", "0000").content.decode()


@pytest.mark.django_db
def test_the_form_says_at_the_field_what_is_wrong(casebed):
    response = Client().post(URL, {"no": "", "tail": "12a"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "请填写办件编号" in page and "请填写 4 位数字" in page


@pytest.mark.django_db
def test_a_case_from_another_system_is_found_by_the_number_the_applicant_holds(casebed):
    system, _ = external_system_issue(name="省平台", division=casebed["item"].division)
    make_case(
        casebed,
        number=external_case_number(system.pk, "4418020012026000123"),
        source=CaseSource.EXTERNAL,
        external_system=system,
    )
    page = ask("4418020012026000123", "5678").content.decode()
    assert casebed["item"].name in page


@pytest.mark.django_db
def test_tries_are_limited_per_address_with_a_429_in_chinese(casebed):
    make_case(casebed)
    for _ in range(10):
        assert ask("QC2026-0001", "0000").status_code == 200
    limited = ask("QC2026-0001", "5678")
    assert limited.status_code == 429
    assert "查询过于频繁" in limited.content.decode()
    assert casebed["item"].name not in limited.content.decode()
    # Another address is not held up, and merely opening the page is no try.
    assert Client(REMOTE_ADDR="203.0.113.7").get(URL).status_code == 200
    assert ask("QC2026-0001", "5678", ip="198.51.100.1").status_code == 200


@pytest.mark.django_db
def test_the_limit_ends_with_its_window(casebed, settings):
    settings.PROGRESS_TRIES = 1
    make_case(casebed)
    assert ask("QC2026-0001", "5678").status_code == 200
    assert ask("QC2026-0001", "5678").status_code == 429
    cache.delete("cases:progress:203.0.113.7")  # what the window's end does
    assert ask("QC2026-0001", "5678").status_code == 200
    assert timezone.now()
