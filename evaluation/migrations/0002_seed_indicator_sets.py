"""The national indicator sets (GB/T 39734-2020), version 1: online and counter services."""

from django.db import migrations

BASIS = "国办发〔2019〕51号；GB/T 39734-2020"
SETS = {
    "online": [
        ("overall", "整体满意度"),
        ("efficiency", "办事效率"),
        ("guide_accuracy", "办事指南精确度"),
        ("convenience", "办事便捷度"),
        ("usability", "平台操作性"),
    ],
    "counter": [
        ("overall", "整体满意度"),
        ("efficiency", "服务效率"),
        ("service_level", "服务水平"),
        ("attitude", "服务态度"),
    ],
}


def seed(apps, schema_editor):
    IndicatorSet = apps.get_model("evaluation", "IndicatorSet")
    Indicator = apps.get_model("evaluation", "Indicator")
    for kind, indicators in SETS.items():
        indicator_set, created = IndicatorSet.objects.get_or_create(
            kind=kind, version=1, defaults={"is_current": True, "basis": BASIS}
        )
        for position, (code, name) in enumerate(indicators):
            Indicator.objects.get_or_create(
                indicator_set=indicator_set, code=code, defaults={"name": name, "position": position}
            )


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
