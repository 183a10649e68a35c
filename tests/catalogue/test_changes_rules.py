"""Dynamic management, what every change needs: its decision document, reason and date, and who may make it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from catalogue.models import GeneralItem, ItemStatus, NodeKind, OrganizationKind, Role
from catalogue.services import Adjustment, ChangeDocument, ItemSpec, catalog_change_apply
from tests.catalogue.conftest import EFFECTIVE, _counts, apply_change
from tests.factories import OrganizationFactory, UserFactory, member

# --- the decision document ---------------------------------------------------------------------------------------

VALID_DOC = {"number": "粤编办发〔2026〕9号", "title": "关于调整行政审批事项的通知", "date": dt.date(2026, 3, 1)}


@pytest.mark.parametrize(
    ("doc_changes", "other", "field"),
    [
        ({"number": ""}, {}, "document_number"),
        ({"number": "   "}, {}, "document_number"),
        ({"title": ""}, {}, "document_title"),
        ({"date": None}, {}, "document_date"),
        ({}, {"reason": "  "}, "reason"),
        ({}, {"effective_date": None}, "effective_date"),
    ],
)
@pytest.mark.parametrize("kind", ["add", "cancel", "adjust"])
def test_change_without_document_reason_or_date_is_refused(
    general, geo, sector, people, locals_, doc_changes, other, field, kind
):
    before = _counts()
    params = {
        "add": {"new_items": [ItemSpec(name="新事项", item_type="01", sector=sector)]},
        "cancel": {"general_items": [general["plain"]]},
        "adjust": {"general_items": [general["plain"]], "adjustment": Adjustment(name="新名称")},
    }[kind]
    with pytest.raises(ValidationError) as exc:
        catalog_change_apply(
            actor=people["province"],
            kind=kind,
            scope=geo["gd"],
            document=ChangeDocument(**{**VALID_DOC, **doc_changes}),
            effective_date=other.get("effective_date", EFFECTIVE),
            reason=other.get("reason", "依法调整"),
            **params,
        )
    assert set(exc.value.message_dict) == {field}
    assert _counts() == before
    assert GeneralItem.objects.get(pk=general["plain"].pk).name == "中小学教师继续教育办学资格审批"


def test_every_missing_field_is_reported_at_once(general, geo, people):
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        catalog_change_apply(
            actor=people["province"],
            kind="cancel",
            scope=geo["gd"],
            document=ChangeDocument("", "", None),
            effective_date=None,
            reason="",
            general_items=[general["plain"]],
        )
    assert set(exc.value.message_dict) == {
        "document_number",
        "document_title",
        "document_date",
        "reason",
        "effective_date",
    }
    assert exc.value.message_dict["document_number"] == ["请填写决定文号"]
    assert _counts() == before


def test_unknown_kind_is_refused(general, geo, people):
    with pytest.raises(ValidationError) as exc:
        apply_change(people["province"], "rename", scope=geo["gd"], general_items=[general["plain"]])
    assert "kind" in exc.value.message_dict


def test_general_change_scope_must_be_a_province(general, geo, people):
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        apply_change(people["province"], "cancel", scope=geo["qy"], general_items=[general["plain"]])
    assert "scope" in exc.value.message_dict
    assert _counts() == before


def test_document_fields_are_stored_trimmed(general, geo, people):
    change = catalog_change_apply(
        actor=people["province"],
        kind="cancel",
        scope=geo["gd"],
        document=ChangeDocument(" 粤编办发〔2026〕12号 ", " 关于取消事项的通知 ", dt.date(2026, 2, 1)),
        effective_date=dt.date(2026, 3, 1),
        reason=" 已无法律依据 ",
        general_items=[general["plain"]],
    )
    change.refresh_from_db()
    assert (change.document_number, change.document_title, change.reason) == (
        "粤编办发〔2026〕12号",
        "关于取消事项的通知",
        "已无法律依据",
    )
    assert (change.document_date, change.effective_date, change.scope) == (
        dt.date(2026, 2, 1),
        dt.date(2026, 3, 1),
        geo["gd"],
    )
    assert str(change) == "取消 · 粤编办发〔2026〕12号"


# --- permissions -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["clerk", "depthead", "compliance", "legality", "supervisor", "qx_compliance"])
@pytest.mark.parametrize("kind", ["add", "cancel", "adjust"])
def test_only_the_province_office_changes_the_general_catalogue(general, geo, sector, people, locals_, who, kind):
    params = {
        "add": {"new_items": [ItemSpec(name="越权新增", item_type="01", sector=sector)]},
        "cancel": {"general_items": [general["plain"]]},
        "adjust": {"general_items": [general["plain"]], "adjustment": Adjustment(name="越权调整")},
    }[kind]
    before = _counts()
    with pytest.raises(PermissionDenied):
        apply_change(people[who], kind, scope=geo["gd"], **params)
    assert _counts() == before
    assert GeneralItem.objects.get(pk=general["plain"].pk).name == "中小学教师继续教育办学资格审批"


def test_province_department_staff_and_supervisors_are_not_the_office(general, geo, people):
    """Only a compliance reviewer of the province's 编办 qualifies: not a supervisor there, not another department."""
    supervisor = member(
        UserFactory(username="prov_supervisor"), people["province"].memberships.get().organization, Role.SUPERVISOR
    )
    province_dept = OrganizationFactory(division=geo["gd"], name="广东省教育厅")
    reviewer_elsewhere = member(UserFactory(username="dept_reviewer"), province_dept, Role.COMPLIANCE_REVIEWER)
    anonymous_user = UserFactory(username="nobody")
    for actor in (supervisor, reviewer_elsewhere, anonymous_user):
        with pytest.raises(PermissionDenied):
            apply_change(actor, "cancel", scope=geo["gd"], general_items=[general["plain"]])
    assert GeneralItem.objects.get(pk=general["plain"].pk).status == ItemStatus.ACTIVE


def test_another_provinces_office_cannot_change_this_catalogue(general, geo, people):
    cq_office = OrganizationFactory(division=geo["cq"], kind=OrganizationKind.BIANBAN, name="重庆市编办")
    cq_reviewer = member(UserFactory(username="cq_reviewer"), cq_office, Role.COMPLIANCE_REVIEWER)
    with pytest.raises(PermissionDenied):
        apply_change(cq_reviewer, "cancel", scope=geo["gd"], general_items=[general["plain"]])
    # Naming its own province as scope does not reach Guangdong's items either.
    before = _counts()
    with pytest.raises(ValidationError, match="不属于本省目录"):
        apply_change(cq_reviewer, "cancel", scope=geo["cq"], general_items=[general["plain"]])
    with pytest.raises(ValidationError, match="不属于本省目录"):
        apply_change(
            cq_reviewer,
            "adjust",
            scope=geo["cq"],
            general_items=[general["plain"]],
            adjustment=Adjustment(name="被外省改名"),
        )
    with pytest.raises(ValidationError) as exc:
        apply_change(
            cq_reviewer,
            "add",
            scope=geo["cq"],
            new_items=[ItemSpec(name="挂到外省主项下", node_kind=NodeKind.SUB, parent=general["main"])],
        )
    assert exc.value.message_dict["parent"] == ["上级事项不属于本省目录"]
    assert _counts() == before
    plain = GeneralItem.objects.get(pk=general["plain"].pk)
    assert (plain.status, plain.name) == (ItemStatus.ACTIVE, "中小学教师继续教育办学资格审批")


def test_admin_may_change_the_general_catalogue(general, geo, admin_user):
    change = apply_change(admin_user, "cancel", scope=geo["gd"], general_items=[general["plain"]])
    assert change.created_by == admin_user
    assert GeneralItem.objects.get(pk=general["plain"].pk).status == ItemStatus.CANCELLED
