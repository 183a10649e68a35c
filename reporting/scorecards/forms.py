"""The scorecard's configuration form and its formset of indicators: shape and field-level messages only; the rules
themselves (``rules.rule_errors``, ``rules.indicator_set_errors``) are the services' too."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.models import Division

from ..models import RuleKind
from . import indicators
from .rules import indicator_set_errors, rule_errors

DECIMAL = {"max_digits": 5, "decimal_places": 2, "required": False}


class ScorecardForm(forms.Form):
    year = forms.IntegerField(label=_("考核年度"), min_value=2000, max_value=2100)
    division = forms.ModelChoiceField(label=_("考核单位"), queryset=Division.objects.none())
    title = forms.CharField(label=_("考核名称"), max_length=200)

    def __init__(self, *args, divisions=None, fixed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"].queryset = divisions if divisions is not None else Division.objects.none()
        self.fields["division"].label_from_instance = lambda d: f"{d.code} {d.name}"
        self.fields["year"].initial = timezone.localdate().year
        if fixed:
            for name in ("year", "division"):
                self.fields[name].disabled = True
                self.fields[name].required = False


class IndicatorForm(forms.Form):
    kind = forms.ChoiceField(label=_("指标"), choices=())
    weight = forms.DecimalField(label=_("权重（分）"), max_digits=5, decimal_places=2, min_value=0, max_value=100)
    rule = forms.ChoiceField(label=_("计分规则"), choices=RuleKind.choices, initial=RuleKind.LINEAR)
    floor = forms.DecimalField(label=_("下限（%）"), **DECIMAL)
    target = forms.DecimalField(label=_("目标值（%）"), **DECIMAL)
    per_occurrence = forms.DecimalField(label=_("每次扣分"), **DECIMAL)
    cap = forms.DecimalField(label=_("扣分上限"), **DECIMAL)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "—"), *indicators.choices()]
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class",
                "form-select form-select-sm"
                if isinstance(field, forms.ChoiceField)
                else "form-control form-control-sm",
            )
            if isinstance(field, forms.DecimalField):
                field.widget.attrs.update({"inputmode": "decimal", "step": "0.01"})

    def clean(self):
        data = super().clean()
        if self.errors or not data.get("kind"):
            return data
        errors = rule_errors(**{name: data.get(name) for name in self.fields if name != "DELETE"})
        for name, message in errors.items():
            self.add_error(name, message)
        return data


class BaseIndicatorFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        rows = [f.cleaned_data for f in self.forms if f.cleaned_data and not self._should_delete_form(f)]
        errors = indicator_set_errors([row for row in rows if row.get("kind")])
        if errors:
            raise forms.ValidationError(errors)

    def rows(self) -> list[dict]:
        return [
            {k: v for k, v in f.cleaned_data.items() if k != "DELETE"}
            for f in self.forms
            if f.cleaned_data and f.cleaned_data.get("kind") and not self._should_delete_form(f)
        ]


IndicatorFormSet = forms.formset_factory(
    IndicatorForm, formset=BaseIndicatorFormSet, extra=1, can_delete=True, max_num=20, validate_max=True
)
