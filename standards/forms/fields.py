"""Form fields and checks the editor's forms share."""

from __future__ import annotations

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

TEXTAREA = {"rows": 3}


class MultiChoiceJSONField(forms.MultipleChoiceField):
    """A JSON list of choice codes shown as checkboxes."""

    widget = forms.CheckboxSelectMultiple

    def prepare_value(self, value):
        return value or []


def limit_pair_errors(form: forms.ModelForm, pairs) -> None:
    for number, unit in pairs:
        value, unit_value = form.cleaned_data.get(number), form.cleaned_data.get(unit)
        if value is not None and not unit_value:
            form.add_error(unit, _("填写了时限，请选择单位"))
        if unit_value and unit_value != "instant" and value is None and number not in form.errors:
            form.add_error(number, _("选择了单位，请填写时限"))


def formfield(model_field, **kwargs):
    if isinstance(model_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return model_field.formfield(**kwargs)
