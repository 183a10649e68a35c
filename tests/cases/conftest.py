"""A county where cases are handled: 清城区教育局 with a published standard (materials 申请书 and 营业执照, steps
受理 2 / 审查 5 / 决定 3 working days, promised 10 of 20, a 专家评审 special procedure, one fee row),
its service centre,
and a person for every case role. Posts: ``window`` holds 窗口受理岗, ``approver`` 审查岗, ``head`` 分管领导, and
``backup`` is registered as the approver's B岗."""

from __future__ import annotations

import pytest

from cases.models import PostHolder
from catalogue.models import OrganizationKind, Role
from catalogue.services import local_item_build
from standards.models import ItemStandard, StandardState
from standards.services import standard_publish
from tests.factories import OrganizationFactory, UserFactory, member
from tests.standards.factories import charge, complete_standard


def publish(standard: ItemStandard, actor) -> ItemStandard:
    ItemStandard.objects.filter(pk=standard.pk).update(state=StandardState.APPROVED)
    return standard_publish(actor=actor, standard=standard, change_note="")


@pytest.fixture
def casebed(geo, orgs, general, people):
    center = OrganizationFactory(division=geo["qc"], kind=OrganizationKind.SERVICE_CENTER, name="清城区政务服务中心")
    edu = orgs["edu"]
    item = local_item_build(
        general_item=general["plain"], division=geo["qc"], organization=edu, actor=people["province"]
    )
    other_item = local_item_build(
        general_item=general["plain"], division=geo["qx"], organization=orgs["qx_edu"], actor=people["province"]
    )
    standard = complete_standard(people["clerk"], item)
    charge(standard)
    standard = publish(standard, people["compliance"])
    users = {
        "window": member(UserFactory(username="window"), edu, Role.WINDOW_CLERK),
        "center_window": member(UserFactory(username="center_window"), center, Role.WINDOW_CLERK),
        "approver": member(UserFactory(username="approver"), edu, Role.APPROVER),
        "backup": member(UserFactory(username="backup"), edu, Role.APPROVER),
        "head": people["depthead"],
        "center_supervisor": member(UserFactory(username="center_sup"), center, Role.CENTER_SUPERVISOR),
        "bianban": people["compliance"],
        "city": people["supervisor"],
        "outsider": member(UserFactory(username="outsider"), orgs["other_dept"], Role.APPROVER),
        "qx_window": member(UserFactory(username="qx_window"), orgs["qx_edu"], Role.WINDOW_CLERK),
    }
    member(users["head"], edu, Role.APPROVER)
    PostHolder.objects.create(organization=edu, post="窗口受理岗", user=users["window"])
    PostHolder.objects.create(organization=edu, post="窗口受理岗", user=users["center_window"])
    PostHolder.objects.create(organization=edu, post="审查岗", user=users["approver"])
    PostHolder.objects.create(organization=edu, post="审查岗", user=users["backup"], backup_for=users["approver"])
    PostHolder.objects.create(organization=edu, post="分管领导", user=users["head"])
    return {
        "center": center,
        "edu": edu,
        "item": item,
        "other_item": other_item,
        "standard": ItemStandard.objects.get(pk=standard.pk),
        **users,
    }
