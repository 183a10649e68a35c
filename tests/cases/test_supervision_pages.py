"""The supervision page and the 督办 page: what each reader sees and may do, counts at the top, filters, and a
number of queries that does not grow with the rows shown."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Alert, AlertRule, Oversight, OversightState
from cases.services.oversight import oversight_reply
from cases.supervision import sweep
from tests.cases.supervision_kit import make_case

pytestmark = pytest.mark.django_db
BOARD = reverse("cases:supervision")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def board(casebed):
    """On Oct 10 2026: one case past its promised limit (red, with 督办), one near it (yellow)."""
    late = make_case(casebed)
    near = make_case(casebed, accepted_on=dt.date(2026, 9, 29))  # promised due Oct 12
    sweep(dt.date(2026, 10, 10))
    return {"late": late, "near": near, "oversight": Oversight.objects.get(case=late)}


def test_the_supervisor_sees_the_counts_and_an_overdue_case_in_red(casebed, board):
    response = client_for(casebed["center_supervisor"]).get(BOARD)
    assert response.status_code == 200
    # The 督办's reply was due Oct 14: overdue on any later day the suite runs.
    assert response.context["figures"] == {"yellow": 1, "red": 1, "open": 1, "overdue": 1, "unpublished": 0}
    html = response.content.decode()
    assert board["late"].number in html and board["near"].number in html
    row = html[html.index(board["late"].number) - 200 : html.index(board["late"].number)]
    assert 'class="table-danger"' in row
    red_only = client_for(casebed["center_supervisor"]).get(BOARD, {"level": "red"}).content.decode()
    assert board["late"].number in red_only and board["near"].number not in red_only
    by_rule = client_for(casebed["center_supervisor"]).get(BOARD, {"rule": AlertRule.PROMISED_NEAR})
    assert [a.case for a in by_rule.context["page"].object_list] == [board["near"]]
    by_level = client_for(casebed["center_supervisor"]).get(BOARD, {"sort": "level"}).context["page"].object_list
    assert [a.level for a in by_level] == ["red", "yellow"]
    by_due = client_for(casebed["center_supervisor"]).get(BOARD, {"sort": "-due"}).context["page"].object_list
    assert [a.case for a in by_due] == [board["near"], board["late"]]
    elsewhere = client_for(casebed["center_supervisor"]).get(BOARD, {"department": casebed["center"].pk})
    assert not elsewhere.context["page"].object_list
    mine = client_for(casebed["center_supervisor"]).get(BOARD, {"department": casebed["edu"].pk})
    assert len(mine.context["page"].object_list) == 2


def test_beyond_a_few_dozen_departments_the_filter_is_a_search_box(casebed, board, monkeypatch):
    """The department filter is the shared widget (``catalogue.department_filter``): a select of the departments with
    alerts while they are few, else a search box whose typed name filters the page without JavaScript."""
    supervisor = client_for(casebed["center_supervisor"])
    assert [o.pk for o in supervisor.get(BOARD).context["department_filter"].choices] == [casebed["edu"].pk]
    monkeypatch.setattr("catalogue.department_filter.MAX_LISTED", 0)
    response = supervisor.get(BOARD)
    assert response.context["department_filter"].choices is None
    assert 'name="department_name"' in response.content.decode()
    named = supervisor.get(BOARD, {"department_name": casebed["edu"].name[-3:]})
    assert len(named.context["page"].object_list) == 2
    assert not supervisor.get(BOARD, {"department_name": "没有这个部门"}).context["page"].object_list


def test_the_dupan_tab_filters_overdue_and_the_department_sees_its_reply_button(casebed, board):
    head = client_for(casebed["head"])
    response = head.get(BOARD, {"tab": "oversights"})
    assert list(response.context["page"].object_list) == [board["oversight"]]
    assert board["oversight"].pk in response.context["replying"]
    assert "答复" in response.content.decode()
    # The reply was due Oct 14, past on the day the suite runs.
    overdue = head.get(BOARD, {"tab": "oversights", "state": "overdue"}).context["page"].object_list
    assert list(overdue) == [board["oversight"]]


def test_the_department_replies_on_the_page_and_the_office_closes(casebed, board):
    url = reverse("cases:oversight_reply", args=[board["oversight"].pk])
    refused = client_for(casebed["head"]).post(url, {"explanation": "", "correction": ""})
    assert refused.status_code == 400 and "请填写情况说明。" in refused.content.decode()
    done = client_for(casebed["head"]).post(url, {"explanation": "人手不足。", "correction": "已增派人员。"})
    assert done.status_code == 302
    assert Oversight.objects.get(pk=board["oversight"].pk).state == OversightState.REPLIED
    close = reverse("cases:oversight_close", args=[board["oversight"].pk])
    assert client_for(casebed["head"]).post(close, {"note": ""}).status_code == 403
    page = client_for(casebed["center_supervisor"]).get(reverse("cases:oversight", args=[board["oversight"].pk]))
    assert page.context["close_form"] is not None and page.context["reply_form"] is None
    assert client_for(casebed["center_supervisor"]).post(close, {"note": "同意办结。"}).status_code == 302
    assert Oversight.objects.get(pk=board["oversight"].pk).state == OversightState.CLOSED


def test_a_supervisor_of_another_county_sees_nothing_of_it(casebed, board, people):
    other = client_for(people["qx_compliance"])
    response = other.get(BOARD)
    assert response.status_code == 200 and not response.context["page"].object_list
    assert response.context["figures"] == {"yellow": 0, "red": 0, "open": 0, "overdue": 0, "unpublished": 0}
    assert other.get(reverse("cases:oversight", args=[board["oversight"].pk])).status_code == 404


def test_the_page_is_for_case_roles_only(casebed, people):
    assert Client().get(BOARD).status_code == 302
    assert client_for(people["clerk"]).get(BOARD).status_code == 403


def test_the_case_page_part_offers_each_reader_their_action(casebed, board):
    case = board["late"]
    request = RequestFactory().get("/")

    def part(user):
        request.user = user
        context = {"alerts": Alert.objects.filter(case=case), "oversights": Oversight.objects.filter(case=case)}
        return render_to_string("cases/parts/alerts.html", context, request=request)

    assert "超承诺时限" in part(casebed["head"]) and "答复督办" in part(casebed["head"])
    oversight_reply(oversight=board["oversight"], actor=casebed["head"], explanation="x", correction="y")
    assert "办结或退回" in part(casebed["center_supervisor"])
    assert "答复督办" not in part(casebed["city"]) and "办结或退回" not in part(casebed["city"])


def _queries(user, params) -> int:
    client = client_for(user)
    client.get(BOARD, params)  # warm the session and the user's scope
    with CaptureQueriesContext(connection) as queries:
        response = client.get(BOARD, {**params, "size": 100})
    assert response.status_code == 200
    return len(queries), len(response.context["page"].object_list)


@pytest.mark.parametrize("tab", ["alerts", "oversights"])
def test_the_page_runs_the_same_queries_for_20_or_100_rows(casebed, tab):
    for _ in range(20):
        make_case(casebed)
    sweep(dt.date(2026, 10, 10))
    few, shown = _queries(casebed["head"], {"tab": tab})
    assert shown == 20
    for _ in range(80):
        make_case(casebed)
    sweep(dt.date(2026, 10, 10))
    many, shown = _queries(casebed["head"], {"tab": tab})
    assert shown == 100
    assert many == few
