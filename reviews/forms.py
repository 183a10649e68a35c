"""Forms of the review screen: the return (reasons, comments by field, note) and the pass (note)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ReturnReason
from .services import CommentInput

COMMENT_ROWS = 4


class PassForm(forms.Form):
    note = forms.CharField(
        label=_("审查意见（选填）"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
    )


class PublishForm(forms.Form):
    note = forms.CharField(
        label=_("变更说明（选填，公开）"),
        help_text=_("公众在办事指南的版本记录中看到；不填则沿用该版本已有的说明（首次发布为“首次发布”）。"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )


class ReturnForm(forms.Form):
    reasons = forms.ModelMultipleChoiceField(
        label=_("退回理由"),
        queryset=ReturnReason.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("退回说明（选填，未填写时以所选理由作为说明）"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
    )

    def __init__(self, *args, reasons=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reasons"].queryset = reasons if reasons is not None else ReturnReason.objects.filter(active=True)


class CommentForm(forms.Form):
    reason = forms.ModelChoiceField(
        label=_("理由"),
        queryset=ReturnReason.objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm", "aria-label": _("该条意见的退回理由")}),
    )
    field_path = forms.ChoiceField(
        label=_("字段位置"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm", "aria-label": _("意见所指的字段或行")}),
    )
    text = forms.CharField(
        label=_("意见"),
        required=False,
        max_length=1000,
        widget=forms.TextInput(
            attrs={"class": "form-control form-control-sm", "placeholder": _("修改意见"), "aria-label": _("修改意见")}
        ),
    )

    def __init__(self, *args, reasons=None, path_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].queryset = reasons if reasons is not None else ReturnReason.objects.filter(active=True)
        self.fields["reason"].empty_label = _("选择理由")
        self.fields["field_path"].choices = [("", _("整体意见")), *path_choices]

    def clean(self):
        data = super().clean()
        if (data.get("text") or data.get("field_path")) and not data.get("reason"):
            self.add_error("reason", _("请选择这条意见对应的退回理由"))
        return data

    def as_input(self) -> CommentInput | None:
        data = getattr(self, "cleaned_data", None) or {}
        if not data.get("reason"):
            return None
        return CommentInput(data["reason"], data.get("field_path") or "", data.get("text") or "")


class BaseCommentFormSet(forms.BaseFormSet):
    def __init__(self, *args, reasons=None, path_choices=(), **kwargs):
        self.reasons, self.path_choices = reasons, path_choices
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"reasons": self.reasons, "path_choices": self.path_choices}

    def inputs(self) -> list[CommentInput]:
        return [c for c in (form.as_input() for form in self.forms) if c is not None]


CommentFormSet = forms.formset_factory(
    CommentForm, formset=BaseCommentFormSet, extra=COMMENT_ROWS, max_num=30, validate_max=True
)
