"""Line breaks stored as CR LF or CR (typed in a browser before the forms normalised them, or read from a workbook)
become LF in the guide, the manual and every kind of row, and in their history records, so that diffs and the
history show only real changes. One UPDATE per table, touching only the rows that hold a CR; no history record is
written (migrations use the historical models, which record nothing)."""

from functools import reduce
from operator import or_

from django.db import migrations
from django.db.models import F, Q, Value
from django.db.models.functions import Replace

MODELS = (
    "ServiceGuide",
    "BusinessManual",
    "Citation",
    "Material",
    "ProcessStep",
    "SpecialProcedure",
    "FeeItem",
    "ResultSample",
    "Faq",
    "ManualStep",
    "ReviewPoint",
    "DiscretionBenchmark",
    "InternalForm",
    "SupervisionCheck",
)


def _lf(name: str):
    return Replace(Replace(F(name), Value("\r\n"), Value("\n")), Value("\r"), Value("\n"))


def normalize(apps, schema_editor):
    for name in MODELS:
        for model_name in (name, f"Historical{name}"):
            model = apps.get_model("standards", model_name)
            texts = [
                f.name
                for f in model._meta.concrete_fields
                if f.get_internal_type() in ("CharField", "TextField") and not f.name.startswith("history_")
            ]
            if not texts:
                continue
            holds_cr = reduce(or_, (Q(**{f"{field}__contains": "\r"}) for field in texts))
            model.objects.filter(holds_cr).update(**{field: _lf(field) for field in texts})


class Migration(migrations.Migration):
    dependencies = [
        ("standards", "0003_return_notes"),
    ]

    operations = [
        migrations.RunPython(normalize, migrations.RunPython.noop),
    ]
