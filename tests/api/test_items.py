"""Local items with their published guide: what anonymous readers get, filters, ordering, cursor pages, conditional
requests, staff drafts and their scoping, and the query budget."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from catalogue.models import LocalItem
from catalogue.services import ChangeDocument, catalog_change_apply, claims_create
from standards.models import ItemStandard
from standards.services import standard_start
from tests.factories import OrganizationFactory
from tests.standards.factories import complete_standard

from .conftest import publish

LIST = reverse("api:item-list")
MANUAL_ONLY = ("窗口受理岗", "申请人主体资格", "营业执照在有效期内", "按时办结", "在承诺时限内办结")


def detail(code: str) -> str:
    return reverse("api:item-detail", kwargs={"code": code})


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()["results"]]


def test_anonymous_list_shows_the_published_catalogue_with_its_guides(api, items):
    response = api.get(LIST)
    rows = {row["code"]: row for row in response.json()["results"]}
    assert set(rows) == {items[k].code for k in ("qc", "qc_service", "dc", "qx")}
    qc = rows[items["qc"].code]
    assert qc["guide"]["version"] == 1 and qc["guide"]["page"].endswith(f"/guides/{items['qc'].code}/")
    assert qc["organization"] == {"uscc": items["qc"].organization.uscc, "name": "清城区教育局"}
    assert qc["division"]["code"] == "441802" and qc["item_type_label"] == "行政许可"
    assert rows[items["qx"].code]["guide"] is None  # a draft only: nothing public


def test_detail_carries_the_published_guide_never_the_manual_nor_a_draft(api, items, people):
    draft = standard_start(actor=people["clerk"], local_item=items["qc"])
    draft.guide.address = "草稿里的新地址"
    draft.guide.save()
    response = api.get(detail(items["qc"].code.lower()))  # any case
    assert response.status_code == 200
    body = response.content.decode()
    data = response.json()
    guide = data["published_guide"]
    assert guide["version"] == 1 and guide["state"] == "published"
    assert guide["guide"]["address"].startswith("清远市清城区人民一路28号")
    assert [m["name"] for m in guide["materials"]] == ["申请书", "营业执照"]
    assert [s["name"] for s in guide["steps"]] == ["受理", "审查", "决定"]
    assert guide["faqs"][0]["question"] == "可以委托他人办理吗？"
    assert data["draft"] is None
    assert "草稿里的新地址" not in body
    assert not any(text in body for text in MANUAL_ONLY)


def test_unknown_code_is_404_and_a_malformed_one_400(api, items):
    assert api.get(detail("11440000006939756B2440101999999")).status_code == 404
    response = api.get(detail("不是编码"))
    assert response.status_code == 400
    assert response.json()["errors"]["code"]


def test_claims_awaiting_confirmation_are_not_public(api, items, general, people):
    claim = claims_create(actor=people["clerk"], organization=items["qc"].organization, general_items=[general["sub1"]])
    code = claim[0].local_item.code
    assert code not in codes(api.get(LIST))
    assert api.get(detail(code)).status_code == 404


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("division=441802", {"qc", "qc_service", "dc"}),  # the county and its township
        ("division=441802001", {"dc"}),
        ("division=441800", {"qc", "qc_service", "dc", "qx"}),
        ("item_type=20", {"qc_service", "dc"}),
        ("level=5", {"dc"}),
        ("has_guide=true", {"qc"}),
        ("has_guide=false", {"qc_service", "dc", "qx"}),
        ("q=继续教育", {"qc", "qx"}),
        ("q=xszz", {"qc_service", "dc"}),  # pinyin initials of 学生资助
        ("status=active", {"qc", "qc_service", "dc", "qx"}),
        ("status=cancelled", set()),
    ],
)
def test_filters(api, items, query, expected):
    assert set(codes(api.get(f"{LIST}?{query}"))) == {items[k].code for k in expected}


def test_filter_by_organization_and_general_item(api, items, orgs, general):
    assert set(codes(api.get(LIST, {"organization": orgs["edu"].uscc}))) == {items["qc"].code}
    assert set(codes(api.get(LIST, {"general_item": general["plain"].code}))) == {items["qc"].code, items["qx"].code}


def test_updated_since_covers_item_changes_and_guide_publications(api, items, people):
    later = timezone.now()
    assert codes(api.get(LIST, {"updated_since": later.isoformat()})) == []
    standard = ItemStandard.objects.get(local_item=items["qx"])
    publish(standard, people["qx_compliance"])
    assert codes(api.get(LIST, {"updated_since": later.isoformat()})) == [items["qx"].code]


def test_cancelled_items_leave_the_list_unless_asked_for(api, items, people, geo):
    catalog_change_apply(
        actor=people["compliance"],
        kind="cancel",
        scope=geo["qc"],
        document=ChangeDocument("清编办〔2026〕3号", "关于调整清城区实施清单的通知", dt.date(2026, 4, 1)),
        effective_date=dt.date(2026, 4, 10),
        reason="职能划转",
        local_items=[items["qc_service"]],
    )
    assert items["qc_service"].code not in codes(api.get(LIST))
    assert codes(api.get(LIST, {"status": "cancelled"})) == [items["qc_service"].code]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("division=4418", "division"),
        ("division=%20441802", "division"),
        ("item_type=99", "item_type"),
        ("level=9", "level"),
        ("status=deleted", "status"),
        ("updated_since=yesterday", "updated_since"),
        ("has_guide=maybe", "has_guide"),
        ("organization=123", "organization"),
        ("ordering=name", "ordering"),
        ("organization=%2091441802MA4UQWERT0", "organization"),
        ("ordering=code,,updated_at", "ordering"),
        ("page_size=0", "page_size"),
        ("page_size=many", "page_size"),
        ("page_size=%C2%B2", "page_size"),
        ("q=%00", "q"),
        # Empty is refused like malformed: the schema admits no empty value.
        ("division=", "division"),
        ("item_type=", "item_type"),
        ("status=", "status"),
        ("has_guide=", "has_guide"),
        ("updated_since=", "updated_since"),
        ("q=", "q"),
        ("ordering=", "ordering"),
        ("cursor=", "cursor"),
        ("page_size=", "page_size"),
    ],
)
def test_bad_input_answers_400_naming_the_parameter(api, items, query, parameter):
    response = api.get(f"{LIST}?{query}")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["status"] == 400 and body["code"] == "invalid" and list(body["errors"]) == [parameter], body


@pytest.mark.parametrize(
    ("query", "parameter"),
    [("division=999999", "division"), ("cursor=bm90LWEtY3Vyc29y", "cursor")],
)
def test_a_well_formed_value_that_names_nothing_answers_404_naming_the_parameter(api, items, query, parameter):
    """The schema can say what a code or cursor looks like, not that it exists: such a request is well formed and
    asks for something that is not there."""
    response = api.get(f"{LIST}?{query}")
    assert response.status_code == 404, response.content
    body = response.json()
    assert body["status"] == 404 and list(body["errors"]) == [parameter], body


def test_ordering_and_a_cursor_walk_visits_every_item_once(api, items):
    descending = codes(api.get(LIST, {"ordering": "-code"}))
    assert descending == sorted(descending, reverse=True)
    seen, url = [], f"{LIST}?page_size=1"
    while url:
        data = api.get(url).json()
        seen += [row["code"] for row in data["results"]]
        url = data["next"]
    assert seen == sorted(descending)


def test_list_runs_the_same_queries_for_10_and_100_rows(api, geo, general, people, admin_user):
    for i in range(100):
        item = LocalItem.objects.create(
            general_item=general["plain"],
            division=geo["qc"],
            organization=OrganizationFactory(division=geo["qc"], name=f"部门{i}"),
            code=f"X{i:030d}",
            name=f"事项{i}",
            item_type="01",
            level="4",
        )
        if i % 10 == 0:
            publish(complete_standard(admin_user, item), admin_user)

    def count(size: int) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = api.get(LIST, {"page_size": size})
        assert len(response.json()["results"]) == size
        return len(queries)

    assert count(10) == count(100) <= 3


def test_conditional_get_answers_304_until_something_changes(api, items, people):
    first = api.get(LIST)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert api.get(LIST, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert api.get(LIST, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    assert api.get(LIST, {"item_type": "01"}, HTTP_IF_NONE_MATCH=etag).status_code == 200  # another query
    publish(ItemStandard.objects.get(local_item=items["qx"]), people["qx_compliance"])
    assert api.get(LIST, HTTP_IF_NONE_MATCH=etag).status_code == 200

    one = api.get(detail(items["qc"].code))
    assert api.get(detail(items["qc"].code), HTTP_IF_NONE_MATCH=one["ETag"]).status_code == 304
    item = LocalItem.objects.get(pk=items["qc"].pk)
    item.name = "新名称"
    item.save()
    assert api.get(detail(items["qc"].code), HTTP_IF_NONE_MATCH=one["ETag"]).status_code == 200


def test_a_304_reads_no_rows(api, items):
    etag = api.get(LIST)["ETag"]
    with CaptureQueriesContext(connection) as queries:
        assert api.get(LIST, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert len(queries) == 1


def test_staff_read_their_own_drafts_by_session_or_token(api, items, people):
    code = items["qx"].code
    api.force_login(people["qx_clerk"])
    data = api.get(detail(code)).json()
    assert data["draft"]["version"] == 1 and data["draft"]["state"] == "draft"
    draft = api.get(data["draft"]["url"])
    assert draft.status_code == 200 and draft.json()["guide"]["item_name"] == items["qx"].name
    api.logout()
    token = Token.objects.create(user=people["qx_compliance"])
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get(reverse("api:item-draft", kwargs={"code": code})).status_code == 200


def test_staff_of_another_county_get_404_on_drafts(api, items, people, general):
    code = items["qx"].code
    api.force_login(people["clerk"])  # 清城区
    assert api.get(detail(code)).json()["draft"] is None
    assert api.get(reverse("api:item-draft", kwargs={"code": code})).status_code == 404
    claim = claims_create(
        actor=people["qx_clerk"], organization=items["qx"].organization, general_items=[general["sub1"]]
    )
    claimed = claim[0].local_item.code
    assert api.get(detail(claimed)).status_code == 404
    assert claimed not in codes(api.get(LIST))
    api.force_login(people["qx_clerk"])
    assert api.get(detail(claimed)).status_code == 200
    assert claimed in codes(api.get(LIST))


def test_drafts_need_a_sign_in(api, items):
    response = api.get(reverse("api:item-draft", kwargs={"code": items["qx"].code}))
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"


def test_a_bad_token_is_refused_with_401(api, items):
    api.credentials(HTTP_AUTHORIZATION="Token nonsense")
    response = api.get(LIST)
    assert response.status_code == 401 and response.json()["status"] == 401


def test_the_hand_written_rows_match_the_declared_fields(api, items, rf):
    """The list's rows are written out by hand for speed; DRF's own walk over the declared fields must agree."""
    from rest_framework import serializers as drf

    from standards.api.serializers import LocalItemSerializer
    from standards.selectors import api_items

    request = api.get(LIST).wsgi_request
    rows = list(api_items(user=request.user).order_by("code"))
    fast = LocalItemSerializer(rows, many=True, context={"request": request}).data
    walked = [drf.ModelSerializer.to_representation(LocalItemSerializer(context={"request": request}), r) for r in rows]
    assert [dict(r) for r in fast] == [dict(r) for r in walked]


@pytest.mark.parametrize("query", ["status=", "item_type=", "has_guide="])
def test_an_empty_choice_is_refused_after_the_schema_was_generated(api, items, query):
    """Generating the schema builds each filter's form field once on the class; a later request's empty value must
    still be refused, not read as "no filter"."""
    assert api.get("/api/schema/").status_code == 200
    response = api.get(f"{LIST}?{query}")
    assert response.status_code == 400, response.content
    assert list(response.json()["errors"]) == [query.rstrip("=")]
