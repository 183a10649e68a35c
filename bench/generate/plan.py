"""What the load is made of: the province, the county departments, the credit-code serials and the batch size,
and the report of a run."""

from __future__ import annotations

import datetime as dt
import resource
from dataclasses import dataclass, field
from functools import cache

from catalogue.demo import DEPARTMENTS
from catalogue.models import (
    Division,
)
from catalogue.services import name_initials

PROVINCE = "440000"
COUNTY = "county"
LEVEL_DIGIT = "4"
EXPECTED_COUNTIES = 122
BENCH_USERNAME = "bench"
EFFECTIVE_DATE = dt.date(2026, 1, 1)
DEFAULT_BATCH_SIZE = 5000

# Credit-code serials inside a county (the 8-digit body of the organization code): departments are copy * 100 + slot,
# the offices keep the numbers ``catalogue.demo`` gives them.
BIANBAN_SERIAL, JUSTICE_SERIAL = 9001, 9002
MAX_SCALE = 89

# Each county leaves out SKIP_MIN..SKIP_MIN+SKIP_SPREAD-1 per mille of the claimable items (mean 11 %).
SKIP_MIN, SKIP_SPREAD = 50, 121

# The county departments of ``catalogue.demo.DEPARTMENTS`` (32), with sector 08 renamed because the 司法局 is the
# county's legality reviewer (kind "justice", same name), plus 8 bodies that share a large sector with a department.
SECTOR_08_DEPARTMENT = "公共法律服务中心"
EXTRA_DEPARTMENTS = [
    ("06", "公安局交通警察大队"),
    ("10", "社会保险基金管理中心"),
    ("11", "不动产登记中心"),
    ("13", "住房公积金管理中心"),
    ("14", "公路事务中心"),
    ("23", "医疗保障事业管理中心"),
    ("25", "税务局第一税务分局"),
    ("30", "政务服务中心"),
]


class GeneratorError(Exception):
    """The generator cannot go on; the message says why and what to do."""


def department_plan() -> list[tuple[str, str]]:
    """(sector code, name after the county's name) of a county's implementing departments; slot = index + 1."""
    plan = [(code, SECTOR_08_DEPARTMENT if code == "08" else name) for code, name in DEPARTMENTS.items()]
    return plan + EXTRA_DEPARTMENTS


def department_name(county: Division, suffix: str, copy: int) -> str:
    return f"{county.name}{suffix}" + ("" if copy == 1 else f"（副本{copy}）")


@cache
def initials(name: str) -> str:
    return name_initials(name)


@dataclass
class Phase:
    name: str
    rows: int = 0
    seconds: float = 0.0
    note: str = ""


@dataclass
class Report:
    scale: int
    phases: list[Phase] = field(default_factory=list)
    counts: dict[str, str] = field(default_factory=dict)
    peak_rss_mb: float = 0.0

    @property
    def rows(self) -> int:
        return sum(p.rows for p in self.phases)

    @property
    def seconds(self) -> float:
        return sum(p.seconds for p in self.phases)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
