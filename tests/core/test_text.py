"""One way to store line breaks: the helper and the form field every text input goes through."""

from __future__ import annotations

from django import forms
from django.db import models

from core.text import TextField, normalize_newlines, text_formfield


def test_crlf_and_cr_become_lf_and_other_values_pass():
    assert normalize_newlines("a\r\nb\rc\nd") == "a\nb\nc\nd"
    assert normalize_newlines("\r\n\r\n") == "\n\n"
    assert normalize_newlines(None) is None and normalize_newlines(3) == 3 and normalize_newlines([]) == []


def test_a_text_field_compares_and_cleans_without_cr():
    field = TextField(widget=forms.Textarea)
    assert field.clean("甲\r\n乙") == "甲\n乙"
    assert not field.has_changed("甲\n乙", "甲\r\n乙")
    assert field.has_changed("甲\n乙", "甲\r\n丙")


def test_model_forms_get_the_text_field_for_plain_text_only():
    assert type(text_formfield(models.TextField())) is TextField
    assert type(text_formfield(models.CharField(max_length=5))) is TextField
    assert type(text_formfield(models.URLField(), assume_scheme="https")) is forms.URLField
    assert type(text_formfield(models.EmailField())) is forms.EmailField
    assert type(text_formfield(models.CharField(max_length=1, choices=[("a", "A")]))) is forms.TypedChoiceField
