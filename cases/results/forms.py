"""The public list's search form and the supervisor's withdrawal form. Bad values are told at their field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import Decision
from catalogue.models import Division, Organization

from .selectors import ResultFilters


class ResultSearchForm(forms.Form):
    q = forms.CharField(
        label=_("事项名称或实施编码"),
        max_length=100,
        required=False,
        error_messages={"max_length": _("最长 100 个字符")},
    )
    division = forms.ModelChoiceField(
        label=_("区划"), queryset=Division.objects.none(), required=False, to_field_name="code", empty_label=_("全部")
    )
    department = forms.ModelChoiceField(
        label=_("实施部门"), queryset=Organization.objects.none(), required=False, empty_label=_("全部")
    )
    decision = forms.ChoiceField(label=_("审批决定"), choices=[("", _("全部")), *Decision.choices], required=False)
    date_from = forms.DateField(
        label=_("决定日期自"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("请填写有效日期，如 2026-01-31")},
    )  # fmt: skip
    date_to = forms.DateField(
        label=_("至"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("请填写有效日期，如 2026-01-31")},
    )  # fmt: skip

    def __init__(self, *args, divisions, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"].queryset = divisions
        self.fields["department"].queryset = departments
        for name in ("division", "department", "decision"):
            self.fields[name].error_messages["invalid_choice"] = _("请从列表中选择")
        # The options drawn once each (the template iterating the fields' choices would count them first).
        everything = ("", _("全部"))
        self.fields["division"].option_list = [everything, *((d.code, d.name) for d in divisions)]
        self.fields["department"].option_list = [everything, *((str(o.pk), o.name) for o in departments)]
        self.fields["decision"].option_list = [everything, *Decision.choices]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("结束日期不能早于开始日期"))
        return data

    def filters(self) -> ResultFilters:
        data = self.cleaned_data
        return ResultFilters(
            q=data.get("q") or "",
            department=data.get("department"),
            division=data.get("division"),
            decision=data.get("decision") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("撤回理由"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请写明撤回理由"), "max_length": _("最长 1000 个字")},
    )
