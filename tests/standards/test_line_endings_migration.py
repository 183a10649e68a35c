"""Migration 0004 normalises the line breaks already stored in guides, manuals, rows and their history records,
touching only texts that hold a CR and writing no history of its own."""

from __future__ import annotations

from importlib import import_module

from django.apps import apps

from standards.models import BusinessManual, Material, ServiceGuide


def test_stored_crlf_becomes_lf_without_new_history(standard):
    material = standard.materials.order_by("position", "id").first()
    ServiceGuide.objects.filter(pk=standard.pk).update(acceptance_conditions="一、甲；\r\n二、乙；\r三、丙。")
    BusinessManual.objects.filter(pk=standard.pk).update(approval_conditions="审批\r\n条件")
    Material.objects.filter(pk=material.pk).update(fill_instructions="第一行\r\n第二行")
    ServiceGuide.history.filter(standard_id=standard.pk).update(scope="旧\r\n范围")
    untouched = ServiceGuide.objects.get(pk=standard.pk).scope
    counts = (ServiceGuide.history.count(), BusinessManual.history.count(), Material.history.count())

    import_module("standards.migrations.0004_normalize_line_endings").normalize(apps, None)

    guide = ServiceGuide.objects.get(pk=standard.pk)
    assert guide.acceptance_conditions == "一、甲；\n二、乙；\n三、丙。"
    assert guide.scope == untouched
    assert BusinessManual.objects.get(pk=standard.pk).approval_conditions == "审批\n条件"
    assert Material.objects.get(pk=material.pk).fill_instructions == "第一行\n第二行"
    assert set(ServiceGuide.history.filter(standard_id=standard.pk).values_list("scope", flat=True)) == {"旧\n范围"}
    assert (ServiceGuide.history.count(), BusinessManual.history.count(), Material.history.count()) == counts
