"""Forms: the public evaluation form (one 1–5 star question per indicator of the set in force) and the staff forms
of a rectification stage, an appeal and its decision. Forms check the shape of the input; the services the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AppealReason, ComplaintCategory, Grade, IndicatorSet
from .services import EvaluationInput

STARS = [(str(v), label) for v, label in Grade.choices]


class EvaluationForm(forms.Form):
    comment = forms.CharField(
        label=_("评价内容（选填）"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("评价内容最多 1000 字")},
    )
    category = forms.ChoiceField(
        label=_("不满意的方面（差评时选填）"),
        required=False,
        choices=[("", _("请选择")), *ComplaintCategory.choices],
        error_messages={"invalid_choice": _("请选择列出的差评类别")},
    )
    real_name = forms.BooleanField(label=_("实名评价（便于回访）"), required=False)
    name = forms.CharField(label=_("姓名"), required=False, max_length=50)
    phone = forms.CharField(
        label=_("手机号码"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel"}),
    )

    def __init__(self, *args, indicator_set: IndicatorSet, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = list(indicator_set.indicators.all())
        stars = {}
        for indicator in self.indicators:
            stars[f"grade_{indicator.code}"] = forms.TypedChoiceField(
                label=indicator.name,
                choices=STARS,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("请为“%(name)s”选择 1 至 5 星") % {"name": indicator.name},
                    "invalid_choice": _("请为“%(name)s”选择 1 至 5 星") % {"name": indicator.name},
                },
            )
        self.fields = {**stars, **self.fields}

    def star_fields(self) -> list:
        return [self[f"grade_{i.code}"] for i in self.indicators]

    def to_input(self, channel: str = "") -> EvaluationInput:
        data = self.cleaned_data
        return EvaluationInput(
            grades={i.code: data[f"grade_{i.code}"] for i in self.indicators},
            comment=data.get("comment", ""),
            category=data.get("category", ""),
            real_name=data.get("real_name", False),
            name=data.get("name", ""),
            phone=data.get("phone", ""),
            channel=channel,
        )


class StageForm(forms.Form):
    note = forms.CharField(
        label=_("办理记录"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写办理记录"), "max_length": _("办理记录最多 2000 字")},
    )
    call_at = forms.DateTimeField(
        label=_("回访时间"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"invalid": _("请填写正确的回访时间")},
    )
    call_by = forms.CharField(label=_("回访人"), required=False, max_length=50)
    call_result = forms.CharField(label=_("回访结果"), required=False, max_length=300)


class AppealForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("申诉类型"), choices=AppealReason.choices, error_messages={"required": _("请选择申诉类型")}
    )
    statement = forms.CharField(
        label=_("申诉理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请写明申诉理由")},
    )


class DecideForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label=_("审核结论"),
        choices=[("1", _("申诉成立")), ("0", _("申诉不成立"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择审核结论")},
    )
    note = forms.CharField(
        label=_("审核意见"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请填写审核意见")},
    )
