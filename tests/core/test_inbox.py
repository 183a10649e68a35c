"""The inbox page: one's own messages only, opening one marks it read and follows its link, a badge counts them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.models import Notification
from core.notifications import Message, mark_read, notify, unread_count


@pytest.fixture
def messages_(people):
    notify([people["clerk"]], Message(kind="returned", key="returned:1", title="标准被退回修改：甲", url="/standards/"))
    notify([people["clerk"]], Message(kind="task", key="task:2", title="新的部门确认任务：乙", url="/reviews/"))
    notify([people["depthead"]], Message(kind="task", key="task:3", title="新的部门确认任务：丙", url="/reviews/"))
    return {n.title[-1]: n for n in Notification.objects.all()}


def test_the_inbox_lists_only_ones_own_messages(client, people, messages_):
    client.force_login(people["clerk"])
    page = client.get(reverse("inbox"))
    body = page.content.decode()
    assert "标准被退回修改：甲" in body and "新的部门确认任务：乙" in body and "丙" not in body
    assert page.context["unread_count"]() == 2
    assert client.get(reverse("inbox") + "?unread=1").context["page"].paginator.count == 2


def test_opening_a_message_marks_it_read_and_follows_its_link(client, people, messages_):
    client.force_login(people["clerk"])
    response = client.get(reverse("inbox_open", args=[messages_["甲"].pk]))
    assert response.status_code == 302 and response["Location"] == "/standards/"
    assert Notification.objects.get(pk=messages_["甲"].pk).read_at is not None
    assert unread_count(people["clerk"]) == 1


def test_someone_elses_message_is_a_404_and_stays_unread(client, people, messages_):
    client.force_login(people["clerk"])
    assert client.get(reverse("inbox_open", args=[messages_["丙"].pk])).status_code == 404
    assert Notification.objects.get(pk=messages_["丙"].pk).read_at is None
    assert mark_read(people["clerk"], pk=messages_["丙"].pk) == 0


def test_mark_all_read_touches_only_ones_own(client, people, messages_):
    client.force_login(people["clerk"])
    assert client.get(reverse("inbox_read_all")).status_code == 405
    client.post(reverse("inbox_read_all"))
    assert unread_count(people["clerk"]) == 0 and unread_count(people["depthead"]) == 1


def test_the_badge_shows_the_unread_count(client, people, messages_):
    client.force_login(people["clerk"])
    body = client.get(reverse("standards:list")).content.decode()
    assert 'href="/inbox/"' in body and 'text-bg-danger">2' in body


def test_a_link_off_the_portal_is_not_followed(client, people):
    notify([people["clerk"]], Message(kind="task", key="task:9", title="x", url="https://evil.example.com/"))
    client.force_login(people["clerk"])
    message = Notification.objects.get(key="task:9")
    assert client.get(reverse("inbox_open", args=[message.pk]))["Location"] == reverse("inbox")


def test_the_inbox_needs_a_login_and_is_empty_for_newcomers(client, people):
    assert client.get(reverse("inbox")).status_code == 302
    client.force_login(people["supervisor"])
    assert "还没有消息" in client.get(reverse("inbox")).content.decode()


def test_the_badge_costs_one_query_per_page(client, people, messages_):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(people["clerk"])
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("standards:list"))
    counts = [q["sql"] for q in queries if "core_notification" in q["sql"]]
    assert len(counts) == 1, counts
