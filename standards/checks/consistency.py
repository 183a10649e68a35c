"""合规性审查, consistency rules (domain.md 6.2 B): C01 四级四同, C03 time limits, C04 即办, C05 fees."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from standards.models import CaseType, LimitUnit, ReviewMode

from .context import CheckContext, blank
from .limits import exceeds
from .registry import Issue, error, rule, warning

UNIT_LABELS = {
    LimitUnit.WORKING_DAY: gettext_lazy("工作日"),
    LimitUnit.NATURAL_DAY: gettext_lazy("自然日"),
    LimitUnit.MONTH: gettext_lazy("月"),
    LimitUnit.YEAR: gettext_lazy("年"),
    LimitUnit.INSTANT: gettext_lazy("即办"),
}
_LIMIT_FORMATS = {
    LimitUnit.WORKING_DAY: gettext_lazy("%(n)s个工作日"),
    LimitUnit.NATURAL_DAY: gettext_lazy("%(n)s个自然日"),
    LimitUnit.MONTH: gettext_lazy("%(n)s个月"),
    LimitUnit.YEAR: gettext_lazy("%(n)s年"),
}


def fmt_limit(value: int | None, unit: str) -> str:
    """``20个工作日``, ``3个月``, ``1年``, ``即办``."""
    if unit == LimitUnit.INSTANT:
        return _("即办")
    if unit in _LIMIT_FORMATS:
        return _LIMIT_FORMATS[unit] % {"n": value}
    return f"{value}{unit}"


def _unit_label(unit: str) -> str:
    return str(UNIT_LABELS.get(unit, unit))


# ---------------------------------------------------------------------------------------------------------- C01
_BRACKETS = re.compile(r"[\s《》〈〉<>“”\"']")


def law_key(text) -> str:
    return _BRACKETS.sub("", str(text or ""))


def article_key(text) -> str:
    return re.sub(r"\s", "", str(text or "")).replace("(", "（").replace(")", "）")


@rule("C01", gettext_lazy("事项名称、类型或设定依据与通用目录不一致（四级四同）"))
def four_same(ctx: CheckContext) -> Iterator[Issue]:
    general, guide = ctx.general_item, ctx.guide
    # The public reads the item under its catalogue name: a guide cannot rename it, only a catalogue change can.
    catalogue_name = ctx.local_item.name.strip()
    if not blank(guide.item_name) and guide.item_name.strip() != catalogue_name:
        yield error(
            "guide.item_name",
            _(
                "事项名称“%(name)s”与目录中的事项名称“%(catalogue)s”不一致。按“四级四同”要求，办事指南须使用目录中的名称，"
                "请改为“%(catalogue)s”。如名称确需调整，请联系省级编办在“动态管理”中对该通用目录事项提出“调整”变更，"
                "变更生效后实施清单中的名称随之更新，再按新名称填写。"
            )
            % {"name": guide.item_name.strip(), "catalogue": catalogue_name},
        )
    if guide.item_type != general.item_type:
        yield error(
            "guide.item_type",
            _("事项类型“%(type)s”与通用目录的事项类型“%(general)s”（%(code)s）不一致，请改为与通用目录相同的类型。")
            % {
                "type": guide.item_type or _("未填写"),
                "general": general.get_item_type_display(),
                "code": general.item_type,
            },
        )
    bases = [b for b in general.bases or [] if isinstance(b, dict) and not blank(b.get("law"))]
    if not bases:
        return  # the catalogue gives nothing to compare with
    wanted = {(law_key(b["law"]), article_key(b.get("article", ""))) for b in bases}
    wanted_laws = {law for law, _ in wanted}
    cited = set()
    article_mismatch_laws = set()
    for i, citation in ctx.founding_citations():
        key = (law_key(citation.law_name), article_key(citation.article_ref))
        cited.add(key)
        if key in wanted:
            continue
        if key[0] in wanted_laws:
            article_mismatch_laws.add(key[0])
            expected = _("、").join(
                str(b.get("article") or _("（未列条款）")) for b in bases if law_key(b["law"]) == key[0]
            )
            yield error(
                f"citations[{i}].article_ref",
                _(
                    "设定依据%(law)s的条款号“%(article)s”与通用目录不一致（通用目录为%(expected)s），请按通用目录填写设定依据。"
                )
                % {"law": citation.law_name, "article": citation.article_ref or _("未填写"), "expected": expected},
            )
        else:
            yield error(
                f"citations[{i}].law_name",
                _(
                    "设定依据“%(law)s %(article)s”不在通用目录的设定依据中。"
                    "设定依据须与通用目录一致；其他依据请将用途改为实施依据、条件依据等。"
                )
                % {"law": citation.law_name or _("未填写"), "article": citation.article_ref},
            )
    for basis in bases:
        key = (law_key(basis["law"]), article_key(basis.get("article", "")))
        if key in cited or key[0] in article_mismatch_laws:
            continue
        text = " ".join(str(p) for p in (basis["law"], basis.get("doc_number"), basis.get("article")) if p)
        yield error(
            "citations",
            _("缺少通用目录中的设定依据“%(basis)s”，请添加一条用途为“设定依据”的该条款。") % {"basis": text},
        )


# ---------------------------------------------------------------------------------------------------------- C03
def _sum_rows(rows, value_attr: str, unit_attr: str, unit: str, label: str, path: str):
    """Sum of the rows' limits in ``unit`` (即办 rows count 0), the number of rows summed, and one warning for the
    rows whose unit keeps them out of the sum."""
    total, counted, left_out = 0, 0, []
    for i, row in rows:
        value, row_unit = getattr(row, value_attr), getattr(row, unit_attr)
        if value is None or row_unit == LimitUnit.INSTANT:
            continue
        if row_unit == unit:
            total += value
            counted += 1
        else:
            left_out.append(i)
    issues = []
    if left_out:
        numbers = _("、").join(str(i + 1) for i in left_out)
        issues.append(
            warning(
                path,
                _(
                    "%(rows)s第%(numbers)s行的时限未选择单位或单位与承诺时限（%(unit)s）不同，"
                    "未计入时限合计，无法核对是否超过承诺时限。请统一使用与承诺时限相同的单位。"
                )
                % {"rows": label, "numbers": numbers, "unit": _unit_label(unit)},
            )
        )
    return total, counted, issues


@rule("C03", gettext_lazy("承诺时限超过法定时限或环节时限之和超过承诺时限"))
def time_limits(ctx: CheckContext) -> Iterator[Issue]:
    guide = ctx.guide
    legal, legal_unit = guide.legal_limit, guide.legal_limit_unit
    promised, promised_unit = guide.promised_limit, guide.promised_limit_unit
    promised_set = promised_unit == LimitUnit.INSTANT or (promised is not None and not blank(promised_unit))
    legal_set = legal_unit == LimitUnit.INSTANT or (legal is not None and not blank(legal_unit))

    if promised_set and legal_set:
        over = exceeds(promised or 0, promised_unit, legal or 0, legal_unit)
        if over is None:
            yield warning(
                "guide.promised_limit_unit",
                _(
                    "承诺办结时限（%(promised)s）与法定办结时限（%(legal)s）单位不同，是否超过法定时限取决于受理日期"
                    "（遇节假日时可能超过）。请统一时限单位（一般为工作日），或按最长的节假日核对后再填写。"
                )
                % {"promised": fmt_limit(promised, promised_unit), "legal": fmt_limit(legal, legal_unit)},
            )
        elif over:
            yield error(
                "guide.promised_limit",
                _(
                    "承诺办结时限（%(promised)s）超过法定办结时限（%(legal)s）。"
                    "承诺时限不得超过法定时限，请缩短承诺时限。"
                )
                % {"promised": fmt_limit(promised, promised_unit), "legal": fmt_limit(legal, legal_unit)},
            )

    if not promised_set:
        return

    # Internal steps: one process per business kind (新办、变更…), each must fit the promised limit.
    by_kind = defaultdict(list)
    for i, step in enumerate(ctx.manual_steps):
        if step.counted_in_limit:
            by_kind[step.business_kind].append((i, step))
    for rows in by_kind.values():
        if promised_unit == LimitUnit.INSTANT:
            slow = [(i, s) for i, s in rows if s.step_limit and s.step_limit_unit != LimitUnit.INSTANT]
            if slow:
                i, step = slow[0]
                yield error(
                    f"manual_steps[{i}].step_limit",
                    _("承诺时限为即办，但内部环节“%(step)s”的时限为%(limit)s。请将环节时限改为即办，或修改承诺时限。")
                    % {"step": step.get_step_display(), "limit": fmt_limit(step.step_limit, step.step_limit_unit)},
                )
            continue
        total, counted, issues = _sum_rows(
            rows, "step_limit", "step_limit_unit", promised_unit, _("内部办理环节"), "manual_steps"
        )
        yield from issues
        if counted and total > promised:
            kind_label = rows[0][1].get_business_kind_display()
            yield error(
                "manual_steps",
                _(
                    "业务手册中“%(kind)s”业务计入办结时限的内部环节时限合计%(total)s，超过承诺办结时限%(promised)s。"
                    "请压缩环节时限；听证、检验检测、专家评审等依法不计入办结时限的环节，请取消勾选“计入办结时限”。"
                )
                % {
                    "kind": kind_label,
                    "total": fmt_limit(total, promised_unit),
                    "promised": fmt_limit(promised, promised_unit),
                },
            )

    # Public steps, plus the special procedures that do count toward the limit.
    public = list(enumerate(ctx.steps))
    specials = [(i, p) for i, p in enumerate(ctx.special_procedures) if p.counted_in_limit]
    if promised_unit == LimitUnit.INSTANT:
        slow = [(i, s) for i, s in public if s.duration and s.duration_unit != LimitUnit.INSTANT]
        if slow:
            i, step = slow[0]
            yield error(
                f"steps[{i}].duration",
                _("承诺时限为即办，但办理环节“%(step)s”的时限为%(limit)s。请将环节时限改为即办，或修改承诺时限。")
                % {"step": step.name, "limit": fmt_limit(step.duration, step.duration_unit)},
            )
        return
    total, counted, issues = _sum_rows(public, "duration", "duration_unit", promised_unit, _("办理环节"), "steps")
    yield from issues
    special_total, special_counted, issues = _sum_rows(
        specials, "duration", "duration_unit", promised_unit, _("特殊环节"), "special_procedures"
    )
    yield from issues
    if counted + special_counted and total + special_total > promised:
        extra = (
            _("（含计入时限的特殊环节%(limit)s）") % {"limit": fmt_limit(special_total, promised_unit)}
            if special_counted
            else ""
        )
        yield error(
            "steps",
            _(
                "办理环节时限合计%(total)s%(extra)s，超过承诺办结时限%(promised)s。请压缩各环节时限，使合计不超过承诺时限。"
            )
            % {
                "total": fmt_limit(total + special_total, promised_unit),
                "extra": extra,
                "promised": fmt_limit(promised, promised_unit),
            },
        )


# ---------------------------------------------------------------------------------------------------------- C04
@rule("C04", gettext_lazy("办件类型、审查类型与即办不一致"))
def instant_consistency(ctx: CheckContext) -> Iterator[Issue]:
    """即办 ⇔ 即办件 ⇔ 即审即办. The filled fields vote; the field(s) in the minority are flagged."""
    guide = ctx.guide
    votes = {}
    if not blank(guide.promised_limit_unit):
        votes["guide.promised_limit_unit"] = guide.promised_limit_unit == LimitUnit.INSTANT
    if not blank(guide.case_type):
        votes["guide.case_type"] = guide.case_type == CaseType.IMMEDIATE
    if not blank(guide.review_mode):
        votes["guide.review_mode"] = guide.review_mode == ReviewMode.IMMEDIATE
    instant_votes = sum(votes.values())
    if instant_votes in (0, len(votes)):
        return
    majority_instant = instant_votes * 2 > len(votes)
    tie = instant_votes * 2 == len(votes)
    state = {
        "unit": UNIT_LABELS.get(guide.promised_limit_unit) or _("未填写"),
        "case_type": guide.get_case_type_display() or _("未填写"),
        "review_mode": guide.get_review_mode_display() or _("未填写"),
    }
    for path, instant in votes.items():
        if tie or instant != majority_instant:
            fix = {
                "guide.promised_limit_unit": _("请核对承诺时限单位"),
                "guide.case_type": _("请核对办件类型"),
                "guide.review_mode": _("请核对事项审查类型"),
            }[path]
            yield error(
                path,
                _(
                    "承诺时限“%(unit)s”、办件类型“%(case_type)s”、审查类型“%(review_mode)s”不一致。"
                    "即办事项的承诺时限为即办、办件类型为即办件、审查类型为即审即办，三者须一致，%(fix)s。"
                )
                % {**state, "fix": fix},
            )


# ---------------------------------------------------------------------------------------------------------- C05
@rule("C05", gettext_lazy("收费信息不完整或网上支付设置错误"))
def fees(ctx: CheckContext) -> Iterator[Issue]:
    guide = ctx.guide
    if guide.is_charged:
        if blank(guide.fee_basis):
            yield error(
                "guide.fee_basis", _("本事项设为收费，但未填写收费依据。请写明收费的法律法规或文件依据及文号。")
            )
        if not ctx.fees:
            yield error("fees", _("本事项设为收费，但未填写收费项目。请逐项添加收费项目、收费标准和依据。"))
    else:
        if guide.pay_online:
            yield error(
                "guide.pay_online",
                _("本事项不收费，却设为支持网上支付。请取消“支持网上支付”，或将事项改为收费。"),
            )
        if ctx.fees:
            yield warning(
                "fees",
                _("本事项设为不收费，但填写了%(n)d项收费项目。请删除收费项目，或将事项改为收费。")
                % {"n": len(ctx.fees)},
            )
    for i, fee in enumerate(ctx.fees):
        for attr, label in (("name", _("收费项目名称")), ("standard_text", _("收费标准")), ("basis", _("收费依据"))):
            if blank(getattr(fee, attr)):
                yield error(
                    f"fees[{i}].{attr}", _("收费项目第%(n)d行未填写%(field)s，请补全。") % {"n": i + 1, "field": label}
                )
