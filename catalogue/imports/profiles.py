"""Import profiles: declarative TOML files that say how one source's item list maps onto the catalogue.

Every province's export names its columns, type codes and levels its own way (domain decision 2: never guess a type
mapping), so the differences live in data, not code: a new source needs a new profile file only. A profile is
checked in full when it is loaded, so a mistake in it is reported once, before any row is read.
"""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext, gettext_noop

from catalogue.codes import TYPE_SCHEMES
from catalogue.models import ItemType
from core.i18n import Message, error_message, join_messages
from core.profile_keys import missing_key_error, unknown_key_errors

logger = logging.getLogger(__name__)

PROFILE_DIR = Path(__file__).resolve().parent.parent / "import_profiles"
FORMATS = ("csv", "xlsx", "jsonl")
CODE_SCHEMES = ("national", "foreign")
MATCH_KEYS = ("code", "name")
RULE_KEYS = ("column", "pattern", "value")
# The keys each table of an item profile may have (None: the table is a value rule, see ``Rule``), and the keys it
# must have. A table another part of the portal reads (e.g. a ``[guide]`` table) is one more line here.
TABLE_KEYS: dict[str, tuple[str, ...] | None] = {
    "": ("title", "source", "division", "department", "general", "local", "guide"),
    "guide": None,  # read by the standards (``standards.offline.item_guides``), with its own key check
    "source": ("format", "encoding", "header_row", "sheet"),
    "division": None,
    "department": ("name", "code", "match"),
    "general": ("code", "name", "type", "code_scheme", "type_scheme", "types", "sector", "sector_name", "tree"),
    "general.tree": ("main_name", "sub_name", "main_code_prefix"),
    "local": ("code", "code_scheme"),
}
REQUIRED_KEYS = {
    "department": ("name", "code"),
    "general": ("code", "name", "type"),
    "local": ("code",),
}
# The rules whose values are codes: read as text from any cell, and an Excel number in them is reported as such.
CODE_RULES = ("division", "department_code", "general_code", "general_type", "local_code", "sector")


class ProfileError(ValueError):
    """A profile that cannot drive an import; the message (a ``Message``) names the file and the key."""


@dataclass(frozen=True)
class Rule:
    """Where one value comes from: a source column (optionally cut by a regular expression whose first group is the
    value), or a constant."""

    column: str = ""
    pattern: re.Pattern | None = None
    value: str = ""

    def extract(self, row: dict[str, str]) -> str:
        if not self.column:
            return self.value
        raw = (row.get(self.column) or "").strip()
        if self.pattern is None or not raw:
            return raw
        match = self.pattern.search(raw)
        return (match.group(1) or "").strip() if match else ""


@dataclass(frozen=True)
class Profile:
    name: str
    title: str
    format: str
    encoding: str
    header_row: int
    sheet: str
    division: Rule | None
    department_name: Rule
    department_code: Rule
    department_match: tuple[str, ...]
    general_code: Rule
    general_name: Rule
    general_type: Rule
    general_code_scheme: str
    type_map: dict[str, str]
    # The shipped scheme the profile names (``[general] type_scheme``), or "" when it maps the codes itself.
    type_scheme: str
    sector: Rule | None
    sector_name: Rule | None
    main_name: Rule | None
    sub_name: Rule | None
    main_code_prefix: str
    local_code: Rule
    local_code_scheme: str
    source: Path | None = None
    columns: tuple[str, ...] = field(default=())
    # The ``[guide]`` table: guide fields the same rows carry, applied by the standards after the catalogue import
    # (``import_item_guides``). Opaque here — the catalogue does not know the standards (design.md).
    guide: dict = field(default_factory=dict)
    code_columns: frozenset[str] = field(default=frozenset())

    def local_code_as_stored(self, value: str) -> str:
        """A local code as the catalogue keeps it: a national code in capitals, a foreign one as given."""
        value = value.strip()
        return value if self.local_code_scheme == "foreign" else value.upper()


def _rule(data: object, where: str, *, required: bool = True) -> Rule | None:
    if data is None:
        if required:
            parent, _dot, key = where.rpartition(".")
            raise ProfileError(missing_key_error({}, key, parent))
        return None
    if isinstance(data, str):
        return Rule(column=data)
    if not isinstance(data, dict):
        raise ProfileError(
            Message(gettext_noop("“%(key)s”应为列名或 { column = …, pattern = … } / { value = … }"), key=where)
        )
    unknown = unknown_key_errors(data, RULE_KEYS, where)
    if unknown:
        raise ProfileError(join_messages(unknown))
    if "value" in data:
        return Rule(value=str(data["value"]))
    column = str(data.get("column") or "").strip()
    if not column:
        raise ProfileError(Message(gettext_noop("“%(key)s”需要 column 或 value"), key=where))
    pattern = None
    if data.get("pattern"):
        try:
            pattern = re.compile(str(data["pattern"]))
        except re.error as exc:
            raise ProfileError(
                Message(gettext_noop("“%(key)s”的正则表达式有误：%(error)s"), key=where, error=str(exc))
            ) from exc
        if pattern.groups < 1:
            raise ProfileError(
                Message(gettext_noop("“%(key)s”的正则表达式须有一个括号分组，分组匹配的内容即取值"), key=where)
            )
    return Rule(column=column, pattern=pattern)


def _choice(value: object, allowed: tuple[str, ...], where: str, default: str) -> str:
    value = str(value or default)
    if value not in allowed:
        raise ProfileError(
            Message(
                gettext_noop("“%(key)s”应为 %(allowed)s 之一，实为“%(value)s”"),
                key=where,
                allowed=" / ".join(allowed),
                value=value,
            )
        )
    return value


def parse_profile(data: dict, *, name: str, source: Path | None = None) -> Profile:
    """A Profile from the TOML's table, or ProfileError saying which key is wrong."""
    try:
        return _parse(data, name=name, source=source)
    except ProfileError as exc:
        raise ProfileError(
            Message(gettext_noop("导入方案“%(name)s”：%(error)s"), name=name, error=error_message(exc))
        ) from exc


def _table(data: dict, path: str) -> dict:
    table = data
    for part in path.split(".") if path else ():
        table = table.get(part) if isinstance(table, dict) else None
        if table is None:
            return {}
    if not isinstance(table, dict):
        raise ProfileError(Message(gettext_noop("“%(key)s”应为一个表（[%(key)s]）"), key=path))
    return table


def check_keys(data: dict) -> None:
    """Every table's keys against ``TABLE_KEYS``, all mistakes at once: a missing required key saying what was found
    instead (a misspelling shows), then each unknown key naming the nearest known key."""
    missing, unknown = [], []
    for path, required in REQUIRED_KEYS.items():
        table = _table(data, path)
        missing += [missing_key_error(table, key, path) for key in required if key not in table]
    for path, known in TABLE_KEYS.items():
        if known is not None:
            unknown += unknown_key_errors(_table(data, path), known, path)
    if missing or unknown:
        raise ProfileError(join_messages(missing + unknown))


def _type_map(general: dict) -> tuple[dict[str, str], str]:
    """The source's type codes → national types, from the shipped scheme the profile names or its own table."""
    scheme = str(general.get("type_scheme") or "").strip()
    own = general.get("types")
    if scheme and own:
        raise ProfileError(
            Message(
                gettext_noop("general.type_scheme 与 [general.types] 只能写一个：用自带的编码方案，或逐一写明对应关系")
            )
        )
    if scheme:
        if scheme not in TYPE_SCHEMES:
            raise ProfileError(
                Message(
                    gettext_noop("general.type_scheme 应为 %(allowed)s 之一，实为“%(value)s”"),
                    allowed=" / ".join(TYPE_SCHEMES),
                    value=scheme,
                )
            )
        return dict(TYPE_SCHEMES[scheme]), scheme
    type_map = {str(k).strip(): str(v).strip() for k, v in (own or {}).items()}
    if not type_map:
        raise ProfileError(
            Message(
                gettext_noop(
                    "缺少 general.type_scheme 或 [general.types]：须写明来源的类型编码方案"
                    "（%(schemes)s），或逐一写明来源类型编码对应的国家类型编码（不做猜测）"
                ),
                schemes=" / ".join(TYPE_SCHEMES),
            )
        )
    return type_map, ""


def _parse(data: dict, *, name: str, source: Path | None) -> Profile:
    check_keys(data)
    source_table = data.get("source") or {}
    division = data.get("division")
    department = data.get("department") or {}
    general = data.get("general") or {}
    local = data.get("local") or {}
    tree = general.get("tree") or {}

    type_map, type_scheme = _type_map(general)
    bad = sorted(v for v in type_map.values() if v not in ItemType.values)
    if bad:
        raise ProfileError(
            Message(
                gettext_noop("[general.types] 中“%(bad)s”不是国家事项类型编码（%(codes)s）"),
                bad=bad,
                codes=list(ItemType.values),
            )
        )

    match = tuple(department.get("match") or MATCH_KEYS)
    if not match or any(m not in MATCH_KEYS for m in match):
        raise ProfileError(Message(gettext_noop('department.match 应为 ["code", "name"] 或 ["name", "code"]')))
    header_row = source_table.get("header_row", 1)
    if not isinstance(header_row, int) or header_row < 1:
        raise ProfileError(Message(gettext_noop("source.header_row 应为从1开始的行号")))

    profile = Profile(
        name=name,
        title=str(data.get("title") or name),
        format=_choice(source_table.get("format"), FORMATS, "source.format", "csv"),
        encoding=str(source_table.get("encoding") or "auto"),
        header_row=header_row,
        sheet=str(source_table.get("sheet") or ""),
        division=_rule(division, "division", required=False),
        department_name=_rule(department.get("name"), "department.name"),
        department_code=_rule(department.get("code"), "department.code"),
        department_match=match,
        general_code=_rule(general.get("code"), "general.code"),
        general_name=_rule(general.get("name"), "general.name"),
        general_type=_rule(general.get("type"), "general.type"),
        general_code_scheme=_choice(general.get("code_scheme"), CODE_SCHEMES, "general.code_scheme", "national"),
        type_map=type_map,
        type_scheme=type_scheme,
        sector=_rule(general.get("sector"), "general.sector", required=False),
        sector_name=_rule(general.get("sector_name"), "general.sector_name", required=False),
        main_name=_rule(tree.get("main_name"), "general.tree.main_name", required=False),
        sub_name=_rule(tree.get("sub_name"), "general.tree.sub_name", required=False),
        main_code_prefix=str(tree.get("main_code_prefix") or ""),
        local_code=_rule(local.get("code"), "local.code"),
        local_code_scheme=_choice(local.get("code_scheme"), CODE_SCHEMES, "local.code_scheme", "national"),
        source=source,
        guide=_guide_table(data.get("guide")),
    )
    if profile.general_code_scheme == "foreign" and profile.sector is None:
        raise ProfileError(
            Message(gettext_noop('外部编码的事项无法从编码得出部门类别，须写 general.sector（如 { value = "00" }）'))
        )
    _check_tree(profile)
    if profile.general_code_scheme == "foreign" and profile.local_code_scheme == "national":
        raise ProfileError(
            Message(
                gettext_noop("通用目录编码为外部编码时，实施编码不能按国家规则校验，local.code_scheme 应为 foreign")
            )
        )
    rules = [
        profile.division,
        profile.department_name,
        profile.department_code,
        profile.general_code,
        profile.general_name,
        profile.general_type,
        profile.sector,
        profile.sector_name,
        profile.main_name,
        profile.sub_name,
        profile.local_code,
    ]
    columns = tuple(dict.fromkeys(r.column for r in rules if r is not None and r.column))
    code_columns = frozenset(
        rule.column for rule in (getattr(profile, attr) for attr in CODE_RULES) if rule is not None and rule.column
    )
    return Profile(**{**profile.__dict__, "columns": columns, "code_columns": code_columns})


def _guide_table(data: object) -> dict:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ProfileError(Message(gettext_noop("[guide] 应为表（指南字段 = 列名或取值规则）")))
    return dict(data)


MAIN_CODE_PREFIX = re.compile(r"^[0-9A-Z-]{2,6}$")


def _check_tree(profile: Profile) -> None:
    """Foreign codes imply no parents, so a main-item column there says which main item a row is a sub item of;
    that main item has no code in the file and gets ``main_code_prefix`` plus a digest of its name."""
    if profile.general_code_scheme == "national":
        if profile.main_code_prefix:
            raise ProfileError(
                Message(gettext_noop("general.tree.main_code_prefix 只用于外部编码：国家编码的主项编码由子项编码得出"))
            )
        return
    if profile.sub_name is not None:
        raise ProfileError(
            Message(gettext_noop("外部编码的事项没有编码隐含的上级事项，general.tree.sub_name 无从使用"))
        )
    if profile.main_name is not None and not MAIN_CODE_PREFIX.match(profile.main_code_prefix):
        raise ProfileError(
            Message(
                gettext_noop(
                    "外部编码的事项以 general.tree.main_name 挂到主项下时，须写 general.tree.main_code_prefix："
                    "2–6位大写字母、数字或“-”，主项编码为它加名称摘要，共14位"
                )
            )
        )


def read_profile_file(name_or_path: str | Path, *, directory: Path, kind: str = "") -> tuple[dict, Path]:
    """The TOML of a shipped profile by name (``directory/NAME.toml``) or of any profile file by path; shared by the
    catalogue's import profiles and the standards' guide profiles, so both say the same about a missing or broken
    file. ``kind`` names the sort of profile in the messages (an import profile when not given)."""
    kind = kind or Message(gettext_noop("导入方案"))
    path = Path(name_or_path)
    if path.suffix != ".toml":
        path = directory / f"{name_or_path}.toml"
    if not path.is_file():
        shipped = shipped_profile_names(directory) or Message(gettext_noop("无"))
        raise ProfileError(
            Message(
                gettext_noop("找不到%(kind)s“%(name)s”（项目自带的方案：%(shipped)s）"),
                kind=kind,
                name=str(name_or_path),
                shipped=shipped,
            )
        )
    try:
        return tomllib.loads(path.read_text(encoding="utf-8")), path
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ProfileError(
            Message(
                gettext_noop("%(kind)s文件 %(file)s 不是有效的 TOML：%(error)s"),
                kind=kind,
                file=path.name,
                error=str(exc),
            )
        ) from exc


def shipped_profile_names(directory: Path) -> list[str]:
    return sorted(p.stem for p in directory.glob("*.toml"))


def profile_choices(names: list[str], load: Callable, label: Callable) -> list[tuple[str, str]]:
    """(name, label) of every shipped profile that loads; a broken one is logged and left out, so one bad file does
    not take the upload page down with it."""
    choices = []
    for name in names:
        try:
            choices.append((name, label(load(name), name)))
        except ProfileError:
            logger.exception("import profile %s does not load", name)
    return choices


def load_profile(name_or_path: str | Path) -> Profile:
    """A shipped profile by name (``catalogue/import_profiles/NAME.toml``) or any profile file by path."""
    data, path = read_profile_file(name_or_path, directory=PROFILE_DIR)
    return parse_profile(data, name=path.stem, source=path)


def profile_names() -> list[str]:
    return shipped_profile_names(PROFILE_DIR)


def catalogue_profile_choices() -> list[tuple[str, str]]:
    return profile_choices(
        profile_names(),
        load_profile,
        lambda profile, name: gettext("%(title)s（%(name)s）") % {"title": profile.title, "name": name},
    )
