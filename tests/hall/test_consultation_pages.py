"""The consultation pages: the public question form on the guide page (validation, honeypot, rate limit), the staff
list with its filters and a constant number of queries, the record form, and the question's page offering each user
only their actions and refusing forged posts."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditEvent
from hall.models import Consultation, ConsultationChannel, ConsultationHandoff, ConsultationStatus
from hall.services.consultation import consultation_answer, consultation_submit_web, consultation_take
from tests.factories import UserFactory
from tests.hall.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def guide_url(bed) -> str:
    return reverse("guides:guide", args=[bed["item"].code])


def ask_url(bed) -> str:
    return reverse("consultations:ask", args=[bed["item"].code])


# --- the public form ------------------------------------------------------------------------------------------------


def test_guide_page_carries_the_question_form(hallbed):
    page = Client().get(guide_url(hallbed))
    html = page.content.decode()
    assert page.status_code == 200
    assert f'action="{ask_url(hallbed)}"' in html and "我要咨询" in html
    assert "网上预约" not in html  # the guide does not say it can be booked


def test_anonymous_question_is_logged_for_the_items_unit(hallbed, frozen):
    frozen(at("2026-09-30", "15:00"))
    response = Client().post(ask_url(hallbed), {"question": "民办学校变更举办者需要什么材料？"})
    assert response.status_code == 302 and response["Location"] == guide_url(hallbed)
    c = Consultation.objects.get()
    assert (c.channel, c.organization, c.owner, c.asker_name, c.asker_phone) == (
        ConsultationChannel.WEB,
        hallbed["edu"],
        None,
        "",
        "",
    )
    assert str(c.due_date) == "2026-10-10"
    followed = Client().post(ask_url(hallbed), {"question": "第二个问题，请问可以网上办理吗？"}, follow=True)
    assert "已收到您的咨询" in followed.content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"question": ""}, "question", "请填写咨询内容"),
        ({"question": "短"}, "question", "咨询内容至少 5 个字"),
        ({"question": "字" * 2001}, "question", "咨询内容最长 2000 个字"),
        ({"question": "请问需要什么材料？", "asker_phone": "abc"}, "asker_phone", "请填写正确的电话号码"),
    ],
)
def test_public_form_puts_errors_at_the_field_and_saves_nothing(hallbed, data, field, message):
    response = Client().post(ask_url(hallbed), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert field in response.context["form"].errors
    assert not Consultation.objects.exists()


def test_honeypot_filled_saves_nothing_and_says_nothing(hallbed):
    response = Client().post(ask_url(hallbed), {"question": "请问需要什么材料？", "website": "http://spam.example"})
    assert response.status_code == 302
    assert not Consultation.objects.exists()


@override_settings(HALL_PUBLIC_TRIES=2)
def test_public_form_is_rate_limited_per_address(hallbed):
    client = Client()
    for n in range(2):
        assert client.post(ask_url(hallbed), {"question": f"第{n}个问题，请问怎么办？"}).status_code == 302
    limited = client.post(ask_url(hallbed), {"question": "第三个问题，请问怎么办？"})
    assert limited.status_code == 429 and "提交过于频繁" in limited.content.decode()
    assert Consultation.objects.count() == 2


def test_public_form_answers_get_and_unknown_items_without_an_error_page(hallbed):
    assert Client().get(ask_url(hallbed)).status_code == 405
    assert (
        Client().post(reverse("consultations:ask", args=["NOSUCHCODE"]), {"question": "问题问题问题"}).status_code
        == 404
    )


# --- the staff pages ------------------------------------------------------------------------------------------------


def many_questions(bed, n: int) -> None:
    Consultation.objects.bulk_create(
        Consultation(
            channel=ConsultationChannel.WEB,
            local_item=bed["item"],
            organization=bed["edu"],
            question=f"问题{i}",
            received_at=at("2026-09-30"),
            due_date="2026-10-10",
            owner=bed["approver"] if i % 2 else None,
        )
        for i in range(n)
    )


def test_list_runs_the_same_queries_for_20_or_100_rows(hallbed):
    client = client_for(hallbed["approver"])
    many_questions(hallbed, 20)
    client.get(reverse("consultations:list"))  # warm the session and the scope
    with CaptureQueriesContext(connection) as twenty:
        assert client.get(reverse("consultations:list"), {"size": 100}).status_code == 200
    many_questions(hallbed, 80)
    with CaptureQueriesContext(connection) as hundred:
        page = client.get(reverse("consultations:list"), {"size": 100})
    assert page.content.decode().count("data-consultation=") == 100
    assert len(hundred) == len(twenty)


def test_list_filters_by_status_channel_overdue_and_search(hallbed, frozen):
    web = consultation_submit_web(local_item=hallbed["item"], question="变更校长的材料", at=at("2026-09-30"))
    answered = consultation_submit_web(local_item=hallbed["item"], question="办学许可证补办", at=at("2026-09-30"))
    consultation_take(actor=hallbed["approver"], consultation=answered)
    consultation_answer(actor=hallbed["approver"], consultation=answered, answer="到窗口申请补办。")
    frozen(at("2026-10-12"))
    client = client_for(hallbed["approver"])

    def listed(**query):
        return [c.pk for c in client.get(reverse("consultations:list"), query).context["page"].object_list]

    assert listed(status="open") == [web.pk]
    assert listed(overdue="1") == [web.pk]
    assert listed(q="补办") == [answered.pk]
    assert listed(channel="phone") == []
    assert set(listed(status="bogus")) == {web.pk, answered.pk}  # a bad value is ignored, never a 500


def test_list_is_closed_to_people_without_a_unit(hallbed):
    assert client_for(UserFactory()).get(reverse("consultations:list")).status_code == 403
    assert Client().get(reverse("consultations:list")).status_code == 302


def test_record_form_logs_a_phone_question_owned_by_the_recorder(hallbed):
    client = client_for(hallbed["center_window"])
    response = client.post(
        reverse("consultations:record"),
        {"channel": "phone", "local_item": hallbed["item"].pk, "question": "窗口几点下班？", "asker_name": "陈先生"},
    )
    c = Consultation.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("consultations:detail", args=[c.pk])
    assert c.owner == hallbed["center_window"] and c.channel == ConsultationChannel.PHONE


def test_record_form_refuses_an_item_out_of_sight_at_the_field(hallbed):
    client = client_for(hallbed["window"])
    response = client.post(
        reverse("consultations:record"),
        {"channel": "phone", "local_item": hallbed["other_item"].pk, "question": "问题"},
    )
    assert response.status_code == 400 and "local_item" in response.context["form"].errors
    missing = client.post(reverse("consultations:record"), {"channel": "phone", "question": "问题"})
    assert "请选择咨询事项，或选择负责答复的单位" in missing.content.decode()
    assert not Consultation.objects.exists()


def test_question_page_offers_take_to_the_unit_and_hand_over_leaves_a_record(hallbed):
    c = consultation_submit_web(local_item=hallbed["item"], question="变更校长的材料", at=at("2026-09-30"))
    url = reverse("consultations:detail", args=[c.pk])
    approver = client_for(hallbed["approver"])
    page = approver.get(url)
    assert [a.name for a in page.context["actions"]] == ["take"]
    approver.post(url, {"action": "take"})
    assert Consultation.objects.get().owner == hallbed["approver"]
    page = approver.get(url)
    assert {a.name for a in page.context["actions"]} == {"answer", "hand_over"}
    form = next(a for a in page.context["actions"] if a.name == "hand_over").form
    target = next(key for key, m in form.memberships.items() if m.user == hallbed["backup"])
    response = approver.post(url, {"action": "hand_over", "to": target, "reason": "由 B 岗答复"})
    assert response.status_code == 302
    handoff = ConsultationHandoff.objects.get()
    assert (handoff.from_user, handoff.to_user) == (hallbed["approver"], hallbed["backup"])
    assert "由 B 岗答复" in approver.get(url).content.decode()  # the record is on the page


def test_forged_posts_are_refused(hallbed):
    c = consultation_submit_web(local_item=hallbed["item"], question="变更校长的材料", at=at("2026-09-30"))
    url = reverse("consultations:detail", args=[c.pk])
    # not the owner: nobody may answer an untaken question, the unit's staff must take it first
    assert client_for(hallbed["approver"]).post(url, {"action": "answer", "answer": "伪造的答复"}).status_code == 403
    # a department head of the unit may not approve a proposal that was never made
    assert client_for(hallbed["head"]).post(url, {"action": "approve_faq"}).status_code == 403
    c.refresh_from_db()
    assert c.status == ConsultationStatus.OPEN and not c.answer and c.faq_standard is None
    # another unit's staff do not even see it: 404, and the attempt is on the record
    outsider = client_for(hallbed["outsider"])
    assert outsider.post(url, {"action": "take"}).status_code == 404
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.OUT_OF_SCOPE).exists()
    assert Consultation.objects.get().owner is None


def test_faq_approval_through_the_page(hallbed):
    c = consultation_submit_web(local_item=hallbed["item"], question="变更校长的材料", at=at("2026-09-30"))
    consultation_take(actor=hallbed["approver"], consultation=c)
    consultation_answer(actor=hallbed["approver"], consultation=c, answer="提交变更申请表。")
    url = reverse("consultations:detail", args=[c.pk])
    approver = client_for(hallbed["approver"])
    too_long = approver.post(
        url, {"action": "propose_faq", "faq_question": "问" * 301, "faq_answer": "提交变更申请表。"}
    )
    assert too_long.status_code == 400 and "问题最长 300 个字" in too_long.content.decode()
    approver.post(
        url, {"action": "propose_faq", "faq_question": "变更校长要什么材料？", "faq_answer": "提交变更申请表。"}
    )
    head = client_for(hallbed["head"])
    assert head.get(reverse("consultations:faq_queue")).context["rows"][0].pk == c.pk
    head.post(url, {"action": "approve_faq"})
    c.refresh_from_db()
    assert c.faq_standard is not None and c.faq_standard.faqs.filter(question="变更校长要什么材料？").exists()
    assert "修订稿" in head.get(url).content.decode()
