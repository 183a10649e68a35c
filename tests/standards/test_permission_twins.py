"""Each predicate of ``standards.permissions`` and its queryset twin answer alike, for everyone the matrix asks.

A list page shows what the twin returns and a check asks the predicate; if the two drifted, a page would list what
its own check refuses (or hide what it allows). Here both are asked about the same objects, in every state.
"""

from __future__ import annotations

from catalogue.models import Division, LocalItem, Role
from catalogue.services import local_item_build
from reviews.models import ReviewTask
from standards import permissions
from standards.models import ItemStandard, StandardState
from tests.factories import OrganizationFactory, member
from tests.reviews.conftest import _reasons, at_compliance, flow  # noqa: F401  (fixtures)
from tests.standards.factories import complete_standard
from tests.workflow.conftest import cast, version  # noqa: F401  (fixtures)


def test_reading_and_editing_standards(version, cast):  # noqa: F811
    for state in StandardState.values:
        ItemStandard.objects.filter(pk=version.pk).update(state=state)
        version.refresh_from_db()
        for role, user in cast.items():
            readable = permissions.readable_standards(user).filter(pk=version.pk).exists()
            assert readable is permissions.can_read(user, version), (state, role)
            editable = permissions.editable_standards(user).filter(pk=version.pk).exists()
            assert editable is permissions.can_edit(user, version), (state, role)


def test_writing_for_items(version, cast):  # noqa: F811
    items = list(LocalItem.objects.all())
    for role, user in cast.items():
        listed = set(permissions.writable_items(user).values_list("pk", flat=True))
        assert listed == {i.pk for i in items if permissions.can_write_for(user, i)}, role


def test_importing_guides_for_items(version, cast):  # noqa: F811
    """An establishment office imports guides for every item of its divisions; a department for its own."""
    items = list(LocalItem.objects.select_related("division"))
    for role, user in cast.items():
        listed = set(permissions.guide_import_items(user).values_list("pk", flat=True))
        assert listed == {i.pk for i in items if permissions.can_import_guides_for(user, i)}, role
    assert permissions.guide_import_items(cast["compliance"]).exists()


def test_review_tasks(at_compliance, cast, flow):  # noqa: F811
    flow(cast["compliance"], at_compliance, "pass_compliance")  # a closed confirmation and compliance task, an open one
    tasks = list(ReviewTask.objects.all())
    assert len(tasks) == 3
    for role, user in cast.items():
        listed = set(ReviewTask.objects.filter(permissions.review_tasks_filter(user)).values_list("pk", flat=True))
        assert listed == {t.pk for t in tasks if permissions.can_see_task(user, t)}, role
    assert {t.stage for t in tasks if permissions.can_see_task(cast["legality"], t)} == {"legality"}


def test_figures_of_divisions(cast):  # noqa: F811
    divisions = list(Division.objects.all())
    for role, user in cast.items():
        listed = set(permissions.dashboard_divisions(user).values_list("pk", flat=True))
        assert listed == {d.pk for d in divisions if permissions.can_see_figures_of(user, d)}, role


def test_taking_each_action(version, cast, geo, general):  # noqa: F811
    """``action_filter`` lists the versions ``can`` allows (authorship aside), for an item of the county and one of
    its township, which the county's bodies review."""
    from catalogue.services import local_item_build
    from standards.transitions import TRANSITIONS
    from tests.factories import OrganizationFactory

    township_office = OrganizationFactory(division=geo["dc"], name="东城街道社会事务办")
    township_item = local_item_build(
        general_item=general["township"], division=geo["dc"], organization=township_office, actor=cast["province"]
    )
    township = ItemStandard.objects.create(local_item=township_item, version=1)
    for standard in (version, township):
        for state in StandardState.values:
            ItemStandard.objects.filter(pk=standard.pk).update(state=state)
            standard.refresh_from_db()
            for action in TRANSITIONS:
                for role, user in cast.items():
                    listed = ItemStandard.objects.filter(permissions.action_filter(user, action), pk=standard.pk)
                    allowed = permissions.can(user, action, standard, author_ids=set())
                    assert listed.exists() is allowed, (standard.local_item.division_id, state, action, role)


def test_publishing(version, cast, geo, general, people):  # noqa: F811
    """Approved versions of a county's items and of its townships' are published by the county's 编办, and nobody
    else lists or may publish them; in any other state nobody does."""
    township = OrganizationFactory(division=geo["dc"], name="东城街道办事处")
    member(people["clerk"], township, Role.CLERK)
    item = local_item_build(
        general_item=general["township"], division=geo["dc"], organization=township, actor=people["province"]
    )
    versions = [version, complete_standard(people["clerk"], item)]
    for state in StandardState.values:
        ItemStandard.objects.filter(pk__in=[v.pk for v in versions]).update(state=state)
        for standard in versions:
            standard.refresh_from_db()
            for role, user in cast.items():
                listed = permissions.publishable_standards(user).filter(pk=standard.pk).exists()
                assert listed is permissions.can(user, "publish", standard), (state, role, standard.local_item_id)
            if state == StandardState.APPROVED:
                allowed = {u for u in cast.values() if permissions.can(u, "publish", standard)}
                assert set(permissions.publishers(standard)) == allowed == {cast["compliance"]}
    for role, user in cast.items():
        may_open = permissions.can_open_publication_queue(user)
        assert may_open is (role in ("compliance", "province", "qx_compliance")), role
