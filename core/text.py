"""Text as people type it, stored one way.

A browser sends every line break of a ``<textarea>`` as CR LF, Excel may keep a CR in a cell, and a CSV written on
Windows has CR LF inside its quoted cells; the stored text has LF only. Otherwise the first save from a browser
changes every multi-line value, and the history and the reviewers' diff show edits that nobody made. Every way text
comes in (forms, offline workbooks, imports) passes through ``normalize_newlines``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models


def normalize_newlines(value: Any) -> Any:
    """``\\r\\n`` and a lone ``\\r`` become ``\\n``; anything that is not a string is returned as it is."""
    if isinstance(value, str) and "\r" in value:
        return value.replace("\r\n", "\n").replace("\r", "\n")
    return value


class NormalizedNewlinesMixin:
    """A form field mixin: the cleaned value (and what ``has_changed`` compares) has ``\\n`` line breaks only, so an
    unchanged text posted back by a browser is unchanged."""

    def to_python(self, value):
        return normalize_newlines(super().to_python(value))


class TextField(NormalizedNewlinesMixin, forms.CharField):
    """A ``CharField`` whose line breaks are normalised; model forms get it from ``text_formfield``."""


def text_formfield(model_field, **kwargs):
    """A model form's ``formfield_callback``: plain text and char model fields without choices get ``TextField``
    (e-mail, URL and other subclasses keep their own form fields)."""
    if type(model_field) in (models.CharField, models.TextField) and not model_field.choices:
        kwargs.setdefault("form_class", TextField)
    return model_field.formfield(**kwargs)
