"""The hall's forms: they check the shape of input; the rules live in ``hall.services``."""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from hall.models import ConsultationChannel, Priority, ServiceGroup, Window
from standards.models import Situation

from . import permissions

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


# --- Bookings and consultation ---------------------------------------------------------------------------------------

ANY_PHONE = re.compile(r"^[0-9][0-9\- ]{5,18}[0-9]$")


class HoneypotMixin(forms.Form):
    """A field people never see (hidden by CSS, skipped by screen readers and autofill); robots that fill every
    field give themselves away. The view treats a filled one as done, saving nothing."""

    website = forms.CharField(
        label=_("网址（请留空）"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get("website", "").strip())


class PublicQuestionForm(HoneypotMixin):
    asker_name = forms.CharField(label=_("称呼（选填）"), required=False, max_length=100)
    asker_phone = forms.RegexField(
        label=_("联系电话（选填）"),
        regex=ANY_PHONE,
        required=False,
        max_length=20,
        error_messages={"invalid": _("请填写正确的电话号码，如 13800138000 或 0763-3362001")},
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text=_("留下电话，工作人员可以电话答复"),
    )
    question = forms.CharField(
        label=_("咨询内容"),
        max_length=2000,
        min_length=5,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("请填写咨询内容"),
            "min_length": _("咨询内容至少 5 个字"),
            "max_length": _("咨询内容最长 2000 个字"),
        },
    )


class ConsultationRecordForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("咨询渠道"),
        choices=[(c.value, c.label) for c in ConsultationChannel if c != ConsultationChannel.WEB],
    )
    local_item = forms.ModelChoiceField(
        label=_("咨询事项"), queryset=None, required=False, empty_label=_("（不涉及具体事项）")
    )
    organization = forms.ModelChoiceField(
        label=_("负责答复的单位"),
        queryset=None,
        required=False,
        empty_label=_("（按事项的实施部门）"),
        help_text=_("不涉及具体事项时选择"),
    )
    asker_name = forms.CharField(label=_("咨询人"), required=False, max_length=100)
    asker_phone = forms.RegexField(
        label=_("联系电话"),
        regex=ANY_PHONE,
        required=False,
        max_length=20,
        error_messages={"invalid": _("请填写正确的电话号码")},
    )
    question = forms.CharField(
        label=_("咨询内容"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写咨询内容")},
    )
    answer = forms.CharField(
        label=_("当场答复（选填）"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("当场答复的，登记后即为已答复；否则由您作为首问责任人在期限内答复或移交"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["local_item"].queryset = permissions.recordable_items(user).order_by("name", "pk")
        self.fields["organization"].queryset = permissions.recording_organizations(user).order_by("name", "pk")

    def clean(self):
        data = super().clean()
        if not data.get("local_item") and not data.get("organization"):
            self.add_error("local_item", _("请选择咨询事项，或选择负责答复的单位"))
        return data


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("答复内容"),
        min_length=4,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("请填写答复内容"), "min_length": _("答复内容至少 4 个字")},
    )


class HandoverForm(forms.Form):
    to = forms.ChoiceField(label=_("移交给"), error_messages={"invalid_choice": _("请从列表中选择接收人")})
    reason = forms.CharField(
        label=_("移交原因"), max_length=300, min_length=2, error_messages={"required": _("请填写移交原因")}
    )

    def __init__(self, *args, memberships=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.memberships = {str(m.pk): m for m in memberships}
        self.fields["to"].choices = [("", _("请选择"))] + [
            (key, f"{m.organization.name} · {m.user.get_full_name() or m.user.username} · {m.get_role_display()}")
            for key, m in self.memberships.items()
        ]

    @property
    def membership(self):
        return self.memberships.get(self.cleaned_data.get("to", ""))


class FaqProposalForm(forms.Form):
    faq_question = forms.CharField(
        label=_("拟公开的问题"), max_length=300, min_length=4, error_messages={"max_length": _("问题最长 300 个字")}
    )
    faq_answer = forms.CharField(
        label=_("拟公开的解答"), max_length=4000, min_length=4, widget=forms.Textarea(attrs={"rows": 4})
    )


class FaqRefusalForm(forms.Form):
    reason = forms.CharField(label=_("不予公开的理由"), max_length=300, min_length=2)


# Bookings


class BookingForm(HoneypotMixin):
    """The public booking form. ``slots`` are the open ``hall.services.booking.Slot`` rows; a slot is posted as
    ``<group id>:<date>:<half-day>``, checked against them here and again, under a lock, by the service."""

    slot = forms.ChoiceField(
        label=_("预约时段"),
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择预约时段"), "invalid_choice": _("该时段已约满或不可预约，请另选")},
    )
    situation = forms.ChoiceField(label=_("业务情形"), choices=Situation.choices, initial=Situation.NEW)
    name = forms.CharField(label=_("姓名"), max_length=100, error_messages={"required": _("请填写姓名")})
    phone = forms.RegexField(
        label=_("手机号"),
        regex=MOBILE,
        max_length=11,
        error_messages={"required": _("请填写手机号"), "invalid": _("请填写 11 位手机号")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel"}),
    )

    def __init__(self, *args, slots=(), situations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.slots = {slot.key: slot for slot in slots}
        self.fields["slot"].choices = [(slot.key, slot.label) for slot in slots if slot.remaining > 0]
        if situations:
            self.fields["situation"].choices = [(v, label) for v, label in Situation.choices if v in situations]

    @property
    def chosen(self):
        return self.slots.get(self.cleaned_data.get("slot", ""))


class CancelForm(forms.Form):
    tail = forms.RegexField(
        label=_("预约手机号后四位"),
        regex=re.compile(r"^\d{4}$"),
        max_length=4,
        error_messages={"required": _("请填写手机号后四位"), "invalid": _("请填写 4 位数字")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class ArrivalForm(forms.Form):
    code = forms.CharField(
        label=_("预约码"),
        max_length=16,
        error_messages={"required": _("请填写预约码")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
    )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().upper()
