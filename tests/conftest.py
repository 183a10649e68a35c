from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import translation

from catalogue.models import OrganizationKind, Role, Sector
from catalogue.services import ItemSpec
from tests.factories import OrganizationFactory, UserFactory, add_general, division, member


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the site's language: a request in English earlier in the same worker must not leak into
    code that runs outside a request (flowcharts, messages built by services)."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def geo(db):
    """广东省 → 清远市 → 清城区 → 东城街道, 东莞市 (no county level) → 莞城街道, 重庆市 → 县 → 奉节县."""
    gd = division("440000", "广东省", "province")
    qy = division("441800", "清远市", "city", gd)
    qc = division("441802", "清城区", "county", qy)
    qx = division("441803", "清新区", "county", qy)
    dc = division("441802001", "东城街道", "township", qc)
    dg = division("441900", "东莞市", "city", gd)
    gc = division("441900003", "莞城街道", "township", dg)
    cq = division("500000", "重庆市", "province")
    cq_x = division("500200", "县", "city", cq)
    fj = division("500236", "奉节县", "county", cq_x)
    return {"gd": gd, "qy": qy, "qc": qc, "qx": qx, "dc": dc, "dg": dg, "gc": gc, "cq": cq, "fj": fj}


@pytest.fixture
def sector(geo):
    return Sector.objects.get_or_create(province=geo["gd"], code="02", defaults={"name": "教育"})[0]


@pytest.fixture
def admin_user(db):
    return UserFactory(username="root-admin", is_superuser=True, is_staff=True)


@pytest.fixture
def orgs(geo, sector):
    return {
        "province_bianban": OrganizationFactory(division=geo["gd"], kind=OrganizationKind.BIANBAN, name="广东省编办"),
        "city_bianban": OrganizationFactory(division=geo["qy"], kind=OrganizationKind.BIANBAN, name="清远市编办"),
        "bianban": OrganizationFactory(division=geo["qc"], kind=OrganizationKind.BIANBAN, name="清城区编办"),
        "justice": OrganizationFactory(division=geo["qc"], kind=OrganizationKind.JUSTICE, name="清城区司法局"),
        "edu": OrganizationFactory(division=geo["qc"], name="清城区教育局", sector=sector),
        "other_dept": OrganizationFactory(division=geo["qc"], name="清城区民政局"),
        "qx_edu": OrganizationFactory(division=geo["qx"], name="清新区教育局", sector=sector),
        "qx_bianban": OrganizationFactory(division=geo["qx"], kind=OrganizationKind.BIANBAN, name="清新区编办"),
    }


@pytest.fixture
def people(orgs):
    """One user per role, placed as the demo data places them."""
    return {
        "province": member(UserFactory(username="province"), orgs["province_bianban"], Role.COMPLIANCE_REVIEWER),
        "clerk": member(UserFactory(username="clerk"), orgs["edu"], Role.CLERK),
        "depthead": member(UserFactory(username="depthead"), orgs["edu"], Role.DEPT_HEAD),
        "compliance": member(UserFactory(username="compliance"), orgs["bianban"], Role.COMPLIANCE_REVIEWER),
        "legality": member(UserFactory(username="legality"), orgs["justice"], Role.LEGALITY_REVIEWER),
        "supervisor": member(UserFactory(username="supervisor"), orgs["city_bianban"], Role.SUPERVISOR),
        "qx_clerk": member(UserFactory(username="qx_clerk"), orgs["qx_edu"], Role.CLERK),
        "qx_compliance": member(UserFactory(username="qx_compliance"), orgs["qx_bianban"], Role.COMPLIANCE_REVIEWER),
    }


@pytest.fixture
def general(geo, sector, people):
    """A small education catalogue: a main item with two sub items, and two main items without."""
    actor = people["province"]
    main_with_subs, plain, township = add_general(
        actor,
        geo["gd"],
        ItemSpec(name="中外合作办学审核审批", item_type="01", sector=sector, levels="34", has_sub_items=True),
        ItemSpec(
            name="中小学教师继续教育办学资格审批",
            item_type="01",
            sector=sector,
            levels="34",
            bases=[{"law": "《教师资格条例》", "doc_number": "国务院令第188号", "article": "第十三条"}],
        ),
        ItemSpec(name="学生资助政策咨询", item_type="20", sector=sector, levels="345"),
    )
    sub1, sub2 = add_general(
        actor,
        geo["gd"],
        ItemSpec(name="中外合作开办学前教育机构审批", node_kind="sub", parent=main_with_subs, levels="34"),
        ItemSpec(name="中外合作开办中等职业学校审批", node_kind="sub", parent=main_with_subs, levels="34"),
    )
    return {"main": main_with_subs, "plain": plain, "township": township, "sub1": sub1, "sub2": sub2}


@pytest.fixture
def return_reasons(db):
    """The return reasons the data migration seeds. A transactional test earlier in the same worker flushes every
    table, data migrations' rows included, so they are seeded again here the way the migration does it."""
    from importlib import import_module

    from django.apps import apps

    from reviews.models import ReturnReason

    if ReturnReason.objects.count() < 16:
        import_module("reviews.migrations.0002_seed_return_reasons").seed(apps, None)
