"""The scoring rules of a scorecard's indicators and the weights: each rule fires, and keeps quiet where it should."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from reporting.models import RuleKind
from reporting.scorecards.rules import Rule, rule_errors, weights_error

LINEAR = Rule(RuleKind.LINEAR, D(20), floor=D(60), target=D(100))
DEDUCTION = Rule(RuleKind.DEDUCTION, D(10), per_occurrence=D(2), cap=D(6))


@pytest.mark.parametrize(
    ("value", "score"),
    [
        (50.0, D("0.00")),  # below the floor: nothing
        (60.0, D("0.00")),  # at the floor: nothing
        (80.0, D("10.00")),  # half way: half the weight
        (66.6, D("3.30")),  # in proportion, rounded to the cent
        (100.0, D("20.00")),  # at the target: the full weight
    ],
)
def test_linear_scores_between_floor_and_target(value, score):
    assert LINEAR.score(value) == score


def test_linear_is_clamped_above_the_target():
    narrow = Rule(RuleKind.LINEAR, D(10), floor=D(50), target=D(90))
    assert narrow.score(95.0) == D("10.00")  # clamp fires: never more than the weight
    assert narrow.score(89.0) == D("9.75")  # quiet: below the target


def test_nothing_to_measure_scores_the_full_weight():
    assert LINEAR.score(None) == D(20)
    assert DEDUCTION.score(None, None) == D(10)


@pytest.mark.parametrize(
    ("count", "score"), [(0, D("10.00")), (1, D("8.00")), (3, D("4.00")), (4, D("4.00")), (9, D("4.00"))]
)
def test_deduction_per_occurrence_up_to_the_cap(count, score):
    """Each occurrence costs 2; from the fourth the cap of 6 holds (10 − 6 = 4)."""
    assert DEDUCTION.score(float(count), count) == score


def test_the_rule_explains_itself_in_words():
    assert LINEAR.describe() == "满分 20 分：达到 100% 得满分，不高于 60% 不得分，其间按比例"
    assert DEDUCTION.describe() == "满分 10 分，每次扣 2 分，最多扣 6 分"


def test_weights_must_add_up_to_100():
    assert weights_error([D(60), D(40)]) is None
    assert weights_error([D(60), D(30)]) == "各指标权重之和须为 100 分，当前为 90 分"
    assert weights_error([D("50.5"), D("50")]) == "各指标权重之和须为 100 分，当前为 100.5 分"


def _errors(**kwargs):
    row = {"kind": "submission_rate", "rule": RuleKind.LINEAR, "weight": D(10), "floor": D(60), "target": D(100)}
    row.setdefault("per_occurrence", None)
    row.setdefault("cap", None)
    return rule_errors(**{**row, "per_occurrence": None, "cap": None, **kwargs})


def test_rule_settings_are_checked_at_their_field():
    assert _errors() == {}
    assert _errors(target=D(50)) == {"target": "目标值须大于下限"}
    assert _errors(floor=None) == {"floor": "线性得分须填写下限"}
    assert _errors(target=D(120)) == {"target": "须在 0 至 100 之间"}
    assert _errors(kind="nonsense") == {"kind": "未知的指标类型"}
    # A rate cannot be scored per occurrence, a count cannot be scored linearly.
    assert "rule" in _errors(rule=RuleKind.DEDUCTION, per_occurrence=D(1), cap=D(5))
    assert "rule" in _errors(kind="red_alerts")


def test_deduction_settings_are_checked_at_their_field():
    ok = {"kind": "red_alerts", "rule": RuleKind.DEDUCTION, "floor": None, "target": None}
    assert _errors(**ok, per_occurrence=D(2), cap=D(10)) == {}
    assert _errors(**ok, per_occurrence=D(0), cap=D(10)) == {"per_occurrence": "按次扣分须填写大于 0 的每次扣分"}
    assert _errors(**ok, per_occurrence=D(2), cap=D(11)) == {"cap": "扣分上限不能大于该指标的权重"}
