"""One rule type for every value a guide profile reads — a guide or manual field, a row's column, the item code,
and the ``[guide]`` table an item-list profile may carry: where the value is, how to cut it out of real formatting,
what to use when it is absent, and how to translate the source's codes.

A rule is a key name (``"contact.phone"``) or a table::

    legal_limit = { key = "LEGAL_LIMIT", pattern = '(?P<value>\\d*)\\s*[(（]?(?P<unit>[^)）\\d]*)',
                    map = { unit = { "工作日" = "working_day", "即办" = "instant" } } }

* ``key`` — a dotted key into the record (``items.0.name``); ``value`` — a constant instead;
* ``pattern`` — a regular expression searched in the text: its ``value`` group (or its first group, or the whole
  match) is the field's value, and every other named group ``g`` fills the sibling field ``<field>_<g>``
  (``legal_limit`` + ``unit`` → ``legal_limit_unit``); a text it does not match is an error at that field;
* ``map`` — the source's codes to the portal's (``{ "1" = "working_day" }``), or one table per named group
  (``{ unit = {…} }``); a value not in the map is kept as it is and checked like any typed value;
* ``default`` — used when the key is absent or empty; ``join`` — how a list becomes one text (default: a line break).

Profiles are written by hand, so every table is checked with ``core.profile_keys``: an unknown key names the nearest
known one, and every mistake of a profile is reported together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_noop

from core.i18n import Message
from core.profile_keys import missing_key_error, unknown_key_errors

from .schema import Column

RULE_KEYS = ("key", "value", "pattern", "map", "default", "join")
VALUE_GROUP = "value"


@dataclass(frozen=True)
class Rule:
    key: str = ""
    value: Any = None
    pattern: re.Pattern | None = None
    map: dict[str, Any] = field(default_factory=dict)
    group_maps: dict[str, dict[str, Any]] = field(default_factory=dict)
    default: Any = None
    join: str = "\n"

    @property
    def where(self) -> str:
        return self.key

    @property
    def siblings(self) -> tuple[str, ...]:
        """The named groups other than ``value``: each fills the field ``<field>_<group>``."""
        if self.pattern is None:
            return ()
        return tuple(g for g in self.pattern.groupindex if g != VALUE_GROUP)

    def extract(self, record: Any) -> tuple[dict[str, Any] | None, str | None]:
        """``{group: value}`` (``"value"`` for the field itself), None when the key is absent and there is no
        default (the field is then left as it is), or an error message."""
        if not self.key:
            raw, found = self.value, True
        else:
            raw, found = dig(record, self.key)
        if self.default is not None and (not found or raw is None or raw == "" or raw == []):
            return {VALUE_GROUP: self.default}, None
        if not found:
            return None, None
        values = {VALUE_GROUP: raw}
        if self.pattern is not None and raw not in (None, ""):
            if isinstance(raw, dict):
                return None, Message(gettext_noop("应为单个值，实为一组键值"))
            if isinstance(raw, list):
                raw = self.join.join(str(v) for v in raw if v not in (None, ""))
            text = str(raw).strip()
            match = self.pattern.search(text)
            if match is None:
                return None, Message(
                    gettext_noop("“%(value)s”不符合导入方案的格式（%(pattern)s）"),
                    value=text,
                    pattern=self.pattern.pattern,
                )
            if self.pattern.groupindex:
                values = {name: (group or "").strip() for name, group in match.groupdict().items()}
            else:
                values = {VALUE_GROUP: (match.group(1) if self.pattern.groups else match.group(0)).strip()}
        if self.map and VALUE_GROUP in values:
            values[VALUE_GROUP] = _mapped(values[VALUE_GROUP], self.map)
        for group, mapping in self.group_maps.items():
            if group in values:
                values[group] = _mapped(values[group], mapping)
        return values, None


def _mapped(value: Any, mapping: dict[str, Any]) -> Any:
    if isinstance(value, list):
        return [mapping.get(str(v), v) for v in value]
    return mapping.get(str(value), value)


def dig(record: Any, path: str) -> tuple[Any, bool]:
    """The value at a dotted key (list indices as numbers), and whether it is there at all."""
    value = record
    for part in path.split("."):
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None, False
    return value, True


def parse_rule(data: Any, where: str, errors: list[str]) -> Rule | None:
    """A rule from the profile's value, or None with the reasons appended to ``errors``."""
    if isinstance(data, str):
        if not data.strip():
            errors.append(Message(gettext_noop("“%(key)s”不能为空"), key=where))
            return None
        return Rule(key=data.strip())
    if not isinstance(data, dict):
        errors.append(
            Message(
                gettext_noop("“%(key)s”应为键名，或 { key = …, pattern = …, map = {…}, default = … } / { value = … }"),
                key=where,
            )
        )
        return None
    problems = list(unknown_key_errors(data, RULE_KEYS, where))
    key = str(data.get("key") or "").strip()
    if not key and "value" not in data and "default" not in data:
        problems.append(missing_key_error(data, "key", where))
    pattern = None
    if data.get("pattern"):
        try:
            pattern = re.compile(str(data["pattern"]))
        except re.error as exc:
            problems.append(
                Message(gettext_noop("“%(key)s.pattern”的正则表达式有误：%(error)s"), key=where, error=str(exc))
            )
    mapping = data.get("map") or {}
    value_map: dict[str, Any] = {}
    group_maps: dict[str, dict[str, Any]] = {}
    if not isinstance(mapping, dict):
        problems.append(Message(gettext_noop("“%(key)s.map”应为表（来源值 = 本系统值）"), key=where))
    elif any(isinstance(v, dict) for v in mapping.values()):
        groups = set(pattern.groupindex) if pattern is not None else set()
        for group, table in mapping.items():
            if not isinstance(table, dict) or group not in groups:
                problems.append(
                    Message(
                        gettext_noop("“%(key)s.map.%(group)s”应为 pattern 中同名分组的取值表（分组：%(groups)s）"),
                        key=where,
                        group=group,
                        groups=sorted(groups) or "—",
                    )
                )
                continue
            group_maps[str(group)] = {str(k): v for k, v in table.items()}
    else:
        value_map = {str(k): v for k, v in mapping.items()}
    errors.extend(problems)
    if problems:
        return None
    return Rule(
        key=key,
        value=data.get("value"),
        pattern=pattern,
        map=value_map,
        group_maps=group_maps,
        default=data.get("default"),
        join=str(data.get("join", "\n")),
    )


def parse_fields(table: Any, columns: dict[str, Column], where: str, errors: list[str]) -> dict[str, Rule]:
    """The rules of one table of fields (``[guide]``, ``[manual]``, ``[rows.KIND.fields]``); a pattern's named groups
    must name fields of the same table, and a field is given once."""
    if table is None:
        return {}
    if not isinstance(table, dict):
        errors.append(Message(gettext_noop("[%(key)s] 应为表"), key=where))
        return {}
    errors.extend(unknown_key_errors(table, columns, where))
    rules = {}
    for name, value in table.items():
        if name not in columns:
            continue
        rule = parse_rule(value, f"{where}.{name}", errors)
        if rule is not None:
            rules[name] = rule
    for name, rule in rules.items():
        for group in rule.siblings:
            if f"{name}_{group}" not in columns:
                errors.append(
                    Message(
                        gettext_noop("“%(key)s.pattern”的分组“%(group)s”应填入字段“%(field)s”，但没有这个字段"),
                        key=f"{where}.{name}",
                        group=group,
                        field=f"{name}_{group}",
                    )
                )
    return rules


def read_fields(
    record: Any, rules: dict[str, Rule], columns: dict[str, Column]
) -> tuple[dict[str, Any], dict[str, str], list[tuple[str, str]]]:
    """The fields a record gives through ``rules``, as the editor's form data: ``(values, where each was read,
    [(where, problem)])``. A field whose key is absent is not in ``values`` (left as it is). A pattern's named group
    that matched something fills its sibling field over that field's own rule (``20(工作日)`` says its unit; a bare
    ``20`` leaves the unit to the rule of ``legal_limit_unit``)."""
    values: dict[str, Any] = {}
    places: dict[str, str] = {}
    problems: list[tuple[str, str]] = []
    direct: list[tuple[str, Any, Rule]] = []
    grouped: list[tuple[str, Any, Rule]] = []
    for name, rule in rules.items():
        extracted, problem = rule.extract(record)
        if problem:
            problems.append((rule.key or name, problem))
            continue
        for group, raw in (extracted or {}).items():
            if group == VALUE_GROUP:
                direct.append((name, raw, rule))
            elif raw not in (None, ""):
                grouped.append((f"{name}_{group}", raw, rule))
    for target, raw, rule in direct + grouped:
        where = rule.key or target
        value, problem = convert(columns[target], raw, rule)
        if problem:
            problems.append((where, problem))
            continue
        values[target] = value
        places[target] = where
    return values, places, problems


def convert(column: Column, value: Any, rule: Rule) -> tuple[Any, str | None]:
    if isinstance(value, list) and column.kind != "multi":
        value = rule.join.join(str(v) for v in value if v not in (None, ""))
    elif isinstance(value, dict):
        return None, Message(gettext_noop("应为单个值，实为一组键值"))
    return column.to_data(value)
