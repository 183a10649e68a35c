"""An inline formset per kind of row, resolving row ids and step links from rows loaded once."""

from __future__ import annotations

from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from ..models import (
    Citation,
    DiscretionBenchmark,
    Faq,
    FeeItem,
    InternalForm,
    ItemStandard,
    ManualStep,
    Material,
    ProcessStep,
    ResultSample,
    ReviewPoint,
    SpecialProcedure,
    SupervisionCheck,
)
from .fields import formfield, limit_pair_errors


class RowForm(forms.ModelForm):
    """A row of a formset; ``position`` is a small number input that the editor's script keeps in order."""

    def __init__(self, *args, step_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if "position" in self.fields:
            self.fields["position"].widget = forms.NumberInput(attrs={"class": "row-position", "min": 0})
            self.fields["position"].required = False
        if self._links_step() and step_choices is not None:
            # The same prepared steps for every row: no query per form. ``step_choices`` maps id → ManualStep.
            steps = step_choices
            self.fields["step"] = forms.TypedChoiceField(
                label=_("所属环节"),
                choices=[("", "---------"), *((pk, step.row_label()) for pk, step in steps.items())],
                coerce=lambda value: steps[int(value)],
                required=False,
                empty_value=None,
            )
            if self.instance.pk and self.instance.step_id:
                self.initial["step"] = self.instance.step_id
        for field in self.fields.values():
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs.setdefault("rows", 2)

    def validate_unique(self):
        """Rows are unique by (standard, uid), and both are set by the code, never by the form: checking them would
        cost a query per row on every save."""

    def _links_step(self) -> bool:
        """Review points and internal forms link to a manual step; a manual step's own ``step`` is its kind."""
        return "step" in self.fields and self._meta.model._meta.get_field("step").is_relation

    def clean_position(self):
        return self.cleaned_data.get("position") or 0

    def clean(self):
        cleaned = super().clean()
        if "duration" in self.fields:
            limit_pair_errors(self, [("duration", "duration_unit")])
        if "step_limit" in self.fields:
            limit_pair_errors(self, [("step_limit", "step_limit_unit")])
        return cleaned


class RowIdField(forms.Field):
    """The hidden id of a row, resolved from the rows the formset already loaded: Django's default field runs a
    query per row, and would accept the id of another standard's row. Such an id is refused here."""

    widget = forms.HiddenInput

    def __init__(self, rows: dict, **kwargs):
        self.rows = rows
        super().__init__(required=False, **kwargs)

    def has_changed(self, initial, data) -> bool:
        return str(initial or "") != str(data or "")

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return self.rows[int(value)]
        except (KeyError, TypeError, ValueError):
            raise forms.ValidationError(
                _("该行不属于本标准或已被他人删除，请刷新页面后重试"), code="invalid_choice"
            ) from None


class RowFormSet(BaseInlineFormSet):
    def __init__(self, *args, step_choices=None, **kwargs):
        self.step_choices = step_choices
        super().__init__(*args, **kwargs)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        pk_name = self.model._meta.pk.name
        if pk_name in form.fields:
            original = form.fields[pk_name]
            form.fields[pk_name] = RowIdField(self.rows_by_pk(), initial=original.initial, widget=original.widget)

    def rows_by_pk(self) -> dict:
        if not hasattr(self, "_row_index"):
            self._row_index = {obj.pk: obj for obj in self.get_queryset()}
        return self._row_index

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        kwargs["step_choices"] = self.step_choices
        return kwargs

    @property
    def empty_form(self):
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            **self.get_form_kwargs(None),
        )
        self.add_fields(form, None)
        return form


def _formset(model, fields, **widgets):
    return inlineformset_factory(
        ItemStandard,
        model,
        form=RowForm,
        formset=RowFormSet,
        fields=("position", *fields),
        extra=0,
        can_delete=True,
        widgets=widgets,
        formfield_callback=formfield,
    )


# (prefix, title, section, formset class): the editor shows them in this order.
ROW_FORMSETS = [
    (
        "citations",
        _("法律依据"),
        "basis",
        _formset(
            Citation, ["role", "law_name", "doc_number", "article_ref", "law_rank", "issuing_authority", "article_text"]
        ),
    ),
    (
        "materials",
        _("申请材料"),
        "materials",
        _formset(
            Material,
            [
                "situation",
                "name",
                "material_type",
                "material_form",
                "source_channel",
                "source_note",
                "original_count",
                "copy_count",
                "paper_spec",
                "necessity",
                "optional_when",
                "fill_instructions",
                "acceptance_standard",
                "basis",
                "blank_form",
                "sample_form",
                "remark",
            ],
        ),
    ),
    (
        "steps",
        _("办理环节"),
        "process",
        _formset(ProcessStep, ["name", "handling_office", "duration", "duration_unit", "description"]),
    ),
    (
        "special_procedures",
        _("特殊环节"),
        "process",
        _formset(
            SpecialProcedure, ["name", "duration", "duration_unit", "legal_basis", "is_charged", "counted_in_limit"]
        ),
    ),
    (
        "fees",
        _("收费项目"),
        "fees",
        _formset(FeeItem, ["name", "standard_text", "basis", "reducible", "reduction_basis"]),
    ),
    ("result_samples", _("审批结果样本"), "results", _formset(ResultSample, ["name", "sample"])),
    ("faqs", _("常见问题"), "faq", _formset(Faq, ["question", "answer"])),
    (
        "manual_steps",
        _("内部环节"),
        "manual_process",
        _formset(
            ManualStep,
            [
                "business_kind",
                "step",
                "description",
                "responsible_post",
                "step_limit",
                "step_limit_unit",
                "counted_in_limit",
                "opinion_rule",
            ],
        ),
    ),
    (
        "review_points",
        _("审查要点"),
        "manual_review",
        _formset(ReviewPoint, ["step", "point", "standard_text", "method", "basis", "result_if_fail"]),
    ),
    (
        "benchmarks",
        _("裁量基准"),
        "manual_review",
        _formset(DiscretionBenchmark, ["clause_ref", "discretion_point", "situation", "standard_text", "note"]),
    ),
    ("internal_forms", _("内部文书"), "manual_forms", _formset(InternalForm, ["name", "step", "template"])),
    (
        "supervision_checks",
        _("监督检查量化表"),
        "manual_forms",
        _formset(SupervisionCheck, ["item", "criterion", "score"]),
    ),
]
