"""Versions returned before the return notes were kept on the version get them from their last return task, so the
editor keeps showing the reasons beside the fields."""

from django.db import migrations


def copy_return_notes(apps, schema_editor):
    ItemStandard = apps.get_model("standards", "ItemStandard")
    ReviewTask = apps.get_model("reviews", "ReviewTask")
    for standard in ItemStandard.objects.filter(state="returned").iterator():
        task = (
            ReviewTask.objects.filter(standard_id=standard.pk, decision="return")
            .order_by("-closed_at", "-id")
            .prefetch_related("reasons", "comments__reason")
            .first()
        )
        if task is None:
            continue
        comments = list(task.comments.all())
        notes = [
            {
                "field_path": c.field_path,
                "row_uid": str(c.row_uid) if c.row_uid else None,
                "code": c.reason.code,
                "reason": c.reason.text,
                "text": c.text,
            }
            for c in comments
        ]
        commented = {c.reason_id for c in comments}
        notes += [
            {"field_path": "", "row_uid": None, "code": r.code, "reason": r.text, "text": ""}
            for r in task.reasons.all()
            if r.pk not in commented
        ]
        ItemStandard.objects.filter(pk=standard.pk).update(return_notes=notes)


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0002_seed_return_reasons"),
        ("standards", "0003_return_notes"),
    ]

    operations = [migrations.RunPython(copy_return_notes, migrations.RunPython.noop)]
