"""Starting a standard from a template."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..models import ItemStandard


class StartForm(forms.Form):
    """Starting a standard from a template: the published standard of the same item elsewhere."""

    template = forms.ModelChoiceField(label=_("参照范本"), queryset=ItemStandard.objects.none())

    def __init__(self, *args, templates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates if templates is not None else ItemStandard.objects.none()
        self.fields["template"].label_from_instance = lambda s: (
            gettext("%(division)s · %(organization)s · 第%(version)s版")
            % {
                "division": s.local_item.division,
                "organization": s.local_item.organization,
                "version": s.version,
            }
        )
