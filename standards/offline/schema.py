"""The layout of the offline workbook, derived from the editor's own forms so the two never disagree: one sheet per
editor section that has guide or manual fields, one sheet per kind of row, each column one form field.

Values travel as the editor's form data (the same strings a browser would post), so an upload is validated and saved
by the editor's forms; this module only turns a cell into that data and back.
"""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from core.text import normalize_newlines

from ..forms import ROW_FORMSETS, SECTIONS, GuideForm, ManualForm

# Flags are written in the workbook's language; both languages' words are read back.
TRUE_LABEL, FALSE_LABEL = gettext_lazy("是"), gettext_lazy("否")
TRUE_WORDS = {"是", "true", "1", "y", "yes", "√", "on"}
FALSE_WORDS = {"否", "false", "0", "n", "no", "×", ""}
MULTI_SPLIT = re.compile(r"[、,，;；|\n]+")  # "|": how Guangdong's lists separate service objects

# Technical keys of the item and row columns, in the hidden first row of every sheet.
ITEM_KEY, NAME_KEY, UID_KEY, REVISION_KEY = "_item", "_name", "_uid", "_revision"


@dataclass(frozen=True)
class Column:
    """One form field as a workbook column (or a JSON key's target)."""

    form: str  # "guide", "manual" or a row formset's prefix
    name: str
    label: str
    help: str
    kind: str  # text, long, int, bool, date, choice, multi, step
    choices: tuple[tuple[str, str], ...] = ()
    required: bool = False

    @property
    def key(self) -> str:
        return f"{self.form}.{self.name}"

    @property
    def width(self) -> int:
        """Excel widths count Latin characters; a Chinese character takes two."""
        if self.kind == "long":
            return 48
        longest = max([len(self.label), *(len(label) for _code, label in self.choices)], default=4)
        return max(10, min(2 * longest + 4, 36))

    def labels(self) -> list[str]:
        if self.kind == "bool":
            return [str(TRUE_LABEL), str(FALSE_LABEL)]
        return [label for _code, label in self.choices]

    def to_cell(self, value: Any) -> Any:
        """A model value as the cell shows it: labels for codes, 是/否 for flags."""
        if self.kind == "bool":
            return str(TRUE_LABEL if value else FALSE_LABEL)
        if value in (None, ""):
            return None
        if self.kind == "choice":
            return dict(self.choices).get(str(value), str(value))
        if self.kind == "multi":
            names = dict(self.choices)
            return "、".join(names.get(str(code), str(code)) for code in value or [])
        if self.kind == "step":
            return value.row_label() if hasattr(value, "row_label") else str(value)
        return value

    def to_data(self, raw: Any) -> tuple[Any, str | None]:
        """A cell's (or JSON value's) content as the editor's form data, or an error message in Chinese."""
        if isinstance(raw, str):
            raw = normalize_newlines(raw.strip())
        if self.kind == "bool":
            word = str(raw if raw is not None else "").strip().lower()
            if isinstance(raw, bool):
                return raw, None
            if word in TRUE_WORDS:
                return True, None
            if word in FALSE_WORDS:
                return False, None
            return None, _("应填“是”或“否”，实为“%(value)s”") % {"value": raw}
        if raw is None or raw == "":
            return ([] if self.kind == "multi" else ""), None
        if self.kind == "int":
            if isinstance(raw, float) and raw.is_integer():
                raw = int(raw)
            if isinstance(raw, int) and raw >= 0:
                return str(raw), None
            if isinstance(raw, str) and raw.isdigit():
                return raw, None
            return None, _("应为不小于 0 的整数，实为“%(value)s”") % {"value": raw}
        if self.kind == "date":
            if isinstance(raw, datetime.datetime):
                return raw.date().isoformat(), None
            if isinstance(raw, datetime.date):
                return raw.isoformat(), None
            try:
                return datetime.date.fromisoformat(str(raw).replace("/", "-")).isoformat(), None
            except ValueError:
                return None, _("日期格式应为 2025-01-31，实为“%(value)s”") % {"value": raw}
        if self.kind == "choice":
            code = self._code(str(raw))
            if code is None:
                return None, self._not_a_choice(raw)
            return code, None
        if self.kind == "multi":
            values = raw if isinstance(raw, list) else MULTI_SPLIT.split(str(raw))
            codes = []
            for part in (str(v).strip() for v in values):
                if not part:
                    continue
                code = self._code(part)
                if code is None:
                    return None, self._not_a_choice(part)
                codes.append(code)
            return codes, None
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)  # a phone or number typed into a text column
        if isinstance(raw, datetime.datetime | datetime.date):
            raw = raw.isoformat()
        return str(raw), None

    def _code(self, text: str) -> str | None:
        for code, label in self.choices:
            if text in (label, code):
                return code
        return None

    def _not_a_choice(self, raw) -> str:
        return _("“%(value)s”不是可选值，应为：%(choices)s") % {"value": raw, "choices": "、".join(self.labels())}


def _kind(field: forms.Field, model_field) -> str:
    if isinstance(field, forms.MultipleChoiceField):
        return "multi"
    if isinstance(field, forms.BooleanField):
        return "bool"
    if isinstance(field, forms.ModelChoiceField):
        return "step"
    if isinstance(field, forms.ChoiceField):
        return "choice"
    if isinstance(field, forms.IntegerField):
        return "int"
    if isinstance(field, forms.DateField):
        return "date"
    if model_field is not None and model_field.get_internal_type() == "TextField":
        return "long"
    return "text"


def _columns(form_name: str, form_class, names) -> list[Column]:
    model = form_class._meta.model
    columns = []
    for name in names:
        field = form_class.base_fields[name]
        if isinstance(field, forms.FileField) or name == "position":
            continue  # files are uploaded in the editor; the order of rows is the order of the sheet's lines
        model_field = model._meta.get_field(name)
        kind = _kind(field, model_field)
        if kind == "step":
            label = _("所属环节")
            help_text = _("选择本行所属的内部环节（须为已保存的环节，写法如“新办 · 受理”）")
        else:
            label, help_text = str(field.label), str(field.help_text or model_field.help_text or "")
        choices = ()
        if kind in ("choice", "multi"):  # never a model choice field's: iterating it would read the whole table
            choices = tuple((str(c), str(lbl)) for c, lbl in field.choices if c not in ("", None))
        columns.append(
            Column(
                form=form_name,
                name=name,
                label=label,
                help=help_text,
                kind=kind,
                choices=choices,
                required=field.required and kind != "bool",
            )
        )
    return columns


@dataclass(frozen=True)
class Sheet:
    title: str
    form: str  # "scalar" for guide/manual fields, else the row formset's prefix
    columns: tuple[Column, ...]

    @property
    def is_rows(self) -> bool:
        return self.form != "scalar"


def _sheet_title(title: str) -> str:
    return str(title).replace("·", "-").replace("  ", " ")[:31]


def build_sheets() -> tuple[Sheet, ...]:
    """Sheets in the editor's order: each section's fields, then the rows that belong to it."""
    rows_by_section: dict[str, list] = {}
    for prefix, title, section, formset_class in ROW_FORMSETS:
        rows_by_section.setdefault(section, []).append((prefix, title, formset_class))
    sheets = []
    for anchor, title, guide_fields, manual_fields in SECTIONS:
        columns = _columns("guide", GuideForm, guide_fields) + _columns("manual", ManualForm, manual_fields)
        if columns:
            sheets.append(Sheet(title=_sheet_title(title), form="scalar", columns=tuple(columns)))
        for prefix, row_title, formset_class in rows_by_section.get(anchor, []):
            form_class = formset_class.form
            names = [n for n in form_class.base_fields if n not in ("id", "DELETE", "standard")]
            columns = _columns(prefix, form_class, names)
            sheets.append(Sheet(title=_sheet_title(row_title), form=prefix, columns=tuple(columns)))
    return tuple(sheets)


@functools.cache
def _sheets_in(language: str | None) -> tuple[Sheet, ...]:
    return build_sheets()


def sheets() -> tuple[Sheet, ...]:
    """The layout with labels in the active language (built once per language)."""
    return _sheets_in(get_language())


@functools.cache
def _columns_in(language: str | None, form: str) -> dict[str, Column]:
    return {c.name: c for sheet in _sheets_in(language) for c in sheet.columns if c.form == form}


def columns_of(form: str) -> dict[str, Column]:
    """Every column of the guide, the manual or one kind of row, by field name."""
    return _columns_in(get_language(), form)


ROW_PREFIXES = tuple(prefix for prefix, *_rest in ROW_FORMSETS)
ROW_TITLES = {prefix: title for prefix, title, *_rest in ROW_FORMSETS}
