"""What a benchmark hands back to the runner, and the summary table ``python -m bench`` ends with.

A benchmark returns the text it printed before (kept as the run's detail) together with one ``Result`` per workload
it measured (``Outcome``), or raises ``BenchFailure`` when its run was refused or went wrong. The runner prints the
detail as it comes, collects the results and ends with ``summary_table``: one row per workload of issue 19's table
(``WORKLOADS``, in the issue's order, "not run" for those no benchmark of this run measured), then the rows of any
other workload. A failure is a row marked FAILED and makes the run's exit status non-zero — never a figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The workloads of issue 19's table, in its order: key → (what is measured, its goal).
WORKLOADS: dict[str, tuple[str, str]] = {
    "items-api": ("items API list, page 100, vs bare values()", "≤ 2×"),
    "compute-rates": ("compute_rates vs one GROUPING SETS query", "≤ 1.5×"),
    "queue-province": ("reviewers' queue, whole province", "≤ 1.2× its 1× median"),
    "queue-county": ("reviewers' queue, one county chosen", "≤ 1.2× its 1× median"),
    "general-catalogue": ("general catalogue list", "≤ 1.2× its 1× median"),
    "standards-list": ("/standards/ list", "≤ 1.2× its 1× median"),
    "staff-export": ("province staff export", "runs; request ≤ 30 s; RSS growth ≤ 64 MB"),
}


class BenchFailure(Exception):
    """A run that was refused (an HTTP status other than 200, a cap) or whose figures are wrong: it is reported as a
    failure, never timed as a result."""


@dataclass(frozen=True)
class Result:
    """One workload's figures. ``ratio`` is the project's cost ÷ the baseline's (so below 1 is better than the
    baseline); ``met`` is None when this run cannot judge the goal (e.g. a page's growth without ``--compare``)."""

    workload: str
    project: str
    baseline: str
    ratio: float | None
    goal: str
    met: bool | None
    failure: str = ""

    @classmethod
    def failed(cls, workload: str, reason: str, goal: str = "") -> Result:
        goal = goal or WORKLOADS.get(workload, ("", ""))[1]
        return cls(workload, "—", "—", None, goal, None, failure=reason)

    @property
    def verdict(self) -> str:
        if self.failure:
            return "FAILED"
        return {True: "yes", False: "no", None: "—"}[self.met]


@dataclass
class Outcome:
    """A benchmark's printed detail and its results for the summary."""

    text: str
    results: list[Result] = field(default_factory=list)

    def __str__(self) -> str:
        return self.text


def ratio_text(ratio: float | None) -> str:
    return "—" if ratio is None else f"{ratio:.2f}×"


def summary_table(results: list[Result]) -> str:
    """The table ``python -m bench`` ends with: workload, project, baseline, ratio, goal, met."""
    by_workload: dict[str, list[Result]] = {}
    for result in results:
        by_workload.setdefault(result.workload, []).append(result)
    rows = []
    for key, (label, goal) in WORKLOADS.items():
        for result in by_workload.pop(key, None) or [Result(key, "not run", "—", None, goal, None)]:
            rows.append((label, result))
    rows += [(key, result) for key, found in by_workload.items() for result in found]
    header = ("workload", "project", "baseline", "ratio", "goal", "met")
    table = [header] + [(label, r.project, r.baseline, ratio_text(r.ratio), r.goal, r.verdict) for label, r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in table]
    lines.insert(1, "  ".join("-" * width for width in widths))
    lines += [f"FAILURE {label}: {r.failure}" for label, r in rows if r.failure]
    return "\n".join(lines)


def any_failed(results: list[Result]) -> bool:
    return any(r.failure for r in results)
