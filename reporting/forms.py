from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.models import Division

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # the format a date input requires


class ReportForm(forms.Form):
    division = forms.ModelChoiceField(
        label=_("报送单位"), queryset=Division.objects.none(), help_text=_("报表统计该区划及其所辖区划的事项")
    )
    period_start = forms.DateField(
        label=_("统计期起"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    period_end = forms.DateField(label=_("统计期止"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    contact = forms.CharField(label=_("联系人及电话"), max_length=200, required=False)

    def __init__(self, *args, divisions: list[Division], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"].queryset = Division.objects.filter(pk__in=[d.pk for d in divisions]).order_by("code")
        self.fields["division"].label_from_instance = lambda d: f"{d.code} {d.name}"
        today = timezone.localdate()
        self.fields["period_start"].initial = today.replace(day=1)
        self.fields["period_end"].initial = today

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("统计期止不能早于统计期起"))
        if end and end > timezone.localdate():
            self.add_error("period_end", _("统计期止不能晚于今天"))
        if start and start < dt.date(2000, 1, 1):
            self.add_error("period_start", _("统计期起不正确"))
        return data
