"""Published standards for the compendium tests: complete guides and manuals (``complete_standard``), published."""

from __future__ import annotations

from django.utils import timezone

from catalogue.services import ItemSpec, local_item_build
from standards.models import ItemStandard, StandardState
from tests.factories import add_general
from tests.standards.factories import complete_standard


def publish(standard: ItemStandard) -> ItemStandard:
    now = timezone.now()
    ItemStandard.objects.filter(pk=standard.pk).update(
        state=StandardState.PUBLISHED, first_submitted_at=now, submitted_at=now, approved_at=now, published_at=now
    )
    standard.refresh_from_db()
    return standard


def published_items(
    people, geo, sector, organization, count: int, *, writer, division=None, prefix: str = "汇编测试事项"
):
    """``count`` items of ``organization`` (in ``division``, default its own), each with a published standard."""
    actor = people["province"]
    generals = add_general(
        actor,
        geo["gd"],
        *[ItemSpec(name=f"{prefix}{n:03d}", item_type="01", sector=sector, levels="34") for n in range(count)],
    )
    standards = []
    for general in generals:
        item = local_item_build(
            general_item=general, division=division or organization.division, organization=organization, actor=actor
        )
        standards.append(publish(complete_standard(writer, item)))
    return standards
