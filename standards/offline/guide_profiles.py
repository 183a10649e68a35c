"""Guides exported by another system as JSON, read through a profile: a small TOML file saying where the list of
guides is, which key holds the item's implementation code, and which key feeds which guide field or row column.

A new source needs a new profile only (``standards/guide_profiles/NAME.toml`` or any path); the values then go
through the same conversion, validation and save as an offline workbook. The README shows a profile.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from catalogue.imports.profiles import ProfileError, profile_choices, read_profile_file, shipped_profile_names

from .inputs import MAX_ITEMS, ItemInput, Parsed, Place, RowError, RowInput
from .schema import ROW_PREFIXES, ROW_TITLES, Column, columns_of

PROFILE_DIR = Path(__file__).resolve().parent.parent / "guide_profiles"
SOURCE_KEYS = {"key", "value", "map", "join"}


@dataclass(frozen=True)
class Source:
    """Where one value comes from: a dotted key (``contact.phone``, ``items.0.name``), or a constant; ``map``
    translates the source's codes, ``join`` glues a list into one text."""

    key: str = ""
    value: Any = None
    map: dict[str, Any] = field(default_factory=dict)
    join: str = "\n"

    def extract(self, record: Any) -> tuple[Any, bool]:
        """The value, and whether the key was present at all (an absent key leaves the field as it is)."""
        if not self.key:
            return self.value, True
        value, found = dig(record, self.key)
        if not found:
            return None, False
        if self.map:
            if isinstance(value, list):
                value = [self.map.get(str(v), v) for v in value]
            else:
                value = self.map.get(str(value), value)
        return value, True


@dataclass(frozen=True)
class RowSpec:
    key: str
    fields: dict[str, Source]
    match_on: str = ""


@dataclass(frozen=True)
class GuideProfile:
    name: str
    title: str
    guides: str
    item_code: Source
    guide: dict[str, Source]
    manual: dict[str, Source]
    rows: dict[str, RowSpec]


def dig(record: Any, path: str) -> tuple[Any, bool]:
    value = record
    for part in path.split("."):
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None, False
    return value, True


def _source(data: Any, where: str) -> Source:
    if isinstance(data, str):
        return Source(key=data)
    if not isinstance(data, dict):
        raise ProfileError(_("“%(where)s”应为 JSON 键名或 { key = …, map = {…} } / { value = … }") % {"where": where})
    unknown = set(data) - SOURCE_KEYS
    if unknown:
        raise ProfileError(
            _("“%(where)s”中有未知的键：%(keys)s") % {"where": where, "keys": _("、").join(sorted(unknown))}
        )
    if "value" not in data and not str(data.get("key") or "").strip():
        raise ProfileError(_("“%(where)s”需要 key 或 value") % {"where": where})
    mapping = data.get("map") or {}
    if not isinstance(mapping, dict):
        raise ProfileError(_("“%(where)s.map”应为表（来源值 = 本系统值）") % {"where": where})
    return Source(
        key=str(data.get("key") or "").strip(),
        value=data.get("value"),
        map={str(k): v for k, v in mapping.items()},
        join=str(data.get("join", "\n")),
    )


def _fields(table: Any, columns: dict[str, Column], where: str) -> dict[str, Source]:
    if table is None:
        return {}
    if not isinstance(table, dict):
        raise ProfileError(_("[%(where)s] 应为表") % {"where": where})
    unknown = sorted(set(table) - set(columns))
    if unknown:
        raise ProfileError(
            _("[%(where)s] 中“%(fields)s”不是可导入的字段（可用：%(columns)s）")
            % {"where": where, "fields": _("、").join(unknown), "columns": _("、").join(columns)}
        )
    return {name: _source(value, f"{where}.{name}") for name, value in table.items()}


def parse_guide_profile(data: dict, *, name: str) -> GuideProfile:
    try:
        source = data.get("source") or {}
        if "item_code" not in source:
            raise ProfileError(_("缺少 source.item_code：须写明哪个键是事项的实施编码"))
        rows = {}
        for prefix, spec in (data.get("rows") or {}).items():
            if prefix not in ROW_PREFIXES:
                raise ProfileError(
                    _("[rows.%(prefix)s] 不是可导入的行（可用：%(prefixes)s）")
                    % {"prefix": prefix, "prefixes": _("、").join(ROW_PREFIXES)}
                )
            if not isinstance(spec, dict) or not str(spec.get("key") or "").strip():
                raise ProfileError(_("[rows.%(prefix)s] 须写 key：JSON 中该列表的键名") % {"prefix": prefix})
            fields = _fields(spec.get("fields"), columns_of(prefix), f"rows.{prefix}.fields")
            match_on = str(spec.get("match_on") or "")
            if match_on and match_on not in fields:
                raise ProfileError(
                    _("rows.%(prefix)s.match_on 须是 [rows.%(prefix)s.fields] 中的字段") % {"prefix": prefix}
                )
            rows[prefix] = RowSpec(key=str(spec["key"]), fields=fields, match_on=match_on)
        return GuideProfile(
            name=name,
            title=str(data.get("title") or name),
            guides=str(source.get("guides") or ""),
            item_code=_source(source["item_code"], "source.item_code"),
            guide=_fields(data.get("guide"), columns_of("guide"), "guide"),
            manual=_fields(data.get("manual"), columns_of("manual"), "manual"),
            rows=rows,
        )
    except ProfileError as exc:
        raise ProfileError(_("指南导入方案“%(name)s”：%(error)s") % {"name": name, "error": exc}) from exc


def load_guide_profile(name_or_path: str | Path) -> GuideProfile:
    """A shipped profile by name (``standards/guide_profiles/NAME.toml``) or any profile file by path."""
    data, path = read_profile_file(name_or_path, directory=PROFILE_DIR, kind=_("指南导入方案"))
    return parse_guide_profile(data, name=path.stem)


def guide_profile_names() -> list[str]:
    return shipped_profile_names(PROFILE_DIR)


def guide_profile_choices() -> list[tuple[str, str]]:
    return profile_choices(guide_profile_names(), load_guide_profile, lambda profile, name: profile.title)


def _convert(column: Column, value: Any, source: Source) -> tuple[Any, str | None]:
    if isinstance(value, list) and column.kind != "multi":
        value = source.join.join(str(v) for v in value if v not in (None, ""))
    elif isinstance(value, dict):
        return None, _("应为单个值，实为一组键值")
    return column.to_data(value)


def read_guides(content: bytes, *, profile: GuideProfile, name: str = "") -> Parsed:
    parsed = Parsed(source_name=name)
    whole = Place(name or _("上传的文件"))
    try:
        document = json.loads(content.decode("utf-8-sig"))
    except UnicodeDecodeError:
        parsed.errors.append(RowError(whole, _("文件不是 UTF-8 编码的 JSON")))
        return parsed
    except json.JSONDecodeError as exc:
        message = _("文件不是有效的 JSON（第%(line)s行第%(col)s列：%(msg)s）")
        parsed.errors.append(RowError(whole, message % {"line": exc.lineno, "col": exc.colno, "msg": exc.msg}))
        return parsed
    guides, found = dig(document, profile.guides) if profile.guides else (document, True)
    if not found or not isinstance(guides, list):
        where = profile.guides or _("（顶层）")
        parsed.errors.append(RowError(whole, _("在 JSON 中找不到指南列表“%(key)s”") % {"key": where}))
        return parsed
    if len(guides) > MAX_ITEMS:
        message = _("一次最多导入 %(n)s 条指南，文件中有 %(count)s 条，请分批上传")
        parsed.errors.append(RowError(whole, message % {"n": MAX_ITEMS, "count": len(guides)}))
        return parsed
    seen: dict[str, int] = {}
    for number, record in enumerate(guides, start=1):
        place = Place(_("第%(n)s条指南") % {"n": number})
        if not isinstance(record, dict):
            parsed.errors.append(RowError(place, _("应为一个对象（键值表）")))
            continue
        code, _present = profile.item_code.extract(record)
        code = str(code or "").strip()
        if not code:
            parsed.errors.append(RowError(Place(place.sheet, None, profile.item_code.key), _("缺少事项实施编码")))
            continue
        if code in seen:
            message = _("事项“%(code)s”与第%(n)s条指南重复") % {"code": code, "n": seen[code]}
            parsed.errors.append(RowError(place, message, item=code))
            continue
        seen[code] = number
        item = ItemInput(code=code, place=place)
        for form_name, sources in (("guide", profile.guide), ("manual", profile.manual)):
            columns = columns_of(form_name)
            for field_name, source in sources.items():
                raw, present = source.extract(record)
                if not present:
                    continue
                value, problem = _convert(columns[field_name], raw, source)
                cell = Place(place.sheet, None, source.key or field_name)
                if problem:
                    parsed.errors.append(RowError(cell, problem, item=code))
                    continue
                getattr(item, form_name)[field_name] = value
                item.places[f"{form_name}.{field_name}"] = cell
        for prefix, spec in profile.rows.items():
            records, present = dig(record, spec.key)
            if not present:
                continue
            sheet = f"{place.sheet} · {ROW_TITLES[prefix]}"
            if not isinstance(records, list):
                parsed.errors.append(RowError(Place(sheet, None, spec.key), _("应为列表")))
                continue
            columns = columns_of(prefix)
            item.rows[prefix] = []
            if spec.match_on:
                item.match_on[prefix] = spec.match_on
            for row_number, row_record in enumerate(records, start=1):
                if not isinstance(row_record, dict):
                    cell = Place(sheet, row_number, spec.key)
                    parsed.errors.append(RowError(cell, _("应为一个对象（键值表）"), item=code))
                    continue
                values = {}
                for field_name, source in spec.fields.items():
                    raw, found_key = source.extract(row_record)
                    if not found_key:
                        continue
                    value, problem = _convert(columns[field_name], raw, source)
                    if problem:
                        cell = Place(sheet, row_number, source.key or field_name)
                        parsed.errors.append(RowError(cell, problem, item=code))
                        continue
                    values[field_name] = value
                item.rows[prefix].append(RowInput(values=values, place=Place(sheet, row_number)))
        parsed.items.append(item)
    return parsed
