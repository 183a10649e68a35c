"""The 督办 forms: the department's reply, the supervising office's closing or sending back."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class OversightReplyForm(forms.Form):
    explanation = forms.CharField(
        label=_("情况说明"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        error_messages={"required": _("请填写情况说明。")},
        help_text=_("说明出现该问题的原因"),
    )
    correction = forms.CharField(
        label=_("整改措施"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        error_messages={"required": _("请填写整改措施。")},
        help_text=_("写明已采取或将采取的纠正措施及完成时间"),
    )


class OversightCloseForm(forms.Form):
    note = forms.CharField(
        label=_("办结意见"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, required=False
    )


class OversightSendBackForm(forms.Form):
    note = forms.CharField(
        label=_("退回意见"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages={"required": _("退回时请写明需要补充说明或整改的内容。")},
    )
