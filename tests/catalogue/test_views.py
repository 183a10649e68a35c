"""The catalogue's pages as their users meet them: who may open what, what a page shows, and how many queries a
list costs whatever its page size."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from simple_history.utils import bulk_create_with_history

from catalogue.models import CatalogChange, Claim, ClaimStatus, GeneralItem, LocalItem, LocalItemStatus
from catalogue.services import (
    Adjustment,
    ChangeDocument,
    ItemSpec,
    catalog_change_apply,
    claims_create,
    local_item_build,
)
from tests.factories import UserFactory, add_general

STAFF_URLS = [
    ("catalogue:local_list", {}),
    ("catalogue:general_list", {}),
    ("catalogue:change_list", {}),
    ("catalogue:claim_start", {}),
    ("catalogue:claim_review", {}),
    ("catalogue:claim_report", {}),
    ("catalogue:adjustment_list", {}),
    ("catalogue:change_create", {"kind": "add"}),
]


@pytest.fixture
def county_list(geo, orgs, general, people):
    """清城区教育局 exercises the two sub items and the plain item; 清城区民政局 one public service."""
    actor = people["province"]
    items = [
        local_item_build(general_item=general[k], division=geo["qc"], organization=orgs["edu"], actor=actor)
        for k in ("sub1", "sub2", "plain")
    ]
    items.append(
        local_item_build(
            general_item=general["township"], division=geo["qc"], organization=orgs["other_dept"], actor=actor
        )
    )
    items.append(
        local_item_build(general_item=general["plain"], division=geo["qx"], organization=orgs["qx_edu"], actor=actor)
    )
    return items


def login(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize(("name", "kwargs"), STAFF_URLS)
def test_anonymous_is_sent_to_login_from_every_staff_page(client, db, name, kwargs):
    url = reverse(name, kwargs=kwargs)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_anonymous_never_sees_an_item_page_or_admin(client, county_list):
    item = county_list[0]
    response = client.get(reverse("catalogue:local_detail", args=[item.pk]))
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 302


@pytest.mark.parametrize(("name", "kwargs"), STAFF_URLS)
def test_signed_in_user_without_a_role_is_refused(client, db, name, kwargs):
    login(client, UserFactory(username="nobody"))
    assert client.get(reverse(name, kwargs=kwargs)).status_code == 403


def test_clerk_lists_only_own_department(client, people, county_list, orgs):
    login(client, people["clerk"])
    response = client.get(reverse("catalogue:local_list"), {"division": "441802"})
    assert response.status_code == 200
    shown = {i.pk for i in response.context["page"].object_list}
    assert shown == {i.pk for i in county_list if i.organization_id == orgs["edu"].pk and i.division_id == "441802"}


def test_clerk_cannot_open_another_departments_item_by_id(client, people, county_list, orgs):
    login(client, people["clerk"])
    other = next(i for i in county_list if i.organization_id == orgs["other_dept"].pk)
    assert client.get(reverse("catalogue:local_detail", args=[other.pk])).status_code == 404


def test_supervisor_sees_city_subtree_but_not_other_cities(client, people, county_list, geo):
    login(client, people["supervisor"])
    response = client.get(reverse("catalogue:local_list"), {"division": "441800"})
    assert response.context["page"].paginator.count == len(county_list)
    assert client.get(reverse("catalogue:local_list"), {"division": "441900"}).status_code == 404
    assert client.get(reverse("catalogue:local_list"), {"division": "500236"}).status_code == 404


def test_reviewer_of_one_county_cannot_browse_the_next(client, people, county_list):
    login(client, people["compliance"])
    assert client.get(reverse("catalogue:local_list"), {"division": "441802"}).status_code == 200
    assert client.get(reverse("catalogue:local_list"), {"division": "441803"}).status_code == 404
    qx_item = next(i for i in county_list if i.division_id == "441803")
    assert client.get(reverse("catalogue:local_detail", args=[qx_item.pk])).status_code == 404


def test_search_by_name_code_and_pinyin_initials(client, people, county_list):
    login(client, people["compliance"])
    url = reverse("catalogue:local_list")
    by_name = client.get(url, {"division": "441802", "q": "学前"}).context["page"].object_list
    assert [i.name for i in by_name] == ["中外合作开办学前教育机构审批"]
    by_code = client.get(url, {"division": "441802", "q": county_list[2].code[:25]}).context["page"].object_list
    assert county_list[2] in list(by_code)
    by_initials = client.get(url, {"division": "441802", "q": "xszz"}).context["page"].object_list
    assert [i.name for i in by_initials] == ["学生资助政策咨询"]


def test_filters_and_sort(client, people, county_list, orgs):
    login(client, people["compliance"])
    url = reverse("catalogue:local_list")
    page = client.get(url, {"division": "441802", "item_type": "20"}).context["page"]
    assert [i.item_type for i in page.object_list] == ["20"]
    page = client.get(url, {"division": "441802", "organization": orgs["edu"].pk, "sort": "-name"}).context["page"]
    names = [i.name for i in page.object_list]
    assert names == sorted(names, reverse=True) and len(names) == 3


@pytest.fixture
def many_items(geo, orgs, sector, people):
    """130 local items of one department, enough for several pages at every page size."""
    actor = people["province"]
    specs = [ItemSpec(name=f"测试事项{n:03d}", item_type="07", sector=sector, levels="4") for n in range(130)]
    general_items = add_general(actor, geo["gd"], *specs)
    locals_ = [
        local_item_build(general_item=g, division=geo["qc"], organization=orgs["edu"], actor=actor, save=False)
        for g in general_items
    ]
    bulk_create_with_history(locals_, LocalItem, default_user=actor)
    return general_items


def _queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx)


def test_catalogue_browser_runs_constant_queries_whatever_the_page_size(client, people, many_items):
    login(client, people["compliance"])
    url = reverse("catalogue:local_list")
    counts = {size: _queries(client, url, {"division": "441802", "size": size}) for size in (20, 50, 100)}
    assert len(set(counts.values())) == 1, counts
    # session, user, memberships, division, children, breadcrumb, count, page, organizations filter
    assert counts[20] <= 10, counts


def test_general_catalogue_list_runs_constant_queries(client, people, many_items):
    login(client, people["province"])
    url = reverse("catalogue:general_list")
    counts = {size: _queries(client, url, {"size": size}) for size in (20, 100)}
    assert len(set(counts.values())) == 1, counts


def test_general_catalogue_counts_local_items_for_the_page_rows_only(client, people, many_items, orgs, geo):
    """Each row says how many active local items implement it; the counts come from one query for the page's ids
    (the page query itself no longer joins the local items), so the page costs the same in any province."""
    cancelled = LocalItem.objects.filter(general_item=many_items[0]).get()
    LocalItem.objects.filter(pk=cancelled.pk).update(status=LocalItemStatus.CANCELLED, cancel_date=dt.date(2026, 1, 1))
    login(client, people["province"])
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("catalogue:general_list"), {"size": 100})
    assert response.status_code == 200
    rows = {item.pk: item.local_count for item in response.context["page"].object_list}
    assert rows[many_items[0].pk] == 0
    assert all(rows[item.pk] == 1 for item in many_items[1:] if item.pk in rows)
    page_queries = [q["sql"] for q in ctx.captured_queries if '"catalogue_generalitem"."id"' in q["sql"]]
    assert not any("catalogue_localitem" in sql for sql in page_queries)
    counted = [q["sql"] for q in ctx.captured_queries if 'FROM "catalogue_localitem"' in q["sql"]]
    assert len(counted) == 1 and " IN (" in counted[0]


def test_public_list_runs_constant_queries(client, many_items):
    url = reverse("public:division", args=["441802"])
    counts = {size: _queries(client, url, {"size": size}) for size in (20, 100)}
    assert len(set(counts.values())) == 1, counts


def test_public_catalogue_shows_active_items_only(client, county_list, geo, orgs, general, people):
    claimed = claims_create(actor=people["qx_clerk"], organization=orgs["qx_edu"], general_items=[general["sub1"]])[0]
    response = client.get(reverse("public:division", args=["441800"]))
    assert response.status_code == 200
    shown = {i.code for i in response.context["page"].object_list}
    assert shown == {i.code for i in county_list}
    assert claimed.local_item.code not in shown
    assert client.get(reverse("public:item", args=[claimed.local_item.code])).status_code == 404
    item = county_list[0]
    page = client.get(reverse("public:item", args=[item.code]))
    assert page.status_code == 200
    assert item.organization.name in page.content.decode()


def test_cancelled_item_page_stays_with_410_and_the_reason(client, county_list, geo, people):
    item = county_list[0]
    catalog_change_apply(
        actor=people["compliance"],
        kind="cancel",
        scope=geo["qc"],
        document=ChangeDocument("清编办〔2026〕3号", "关于调整清城区实施清单的通知", dt.date(2026, 4, 1)),
        effective_date=dt.date(2026, 4, 10),
        reason="职能划转至区政务服务数据管理局",
        local_items=[item],
    )
    response = client.get(reverse("public:item", args=[item.code]))
    assert response.status_code == 410
    body = response.content.decode()
    assert "该事项已取消" in body and "职能划转至区政务服务数据管理局" in body and "清编办〔2026〕3号" in body
    changes = client.get(reverse("public:changes", args=["441802"])).content.decode()
    assert "关于调整清城区实施清单的通知" in changes


def test_public_changes_of_a_county_include_its_provinces_catalogue_changes(client, general, geo):
    body = client.get(reverse("public:changes", args=["441802"])).content.decode()
    assert CatalogChange.objects.filter(scope=geo["gd"]).first().document_title in body
    other = client.get(reverse("public:changes", args=["500236"])).content.decode()
    assert "暂无变更公告" in other


def test_item_page_shows_field_level_history_with_the_acting_user(client, people, county_list, general, geo):
    catalog_change_apply(
        actor=people["province"],
        kind="adjust",
        scope=geo["gd"],
        document=ChangeDocument("粤编办〔2026〕9号", "关于调整事项名称的通知", dt.date(2026, 5, 1)),
        effective_date=dt.date(2026, 5, 1),
        reason="统一名称",
        general_items=[general["plain"]],
        adjustment=Adjustment(name="中小学教师继续教育办学审批"),
    )
    login(client, people["province"])
    body = client.get(reverse("catalogue:general_detail", args=[general["plain"].pk])).content.decode()
    assert "中小学教师继续教育办学资格审批" in body  # old value
    assert "中小学教师继续教育办学审批" in body  # new value
    assert "province" in body and "粤编办〔2026〕9号" in body


def test_change_form_refuses_a_change_without_its_document(client, people, general):
    login(client, people["province"])
    url = reverse("catalogue:change_create", args=["adjust"]) + f"?item={general['plain'].pk}"
    before = CatalogChange.objects.count()
    response = client.post(
        url, {"name": "新名称", "levels": ["3", "4"], "reason": "调整", "effective_date": "2026-05-01"}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "document_number" in errors and "document_title" in errors and "document_date" in errors
    assert CatalogChange.objects.count() == before
    assert GeneralItem.objects.get(pk=general["plain"].pk).name == "中小学教师继续教育办学资格审批"


def test_change_form_applies_a_cancel_and_redirects_to_the_record(client, people, general, county_list):
    login(client, people["province"])
    url = reverse("catalogue:change_create", args=["cancel"]) + f"?item={general['plain'].pk}"
    response = client.post(
        url,
        {
            "document_number": "粤府〔2026〕5号",
            "document_title": "关于取消一批行政审批事项的决定",
            "document_date": "2026-05-01",
            "effective_date": "2026-06-01",
            "reason": "上位法取消",
            "confirm": "on",
        },
    )
    change = CatalogChange.objects.get(document_number="粤府〔2026〕5号")
    assert response.status_code == 302 and response["Location"] == reverse("catalogue:change_detail", args=[change.pk])
    assert not LocalItem.objects.filter(general_item=general["plain"]).exclude(status="cancelled").exists()


def test_clerk_cannot_open_or_post_a_catalogue_change(client, people, general):
    login(client, people["clerk"])
    url = reverse("catalogue:change_create", args=["cancel"]) + f"?item={general['plain'].pk}"
    assert client.get(url).status_code == 403
    response = client.post(
        url,
        {
            "document_number": "x",
            "document_title": "x",
            "document_date": "2026-01-01",
            "effective_date": "2026-01-01",
            "reason": "x",
            "confirm": "on",
        },
    )
    assert response.status_code == 403
    assert GeneralItem.objects.get(pk=general["plain"].pk).status == "active"


def test_claim_flow_through_the_pages(client, people, general, orgs):
    login(client, people["clerk"])
    response = client.post(reverse("catalogue:claim_start") + "?scope=all", {"general_items": [general["sub1"].pk]})
    assert response.status_code == 302
    claim = Claim.objects.get(organization=orgs["edu"])
    assert claim.local_item.status == LocalItemStatus.CLAIMED
    assert claim.local_item.code == orgs["edu"].uscc + "4" + general["sub1"].code

    # The clerk cannot decide their own claim by forging the POST.
    forged = client.post(reverse("catalogue:claim_decide", args=[claim.pk]), {"decision": "confirm"})
    assert forged.status_code == 403
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PENDING

    # Another county's establishment office sees nothing and cannot decide it.
    login(client, people["qx_compliance"])
    assert claim not in client.get(reverse("catalogue:claim_review")).context["page"].object_list
    client.post(reverse("catalogue:claim_decide", args=[claim.pk]), {"decision": "confirm"})
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PENDING

    login(client, people["compliance"])
    assert claim in client.get(reverse("catalogue:claim_review")).context["page"].object_list
    client.post(reverse("catalogue:claim_decide", args=[claim.pk]), {"decision": "confirm", "note": ""})
    claim.refresh_from_db()
    claim.local_item.refresh_from_db()
    assert claim.status == ClaimStatus.CONFIRMED and claim.local_item.status == LocalItemStatus.ACTIVE
    # Deciding again tells the user it was already done, and changes nothing.
    response = client.post(
        reverse("catalogue:claim_decide", args=[claim.pk]), {"decision": "reject", "note": "x"}, follow=True
    )
    assert "已被处理" in response.content.decode()


def test_claim_report_names_the_gaps(client, people, county_list):
    login(client, people["compliance"])
    response = client.get(reverse("catalogue:claim_report"), {"division": "441802"})
    rows = {r.item.name: r for r in response.context["page"].object_list}
    assert rows["中外合作开办学前教育机构审批"].holders == [("清城区教育局", "在用")]
    gaps = client.get(reverse("catalogue:claim_report"), {"division": "441802", "gaps": "1"}).context["page"]
    assert all(r.is_gap for r in gaps.object_list)


def test_adjustment_task_is_resolved_from_the_department_list(client, people, general, geo, county_list):
    catalog_change_apply(
        actor=people["province"],
        kind="adjust",
        scope=geo["gd"],
        document=ChangeDocument("粤编办〔2026〕10号", "关于调整事项名称的通知", dt.date(2026, 5, 1)),
        effective_date=dt.date(2026, 5, 1),
        reason="统一名称",
        general_items=[general["sub1"]],
        adjustment=Adjustment(name="中外合作开办学前教育机构设立审批"),
    )
    login(client, people["clerk"])
    page = client.get(reverse("catalogue:adjustment_list")).context["page"]
    (task,) = page.object_list
    client.post(reverse("catalogue:adjustment_resolve", args=[task.pk]), {"note": "已同步"})
    task.local_item.refresh_from_db()
    assert task.local_item.name == "中外合作开办学前教育机构设立审批"
    assert task.local_item.needs_adjustment is False
    assert task.local_item.history.first().history_user == people["clerk"]
