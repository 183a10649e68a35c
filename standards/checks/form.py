"""形式审查 (domain.md 6.2 A): F01 guide or manual missing, F02 required element empty, F03 no flowchart or
supervision table. The required elements are also the editor's progress indicator."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalogue.models import ItemType
from standards.models import ItemStandard, LimitUnit

from .context import CheckContext, blank
from .registry import ERROR, WARNING, Issue, Severity, error, rule, warning


@dataclass(frozen=True)
class RequiredElement:
    """An element a standard must have. ``missing(ctx)`` returns the field path to flag, or None when filled."""

    key: str
    label: str
    group: str  # "guide" or "manual"
    message: str
    missing: Callable[[CheckContext], str | None]
    severity: Severity = ERROR
    applies: Callable[[CheckContext], bool] = lambda ctx: True

    def is_filled(self, ctx: CheckContext) -> bool:
        return self.missing(ctx) is None


def _guide_field(name: str) -> Callable[[CheckContext], str | None]:
    return lambda ctx: f"guide.{name}" if blank(getattr(ctx.guide, name)) else None


def _manual_field(name: str) -> Callable[[CheckContext], str | None]:
    return lambda ctx: f"manual.{name}" if blank(getattr(ctx.manual, name)) else None


def _limit(name: str) -> Callable[[CheckContext], str | None]:
    """A time limit is filled with a unit and, unless the unit is 即办, a positive number."""

    def missing(ctx: CheckContext) -> str | None:
        value, unit = getattr(ctx.guide, name), getattr(ctx.guide, f"{name}_unit")
        if unit == LimitUnit.INSTANT:
            return None
        if not value:
            return f"guide.{name}"
        if blank(unit):
            return f"guide.{name}_unit"
        return None

    return missing


def _rows(attr: str, keep: Callable = lambda row: True) -> Callable[[CheckContext], str | None]:
    return lambda ctx: None if any(keep(row) for row in getattr(ctx, attr)) else attr


_E = RequiredElement
_REQUIRED: tuple[RequiredElement, ...] = (
    _E(
        "guide.item_name",
        gettext_lazy("事项名称"),
        "guide",
        gettext_lazy("未填写事项名称，请按通用目录中的事项名称填写。"),
        _guide_field("item_name"),
    ),
    _E(
        "guide.scope",
        gettext_lazy("适用范围"),
        "guide",
        gettext_lazy("未填写适用范围，请写明适用的申请人和申请内容。"),
        _guide_field("scope"),
    ),
    _E(
        "guide.accepting_body",
        gettext_lazy("受理机构"),
        "guide",
        gettext_lazy("未填写受理机构，请填写受理申请的单位全称。"),
        _guide_field("accepting_body"),
    ),
    _E(
        "guide.deciding_body",
        gettext_lazy("决定机构"),
        "guide",
        gettext_lazy("未填写决定机构，请填写作出审批决定的单位全称。"),
        _guide_field("deciding_body"),
    ),
    _E(
        "guide.service_objects",
        gettext_lazy("服务对象"),
        "guide",
        gettext_lazy("未选择服务对象，请勾选自然人、企业法人等适用的服务对象。"),
        _guide_field("service_objects"),
    ),
    _E(
        "guide.review_mode",
        gettext_lazy("事项审查类型"),
        "guide",
        gettext_lazy("未选择事项审查类型，请选择前审后批、即审即办、并联审批或其他。"),
        _guide_field("review_mode"),
    ),
    _E(
        "guide.case_type",
        gettext_lazy("办件类型"),
        "guide",
        gettext_lazy("未选择办件类型，请选择即办件或承诺件。"),
        _guide_field("case_type"),
    ),
    _E(
        "guide.acceptance_conditions",
        gettext_lazy("申请条件"),
        "guide",
        gettext_lazy("未填写申请条件，请依据法律法规逐条列明申请条件。"),
        _guide_field("acceptance_conditions"),
    ),
    _E(
        "guide.legal_limit",
        gettext_lazy("法定办结时限"),
        "guide",
        gettext_lazy("法定办结时限未填写完整，请填写法律法规规定的时限数值并选择单位（当场办结的选“即办”）。"),
        _limit("legal_limit"),
    ),
    _E(
        "guide.promised_limit",
        gettext_lazy("承诺办结时限"),
        "guide",
        gettext_lazy("承诺办结时限未填写完整，请填写承诺的时限数值并选择单位（当场办结的选“即办”）。"),
        _limit("promised_limit"),
    ),
    _E(
        "guide.result_type",
        gettext_lazy("审批结果类型"),
        "guide",
        gettext_lazy("未选择审批结果类型，请选择出证办结、出文办结、审批办结或其他。"),
        _guide_field("result_type"),
    ),
    _E(
        "guide.result_name",
        gettext_lazy("审批结果名称"),
        "guide",
        gettext_lazy("未填写审批结果名称，请填写证照或决定书的名称，如“准予行政许可决定书”。"),
        _guide_field("result_name"),
    ),
    _E(
        "guide.address",
        gettext_lazy("办理地点"),
        "guide",
        gettext_lazy("未填写办理地点，请写明详细地址，并具体到窗口号或房间号。"),
        _guide_field("address"),
    ),
    _E(
        "guide.office_hours",
        gettext_lazy("办理时间"),
        "guide",
        gettext_lazy("未填写办理时间，请写明工作日及上午、下午的办公时段。"),
        _guide_field("office_hours"),
    ),
    _E(
        "guide.consult_phone",
        gettext_lazy("咨询电话"),
        "guide",
        gettext_lazy("未填写咨询电话，请填写带区号的固定电话，如 0763-3362000。"),
        _guide_field("consult_phone"),
    ),
    _E(
        "guide.complain_phone",
        gettext_lazy("投诉电话"),
        "guide",
        gettext_lazy("未填写投诉电话，请填写带区号的监督投诉电话（不得与咨询电话相同）。"),
        _guide_field("complain_phone"),
    ),
    _E(
        "guide.applicant_rights",
        gettext_lazy("申请人依法享有的权利"),
        "guide",
        gettext_lazy("未填写申请人依法享有的权利，请写明陈述、申辩、申请行政复议和提起行政诉讼等权利。"),
        _guide_field("applicant_rights"),
    ),
    _E(
        "guide.applicant_duties",
        gettext_lazy("申请人依法履行的义务"),
        "guide",
        gettext_lazy("未填写申请人依法履行的义务，请写明如实提交材料、对材料真实性负责等义务。"),
        _guide_field("applicant_duties"),
    ),
    _E(
        "guide.review_channel",
        gettext_lazy("行政复议途径"),
        "guide",
        gettext_lazy("未填写行政复议途径，请写明复议机关名称、地址和电话。"),
        _guide_field("review_channel"),
    ),
    _E(
        "guide.litigation_channel",
        gettext_lazy("行政诉讼途径"),
        "guide",
        gettext_lazy("未填写行政诉讼途径，请写明管辖法院名称和地址。"),
        _guide_field("litigation_channel"),
    ),
    _E(
        "citations",
        gettext_lazy("设定依据"),
        "guide",
        gettext_lazy("未填写设定依据，请在“法律依据”中至少添加一条用途为“设定依据”的法律法规条款。"),
        lambda ctx: None if ctx.founding_citations() else "citations",
    ),
    _E(
        "materials",
        gettext_lazy("申请材料"),
        "guide",
        gettext_lazy("未填写申请材料，请至少添加一项申请材料。"),
        _rows("materials"),
    ),
    _E(
        "steps",
        gettext_lazy("办理环节"),
        "guide",
        gettext_lazy("未填写办理环节，请至少添加一个公开的办理环节（如受理、审查、决定）。"),
        _rows("steps"),
    ),
    _E(
        "manual.staff_requirements",
        gettext_lazy("审批人员资格要求"),
        "manual",
        gettext_lazy("业务手册未填写审批人员资格要求，请写明须持有的执法证件和实质审查人数等要求。"),
        _manual_field("staff_requirements"),
    ),
    _E(
        "manual.approval_conditions",
        gettext_lazy("审批条件"),
        "manual",
        gettext_lazy("业务手册未填写审批条件，请写明审批时据以判断的具体条件。"),
        _manual_field("approval_conditions"),
    ),
    _E(
        "manual_steps",
        gettext_lazy("内部办理环节"),
        "manual",
        gettext_lazy("业务手册未填写内部办理环节，请按业务类型添加受理、审查、决定等环节及其时限和责任岗位。"),
        _rows("manual_steps"),
    ),
    _E(
        "review_points",
        gettext_lazy("审查要点"),
        "manual",
        gettext_lazy("业务手册未填写审查要点，请至少添加一条审查要点及其审查标准。"),
        _rows("review_points"),
    ),
    _E(
        "faqs",
        gettext_lazy("常见问题"),
        "guide",
        gettext_lazy("行政许可事项应至少提供一条常见问题及解答，请在“常见问题”中添加。"),
        _rows("faqs"),
        severity=WARNING,
        applies=lambda ctx: ctx.item_type == ItemType.LICENSING,
    ),
)
del _E


def required_elements(standard_or_context: ItemStandard | CheckContext | None = None) -> tuple[RequiredElement, ...]:
    """Every required element (F02), or those that apply to one standard (the FAQ only to 行政许可 items)."""
    if standard_or_context is None:
        return _REQUIRED
    ctx = CheckContext.of(standard_or_context)
    return tuple(element for element in _REQUIRED if element.applies(ctx))


def progress(standard_or_context: ItemStandard | CheckContext) -> tuple[int, int]:
    """(filled, total) required elements of a standard, for the editor's progress indicator."""
    ctx = CheckContext.of(standard_or_context)
    elements = required_elements(ctx)
    return sum(element.is_filled(ctx) for element in elements), len(elements)


def missing_parts(ctx: CheckContext) -> set[str]:
    """The parts ("guide", "manual") that are missing or hold nothing substantive.

    Such a part is one F01 finding; its elements are not listed one by one under F02 and F03 as well, so a guide
    imported without a manual reads "业务手册基本未编写" once instead of burying the content findings under a
    finding per empty manual field."""
    parts = set()
    guide = ctx.guide
    guide_empty = blank(guide.scope) and blank(guide.acceptance_conditions) and not ctx.materials and not ctx.steps
    if not ctx.has_guide or guide_empty:
        parts.add("guide")
    manual = ctx.manual
    manual_empty = blank(manual.approval_conditions) and not ctx.manual_steps and not ctx.review_points
    if not ctx.has_manual or manual_empty:
        parts.add("manual")
    return parts


def _missing_labels(ctx: CheckContext, group: str) -> str:
    labels = [str(e.label) for e in required_elements(ctx) if e.group == group and not e.is_filled(ctx)]
    if group == "manual" and not ctx.supervision_checks:
        labels.append(str(_("监督检查量化表")))
    return _("、").join(labels) or _("无")


@rule("F01", gettext_lazy("缺少办事指南或业务手册"))
def guide_or_manual_missing(ctx: CheckContext) -> Iterator[Issue]:
    parts = missing_parts(ctx)
    if "guide" in parts:
        yield error(
            "guide",
            _(
                "办事指南基本未编写（适用范围、申请条件、申请材料、办理环节均为空），尚缺：%(missing)s。"
                "每个事项须同时编制办事指南和业务手册，请先编写办事指南。"
            )
            % {"missing": _missing_labels(ctx, "guide")},
        )
    if "manual" in parts:
        yield error(
            "manual",
            _(
                "业务手册基本未编写（审批条件、内部办理环节、审查要点均为空），尚缺：%(missing)s。"
                "每个事项须同时编制办事指南和业务手册，请编写业务手册。"
            )
            % {"missing": _missing_labels(ctx, "manual")},
        )


@rule("F02", gettext_lazy("必备要素缺失或为空"))
def required_element_missing(ctx: CheckContext) -> Iterator[Issue]:
    parts = missing_parts(ctx)
    for element in required_elements(ctx):
        if element.group in parts:
            continue  # one F01 finding for the whole part
        path = element.missing(ctx)
        if path is None:
            continue
        message = str(element.message)
        if path.endswith("_unit"):
            message = _("%(label)s未选择单位，请选择工作日、自然日、月、年或即办。") % {"label": element.label}
        yield Issue(element.severity, path, message)


@rule("F03", gettext_lazy("缺少办理流程图或监督检查量化表"))
def flowchart_or_supervision_missing(ctx: CheckContext) -> Iterator[Issue]:
    parts = missing_parts(ctx)
    if "guide" not in parts and len(ctx.steps) < 2:
        yield error(
            "steps",
            _("尚未填写公开的办理环节，无法生成办理流程图。请按受理、审查、决定、送达等顺序至少填写2个环节。")
            if not ctx.steps
            else _("公开的办理环节只有%(n)d个，无法生成办理流程图。请按受理、审查、决定、送达等顺序至少填写2个环节。")
            % {"n": len(ctx.steps)},
        )
    if "manual" in parts:
        return  # F01 says the manual is missing, flowchart and checklist included
    if len(ctx.manual_steps) < 2:
        yield error(
            "manual_steps",
            _("尚未填写业务手册的内部办理环节，无法生成内部审批流程图。请按受理、审查、决定等顺序至少填写2个环节。")
            if not ctx.manual_steps
            else _(
                "业务手册的内部办理环节只有%(n)d个，无法生成内部审批流程图。请按受理、审查、决定等顺序至少填写2个环节。"
            )
            % {"n": len(ctx.manual_steps)},
        )
    if not ctx.supervision_checks:
        yield error(
            "supervision_checks",
            _("未填写监督检查量化表。请在业务手册中至少添加一项检查项目，写明检查标准和分值。"),
        )
    for i, check in enumerate(ctx.supervision_checks):
        if blank(check.item) or blank(check.criterion):
            yield error(
                f"supervision_checks[{i}].criterion" if not blank(check.item) else f"supervision_checks[{i}].item",
                _("监督检查量化表第%(n)d行未填写完整，请写明检查项目和检查标准。") % {"n": i + 1},
            )
        elif check.score is None:
            yield warning(
                f"supervision_checks[{i}].score",
                _("监督检查量化表第%(n)d行（%(item)s）未填写分值，量化表须为每一项赋分。")
                % {"n": i + 1, "item": check.item},
            )
