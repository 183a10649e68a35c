"""The standard editor's load and save: the guide and manual forms and every row formset, validated together and
written with bulk statements, so opening or saving costs the same number of queries however many rows there are."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db import models
from django.forms import BaseForm, BaseFormSet
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .forms import ROW_FORMSETS, SECTIONS, GuideForm, ManualForm
from .models import ItemStandard


@dataclass
class Editor:
    standard: ItemStandard
    guide_form: GuideForm
    manual_form: ManualForm
    formsets: dict = field(default_factory=dict)  # prefix -> (title, section, formset)

    @classmethod
    def build(cls, standard: ItemStandard, data=None, files=None) -> Editor:
        editor = cls(
            standard=standard,
            guide_form=GuideForm(data, files, instance=standard.guide, prefix="guide"),
            manual_form=ManualForm(data, files, instance=standard.manual, prefix="manual"),
        )
        classes = {prefix: (title, section, fs) for prefix, title, section, fs in ROW_FORMSETS}

        def make(prefix, step_choices):
            title, section, formset_class = classes[prefix]
            rows = formset_class.model.objects.filter(standard=standard).order_by("position", "id")
            formset = formset_class(
                data, files, instance=standard, prefix=prefix, queryset=rows, step_choices=step_choices
            )
            return title, section, formset

        # The manual steps' rows, loaded once, are also the choices of the rows that link to a step.
        steps = make("manual_steps", None)
        step_choices = steps[2].rows_by_pk()
        for prefix in classes:
            editor.formsets[prefix] = steps if prefix == "manual_steps" else make(prefix, step_choices)
        return editor

    def all_forms(self):
        yield self.guide_form
        yield self.manual_form
        for _title, _section, formset in self.formsets.values():
            yield formset

    def is_valid(self) -> bool:
        # A list, not a generator: every form is validated so that every error shows at once.
        valid = all([form.is_valid() for form in self.all_forms()])  # noqa: C419
        return self._check_references() and valid

    def _check_references(self) -> bool:
        """A manual step that a review point or internal form still refers to cannot be removed."""
        steps = self.formsets["manual_steps"][2]
        if not hasattr(steps, "cleaned_data"):
            return True
        removed = {f.instance.pk: f for f in steps.forms if f.instance.pk and is_deleted(steps, f)}
        if not removed:
            return True
        ok = True
        for prefix in ("review_points", "internal_forms"):
            for form in self.formsets[prefix][2].forms:
                data = getattr(form, "cleaned_data", {}) or {}
                if is_deleted(self.formsets[prefix][2], form):
                    continue
                step = data.get("step")
                if step is not None and step.pk in removed:
                    removed[step.pk].add_error(
                        None,
                        _("该环节仍被%(kind)s“%(row)s”引用，不能删除")
                        % {"kind": self.formsets[prefix][0], "row": data.get("point") or data.get("name")},
                    )
                    ok = False
        return ok

    def sections(self):
        """(anchor, title, guide fields, manual fields, formsets) for the template, in order."""
        for anchor, title, guide_fields, manual_fields in SECTIONS:
            rows = [(p, t, fs) for p, (t, s, fs) in self.formsets.items() if s == anchor]
            yield {
                "anchor": anchor,
                "title": title,
                "guide_fields": [self.guide_form[name] for name in guide_fields],
                "manual_fields": [self.manual_form[name] for name in manual_fields],
                "formsets": rows,
            }

    def write(self, standard: ItemStandard, actor: User) -> None:
        """Store the validated input; called by ``standard_save`` inside its transaction and lock."""
        for form in (self.guide_form, self.manual_form):
            if form.has_changed():
                obj = form.save(commit=False)
                obj._history_user = actor
                obj.save()
        # Manual steps first: review points and forms may refer to new ones by position only after they exist.
        for prefix in ("manual_steps", *[p for p in self.formsets if p != "manual_steps"]):
            save_rows(self.formsets[prefix][2], standard, actor)


def is_deleted(formset: BaseFormSet, form: BaseForm) -> bool:
    """Whether the clerk ticked the row's delete box (read after validation, as ``formset.deleted_forms`` does)."""
    return bool(formset.can_delete and (getattr(form, "cleaned_data", None) or {}).get("DELETE"))


def save_rows(formset, standard: ItemStandard, actor: User) -> None:
    """Create, update and delete a formset's rows with one statement each (plus their history rows)."""
    model = formset.model
    now = timezone.now()
    created, updated, deleted, with_files = [], [], [], []
    for form in formset.forms:
        if not form.has_changed():
            continue
        if is_deleted(formset, form):
            if form.instance.pk:
                deleted.append(form.instance)
            continue
        obj = form.save(commit=False)
        obj.standard = standard
        if any(isinstance(model._meta.get_field(n), models.FileField) for n in form.changed_data if n != "DELETE"):
            with_files.append(obj)  # files are written to storage by the model's save
        elif obj.pk is None:
            created.append(obj)
        else:
            updated.append(obj)
    if created:
        bulk_create_with_history(created, model, default_user=actor, default_date=now)
    if updated:
        fields = [
            f.name for f in model._meta.concrete_fields if not f.primary_key and f.name not in ("standard", "uid")
        ]
        bulk_update_with_history(updated, model, fields, default_user=actor, default_date=now)
    for obj in with_files:
        obj._history_user = actor
        obj.save()
    if deleted:
        _delete_rows(model, deleted, actor=actor, when=now)


def _delete_rows(model: type[models.Model], rows: list[models.Model], *, actor: User, when) -> None:
    """Remove rows the author deleted, each leaving its history row ("-") attributed to ``actor`` at ``when`` (the
    history's documented ``_history_user`` / ``_history_date``). One delete per row: a standard has tens of rows, and
    the editor has already refused to remove a row another row still refers to."""
    for row in rows:
        row._history_user, row._history_date = actor, when
        row.delete()
