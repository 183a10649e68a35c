"""Field paths of a standard, as the quality checks and the editor name them (reviewers' comments use them too).

``guide.address`` and ``manual.staff_requirements`` name a field of the guide or the manual; ``materials`` names a
whole list of rows (the editor's formset prefix); ``materials[2]`` the third row of it in editor order (position, id),
optionally followed by a field (``materials[2].name``). An indexed path is stored with the row's ``uid`` so that it
can be re-indexed after the author reorders, adds or deletes rows.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils.translation import gettext as _

from .forms import ROW_FORMSETS, SECTIONS
from .models import BusinessManual, ItemStandard, ServiceGuide, StandardRow

_PATH = re.compile(r"^(?P<prefix>[a-z_]+)(?:\[(?P<index>\d+)\])?(?:\.(?P<field>[a-z_]+))?$")
PARTS = {"guide": ServiceGuide, "manual": BusinessManual}


@dataclass(frozen=True)
class RowKind:
    prefix: str
    title: str
    model: type[StandardRow]


ROW_KINDS: dict[str, RowKind] = {
    prefix: RowKind(prefix, title, formset.model) for prefix, title, _section, formset in ROW_FORMSETS
}


@dataclass(frozen=True)
class Path:
    prefix: str
    index: int | None = None
    field: str | None = None

    @property
    def is_row(self) -> bool:
        return self.prefix in ROW_KINDS and self.index is not None

    def with_index(self, index: int | None) -> str:
        """The same place at another row index (``None``: the whole list)."""
        text = self.prefix if index is None else f"{self.prefix}[{index}]"
        return f"{text}.{self.field}" if self.field and index is not None else text


def parse(path: str) -> Path:
    """Split and check a field path; raises ``ValidationError`` for a path no editor field answers to."""
    match = _PATH.match(path or "")
    if not match:
        raise ValidationError(_("字段位置“%(path)s”格式不正确") % {"path": path})
    prefix, index, field = match["prefix"], match["index"], match["field"]
    if prefix in PARTS:
        if index is not None or not field:
            raise ValidationError(_("字段位置“%(path)s”格式不正确") % {"path": path})
        _field(PARTS[prefix], field, path)
    elif prefix in ROW_KINDS:
        if field:
            if index is None:
                raise ValidationError(_("字段位置“%(path)s”格式不正确") % {"path": path})
            _field(ROW_KINDS[prefix].model, field, path)
    else:
        raise ValidationError(_("字段位置“%(path)s”不存在") % {"path": path})
    return Path(prefix, int(index) if index is not None else None, field)


def _field(model, name: str, path: str) -> None:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        raise ValidationError(_("字段位置“%(path)s”不存在") % {"path": path}) from None


def _rows(standard_id: int, kinds: Iterable[RowKind]) -> dict[str, list[StandardRow]]:
    """The rows of each kind in editor order: one query per kind."""
    return {
        kind.prefix: list(kind.model.objects.filter(standard_id=standard_id).order_by("position", "id"))
        for kind in kinds
    }


def row_uid(standard: ItemStandard, path: str) -> uuid.UUID | None:
    """The uid of the row an indexed path points at now, or None (not a row path, or no such row)."""
    parsed = parse(path)
    if not parsed.is_row:
        return None
    rows = _rows(standard.pk, [ROW_KINDS[parsed.prefix]])[parsed.prefix]
    return rows[parsed.index].uid if parsed.index < len(rows) else None


def reindex(standard: ItemStandard, comments: list) -> dict[int, str]:
    """The current path of each comment (by pk): rows found by uid, a row since deleted falls back to its list."""
    prefixes = {parse(c.field_path).prefix for c in comments if c.row_uid and c.field_path}
    rows = _rows(standard.pk, [ROW_KINDS[p] for p in prefixes if p in ROW_KINDS])
    positions = {prefix: {row.uid: k for k, row in enumerate(kind_rows)} for prefix, kind_rows in rows.items()}
    current = {}
    for comment in comments:
        if not comment.row_uid or not comment.field_path:
            current[comment.pk] = comment.field_path
            continue
        parsed = parse(comment.field_path)
        current[comment.pk] = parsed.with_index(positions.get(parsed.prefix, {}).get(comment.row_uid))
    return current


def choices(standard: ItemStandard) -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped choices for a reviewer's comment: every guide and manual field the editor shows, and every list and row
    of this standard. One query per kind of row."""
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    rows = _rows(standard.pk, ROW_KINDS.values())
    row_kinds_by_section: dict[str, list[RowKind]] = {}
    for prefix, _title, section, _formset in ROW_FORMSETS:
        row_kinds_by_section.setdefault(section, []).append(ROW_KINDS[prefix])
    for anchor, title, guide_fields, manual_fields in SECTIONS:
        options = [(f"guide.{name}", _label(ServiceGuide, name)) for name in guide_fields]
        options += [(f"manual.{name}", _label(BusinessManual, name)) for name in manual_fields]
        for kind in row_kinds_by_section.get(anchor, []):
            options.append((kind.prefix, _("%(title)s（整体）") % {"title": kind.title}))
            for k, row in enumerate(rows[kind.prefix]):
                label = row.row_label() or _("未命名")
                options.append(
                    (
                        f"{kind.prefix}[{k}]",
                        _("%(title)s · 第%(n)d项 %(label)s") % {"title": kind.title, "n": k + 1, "label": label},
                    )
                )
        if options:
            groups.append((str(title), options))
    return groups


def _label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def describe(path: str, labels: dict[str, str] | None = None) -> str:
    """A readable name for a path (from ``labels`` when given, e.g. the flattened ``choices``), else the path."""
    if not path:
        return _("整体意见")
    if labels and path in labels:
        return labels[path]
    try:
        parsed = parse(path)
    except ValidationError:
        return path
    if parsed.prefix in PARTS:
        part = _("办事指南") if parsed.prefix == "guide" else _("业务手册")
        return f"{part} · {_label(PARTS[parsed.prefix], parsed.field)}"
    kind = ROW_KINDS[parsed.prefix]
    if parsed.index is None:
        return kind.title
    text = _("%(title)s · 第%(n)d项") % {"title": kind.title, "n": parsed.index + 1}
    if parsed.field:
        text += f" · {_label(kind.model, parsed.field)}"
    return text
