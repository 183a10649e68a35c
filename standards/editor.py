"""The standard editor's load and save: the guide and manual forms and every row formset, validated together and
written with bulk statements, so opening or saving costs the same number of queries however many rows there are."""

from __future__ import annotations

from collections import Counter
from dataclasses import astuple, dataclass, field, replace
from functools import cached_property

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import models
from django.forms import BaseForm, BaseFormSet
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from . import paths
from .checks import CheckContext, Finding, run_checks
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
        """(anchor, title, guide fields, manual fields, formsets, number of errors) for the template, in order."""
        errors = Counter(entry.section for entry in self.error_summary())
        for anchor, title, guide_fields, manual_fields in SECTIONS:
            rows = [(p, t, fs) for p, (t, s, fs) in self.formsets.items() if s == anchor]
            yield {
                "anchor": anchor,
                "title": title,
                "guide_fields": [self.guide_form[name] for name in guide_fields],
                "manual_fields": [self.manual_form[name] for name in manual_fields],
                "formsets": rows,
                "errors": errors[anchor],
            }

    def error_summary(self) -> list[ErrorEntry]:
        """Every refused field, row and list of a bound editor, in page order, each with the anchor that leads to it,
        for the summary at the top of the page and the counts in the section menu."""
        if not self.guide_form.is_bound:
            return []
        if not hasattr(self, "_error_summary"):
            self._error_summary = list(self._errors_in_order())
        return self._error_summary

    def _errors_in_order(self):
        first = SECTIONS[0][0]
        for form in (self.guide_form, self.manual_form):
            if form.non_field_errors():
                yield ErrorEntry(
                    first, "form-errors", str(form._meta.model._meta.verbose_name), form.non_field_errors()
                )
        for anchor, _title, guide_fields, manual_fields in SECTIONS:
            for form, names in ((self.guide_form, guide_fields), (self.manual_form, manual_fields)):
                for name in (name for name in names if name in form.errors):
                    bound = form[name]
                    yield ErrorEntry(anchor, f"f-{bound.html_name}", str(bound.label), form.errors[name])
            for prefix, (title, section, formset) in self.formsets.items():
                if section == anchor:
                    yield from _formset_errors(anchor, prefix, title, formset)

    def input_context(self) -> tuple[CheckContext, dict[str, list[int]]]:
        """What was submitted, as the quality checks see it, without saving anything: the guide, the manual and each
        list of rows are the forms' instances, which hold the accepted input over the stored values (a refused field
        keeps its stored value). Rows are in the order a save would give them (position, stored rows before new
        ones); deleted rows and untouched new ones are left out. Also returns, per list, the form index of each
        checked row, to put the findings beside the right form."""
        ctx = CheckContext(self.standard, guide=self.guide_form.instance, manual=self.manual_form.instance)
        forms_of = {}
        for prefix, (_title, _section, formset) in self.formsets.items():
            kept = [
                (index, form)
                for index, form in enumerate(formset.forms)
                if not is_deleted(formset, form) and (form.instance.pk or form.has_changed())
            ]
            kept.sort(key=lambda pair: _save_order(*pair))
            if isinstance(getattr(CheckContext, prefix, None), cached_property):
                setattr(ctx, prefix, [form.instance for _index, form in kept])
            forms_of[prefix] = [index for index, _form in kept]
        return ctx, forms_of

    def input_findings(self, ctx: CheckContext, forms_of: dict[str, list[int]]) -> list[Finding]:
        """The quality findings of the submitted input (see ``input_context``), with row paths renumbered to the forms
        on the page. A finding about a field the form refused is left out: the field's error says what to fix first."""
        findings = []
        for finding in run_checks(ctx):
            try:
                prefix, index, name = astuple(paths.parse(finding.field_path))
            except ValidationError:
                findings.append(finding)
                continue
            if prefix in ("guide", "manual"):
                form = self.guide_form if prefix == "guide" else self.manual_form
                if name and name in form.errors:
                    continue
                findings.append(finding)
                continue
            if prefix not in forms_of or index is None or index >= len(forms_of[prefix]):
                findings.append(finding)
                continue
            form_index = forms_of[prefix][index]
            if name and name in self.formsets[prefix][2].forms[form_index].errors:
                continue
            findings.append(replace(finding, field_path=paths.Path(prefix, index, name).with_index(form_index)))
        return findings

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


@dataclass(frozen=True)
class ErrorEntry:
    """A refused field, row or list of the editor: its section, the id that leads to it, a label and the messages."""

    section: str
    anchor: str
    label: str
    messages: list


def _save_order(index: int, form: BaseForm) -> tuple:
    """Where a row lands after saving: by position, stored rows by id, then new rows in the order of the page."""
    pk = form.instance.pk
    return (form.instance.position or 0, 0 if pk else 1, pk or index)


def _formset_errors(section: str, prefix: str, title, formset):
    if formset.non_form_errors():
        yield ErrorEntry(section, f"fs-{prefix}", str(title), formset.non_form_errors())
    for index, form in enumerate(formset.forms):
        row = _("%(list)s 第%(n)s行") % {"list": title, "n": index + 1}
        if form.non_field_errors():
            yield ErrorEntry(section, f"row-{form.prefix}", row, form.non_field_errors())
        for name in (name for name in form.errors if name in form.fields):
            bound = form[name]
            if bound.is_hidden:  # the row's id: the row as a whole is wrong
                yield ErrorEntry(section, f"row-{form.prefix}", row, form.errors[name])
            else:
                label = _("%(row)s · %(field)s") % {"row": row, "field": bound.label}
                yield ErrorEntry(section, f"div_{bound.auto_id}", label, form.errors[name])


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
