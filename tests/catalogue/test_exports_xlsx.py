"""The catalogue browser's Excel exports: exactly the rows the page lists (filters, search, sort, scope, every page),
in a workbook that reads well, for a constant number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from catalogue.models import LocalItem
from catalogue.services import ItemSpec, local_item_build
from standards.services import standard_start
from tests.catalogue.test_views import county_list, login  # noqa: F401  (fixture)
from tests.factories import add_general
from tests.xlsx import download_name, open_sheet, sheet_rows

LIST = reverse("catalogue:local_list")
EXPORT = reverse("catalogue:local_export")
GENERAL_LIST = reverse("catalogue:general_list")
GENERAL_EXPORT = reverse("catalogue:general_export")


def page_codes(client, url, params) -> list[str]:
    response = client.get(url, {**params, "size": 100})
    assert response.status_code == 200
    return [item.code for item in response.context["page"].object_list]


def export_codes(client, url, params) -> list[str]:
    header, rows = sheet_rows(client.get(url, params))
    column = header.index("实施编码" if url == EXPORT else "通用目录编码")
    return [row[column] for row in rows]


@pytest.mark.parametrize(
    "params",
    [
        {"division": "441802"},
        {"division": "441802", "item_type": "01", "sort": "-name"},
        {"division": "441802", "q": "中外合作", "sort": "organization"},
        {"q": "xszz"},
    ],
)
def test_the_export_lists_what_the_page_lists(client, people, county_list, params):  # noqa: F811
    login(client, people["compliance"])
    expected = page_codes(client, LIST, params)
    assert expected  # every case lists something
    assert export_codes(client, EXPORT, params) == expected


def test_the_export_has_every_page_not_only_the_first(client, people, many_items):
    login(client, people["compliance"])
    assert len(page_codes(client, LIST, {"division": "441802", "size": 20})) == 100  # the page holds at most 100
    assert len(export_codes(client, EXPORT, {"division": "441802"})) == 130


def test_a_department_exports_only_its_own_items(client, people, orgs, county_list):  # noqa: F811
    login(client, people["clerk"])
    codes = export_codes(client, EXPORT, {"division": "441802"})
    own = {i.code for i in county_list if i.organization_id == orgs["edu"].pk and i.division_id == "441802"}
    assert set(codes) == own and len(codes) == 3


def test_a_forged_query_cannot_widen_the_scope(client, people, orgs, county_list):  # noqa: F811
    login(client, people["compliance"])
    assert client.get(EXPORT, {"division": "441803"}).status_code == 404  # the next county: as the page says
    assert client.get(EXPORT, {"division": "500236"}).status_code == 404
    qx_codes = {i.code for i in county_list if i.division_id == "441803"}
    assert not qx_codes & set(export_codes(client, EXPORT, {"division": "441802"}))
    # A department of another county is no choice of the filter: the page's message, never its rows.
    login(client, people["clerk"])
    response = client.get(EXPORT, {"division": "441802", "organization": orgs["other_dept"].pk})
    assert response.status_code == 302
    assert not {i.code for i in county_list if i.organization_id == orgs["other_dept"].pk} & set(
        export_codes(client, EXPORT, {"division": "441802"})
    )


def test_anonymous_visitors_go_to_the_login_page(client):
    response = client.get(EXPORT)
    assert response.status_code == 302 and "/login" in response["Location"]
    assert client.get(GENERAL_EXPORT).status_code == 302


def test_bad_filter_values_get_the_pages_message(client, people, county_list):  # noqa: F811
    login(client, people["compliance"])
    params = {"division": "441802", "item_type": "99", "sort": "nonsense"}
    response = client.get(EXPORT, params)
    assert response.status_code == 302
    assert response["Location"].startswith(LIST + "?") and "item_type=99" in response["Location"]
    page = client.get(response["Location"])
    body = page.content.decode()
    assert page.status_code == 200 and "筛选条件有误，请按页面提示修改后再导出" in body
    assert "不在可选项中，请重新选择" in body  # the field's own message, where the page shows filter errors


def test_the_workbook_reads_well(client, people, county_list):  # noqa: F811
    standard_start(actor=people["clerk"], local_item=county_list[0])
    login(client, people["compliance"])
    response = client.get(EXPORT, {"division": "441802", "sort": "code"})
    assert download_name(response) == f"清城区实施清单-441802-{timezone.localdate():%Y%m%d}.xlsx"
    assert "filename*=utf-8''" in response["Content-Disposition"]
    sheet = open_sheet(client.get(EXPORT, {"division": "441802", "sort": "code"}))
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:P5"
    header = [c.value for c in sheet[1]]
    assert header == [
        "实施编码",
        "事项名称",
        "事项类型",
        "行使层级",
        "实施部门",
        "统一社会信用代码",
        "区划代码",
        "实施区划",
        "通用目录编码",
        "状态",
        "待调整",
        "审批标准状态",
        "已发布版本",
        "生效日期",
        "取消日期",
        "更新时间",
    ]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    first = rows[county_list[0].code]
    values = dict(zip(header, [c.value for c in first], strict=True))
    assert values["事项类型"] == "行政许可" and values["行使层级"] == "县级" and values["状态"] == "在用"
    assert values["待调整"] == "否" and values["实施部门"] == "清城区教育局" and values["实施区划"] == "清城区"
    assert values["审批标准状态"] == "草稿" and values["已发布版本"] is None
    others = [dict(zip(header, [c.value for c in r], strict=True)) for c, r in rows.items() if c != first[0].value]
    assert {o["审批标准状态"] for o in others} == {"未编写"}
    updated = first[header.index("更新时间")]
    assert isinstance(updated.value, dt.datetime) and updated.number_format == "yyyy-mm-dd hh:mm"


def test_an_enormous_export_is_refused_with_a_message(client, people, county_list):  # noqa: F811
    login(client, people["compliance"])
    with override_settings(EXPORT_MAX_ROWS=3):
        response = client.get(EXPORT, {"division": "441802"}, follow=True)
        assert "符合条件的有 4 条，超过一次导出的上限 3 条" in response.content.decode()
        assert response.redirect_chain[-1][0].startswith(LIST)
        assert len(export_codes(client, EXPORT, {"division": "441802", "item_type": "01"})) == 3


@pytest.fixture
def many_items(geo, orgs, sector, people):
    """130 local items of one department, more than the largest page."""
    return _items(geo, orgs, sector, people, 130)


def _items(geo, orgs, sector, people, n: int) -> list[LocalItem]:
    actor = people["province"]
    specs = [ItemSpec(name=f"测试事项{k:03d}", item_type="07", sector=sector, levels="4") for k in range(n)]
    items = [
        local_item_build(general_item=g, division=geo["qc"], organization=orgs["edu"], actor=actor, save=False)
        for g in add_general(actor, geo["gd"], *specs)
    ]
    return bulk_create_with_history(items, LocalItem, default_user=actor)


@pytest.mark.parametrize("n", [2, 20])
def test_the_export_runs_the_same_queries_for_2_or_20_rows(
    client, geo, orgs, sector, people, n, django_assert_num_queries
):
    _items(geo, orgs, sector, people, n)
    login(client, people["compliance"])
    client.get(LIST)  # the session is warm
    params = {"division": "441802", "q": "测试", "sort": "-name"}
    # session, user, memberships, division, count, the rows (one query, read in chunks)
    with django_assert_num_queries(6):
        response = client.get(EXPORT, params)
    assert len(sheet_rows(response)[1]) == n


@pytest.mark.parametrize("n", [2, 20])
def test_the_general_export_runs_the_same_queries_for_2_or_20_rows(
    client, geo, orgs, sector, people, n, django_assert_num_queries
):
    _items(geo, orgs, sector, people, n)
    login(client, people["province"])
    client.get(GENERAL_LIST)
    with django_assert_num_queries(6):
        response = client.get(GENERAL_EXPORT, {"item_type": "07"})
    assert len(sheet_rows(response)[1]) == n


def test_the_general_export_lists_what_the_page_lists(client, people, general):
    login(client, people["compliance"])
    for params in ({}, {"item_type": "01", "q": "中外"}, {"sort": "-name"}, {"level": "5"}):
        expected = page_codes(client, GENERAL_LIST, params)
        assert expected, params
        assert export_codes(client, GENERAL_EXPORT, params) == expected, params
    header, rows = sheet_rows(client.get(GENERAL_EXPORT, {"q": "学前"}))
    values = dict(zip(header, rows[0], strict=True))
    assert values["节点类型"] == "子项" and values["上级事项"] == "中外合作办学审核审批"
    assert values["可行使层级"] == "市级、县级" and values["事项类型"] == "行政许可" and values["实施数"] == 0
    assert client.get(GENERAL_EXPORT, {"province": "999999"}).status_code == 404
    response = client.get(GENERAL_EXPORT, {"status": "bogus"})
    assert response.status_code == 302 and response["Location"].startswith(GENERAL_LIST)
