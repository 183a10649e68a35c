from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from catalogue.models import Division, Organization
from reporting.models import CompendiumKind

MAX_PICKED = 2000


class ItemIdsField(forms.Field):
    """The ids of the picked items (checkboxes drawn by the page from a search, so the whole catalogue is never
    listed); whether the user may compile them is the service's question."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[int]:
        values = value or []
        if isinstance(values, str):
            values = [values]
        if len(values) > MAX_PICKED:
            raise ValidationError(_("一次最多选择 %(n)s 个事项") % {"n": MAX_PICKED})
        try:
            ids = [int(v) for v in values]
        except (TypeError, ValueError):
            raise ValidationError(_("事项选择无效")) from None
        if any(i <= 0 or i > 2**31 - 1 for i in ids):
            raise ValidationError(_("事项选择无效"))
        return ids


class CompendiumForm(forms.Form):
    kind = forms.ChoiceField(label=_("汇编范围"), choices=CompendiumKind.choices, widget=forms.RadioSelect)
    division = forms.ModelChoiceField(label=_("区划"), queryset=Division.objects.none(), required=False)
    organization = forms.ModelChoiceField(label=_("部门"), queryset=Organization.objects.none(), required=False)
    items = ItemIdsField(label=_("自选事项"), required=False)
    title = forms.CharField(label=_("标题"), max_length=200, required=False, help_text=_("不填则按范围自动命名"))
    issuer = forms.CharField(label=_("编印单位"), max_length=200, required=False)

    def __init__(self, *args, divisions, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"].queryset = divisions.order_by("code")
        self.fields["division"].label_from_instance = lambda d: f"{d.code} {d.name}"
        self.fields["organization"].queryset = organizations.select_related("division").order_by("division_id", "name")
        self.fields["organization"].label_from_instance = lambda o: f"{o.division.name} · {o.name}"
        if not divisions.exists():
            self.fields["kind"].choices = [c for c in CompendiumKind.choices if c[0] != CompendiumKind.DIVISION]
        self.fields["kind"].initial = self.fields["kind"].choices[0][0]

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == CompendiumKind.DIVISION and not data.get("division"):
            self.add_error("division", _("请选择区划"))
        if kind == CompendiumKind.DEPARTMENT and not data.get("organization"):
            self.add_error("organization", _("请选择部门"))
        if kind == CompendiumKind.PICKED and not data.get("items"):
            self.add_error("items", _("请至少选择一个事项"))
        return data
