"""The guide's and the manual's scalar elements, one form each."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from catalogue.models import ItemType

from ..models import BusinessManual, DeliveryMethod, HandleForm, ServiceGuide, ServiceObject
from .fields import TEXTAREA, MultiChoiceJSONField, formfield, limit_pair_errors


class GuideForm(forms.ModelForm):
    item_type = forms.ChoiceField(
        label=_("事项类型"),
        choices=[("", "---------"), *ItemType.choices],
        required=False,
        help_text=_("须与通用目录事项类型一致"),
    )
    service_objects = MultiChoiceJSONField(
        help_text=ServiceGuide._meta.get_field("service_objects").help_text,
        label=_("服务对象"),
        choices=ServiceObject.choices,
        required=False,
    )
    delivery_methods = MultiChoiceJSONField(
        help_text=ServiceGuide._meta.get_field("delivery_methods").help_text,
        label=_("送达方式"),
        choices=DeliveryMethod.choices,
        required=False,
    )
    handle_forms = MultiChoiceJSONField(
        help_text=ServiceGuide._meta.get_field("handle_forms").help_text,
        label=_("办理形式"),
        choices=HandleForm.choices,
        required=False,
    )

    class Meta:
        model = ServiceGuide
        formfield_callback = formfield
        fields = [f.name for f in ServiceGuide._meta.concrete_fields if f.name != "standard"]
        widgets = {
            f.name: forms.Textarea(attrs=TEXTAREA)
            for f in ServiceGuide._meta.fields
            if f.get_internal_type() == "TextField"
        }

    def clean(self):
        cleaned = super().clean()
        limit_pair_errors(self, [("legal_limit", "legal_limit_unit"), ("promised_limit", "promised_limit_unit")])
        return cleaned


class ManualForm(forms.ModelForm):
    class Meta:
        model = BusinessManual
        formfield_callback = formfield
        fields = [f.name for f in BusinessManual._meta.concrete_fields if f.name != "standard"]
        widgets = {
            "effective_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            **{
                f.name: forms.Textarea(attrs=TEXTAREA)
                for f in BusinessManual._meta.fields
                if f.get_internal_type() == "TextField"
            },
        }
