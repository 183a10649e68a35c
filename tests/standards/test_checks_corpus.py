"""Real text through the checks: each row of ``corpus/real_text.csv`` is a string taken from a published guide, an
item export or a public rule (source given in the row), with the verdict a 编办 reviewer would give and why.

The test puts the string where a clerk would have typed it (a phone field, the address, the office hours, the
conditions, a material's name, the promised and legal limits), runs the one rule that reads that field, and expects
the reviewer's verdict: ``ok`` (no finding on that field), the rule's code (an error) or ``code-warning``.
No database is needed: the rules read an unsaved standard.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from catalogue.models import GeneralItem, LocalItem
from standards.checks import RULES, CheckContext
from standards.models import BusinessManual, ItemStandard, LimitUnit, Material, MaterialForm, MaterialType, ServiceGuide

CORPUS = Path(__file__).parent / "corpus" / "real_text.csv"
ROWS = list(csv.DictReader(CORPUS.open(encoding="utf-8")))

# kind -> (rule, the field path whose findings count)
FIELDS = {
    "consult_phone": ("C06", "guide.consult_phone"),
    "complain_phone": ("C06", "guide.complain_phone"),
    "address": ("C06", "guide.address"),
    "office_hours": ("C06", "guide.office_hours"),
    "condition": ("C08", "guide.acceptance_conditions"),
    "material": ("C07", "materials[0].name"),
    "limit": ("C03", "guide.promised_limit"),
}

_CN_DIGITS = dict(zip("零一二两三四五六七八九", (0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9), strict=True))
_LIMIT = re.compile(r"(\d+|[零一二两三四五六七八九十]+)\s*[（(]?\s*个?\s*(工作日|自然日|日|天|个月|月|年)")
_UNITS = {
    "工作日": LimitUnit.WORKING_DAY,
    "自然日": LimitUnit.NATURAL_DAY,
    "日": LimitUnit.NATURAL_DAY,
    "天": LimitUnit.NATURAL_DAY,
    "个月": LimitUnit.MONTH,
    "月": LimitUnit.MONTH,
    "年": LimitUnit.YEAR,
}


def _number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if "十" in text:  # 十, 二十, 二十五
        tens, _, ones = text.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    return _CN_DIGITS[text]


def parse_limit(text: str) -> tuple[int, str]:
    """``20(工作日)``, ``受理之日起20个工作日。``, ``…二十日内…`` (the first number with a unit); a bare number is an
    export's day count, in working days (``anticipate_type`` 1 of the Guangxi exports)."""
    if text.strip().isdigit():
        return int(text), LimitUnit.WORKING_DAY
    match = _LIMIT.search(text)
    assert match, f"no time limit in {text!r}"
    return _number(match.group(1)), _UNITS[match.group(2)]


def context_for(row: dict) -> CheckContext:
    general = GeneralItem(name="事项", item_type="01")
    standard = ItemStandard(local_item=LocalItem(name="事项", general_item=general, item_type="01"))
    guide = ServiceGuide(standard=standard)
    kind, text, other = row["kind"], row["text"], row["other"]
    if kind == "consult_phone":
        guide.consult_phone, guide.complain_phone = text, other
    elif kind == "complain_phone":
        guide.complain_phone, guide.consult_phone = text, other
    elif kind in ("address", "office_hours"):
        setattr(guide, kind, text)
    elif kind == "condition":
        guide.acceptance_conditions = text
    elif kind == "limit":
        guide.promised_limit, guide.promised_limit_unit = parse_limit(text)
        guide.legal_limit, guide.legal_limit_unit = parse_limit(other)
    ctx = CheckContext(standard, guide=guide, manual=BusinessManual(standard=standard))
    if kind == "material":
        ctx.materials = [Material(name=text, material_type=MaterialType.ORIGINAL, material_form=MaterialForm.PAPER)]
    return ctx


def verdict(row: dict) -> tuple[str, list[str]]:
    code, path = FIELDS[row["kind"]]
    findings = [f for f in RULES[code].run(context_for(row)) if f.field_path.startswith(path)]
    messages = [f.message for f in findings]
    if any(f.is_error for f in findings):
        return code, messages
    if findings:
        return f"{code}-warning", messages
    return "ok", messages


def test_the_corpus_is_large_real_and_explained():
    assert len(ROWS) >= 150
    assert {row["kind"] for row in ROWS} == set(FIELDS)
    assert all(row["text"].strip() and row["source"].strip() and row["why"].strip() for row in ROWS)
    assert len({(row["kind"], row["text"], row["other"]) for row in ROWS}) == len(ROWS)  # no row twice
    # every verdict occurs, so the corpus exercises both sides of the rules it reads
    assert {row["verdict"] for row in ROWS} >= {"ok", "C06", "C07", "C08", "C08-warning", "C03-warning"}


@pytest.mark.parametrize("row", ROWS, ids=[f"{i + 2}-{row['kind']}" for i, row in enumerate(ROWS)])
def test_the_reviewers_verdict(row):
    found, messages = verdict(row)
    assert found == row["verdict"], f"{row['text']!r}: expected {row['verdict']} ({row['why']}), got {messages}"


def test_each_bad_number_is_reported_once_in_a_real_field():
    row = {"kind": "consult_phone", "text": "86510148 或 12355-8", "other": ""}
    found, messages = verdict(row)
    assert found == "C06" and len(messages) == 1 and "86510148" in messages[0]


def test_limits_parse_as_published():
    assert parse_limit("1 (工作日)") == (1, LimitUnit.WORKING_DAY)
    assert parse_limit("受理之日起20个工作日。") == (20, LimitUnit.WORKING_DAY)
    assert parse_limit("行政机关应当自受理行政许可申请之日起二十日内做出行政许可决定") == (20, LimitUnit.NATURAL_DAY)
    assert parse_limit("66") == (66, LimitUnit.WORKING_DAY)
