"""Forms of the case pages: they check the shape of what was typed, with Chinese messages at the field; the rules
(what may happen to a case now, and who may do it) are the services'."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from standards.models import DeliveryMethod, Material, Situation

from .models import ApplicantKind, Decision
from .services.acceptance import Outcome
from .services.limits import MAX_EXTENSION_DAYS

PHONE = re.compile(r"^[0-9+\-\s]{7,20}$")
ID_NUMBER = re.compile(r"^[0-9A-Za-z]{6,32}$")


def material_field(material: Material) -> str:
    return f"material_{material.pk}"


class ItemPickForm(forms.Form):
    """The first step at the window: which item, which business situation."""

    local_item = forms.ModelChoiceField(
        label=_("事项"), queryset=None, empty_label=_("请选择事项"), error_messages={"required": _("请选择事项")}
    )
    situation = forms.ChoiceField(label=_("业务情形"), choices=Situation.choices, initial=Situation.NEW)

    def __init__(self, *args, items=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["local_item"].queryset = items
        self.fields["local_item"].error_messages["invalid_choice"] = _("所选事项不在您可受理的范围内")


class AcceptanceForm(ItemPickForm):
    """The application: the applicant, the checklist laid out from the standard (one box per material) and the
    outcome."""

    applicant_kind = forms.ChoiceField(label=_("申请人类型"), choices=ApplicantKind.choices)
    applicant_name = forms.CharField(
        label=_("申请人"), max_length=200, error_messages={"required": _("请填写申请人名称")}
    )
    applicant_id_number = forms.CharField(
        label=_("证件号码"), max_length=32, required=False, help_text=_("自然人填身份证号码，组织填统一社会信用代码")
    )
    applicant_phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    applicant_address = forms.CharField(label=_("地址"), max_length=300, required=False)
    legal_representative = forms.CharField(label=_("法定代表人"), max_length=100, required=False)
    contact_name = forms.CharField(label=_("联系人"), max_length=100, required=False)
    outcome = forms.ChoiceField(
        label=_("受理结果"),
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择受理结果")},
    )
    reason = forms.CharField(
        label=_("不予受理理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    competent_body = forms.CharField(
        label=_("有权机关"),
        max_length=200,
        required=False,
        help_text=_("不属于本机关职权范围的，填写应向其申请的机关"),
    )

    def __init__(self, *args, items=None, materials=(), **kwargs):
        super().__init__(*args, items=items, **kwargs)
        self.materials = list(materials)
        for material in self.materials:
            self.fields[material_field(material)] = forms.BooleanField(label=material.name, required=False)

    def material_rows(self):
        """The checklist lines with their boxes, in the standard's order."""
        return [(m, self[material_field(m)]) for m in self.materials]

    def clean_applicant_phone(self) -> str:
        phone = self.cleaned_data["applicant_phone"].strip()
        if phone and not PHONE.match(phone):
            raise forms.ValidationError(_("联系电话只能包含数字、空格、“+”和“-”，7至20位"))
        return phone

    def clean_applicant_id_number(self) -> str:
        number = self.cleaned_data["applicant_id_number"].strip().upper()
        if number and not ID_NUMBER.match(number):
            raise forms.ValidationError(_("证件号码只能包含字母和数字"))
        return number

    def clean(self):
        data = super().clean()
        if data.get("outcome") == Outcome.REFUSE and not (data.get("reason") or "").strip():
            self.add_error("reason", _("不予受理须写明理由"))
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        names = (
            "local_item",
            "situation",
            "applicant_kind",
            "applicant_name",
            "applicant_id_number",
            "applicant_phone",
            "applicant_address",
            "legal_representative",
            "contact_name",
            "outcome",
            "reason",
            "competent_body",
        )
        arguments = {name: data[name] for name in names}
        arguments["received"] = {m.pk: bool(data.get(material_field(m))) for m in self.materials}
        return arguments


class OpinionForm(forms.Form):
    opinion = forms.CharField(
        label=_("办理意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审批决定"),
        choices=Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择准予或不予")},
    )
    opinion = forms.CharField(
        label=_("决定意见"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages={"required": _("决定环节须填写书面意见")},
    )
    reason = forms.CharField(
        label=_("不予许可理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == Decision.DENY and not (data.get("reason") or "").strip():
            self.add_error("reason", _("不予许可须写明理由"))
        return data


class DeliveryForm(forms.Form):
    method = forms.ChoiceField(label=_("送达方式"), choices=(), error_messages={"required": _("请选择送达方式")})
    address = forms.CharField(label=_("送达地址"), max_length=300, required=False)

    def __init__(self, *args, methods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = [(m, DeliveryMethod(m).label) for m in methods if m in DeliveryMethod.values]


class SuspendForm(forms.Form):
    special_procedure = forms.ModelChoiceField(
        label=_("特殊环节"), queryset=None, error_messages={"required": _("请选择审批标准所列的特殊环节")}
    )
    reason = forms.CharField(
        label=_("事由"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": _("请写明启动特殊环节的事由")},
    )
    planned_days = forms.IntegerField(
        label=_("预计所需工作日"),
        min_value=1,
        max_value=365,
        error_messages={"required": _("请填写预计所需工作日"), "min_value": _("至少1个工作日")},
    )

    def __init__(self, *args, procedures=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["special_procedure"].queryset = procedures


class ExtensionRequestForm(forms.Form):
    days = forms.IntegerField(
        label=_("延长工作日"),
        min_value=1,
        max_value=MAX_EXTENSION_DAYS,
        initial=MAX_EXTENSION_DAYS,
        error_messages={"max_value": _("延长期限合计不得超过10个工作日"), "min_value": _("至少延长1个工作日")},
    )
    reason = forms.CharField(
        label=_("延长理由（将告知申请人）"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": _("请写明延长审批期限的理由")},
    )


class ExtensionDecisionForm(forms.Form):
    extension = forms.IntegerField(widget=forms.HiddenInput)
    approve = forms.TypedChoiceField(
        label=_("审批意见"),
        choices=(("1", _("批准延长")), ("0", _("不批准"))),
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择是否批准")},
    )
    opinion = forms.CharField(label=_("负责人意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class FeeForm(forms.Form):
    fee_item = forms.ModelChoiceField(
        label=_("标准收费项目"), queryset=None, required=False, empty_label=_("（不在标准收费项目内）")
    )
    other_name = forms.CharField(label=_("其他收费项目名称"), max_length=200, required=False)
    amount = forms.DecimalField(
        label=_("金额（元）"),
        min_value=0.01,
        max_digits=12,
        decimal_places=2,
        error_messages={"required": _("请填写收费金额"), "min_value": _("收费金额须大于0")},
    )

    def __init__(self, *args, fees=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fee_item"].queryset = fees

    def clean(self):
        data = super().clean()
        if not data.get("fee_item") and not (data.get("other_name") or "").strip():
            self.add_error("other_name", _("请选择标准收费项目，或填写实际收费项目名称"))
        return data


class SupplementForm(forms.Form):
    material_ids = forms.MultipleChoiceField(
        label=_("本次收到的补正材料"),
        choices=(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请勾选本次补正收到的材料")},
    )

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["material_ids"].choices = [(str(m.pk), m.name) for m in lines]


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("不予受理理由"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": _("不予受理须写明理由")},
    )
    competent_body = forms.CharField(label=_("有权机关"), max_length=200, required=False)
