"""Bounds and wording: every number a person types into the editor has a sensible range, and validation messages
read as a person would say them, not as Django's stock "确保该变量包含不超过 200 字符"."""

from __future__ import annotations

import pytest
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import translation

from standards.forms import ROW_FORMSETS, GuideForm, ManualForm
from standards.models import ROW_MODELS, BusinessManual, Material, ServiceGuide

EDITOR_MODELS = (ServiceGuide, BusinessManual, *ROW_MODELS)
# ``position`` is kept in order by the editor's script, never typed; the database's own range guards it.
NOT_TYPED = {"position"}


def number_fields():
    for model in EDITOR_MODELS:
        for field in model._meta.concrete_fields:
            if isinstance(field, models.IntegerField) and not field.primary_key and field.name not in NOT_TYPED:
                yield model, field


def limits(field) -> tuple[int | None, int | None]:
    low = [v.limit_value for v in field.validators if isinstance(v, MinValueValidator)]
    high = [v.limit_value for v in field.validators if isinstance(v, MaxValueValidator)]
    return (max(low) if low else None, min(high) if high else None)


@pytest.mark.parametrize(("model", "field"), list(number_fields()), ids=lambda x: getattr(x, "name", ""))
def test_every_number_field_of_the_editor_has_a_sensible_range(model, field):
    low, high = limits(field)
    assert low == 0 and high is not None and high <= 3650, f"{model.__name__}.{field.name}: {low}–{high}"


def test_the_ranges_people_expect():
    assert limits(Material._meta.get_field("copy_count")) == (0, 99)
    assert limits(Material._meta.get_field("original_count")) == (0, 99)
    assert limits(ServiceGuide._meta.get_field("promised_limit")) == (0, 3650)
    assert limits(ServiceGuide._meta.get_field("legal_limit")) == (0, 3650)


def test_the_editors_forms_refuse_out_of_range_numbers_and_tell_the_browser(db):
    with translation.override("zh-hans"):
        guide = GuideForm({"legal_limit": "99999999999", "legal_limit_unit": "working_day"}, instance=ServiceGuide())
        assert not guide.is_valid()
        assert guide.errors["legal_limit"] == ["不能大于 3650。"]
        assert 'max="3650"' in str(guide["legal_limit"]) and 'min="0"' in str(guide["legal_limit"])
        materials = {prefix: formset for prefix, _title, _section, formset in ROW_FORMSETS}["materials"]
        row = materials.form({"name": "申请书", "copy_count": "99999999999"}, instance=Material())
        assert not row.is_valid()
        assert row.errors["copy_count"] == ["不能大于 99。"]
        assert 'max="99"' in str(row["copy_count"])


def test_every_number_input_of_the_editor_has_min_and_max():
    forms_ = [GuideForm(), ManualForm(), *(formset.form() for _p, _t, _s, formset in ROW_FORMSETS)]
    for form in forms_:
        for name, field in form.fields.items():
            if isinstance(field, forms.IntegerField) and name not in NOT_TYPED:
                attrs = field.widget.attrs
                assert "min" in attrs and "max" in attrs, f"{type(form).__name__}.{name}"


def test_validation_messages_read_as_a_person_would_say_them(db):
    with translation.override("zh-hans"):
        guide = GuideForm({"item_name": "名" * 250, "online_url": "not a url"}, instance=ServiceGuide())
        assert not guide.is_valid()
        assert guide.errors["item_name"] == ["最多 200 个字（现有 250 个）。"]
        assert "网址" in guide.errors["online_url"][0]
        required = forms.CharField().error_messages["required"]
        assert str(required) == "请填写此项。"
        for messages in guide.errors.values():
            for message in messages:
                assert "变量" not in message and "确保" not in message
