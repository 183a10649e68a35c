"""The reviewer's queue as Excel: the tasks the queue lists with the same filters and scope, every page of them,
oldest first, for a constant number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from reviews.models import ReviewTask
from tests.reviews.test_views import staged  # noqa: F401  (fixture)
from tests.xlsx import download_name, open_sheet, sheet_rows

QUEUE = reverse("reviews:queue")
EXPORT = reverse("reviews:queue_export")


def queue_names(client, params) -> list[str]:
    response = client.get(QUEUE, {**params, "size": 100})
    assert response.status_code == 200
    return [task.standard.local_item.code for task in response.context["page"].object_list]


def export_names(client, params) -> list[str]:
    header, rows = sheet_rows(client.get(EXPORT, params))
    return [row[header.index("实施编码")] for row in rows]


def test_each_reviewer_exports_what_their_queue_lists(client, staged, cast):  # noqa: F811
    for role in ("depthead", "compliance", "legality", "admin"):
        client.force_login(cast[role])
        expected = queue_names(client, {})
        assert expected, role
        assert export_names(client, {}) == expected, role
    for outsider in ("clerk", "supervisor", "qx_compliance"):
        client.force_login(cast[outsider])
        assert export_names(client, {}) == [], outsider


def test_filters_apply_as_on_the_page_and_cannot_widen_the_scope(client, staged, cast, geo):  # noqa: F811
    client.force_login(cast["admin"])
    for params in (
        {"stage": "compliance"},
        {"division": "441802", "claimed": "none"},
        {"department": staged["legality"].standard.local_item.organization_id},
        {"overdue": "1"},
    ):
        assert export_names(client, params) == queue_names(client, params), params
    # Forged values: another county, another stage, unknown values — never a task outside the reviewer's scope.
    client.force_login(cast["compliance"])
    own = {staged["compliance"].standard.local_item.code}
    for params in ({"division": "441803"}, {"stage": "legality"}, {"stage": "bogus", "department": "abc"}):
        assert set(export_names(client, params)) <= own, params
        assert export_names(client, params) == queue_names(client, params), params


def test_the_workbook_reads_well(client, staged, cast):  # noqa: F811
    task = staged["compliance"]
    ReviewTask.objects.filter(pk=task.pk).update(due_at=timezone.now() - dt.timedelta(days=1))
    client.force_login(cast["compliance"])
    client.post(reverse("reviews:claim", args=[task.pk]))
    response = client.get(EXPORT)
    assert download_name(response) == f"清城区审查任务-{timezone.localdate():%Y%m%d}.xlsx"
    sheet = open_sheet(client.get(EXPORT))
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:N2"
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, sheet[2], strict=True))
    item = task.standard.local_item
    assert row["事项名称"].value == item.name and row["实施部门"].value == "清城区教育局"
    assert row["区县"].value == "清城区" and row["审查环节"].value == "合规性审查"
    assert row["审查机关"].value == "清城区编办" and row["版本"].value == 1 and row["审查轮次"].value == 1
    assert row["是否超期"].value == "是" and row["认领人"].value == cast["compliance"].get_username()
    assert isinstance(row["办理期限"].value, dt.datetime) and row["办理期限"].number_format == "yyyy-mm-dd hh:mm"
    assert isinstance(row["认领时间"].value, dt.datetime)
    client.force_login(cast["admin"])
    header, rows = sheet_rows(client.get(EXPORT, {"stage": "legality"}))
    unclaimed = dict(zip(header, rows[0], strict=True))
    assert unclaimed["认领人"] == "未认领" and unclaimed["认领时间"] is None and unclaimed["是否超期"] == "否"


def test_anonymous_visitors_go_to_the_login_page(client):
    response = client.get(EXPORT)
    assert response.status_code == 302 and "/login" in response["Location"]


def test_an_enormous_export_is_refused_with_a_message(client, staged, cast):  # noqa: F811
    client.force_login(cast["admin"])
    with override_settings(EXPORT_MAX_ROWS=2):
        response = client.get(EXPORT, {"claimed": "none"}, follow=True)
    assert "符合条件的有 3 条，超过一次导出的上限 2 条" in response.content.decode()
    assert response.redirect_chain[-1][0] == QUEUE + "?claimed=none"


@pytest.mark.parametrize("n", [2, 20])
def test_the_export_runs_the_same_queries_for_2_or_20_tasks(client, cast, many_tasks, n, django_assert_num_queries):
    many_tasks(n, claimed_by=cast["compliance"])
    client.force_login(cast["admin"])
    client.get(QUEUE)  # the session is warm
    # session, user, memberships, count, the rows (one query, read in chunks), the division naming the file
    with django_assert_num_queries(6):
        response = client.get(EXPORT, {"division": "441802"})
    assert len(sheet_rows(response)[1]) == n


@pytest.mark.parametrize("url", ["reviews:queue", "reviews:queue_export"])
def test_a_department_number_no_key_can_hold_is_ignored(client, people, url):
    client.force_login(people["compliance"])
    response = client.get(reverse(url), {"department": "9" * 30})
    assert response.status_code == 200
