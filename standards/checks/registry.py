"""The rule registry: findings, rules, the ``@rule`` decorator and ``run_checks``."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import Literal, NamedTuple

from standards.models import ItemStandard

from .context import CheckContext

Severity = Literal["error", "warning"]
ERROR: Severity = "error"
WARNING: Severity = "warning"


@dataclass(frozen=True)
class Finding:
    """One problem found in a standard.

    ``field_path`` names where the clerk fixes it: ``guide.promised_limit``, ``manual.staff_requirements``,
    ``materials[2].name`` (third material row in editor order), or a row list such as ``manual_steps`` when the
    list itself is wrong (missing, or its sum too large).
    """

    code: str
    severity: Severity
    field_path: str
    message: str

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


class Issue(NamedTuple):
    """What a rule function yields; the registry stamps it with the rule's code."""

    severity: Severity
    field_path: str
    message: str


def error(field_path: str, message: str) -> Issue:
    return Issue(ERROR, field_path, message)


def warning(field_path: str, message: str) -> Issue:
    return Issue(WARNING, field_path, message)


RuleFunction = Callable[[CheckContext], Iterable[Issue]]


@dataclass(frozen=True)
class Rule:
    code: str
    title: str
    function: RuleFunction

    def run(self, ctx: CheckContext) -> list[Finding]:
        return [Finding(self.code, issue.severity, issue.field_path, issue.message) for issue in self.function(ctx)]


# Every registered rule by reason code, in code order.
RULES: dict[str, Rule] = {}
_CODE = re.compile(r"^[FCL]\d{2}$")


def rule(code: str, title: str) -> Callable[[RuleFunction], RuleFunction]:
    """Register the decorated function as the rule for reason ``code`` (domain.md 6.4). One rule per code."""
    if not _CODE.match(code):
        raise ValueError(f"reason code {code!r} is not of the form F01 / C03 / L02")

    def register(function: RuleFunction) -> RuleFunction:
        if code in RULES and RULES[code].function is not function:
            raise ValueError(f"rule {code} is already registered by {RULES[code].function.__qualname__}")
        RULES[code] = Rule(code, title, function)
        ordered = sorted(RULES.items())  # by code, whatever order the modules are imported in
        RULES.clear()
        RULES.update(ordered)
        return function

    return register


_SEVERITY_ORDER = {ERROR: 0, WARNING: 1}


def _natural(path: str) -> tuple:
    """``materials[10]`` after ``materials[2]``."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", path))


def sort_key(finding: Finding) -> tuple:
    return (_SEVERITY_ORDER[finding.severity], finding.code, _natural(finding.field_path))


def run_checks(standard: ItemStandard | CheckContext, codes: Iterable[str] | None = None) -> list[Finding]:
    """Run every registered rule (or only ``codes``) on a standard: errors first, then by code and field path.

    Given an ``ItemStandard`` it reads the saved standard afresh; given a ``CheckContext`` it checks what the
    context holds. The number of queries does not depend on how many rows the standard has.
    """
    ctx = CheckContext.of(standard)
    selected = RULES.values() if codes is None else [RULES[code] for code in codes]
    findings = [finding for each in selected for finding in each.run(ctx)]
    return sorted(findings, key=sort_key)


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(finding.severity == ERROR for finding in findings)
