"""What the case benchmarks share: the day they take as today, timing, and transactions rolled back after a run."""

from __future__ import annotations

import datetime as dt
import statistics
import time

from django.db import transaction

# The day the benchmarks take as today: the catalogue load's standards moved up to 20 November 2026.
TODAY = dt.date(2026, 11, 20)


class Rollback(Exception):
    pass


def median(values: list[float]) -> float:
    return statistics.median(values)


def fmt(times: list[float]) -> str:
    return "[" + ", ".join(f"{t:.3f}" for t in times) + "]"


def timed(func) -> float:
    started = time.perf_counter()
    func()
    return time.perf_counter() - started


def rolled_back(func):
    """Run ``func`` in a transaction that is rolled back: every run starts from the same database."""
    result = None
    try:
        with transaction.atomic():
            result = func()
            raise Rollback
    except Rollback:
        pass
    return result


def repeat_arguments(parser) -> None:
    parser.add_argument("--repeat", type=int, default=5, help="runs of each side (median taken; default 5)")
