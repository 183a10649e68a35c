"""The shapes of the inspection pages' input; the rules live in ``cases.inspection.services``."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import InspectionKind, InspectionMethod, ScoreLine, Stratification
from catalogue.models import Division, Organization

from .rectifications import MAX_WORKDAYS
from .services import MAX_SAMPLE

NUMBER_SPLIT = re.compile(r"[\s,，、;；]+")


class PlanForm(forms.Form):
    title = forms.CharField(label=_("抽查名称"), max_length=200)
    kind = forms.ChoiceField(label=_("抽查类型"), choices=InspectionKind.choices)
    method = forms.ChoiceField(label=_("抽查方式"), choices=InspectionMethod.choices)
    division = forms.ModelChoiceField(label=_("抽查区划"), queryset=Division.objects.none())
    period_from = forms.DateField(label=_("办结日期自"), widget=forms.DateInput(attrs={"type": "date"}))
    period_to = forms.DateField(label=_("办结日期至"), widget=forms.DateInput(attrs={"type": "date"}))
    stratify_by = forms.ChoiceField(
        label=_("分层方式"), choices=Stratification.choices, required=False, help_text=_("随机抽样时按部门或事项分层")
    )
    per_stratum = forms.IntegerField(label=_("每层抽取件数"), min_value=1, max_value=MAX_SAMPLE, required=False)
    sample_total = forms.IntegerField(
        label=_("抽取总件数"), min_value=1, max_value=MAX_SAMPLE, required=False, help_text=_("按各层办件数比例分配")
    )
    organization = forms.ModelChoiceField(
        label=_("定点部门"), queryset=Organization.objects.none(), required=False, help_text=_("定点检查时选择")
    )
    chosen_numbers = forms.CharField(
        label=_("抽点办件编号"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("抽点检查时填写，每行一个或用逗号分隔"),
    )
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, divisions=None, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if divisions is not None:
            self.fields["division"].queryset = divisions
        if organizations is not None:
            self.fields["organization"].queryset = organizations

    def clean_chosen_numbers(self) -> tuple[str, ...]:
        text = self.cleaned_data.get("chosen_numbers") or ""
        numbers = tuple(dict.fromkeys(n for n in NUMBER_SPLIT.split(text) if n))
        if any(len(n) > 64 for n in numbers):
            raise forms.ValidationError(_("办件编号过长。"))
        return numbers


class DrawForm(forms.Form):
    seed = forms.IntegerField(
        label=_("随机种子"),
        required=False,
        min_value=1,
        max_value=10**15,
        help_text=_("留空则随机生成；填写已公布的种子可复现抽样"),
    )


class PatrolForm(forms.Form):
    day = forms.DateField(label=_("巡察日期"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("巡察地点"), max_length=200)
    inspectors = forms.CharField(label=_("巡察人员"), max_length=200)
    observations = forms.CharField(label=_("巡察情况"), widget=forms.Textarea(attrs={"rows": 3}))


class ScoreForm(forms.Form):
    """One row per line: points, evidence, comment (``line-<pk>-points`` …), pre-filled with the confirmed or
    suggested values."""

    def __init__(self, *args, lines: list[ScoreLine], **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line in lines:
            prefix = f"line-{line.pk}-"
            self.fields[prefix + "points"] = forms.IntegerField(
                label=_("得分"),
                min_value=0,
                max_value=line.max_points,
                initial=line.points if line.points is not None else line.suggested,
                error_messages={
                    "required": _("请填写得分。"),
                    "invalid": _("请填写整数。"),
                    "max_value": _("得分不能超过 %(limit_value)s 分。"),
                    "min_value": _("得分不能小于 0。"),
                },
            )
            self.fields[prefix + "evidence"] = forms.CharField(
                label=_("依据"), required=False, max_length=300, initial=line.evidence
            )
            self.fields[prefix + "comment"] = forms.CharField(
                label=_("评语"), required=False, max_length=300, initial=line.comment
            )

    def rows(self):
        for line in self.lines:
            prefix = f"line-{line.pk}-"
            yield line, self[prefix + "points"], self[prefix + "evidence"], self[prefix + "comment"]


class RectifyForm(forms.Form):
    finding = forms.CharField(label=_("发现的问题及整改要求"), widget=forms.Textarea(attrs={"rows": 3}))
    workdays = forms.IntegerField(label=_("整改期限（工作日）"), min_value=1, max_value=MAX_WORKDAYS, initial=10)


class ReplyForm(forms.Form):
    reply = forms.CharField(label=_("整改情况"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.CharField(
        label=_("整改佐证"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("文件名称、文号或链接"),
    )


class CloseForm(forms.Form):
    note = forms.CharField(label=_("销号意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReturnForm(forms.Form):
    note = forms.CharField(label=_("退回意见"), widget=forms.Textarea(attrs={"rows": 2}))
