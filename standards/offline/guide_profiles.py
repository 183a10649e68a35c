"""Guides exported by another system as JSON, read through a profile: a small TOML file saying where the list of
guides is, which key holds the item's implementation code, and which key feeds which guide field or row column.

A new source needs a new profile only (``standards/guide_profiles/NAME.toml`` or any path); the values then go
through the same conversion, validation and save as an offline workbook. The README shows a profile.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from catalogue.imports.profiles import ProfileError, profile_choices, read_profile_file, shipped_profile_names
from core.i18n import Message, join_messages
from core.profile_keys import missing_key_error, unknown_key_errors

from .guide_rules import VALUE_GROUP, Rule, dig, parse_fields, parse_rule, read_fields
from .inputs import MAX_ITEMS, ItemInput, Parsed, Place, RowError, RowInput
from .schema import ROW_PREFIXES, ROW_TITLES, columns_of

PROFILE_DIR = Path(__file__).resolve().parent.parent / "guide_profiles"
TOP_KEYS = ("title", "source", "guide", "manual", "rows")
SOURCE_KEYS = ("guides", "item_code")
ROW_KEYS = ("key", "from_strings", "match_on", "fields")
MAX_CODE = 64  # longer than any implementation code, national or foreign


@dataclass(frozen=True)
class RowSpec:
    """Where one kind of row is: the list's key, and either each row's fields (a list of objects) or the one field
    a list of plain strings fills (``from_strings = "name"`` for material names given as strings)."""

    key: str
    fields: dict[str, Rule]
    match_on: str = ""
    from_strings: str = ""


@dataclass(frozen=True)
class GuideProfile:
    name: str
    title: str
    guides: str
    item_code: Rule
    guide: dict[str, Rule]
    manual: dict[str, Rule]
    rows: dict[str, RowSpec]


def _table(data: Any, where: str, errors: list[str]) -> dict:
    if data is None:
        return {}
    if not isinstance(data, dict):
        errors.append(Message(gettext_noop("[%(key)s] 应为表"), key=where))
        return {}
    return data


def _row_spec(prefix: str, spec: Any, errors: list[str]) -> RowSpec | None:
    where = f"rows.{prefix}"
    spec = _table(spec, where, errors)
    errors.extend(unknown_key_errors(spec, ROW_KEYS, where))
    if not str(spec.get("key") or "").strip():
        errors.append(missing_key_error(spec, "key", where))
    columns = columns_of(prefix)
    fields = parse_fields(spec.get("fields"), columns, f"{where}.fields", errors)
    from_strings = str(spec.get("from_strings") or "")
    if from_strings and from_strings not in columns:
        errors.extend(unknown_key_errors({from_strings: 1}, columns, f"{where}.from_strings"))
    match_on = str(spec.get("match_on") or "")
    if match_on and match_on not in fields and match_on != from_strings:
        errors.append(
            Message(
                gettext_noop("“%(key)s.match_on”须是 [%(key)s.fields] 中的字段或 from_strings 所填的字段"),
                key=where,
            )
        )
    return RowSpec(key=str(spec.get("key") or "").strip(), fields=fields, match_on=match_on, from_strings=from_strings)


def parse_guide_profile(data: dict, *, name: str) -> GuideProfile:
    """A GuideProfile, or ProfileError listing every mistake of the file (unknown keys name the nearest known)."""
    errors: list[str] = list(unknown_key_errors(data, TOP_KEYS, ""))
    source = _table(data.get("source"), "source", errors)
    errors.extend(unknown_key_errors(source, SOURCE_KEYS, "source"))
    item_code = None
    if "item_code" not in source:
        errors.append(missing_key_error(source, "item_code", "source"))
    else:
        item_code = parse_rule(source["item_code"], "source.item_code", errors)
    rows_table = _table(data.get("rows"), "rows", errors)
    errors.extend(unknown_key_errors(rows_table, ROW_PREFIXES, "rows"))
    rows = {}
    for prefix, spec in rows_table.items():
        if prefix in ROW_PREFIXES:
            rows[prefix] = _row_spec(prefix, spec, errors)
    guide = parse_fields(data.get("guide"), columns_of("guide"), "guide", errors)
    manual = parse_fields(data.get("manual"), columns_of("manual"), "manual", errors)
    if errors:
        raise ProfileError(
            Message(gettext_noop("指南导入方案“%(name)s”：%(error)s"), name=name, error=join_messages(errors))
        )
    return GuideProfile(
        name=name,
        title=str(data.get("title") or name),
        guides=str(source.get("guides") or ""),
        item_code=item_code,
        guide=guide,
        manual=manual,
        rows=rows,
    )


def load_guide_profile(name_or_path: str | Path) -> GuideProfile:
    """A shipped profile by name (``standards/guide_profiles/NAME.toml``) or any profile file by path."""
    data, path = read_profile_file(name_or_path, directory=PROFILE_DIR, kind=_("指南导入方案"))
    return parse_guide_profile(data, name=path.stem)


def guide_profile_names() -> list[str]:
    return shipped_profile_names(PROFILE_DIR)


def guide_profile_choices() -> list[tuple[str, str]]:
    return profile_choices(guide_profile_names(), load_guide_profile, lambda profile, name: profile.title)


def read_guides(content: bytes, *, profile: GuideProfile, name: str = "") -> Parsed:
    """Every guide of an exported JSON as an ``ItemInput``; a value that cannot be read is a row error at its guide
    (number and item code) and field, so the apply step can import the other guides."""
    parsed = Parsed(source_name=name, guides=True)
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
        extracted, _problem = profile.item_code.extract(record)
        raw_code = (extracted or {}).get(VALUE_GROUP)
        code = str(raw_code or "").strip()
        cell = Place(place.sheet, None, profile.item_code.key)
        if not code:
            parsed.errors.append(RowError(cell, _("缺少事项实施编码")))
            continue
        if isinstance(raw_code, dict | list) or not code.isprintable() or len(code) > MAX_CODE:
            parsed.errors.append(
                RowError(cell, _("事项实施编码应为一段不含控制字符的文字（至多%(n)s个字符）") % {"n": MAX_CODE})
            )
            continue
        if code in seen:
            message = _("事项“%(code)s”与第%(n)s条指南重复") % {"code": code, "n": seen[code]}
            parsed.errors.append(RowError(place, message))  # the first guide of that code is still read
            continue
        seen[code] = number
        item = read_guide(
            record,
            code=code,
            place=place,
            errors=parsed.errors,
            guide=profile.guide,
            manual=profile.manual,
            rows=profile.rows,
        )
        parsed.items.append(item)
    return parsed


def read_guide(
    record: Any,
    *,
    code: str,
    place: Place,
    errors: list[RowError],
    guide: dict[str, Rule],
    manual: dict[str, Rule] | None = None,
    rows: dict[str, RowSpec] | None = None,
) -> ItemInput:
    """One record's fields and rows through a profile's rules (a guide export's, or the ``[guide]`` table of an item
    list's profile); problems are appended to ``errors`` with the guide's place and the field's key."""
    item = ItemInput(code=code, place=place)
    for form_name, rules in (("guide", guide), ("manual", manual or {})):
        values, places, problems = read_fields(record, rules, columns_of(form_name))
        errors.extend(RowError(Place(place.sheet, None, where), p, item=code) for where, p in problems)
        getattr(item, form_name).update(values)
        item.places.update({f"{form_name}.{n}": Place(place.sheet, None, w) for n, w in places.items()})
    for prefix, spec in (rows or {}).items():
        records, present = dig(record, spec.key)
        if not present:
            continue
        sheet = f"{place.sheet} · {ROW_TITLES[prefix]}"
        if not isinstance(records, list):
            errors.append(RowError(Place(sheet, None, spec.key), _("应为列表"), item=code))
            continue
        columns = columns_of(prefix)
        item.rows[prefix] = []
        if spec.match_on:
            item.match_on[prefix] = spec.match_on
        for row_number, row_record in enumerate(records, start=1):
            given: dict[str, Any] = {}
            if spec.from_strings and isinstance(row_record, str | int | float) and not isinstance(row_record, bool):
                value, problem = columns[spec.from_strings].to_data(row_record)
                if problem:
                    cell = Place(sheet, row_number, spec.key)
                    errors.append(RowError(cell, problem, item=code))
                    continue
                given[spec.from_strings] = value
            elif not isinstance(row_record, dict):
                expected = _("应为一段文字或一个对象（键值表）") if spec.from_strings else _("应为一个对象（键值表）")
                errors.append(RowError(Place(sheet, row_number, spec.key), expected, item=code))
                continue
            values, _places, problems = read_fields(row_record, spec.fields, columns)
            for where, problem in problems:
                errors.append(RowError(Place(sheet, row_number, where), problem, item=code))
            item.rows[prefix].append(RowInput(values={**values, **given}, place=Place(sheet, row_number)))
    return item
