"""One name in public: the guide's page shows the item's catalogue name and founding basis, as the item's own page
does; a guide whose name differs from its item cannot be submitted (C01), and the finding says how to rename the item
through the catalogue."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from catalogue.models import LocalItem
from reviews.services import standard_transition
from standards.checks import run_checks
from standards.models import Citation, ItemStandard, ServiceGuide

RENAMED = "中小学教师继续教育办学资格认定（指南自拟）"


def publish(standard: ItemStandard) -> ItemStandard:
    ItemStandard.objects.filter(pk=standard.pk).update(state="published", published_at=timezone.now())
    standard.refresh_from_db()
    return standard


def test_the_public_guide_shows_the_catalogue_name_and_founding_basis(client, standard):
    # A guide renamed and re-cited before C01 blocked it (or published before the catalogue changed).
    ServiceGuide.objects.filter(pk=standard.pk).update(item_name=RENAMED)
    Citation.objects.filter(standard=standard, role="founding").update(article_ref="第十四条", article_text="旧条文")
    item = publish(standard).local_item
    guide = client.get(reverse("guides:guide", args=[item.code])).content.decode()
    listing = client.get(reverse("public:item", args=[item.code])).content.decode()
    assert RENAMED not in guide
    assert guide.count(item.name) >= 3  # the title, the heading and the 事项名称 field
    assert item.name in listing
    # The catalogue's founding basis on both pages; the guide's details of the same law kept, its article not.
    for page in (guide, listing):
        assert "《教师资格条例》" in page and "第十三条" in page
    assert "第十四条" not in guide and "旧条文" not in guide
    assert "国务院令第188号" in guide


def test_a_guide_name_differing_from_its_item_is_a_blocking_c01_finding(standard, people):
    LocalItem.objects.filter(pk=standard.local_item_id).update(name="中小学教师继续教育办学资格审批（更名）")
    (finding,) = [f for f in run_checks(standard) if f.code == "C01"]
    assert finding.is_error and finding.field_path == "guide.item_name"
    assert "中小学教师继续教育办学资格审批（更名）" in finding.message
    assert "动态管理" in finding.message and "调整" in finding.message  # how to ask for a catalogue change
    with pytest.raises(ValidationError) as refused:
        standard_transition(actor=people["clerk"], standard=standard, action="submit")
    assert "C01" in str(refused.value)
    standard.refresh_from_db()
    assert standard.state == "draft"
