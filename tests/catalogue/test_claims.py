"""Claiming (``claims_create``, ``claim_decide``); the adjustment to-do list is in ``test_claims_adjustment``."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from catalogue.codes import parse_implementation_code
from catalogue.models import (
    Claim,
    ClaimStatus,
    GeneralItem,
    IssuedCode,
    LocalItem,
    LocalItemStatus,
    Role,
)
from catalogue.services import ItemSpec, claim_decide, claims_create
from core.exceptions import ConflictError
from tests.catalogue.conftest import apply_change, claim_and_confirm
from tests.factories import OrganizationFactory, UserFactory, add_general, member


def _counts():
    return (Claim.objects.count(), LocalItem.objects.count(), IssuedCode.objects.filter(kind="local").count())


@pytest.fixture
def upper_levels(general, geo, sector, people):
    """Items the county may not exercise: one for the province only, one for the city only."""
    province_only, city_only = add_general(
        people["province"],
        geo["gd"],
        ItemSpec(name="高等学校设置审批", item_type="01", sector=sector, levels="2"),
        ItemSpec(name="市级示范学校认定", item_type="07", sector=sector, levels="3"),
    )
    return {"province_only": province_only, "city_only": city_only}


# --- claiming ----------------------------------------------------------------------------------------------------


def test_clerk_claims_items_allowed_at_county_level(general, orgs, people):
    edu = orgs["edu"]
    items = [general["sub1"], general["plain"], general["township"]]
    claims = claims_create(actor=people["clerk"], organization=edu, general_items=items, note="本部门职责")
    assert len(claims) == 3
    for claim, general_item in zip(claims, items, strict=True):
        claim = Claim.objects.get(pk=claim.pk)
        assert (claim.status, claim.organization, claim.claimed_by, claim.note) == (
            ClaimStatus.PENDING,
            edu,
            people["clerk"],
            "本部门职责",
        )
        local = claim.local_item
        assert local.status == LocalItemStatus.CLAIMED
        assert local.general_item == general_item
        assert (local.division, local.organization, local.level) == (edu.division, edu, "4")
        assert (local.name, local.item_type) == (general_item.name, general_item.item_type)
        assert local.code == f"{edu.uscc}4{general_item.code}"
        assert len(local.code) == 31
        assert parse_implementation_code(local.code) == (edu.uscc, "4", general_item.code)
        assert local.created_by == people["clerk"]
        assert IssuedCode.objects.filter(code=local.code, kind="local").exists()
    # Waiting for the establishment office: not on the public list yet.
    assert not LocalItem.objects.public().exists()


def test_department_head_may_claim_too(general, orgs, people):
    (claim,) = claims_create(actor=people["depthead"], organization=orgs["edu"], general_items=[general["plain"]])
    assert claim.local_item.status == LocalItemStatus.CLAIMED


def test_claim_of_a_handling_item_has_a_33_character_code(general, geo, orgs, people):
    (handle,) = add_general(
        people["province"],
        geo["gd"],
        ItemSpec(name="中小学教师继续教育办学资格审批（新办）", node_kind="handle", parent=general["plain"]),
    )
    (claim,) = claims_create(actor=people["clerk"], organization=orgs["edu"], general_items=[handle])
    assert claim.local_item.code == f"{orgs['edu'].uscc}444010200200001"
    assert len(claim.local_item.code) == 33


def test_township_body_gets_level_digit_5(general, geo, sector, people):
    street_office = OrganizationFactory(division=geo["dc"], name="东城街道社会事务办", sector=sector)
    clerk = member(UserFactory(username="street_clerk"), street_office, Role.CLERK)
    (claim,) = claims_create(actor=clerk, organization=street_office, general_items=[general["township"]])
    assert claim.local_item.level == "5"
    assert claim.local_item.code == f"{street_office.uscc}5{general['township'].code}"
    with pytest.raises(ValidationError, match="不能在乡镇级实施"):
        claims_create(actor=clerk, organization=street_office, general_items=[general["plain"]])


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("province_only", "“高等学校设置审批”只允许在省级行使，不能在县级实施"),
        ("city_only", "“市级示范学校认定”只允许在市级行使，不能在县级实施"),
        ("main", "“中外合作办学审核审批”含子项，请认领其子项"),
    ],
)
def test_items_the_county_may_not_claim(general, upper_levels, orgs, people, key, message):
    item = {**general, **upper_levels}[key]
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        claims_create(actor=people["clerk"], organization=orgs["edu"], general_items=[item])
    assert exc.value.message_dict["general_items"] == [message]
    assert _counts() == before


def test_cancelled_item_cannot_be_claimed(general, geo, orgs, people):
    apply_change(people["province"], "cancel", scope=geo["gd"], general_items=[general["plain"]])
    before = _counts()
    with pytest.raises(ValidationError, match="已取消或暂停，不能认领"):
        claims_create(
            actor=people["clerk"],
            organization=orgs["edu"],
            general_items=[GeneralItem.objects.get(pk=general["plain"].pk)],
        )
    # Also when the caller still holds a copy read before the cancellation.
    with pytest.raises(ValidationError, match="已取消或暂停，不能认领"):
        claims_create(actor=people["clerk"], organization=orgs["edu"], general_items=[general["plain"]])
    assert _counts() == before


def test_already_claimed_items_cannot_be_claimed_again(general, orgs, people):
    claim_and_confirm(people["clerk"], people["compliance"], orgs["edu"], general["sub1"])
    claims_create(actor=people["clerk"], organization=orgs["edu"], general_items=[general["plain"]])
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        claims_create(
            actor=people["depthead"], organization=orgs["edu"], general_items=[general["sub1"], general["plain"]]
        )
    assert exc.value.message_dict["general_items"] == [
        "“中外合作开办学前教育机构审批”已由本部门认领（在用）",
        "“中小学教师继续教育办学资格审批”已由本部门认领（待编办确认）",
    ]
    assert _counts() == before
    # Another department of the county may still claim the same item.
    member(people["clerk"], orgs["other_dept"], Role.CLERK)
    (claim,) = claims_create(actor=people["clerk"], organization=orgs["other_dept"], general_items=[general["plain"]])
    assert claim.local_item.code == f"{orgs['other_dept'].uscc}4{general['plain'].code}"


def test_one_refused_item_refuses_the_whole_submission_with_every_reason(general, geo, upper_levels, orgs, people):
    claims_create(actor=people["clerk"], organization=orgs["edu"], general_items=[general["sub2"]])
    apply_change(people["province"], "cancel", scope=geo["gd"], general_items=[general["township"]])
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        claims_create(
            actor=people["clerk"],
            organization=orgs["edu"],
            general_items=[
                general["sub1"],  # fine on its own
                upper_levels["province_only"],
                upper_levels["city_only"],
                general["main"],
                GeneralItem.objects.get(pk=general["township"].pk),
                general["sub2"],
                general["plain"],  # fine on its own
            ],
        )
    messages = exc.value.message_dict["general_items"]
    assert len(messages) == 5
    assert "高等学校设置审批" in messages[0]
    assert "市级示范学校认定" in messages[1]
    assert "含子项" in messages[2]
    assert "已取消或暂停" in messages[3]
    assert "已由本部门认领" in messages[4]
    # Nothing of the acceptable items was kept either, not even the codes.
    assert _counts() == before
    assert not LocalItem.objects.filter(general_item__in=[general["sub1"], general["plain"]]).exists()


def test_empty_selection_is_refused(general, orgs, people):
    with pytest.raises(ValidationError) as exc:
        claims_create(actor=people["clerk"], organization=orgs["edu"], general_items=[])
    assert "general_items" in exc.value.message_dict


@pytest.mark.parametrize(
    ("who", "org"),
    [
        ("clerk", "other_dept"),  # a department the clerk does not belong to
        ("clerk", "qx_edu"),  # the same sector in another county
        ("qx_clerk", "edu"),
        ("compliance", "edu"),  # the establishment office confirms claims, it does not make them
        ("supervisor", "edu"),
        ("compliance", "bianban"),  # and the office itself implements nothing
    ],
)
def test_only_the_departments_own_staff_claim_for_it(general, orgs, people, who, org):
    before = _counts()
    with pytest.raises(PermissionDenied):
        claims_create(actor=people[who], organization=orgs[org], general_items=[general["plain"]])
    assert _counts() == before


# --- deciding ----------------------------------------------------------------------------------------------------


def test_county_office_confirms_a_claim(general, orgs, people):
    (claim,) = claims_create(actor=people["clerk"], organization=orgs["edu"], general_items=[general["plain"]])
    decided = claim_decide(actor=people["compliance"], claim=claim, approve=True, note="同意")
    claim.refresh_from_db()
    assert decided.pk == claim.pk
    assert (claim.status, claim.decided_by, claim.decision_note) == (
        ClaimStatus.CONFIRMED,
        people["compliance"],
        "同意",
    )
    assert claim.decided_at is not None
    local = LocalItem.objects.get(pk=claim.local_item_id)
    assert local.status == LocalItemStatus.ACTIVE
    assert local.effective_date == timezone.localdate()
    assert list(LocalItem.objects.public()) == [local]


def test_rejection_needs_a_reason(general, orgs, people):
    (claim,) = claims_create(actor=people["clerk"], organization=orgs["edu"], general_items=[general["plain"]])
    with pytest.raises(ValidationError) as exc:
        claim_decide(actor=people["compliance"], claim=claim, approve=False, note="   ")
    assert "note" in exc.value.message_dict
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PENDING
    assert claim.local_item.status == LocalItemStatus.CLAIMED


def test_rejected_claim_can_be_claimed_again_with_the_same_code(general, orgs, people):
    (claim,) = claims_create(actor=people["clerk"], organization=orgs["edu"], general_items=[general["plain"]])
    claim_decide(actor=people["compliance"], claim=claim, approve=False, note=" 请补充实施依据 ")
    claim.refresh_from_db()
    local = LocalItem.objects.get(pk=claim.local_item_id)
    assert (claim.status, claim.decision_note) == (ClaimStatus.REJECTED, "请补充实施依据")
    assert local.status == LocalItemStatus.REJECTED
    assert not LocalItem.objects.public().exists()

    (again,) = claims_create(actor=people["clerk"], organization=orgs["edu"], general_items=[general["plain"]])
    assert again.pk != claim.pk
    assert again.local_item_id == local.pk  # the same local item, the same code: no new code is issued
    local.refresh_from_db()
    assert local.status == LocalItemStatus.CLAIMED
    assert LocalItem.objects.filter(general_item=general["plain"], organization=orgs["edu"]).count() == 1
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.REJECTED

    claim_decide(actor=people["compliance"], claim=again, approve=True)
    assert LocalItem.objects.get(pk=local.pk).status == LocalItemStatus.ACTIVE


@pytest.mark.parametrize("who", ["qx_compliance", "clerk", "depthead", "legality", "supervisor"])
def test_only_the_countys_office_decides(general, orgs, people, who):
    (claim,) = claims_create(actor=people["clerk"], organization=orgs["edu"], general_items=[general["plain"]])
    for approve, note in ((True, ""), (False, "越权退回")):
        with pytest.raises(PermissionDenied):
            claim_decide(actor=people[who], claim=claim, approve=approve, note=note)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PENDING
    assert claim.decided_by is None
    assert claim.local_item.status == LocalItemStatus.CLAIMED


def test_province_office_and_admin_may_decide(general, orgs, people, admin_user):
    c1, c2 = claims_create(
        actor=people["clerk"], organization=orgs["edu"], general_items=[general["plain"], general["sub1"]]
    )
    claim_decide(actor=people["province"], claim=c1, approve=True)
    claim_decide(actor=admin_user, claim=c2, approve=False, note="重复")
    assert Claim.objects.get(pk=c1.pk).status == ClaimStatus.CONFIRMED
    assert Claim.objects.get(pk=c2.pk).decided_by == admin_user


@pytest.mark.parametrize(("first", "second"), [(True, True), (True, False), (False, True), (False, False)])
def test_deciding_twice_is_a_conflict(general, orgs, people, first, second):
    (claim,) = claims_create(actor=people["clerk"], organization=orgs["edu"], general_items=[general["plain"]])
    claim_decide(actor=people["compliance"], claim=claim, approve=first, note="第一次")
    with pytest.raises(ConflictError, match="已被处理"):
        # The caller's copy still says pending: the service reads the stored state.
        claim_decide(actor=people["compliance"], claim=claim, approve=second, note="第二次")
    claim.refresh_from_db()
    assert claim.decision_note == "第一次"
    expected = LocalItemStatus.ACTIVE if first else LocalItemStatus.REJECTED
    assert claim.local_item.status == expected
