"""Building general and local items with their codes. Only the change and claim services call these, inside their
own transactions, so every new item belongs to a recorded change or claim."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils.translation import gettext_noop
from pypinyin import Style, lazy_pinyin

from catalogue.codes import CodeError, GeneralCode, implementation_code, parse_general_code, scheme_type
from catalogue.models import (
    LEVEL_CHOICES,
    Division,
    DivisionLevel,
    GeneralItem,
    ItemStatus,
    ItemType,
    LocalItem,
    LocalItemStatus,
    NodeKind,
    Organization,
    Sector,
    TypeScheme,
)
from core.i18n import Message, choice_message, error_message


def name_initials(name: str) -> str:
    """Pinyin initials (行政审批 → xzsp), so staff can find an item by typing letters."""
    letters = lazy_pinyin(name, style=Style.FIRST_LETTER, errors=lambda chars: [c for c in chars if c.isalnum()])
    return "".join(letters).lower()[:200]


@dataclass
class ItemSpec:
    """What a new general item needs; the code is assigned unless a real code is given (e.g. seeding the province's
    existing catalogue), in which case it must match the province, type and sector."""

    name: str
    item_type: str = ""
    sector: Sector | None = None
    levels: str = "34"
    node_kind: str = NodeKind.MAIN
    parent: GeneralItem | None = None
    has_sub_items: bool = False
    bases: list[dict] = field(default_factory=list)
    central_guiding_dept: str = ""
    code: str = ""
    # The scheme the type digits of a given ``code`` follow (a code the catalogue assigns is national).
    type_scheme: str = "national"
    # Imports: a code kept as another province's system issued it, and an item created without a decision document.
    code_is_foreign: bool = False
    needs_review: bool = False


def normalise_levels(levels: str | list[str]) -> str:
    digits = "".join(sorted({str(d) for d in levels if str(d) in "2345"}))
    if not digits:
        raise ValidationError({"levels": Message(gettext_noop("请至少选择一个行使层级"))})
    return digits


def validate_bases(bases: list[dict]) -> list[dict]:
    cleaned = []
    for i, basis in enumerate(bases or [], start=1):
        law = (basis.get("law") or "").strip()
        if not law:
            raise ValidationError({"bases": Message(gettext_noop("第%(n)s条设定依据缺少法律法规名称"), n=i)})
        cleaned.append(
            {
                "law": law,
                "doc_number": (basis.get("doc_number") or "").strip(),
                "article": (basis.get("article") or "").strip(),
            }
        )
    return cleaned


def _next_seq(queryset, field_name: str, limit: int, what: str) -> int:
    # Cancelled items count too: a number, once used, is never handed out again.
    current = queryset.aggregate(m=Max(field_name))["m"] or 0
    if current + 1 > limit:
        raise ValidationError(Message(gettext_noop("%(what)s序号已用尽（最多%(limit)s个）"), what=what, limit=limit))
    return current + 1


def general_item_build(
    *, spec: ItemSpec, province: Division, actor: User, effective_date: date | None, change_reason: str = ""
) -> GeneralItem:
    """Validate the spec, assign the code and save the item. The caller holds the transaction and a lock on the
    sector row, so two concurrent additions cannot take the same sequence number."""
    # Decide on the stored parent, not the caller's copy, which may predate a cancellation.
    parent = GeneralItem.objects.get(pk=spec.parent.pk) if spec.parent is not None else None
    item = general_item_prepare(spec=spec, province=province, actor=actor, effective_date=effective_date, parent=parent)
    if GeneralItem.objects.filter(code=item.code).exists():
        raise ValidationError({"code": Message(gettext_noop("编码 %(code)s 已被使用，编码不得重复"), code=item.code)})
    item._history_user, item._change_reason = actor, change_reason or None
    item.save()
    return item


def general_item_prepare(
    *, spec: ItemSpec, province: Division, actor: User, effective_date: date | None, parent: GeneralItem | None
) -> GeneralItem:
    """The checks and code of a new general item, unsaved: the bulk import stages many and saves them together,
    its parents possibly staged in the same batch, so the caller passes the parent as it stands."""
    name = (spec.name or "").strip()
    if not name:
        raise ValidationError({"name": Message(gettext_noop("请填写事项名称"))})
    levels = normalise_levels(spec.levels)
    bases = validate_bases(spec.bases)
    if spec.node_kind == NodeKind.MAIN:
        if parent is not None:
            raise ValidationError({"parent": Message(gettext_noop("主项不能有上级事项"))})
        if spec.sector is None:
            raise ValidationError({"sector": Message(gettext_noop("请选择目录部门类别"))})
        if spec.item_type not in ItemType.values:
            raise ValidationError({"item_type": Message(gettext_noop("请选择有效的事项类型"))})
        sector, item_type = spec.sector, spec.item_type
        type_scheme = spec.type_scheme if spec.code else TypeScheme.NATIONAL
        if sector.province_id != province.code:
            raise ValidationError({"sector": Message(gettext_noop("目录部门类别不属于本省目录"))})
    else:
        if parent is None:
            raise ValidationError({"parent": Message(gettext_noop("子项和业务办理项必须指定上级事项"))})
        if parent.province_id != province.code:
            raise ValidationError({"parent": Message(gettext_noop("上级事项不属于本省目录"))})
        if parent.status != ItemStatus.ACTIVE:
            raise ValidationError({"parent": Message(gettext_noop("上级事项已取消或暂停，不能在其下新增"))})
        if spec.node_kind == NodeKind.SUB and not (parent.node_kind == NodeKind.MAIN and parent.has_sub_items):
            raise ValidationError({"parent": Message(gettext_noop("子项只能挂在“含子项”的主项下"))})
        if spec.node_kind == NodeKind.HANDLE and (
            parent.node_kind == NodeKind.HANDLE or (parent.node_kind == NodeKind.MAIN and parent.has_sub_items)
        ):
            raise ValidationError({"parent": Message(gettext_noop("业务办理项只能挂在子项或不含子项的主项下"))})
        if spec.item_type and spec.item_type != parent.item_type:
            raise ValidationError({"item_type": Message(gettext_noop("子项和办理项的事项类型必须与上级事项一致"))})
        sector, item_type, type_scheme = parent.sector, parent.item_type, parent.type_scheme

    item = GeneralItem(
        province=province,
        name=name,
        name_initials=name_initials(name),
        item_type=item_type,
        type_scheme=type_scheme,
        sector=sector,
        node_kind=spec.node_kind,
        parent=parent,
        has_sub_items=spec.has_sub_items and spec.node_kind == NodeKind.MAIN,
        levels=levels,
        bases=bases,
        central_guiding_dept=spec.central_guiding_dept,
        effective_date=effective_date,
        needs_review=spec.needs_review,
        created_by=actor,
    )
    if spec.code and spec.code_is_foreign:
        item.code, item.code_is_foreign = spec.code.strip(), True
        item.main_seq, item.sub_seq = 0, (None if item.has_sub_items else 0)
    elif spec.code:
        _take_given_code(item, spec.code, province)
    else:
        _assign_code(item, province)
    return item


def _assign_code(item: GeneralItem, province: Division) -> None:
    """A new main item's code carries its national type digits; a sub item's carries its main item's digits as
    issued (a Guangdong ``…21…`` main item keeps ``21`` in its sub items). Main numbers are counted over the codes
    with the same digits, whatever their items' types, so two schemes never hand out one code."""
    if item.node_kind == NodeKind.MAIN:
        prefix = f"{province.code[:2]}{item.item_type}{item.sector.code}"
        siblings = GeneralItem.objects.filter(province=province, sector=item.sector, code__startswith=prefix)
        item.main_seq = _next_seq(
            siblings.filter(node_kind=NodeKind.MAIN, code_is_foreign=False), "main_seq", 999,
            Message(gettext_noop("主项")),
        )  # fmt: skip
        item.sub_seq = None if item.has_sub_items else 0
        code = GeneralCode(province.code[:2], item.item_type, item.sector.code, item.main_seq, item.sub_seq)
    elif item.node_kind == NodeKind.SUB:
        item.main_seq = item.parent.main_seq
        item.sub_seq = _next_seq(item.parent.children.all(), "sub_seq", 999, Message(gettext_noop("子项")))
        digits = item.parent.code[2:4] if not item.parent.code_is_foreign else item.item_type
        code = GeneralCode(province.code[:2], digits, item.sector.code, item.main_seq, item.sub_seq)
    else:
        item.main_seq, item.sub_seq = item.parent.main_seq, item.parent.sub_seq
        item.handle_seq = _next_seq(item.parent.children.all(), "handle_seq", 99, Message(gettext_noop("业务办理项")))
        item.code = f"{item.parent.code}{item.handle_seq:02d}"
        return
    item.code = str(code)


def _take_given_code(item: GeneralItem, code: str, province: Division) -> None:
    try:
        parsed = parse_general_code(code)
    except CodeError as exc:
        raise ValidationError({"code": error_message(exc)}) from exc
    if parsed.province != province.code[:2]:
        raise ValidationError(
            {"code": Message(gettext_noop("编码省份位“%(digits)s”与目录所属省份不符"), digits=parsed.province)}
        )
    if scheme_type(parsed.item_type, item.type_scheme) != item.item_type:
        raise ValidationError(
            {
                "code": Message(
                    gettext_noop("编码类型位“%(digits)s”按%(scheme)s与事项类型不符"),
                    digits=parsed.item_type,
                    scheme=choice_message(TypeScheme(item.type_scheme).label),
                )
            }
        )
    if parsed.sector != item.sector.code:
        raise ValidationError(
            {"code": Message(gettext_noop("编码部门位“%(digits)s”与目录部门类别不符"), digits=parsed.sector)}
        )
    item.code = code.strip().upper()
    item.main_seq, item.sub_seq, item.handle_seq = parsed.main, parsed.sub, parsed.handle
    if item.node_kind == NodeKind.MAIN and item.has_sub_items != (parsed.sub is None):
        raise ValidationError(
            {"code": Message(gettext_noop("含子项的主项编码应以Y结尾，不含子项的主项编码末三位应为000"))}
        )


def local_item_build(
    *,
    general_item: GeneralItem,
    division: Division,
    organization: Organization,
    actor: User,
    status: str = LocalItemStatus.ACTIVE,
    effective_date: date | None = None,
    save: bool = True,
    foreign_code: str = "",
    name: str = "",
) -> LocalItem:
    """A local item with its implementation code, after the checks every path must pass (四级四同: name and type are
    the general item's; the level must be one the general item allows). An import passes the name its file gives
    the local item: a deviation from the general item's name is a finding of the checks, never overwritten."""
    if general_item.status != ItemStatus.ACTIVE:
        raise ValidationError(
            {
                "general_item": Message(
                    gettext_noop("通用目录事项“%(name)s”已取消或暂停，不能认领"), name=general_item.name
                )
            }
        )
    if general_item.node_kind == NodeKind.MAIN and general_item.has_sub_items:
        raise ValidationError(
            {"general_item": Message(gettext_noop("“%(name)s”含子项，请认领其子项"), name=general_item.name)}
        )
    if division.level_digit not in general_item.levels:
        raise ValidationError(
            {
                "general_item": Message(
                    gettext_noop("“%(name)s”只允许在%(levels)s行使，不能在%(level)s实施"),
                    name=general_item.name,
                    levels=[choice_message(dict(LEVEL_CHOICES)[d]) for d in general_item.levels if d in "2345"],
                    level=choice_message(DivisionLevel(division.level).label),
                )
            }
        )
    if organization.division_id != division.code:
        raise ValidationError({"organization": Message(gettext_noop("实施主体不属于该区划"))})
    own_name = (name or "").strip()
    limit = LocalItem._meta.get_field("name").max_length
    if len(own_name) > limit:
        raise ValidationError(
            {"name": Message(gettext_noop("事项名称超过 %(limit)s 个字（%(n)s 个）"), limit=limit, n=len(own_name))}
        )
    # An import from another province keeps the code its system issued (domain decision 3).
    code = foreign_code.strip() or implementation_code(
        uscc=organization.uscc, level=division.level_digit, general_code=general_item.code
    )
    item = LocalItem(
        general_item=general_item,
        division=division,
        organization=organization,
        code=code,
        code_is_foreign=bool(foreign_code.strip()),
        name=own_name or general_item.name,
        name_initials=name_initials(own_name) if own_name else general_item.name_initials,
        item_type=general_item.item_type,
        level=division.level_digit,
        status=status,
        effective_date=effective_date,
        created_by=actor,
    )
    if save:
        if LocalItem.objects.filter(code=code).exists():
            raise ValidationError(
                {"general_item": Message(gettext_noop("实施编码 %(code)s 已存在，编码不得重复使用"), code=code)}
            )
        item._history_user = actor
        item.save()
    return item


def snapshot(item: GeneralItem) -> dict:
    """The facts a change announcement shows before and after."""
    return {
        "id": item.pk,
        "code": item.code,
        "name": item.name,
        "item_type": item.item_type,
        "levels": item.levels,
        "status": item.status,
        "bases": item.bases,
    }


def published_guide_record(*, local_item_ids: Iterable[int], version: int | None, published_at: datetime | None) -> int:
    """Copy the published service guide's version and date onto items (None, None: nothing published any more).

    The standards side calls this inside its own transaction, right where a version is published (the one before it
    superseded) or withdrawn, having locked the versions and checked who acts; the catalogue knows nothing of
    standards, so it takes plain values. The item list of the API reads the copy instead of asking the standards
    table per row. A bulk update: no history row and no new ``updated_at`` — the item itself did not change, and the
    API's validators already follow the standards table's own time stamps. Returns how many items were written."""
    if (version is None) != (published_at is None):
        raise ValueError("version and published_at are both given or both None")
    return LocalItem.objects.filter(pk__in=list(local_item_ids)).update(
        guide_version=version, guide_published_at=published_at
    )
