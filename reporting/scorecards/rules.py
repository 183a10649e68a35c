"""The scoring rules of an indicator: how a measured figure becomes a score, in one place for the service, the form
and the page that explains a score ("how").

- Linear (线性): score = weight × clamp((value − floor) ÷ (target − floor), 0, 1), value a rate in per cent: at or
  below the floor nothing, at or above the target the full weight, in between in proportion.
- Deduction (按次扣分): score = weight − min(per occurrence × count, cap): each occurrence costs ``per_occurrence``, the
  loss never exceeds ``cap`` (at most the weight).

A unit with nothing to measure (a rate whose denominator is 0, or an indicator that does not apply to its kind of
unit) gets the full weight: nothing went wrong there, and the line says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from reporting.models import RuleKind

TOTAL_WEIGHT = Decimal(100)
TWO_PLACES = Decimal("0.01")


def plain(value: Decimal) -> str:
    """A decimal as people write it: 90, 12.5 (never 9E+1 or 12.50)."""
    return format(Decimal(value).normalize(), "f")


def weights_error(weights) -> str | None:
    """The weights of a scorecard must add up to 100 (None when they do)."""
    total = sum((Decimal(w or 0) for w in weights), Decimal(0))
    if total != TOTAL_WEIGHT:
        return _("各指标权重之和须为 100 分，当前为 %(total)s 分") % {"total": plain(total)}
    return None


def indicator_set_errors(rows: list[dict]) -> list[str]:
    """What is wrong with a scorecard's indicators as a whole (none, one kind twice, weights not adding up to 100):
    the form set and the service ask the same."""
    errors = []
    if not rows:
        errors.append(_("至少需要一项考核指标"))
    kinds = [row["kind"] for row in rows]
    if len(set(kinds)) != len(kinds):
        errors.append(_("同一指标不能重复设置"))
    message = weights_error([row.get("weight") for row in rows])
    if message and rows:
        errors.append(message)
    return errors


def rule_errors(*, kind, rule, weight, floor, target, per_occurrence, cap) -> dict[str, str]:
    """Field errors of one indicator's rule, in Chinese, keyed by field name (empty when valid)."""
    from .indicators import REGISTRY

    errors: dict[str, str] = {}
    spec = REGISTRY.get(kind)
    if spec is None:
        errors["kind"] = _("未知的指标类型")
    elif rule not in spec.rules:
        errors["rule"] = _("该指标不能使用此计分规则")
    if rule == RuleKind.LINEAR:
        if floor is None:
            errors["floor"] = _("线性得分须填写下限")
        if target is None:
            errors["target"] = _("线性得分须填写目标值")
        if floor is not None and target is not None and target <= floor:
            errors["target"] = _("目标值须大于下限")
        for name, value in (("floor", floor), ("target", target)):
            if value is not None and not 0 <= value <= 100:
                errors[name] = _("须在 0 至 100 之间")
    elif rule == RuleKind.DEDUCTION:
        if per_occurrence is None or per_occurrence <= 0:
            errors["per_occurrence"] = _("按次扣分须填写大于 0 的每次扣分")
        if cap is None or cap <= 0:
            errors["cap"] = _("按次扣分须填写大于 0 的扣分上限")
        elif weight is not None and cap > weight:
            errors["cap"] = _("扣分上限不能大于该指标的权重")
    return errors


@dataclass(frozen=True)
class Rule:
    kind: str
    weight: Decimal
    floor: Decimal | None = None
    target: Decimal | None = None
    per_occurrence: Decimal | None = None
    cap: Decimal | None = None

    @classmethod
    def of(cls, indicator) -> Rule:
        return cls(
            indicator.rule,
            Decimal(indicator.weight),
            indicator.floor,
            indicator.target,
            indicator.per_occurrence,
            indicator.cap,
        )

    def describe(self) -> str:
        w = plain(self.weight)
        if self.kind == RuleKind.DEDUCTION:
            return _("满分 %(weight)s 分，每次扣 %(per)s 分，最多扣 %(cap)s 分") % {
                "weight": w,
                "per": plain(self.per_occurrence),
                "cap": plain(self.cap),
            }
        return _("满分 %(weight)s 分：达到 %(target)s%% 得满分，不高于 %(floor)s%% 不得分，其间按比例") % {
            "weight": w,
            "target": plain(self.target),
            "floor": plain(self.floor),
        }

    def score(self, value: float | None, count: int | None = None) -> Decimal:
        """The score of a measured value (linear: a per cent; deduction: ``count`` occurrences); full weight when
        there is nothing to measure (``value`` None)."""
        if self.kind == RuleKind.DEDUCTION:
            if count is None:
                return self.weight
            loss = min(self.per_occurrence * count, self.cap)
            return _round(self.weight - loss)
        if value is None:
            return self.weight
        share = (Decimal(str(value)) - self.floor) / (self.target - self.floor)
        share = min(max(share, Decimal(0)), Decimal(1))
        return _round(self.weight * share)


def _round(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
