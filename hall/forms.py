"""The hall's forms: they check the shape of input; the rules live in ``hall.services``."""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from hall.models import Priority, ServiceGroup, Window

MOBILE = re.compile(r"^1[3-9]\d{9}$")


class TakeTicketForm(forms.Form):
    """The kiosk: a group (one big button each), and optionally a priority and a phone for the call reminder."""

    group = forms.ModelChoiceField(
        label=_("业务类别"), queryset=ServiceGroup.objects.none(), error_messages={"required": _("请选择业务类别")}
    )
    priority = forms.ChoiceField(
        label=_("优先类别"),
        choices=[(Priority.NORMAL, _("普通")), (Priority.ELDERLY, _("老年人")), (Priority.DISABLED, _("残疾人"))],
        initial=Priority.NORMAL,
        required=False,
        widget=forms.RadioSelect,
    )
    phone = forms.CharField(label=_("手机号（选填）"), max_length=20, required=False)

    def __init__(self, *args, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
        self.fields["group"].error_messages["invalid_choice"] = _("该业务类别不存在或暂停取号")

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip().replace(" ", "")
        if phone and not MOBILE.match(phone):
            raise forms.ValidationError(_("请输入11位手机号码，或留空"))
        return phone

    def clean_priority(self) -> str:
        return self.cleaned_data.get("priority") or Priority.NORMAL


class TransferForm(forms.Form):
    to_window = forms.ModelChoiceField(
        label=_("转至窗口"), queryset=Window.objects.none(), error_messages={"required": _("请选择窗口")}
    )
    reason = forms.CharField(
        label=_("转窗口原因"), max_length=150, error_messages={"required": _("请填写转窗口的原因")}
    )

    def __init__(self, *args, windows=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_window"].queryset = windows
        self.fields["to_window"].widget.attrs["class"] = "form-select"
        self.fields["reason"].widget.attrs["class"] = "form-control"
        self.fields["to_window"].error_messages["invalid_choice"] = _("请选择本大厅的其他在用窗口")


class DayForm(forms.Form):
    day = forms.DateField(label=_("日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].error_messages["invalid"] = _("请输入有效的日期，如2026-10-09")


class WindowEditForm(forms.Form):
    """Who sits at the window (A岗, and B岗 standing in for them) and which items it accepts."""

    primary = forms.ModelMultipleChoiceField(label=_("A岗人员"), queryset=User.objects.none(), required=False)
    backup = forms.ModelMultipleChoiceField(label=_("B岗人员（替补）"), queryset=User.objects.none(), required=False)
    items = forms.ModelMultipleChoiceField(label=_("受理事项"), queryset=None, required=False)

    def __init__(self, *args, people=None, items=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("primary", "backup"):
            self.fields[name].queryset = people
            self.fields[name].widget.attrs["size"] = 6
            self.fields[name].error_messages["invalid_choice"] = _("所选人员不在本中心")
        self.fields["items"].queryset = items
        self.fields["items"].widget.attrs["size"] = 10
        self.fields["items"].error_messages["invalid_choice"] = _("所选事项不在本大厅所在区划")

    def clean(self):
        data = super().clean()
        both = set(data.get("primary") or []) & set(data.get("backup") or [])
        if both:
            self.add_error("backup", _("同一人不能同时为A岗和B岗"))
        if data.get("backup") and not data.get("primary"):
            self.add_error("backup", _("设B岗前须先设A岗"))
        return data
