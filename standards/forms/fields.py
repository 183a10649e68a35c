"""Form fields and checks the editor's forms share."""

from __future__ import annotations

from django import forms
from django.db import models
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.text import text_formfield

TEXTAREA = {"rows": 3}


class MultiChoiceJSONField(forms.MultipleChoiceField):
    """A JSON list of choice codes shown as checkboxes."""

    widget = forms.CheckboxSelectMultiple

    def prepare_value(self, value):
        return value or []


class StoredFile:
    """A row's stored file as the editor's file input shows it ("目前：…"): its own name and the address that serves it
    to whoever may read the standard (``guides:file``). Files live in private storage, which has no URL of its own."""

    def __init__(self, stored: FieldFile):
        self.name = stored.name.rsplit("/", 1)[-1]
        row = stored.instance
        self.url = reverse(
            "guides:file", kwargs={"model": row._meta.model_name, "pk": row.pk, "field": stored.field.name}
        )

    def __str__(self) -> str:
        return self.name


class RowFileField(forms.FileField):
    """An uploaded file of a row, linking to its download address rather than to the storage's."""

    def prepare_value(self, value):
        if isinstance(value, FieldFile) and value and value.instance.pk:
            return StoredFile(value)
        return value


def limit_pair_errors(form: forms.ModelForm, pairs) -> None:
    for number, unit in pairs:
        value, unit_value = form.cleaned_data.get(number), form.cleaned_data.get(unit)
        if value is not None and not unit_value:
            form.add_error(unit, _("填写了时限，请选择单位"))
        if unit_value and unit_value != "instant" and value is None and number not in form.errors:
            form.add_error(number, _("选择了单位，请填写时限"))


def formfield(model_field, **kwargs):
    """The editor's form field for a model field: text with its line breaks normalised, URLs assumed https, files
    linked to their download address."""
    if isinstance(model_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    if isinstance(model_field, models.FileField):
        kwargs["form_class"] = RowFileField
    return text_formfield(model_field, **kwargs)
