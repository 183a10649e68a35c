"""The bench's summary: every workload of issue 19 has its row, and a refused or broken run is a failure, never a
figure."""

from __future__ import annotations

import argparse

from bench import Benchmark
from bench.__main__ import run_benchmark
from bench.reporting import _grouping_sets_figures
from bench.results import WORKLOADS, BenchFailure, Outcome, Result, any_failed, summary_table


def _run(func) -> list[Result]:
    return run_benchmark(Benchmark(name="compute-rates", help="", run=func), argparse.Namespace())


def test_every_workload_has_a_row_even_when_not_run():
    table = summary_table([])
    for label, goal in WORKLOADS.values():
        row = next(line for line in table.splitlines() if line.startswith(label))
        assert "not run" in row and goal in row


def test_a_refused_run_is_a_failure_not_a_figure(capsys):
    def refused(args):
        raise BenchFailure("the export answered 302 (over EXPORT_MAX_ROWS)")

    results = _run(refused)
    assert any_failed(results)
    assert "FAILURE compute-rates: the export answered 302" in capsys.readouterr().out
    row = next(line for line in summary_table(results).splitlines() if line.startswith("compute_rates"))
    assert row.split()[-1] == "FAILED" and " s " not in row


def test_a_crash_is_a_failure_and_the_run_goes_on(capsys):
    def broken(args):
        raise ZeroDivisionError("division by zero")

    results = _run(broken)
    assert [r.verdict for r in results] == ["FAILED"]
    assert "FAILURE compute-rates: ZeroDivisionError" in capsys.readouterr().out


def test_results_are_collected_and_judged(capsys):
    def measured(args):
        return Outcome("  detail", [Result("compute-rates", "1.200 s", "1.000 s", 1.2, "≤ 1.5×", True)])

    results = _run(measured)
    assert "  detail" in capsys.readouterr().out
    assert not any_failed(results)
    row = next(line for line in summary_table(results).splitlines() if line.startswith("compute_rates"))
    assert "1.200 s" in row and "1.20×" in row and row.endswith("yes")


def test_a_plain_text_benchmark_adds_no_row():
    assert _run(lambda args: "  text only") == []


def test_grouping_sets_rows_are_keyed_as_snapshots():
    counts = (5, 4)
    rows = [
        (0, 1, 1, "440000", None, None, None, None, *counts),
        (1, 0, 1, None, "441800", None, None, None, *counts),
        (1, 0, 1, None, "", None, None, None, *counts),  # the province's own divisions: no city scope
        (1, 1, 0, None, None, "441802", None, None, *counts),
        (1, 1, 1, None, None, None, "441802", 7, *counts),
    ]
    assert _grouping_sets_figures(rows) == {
        "440000": counts,
        "441800": counts,
        "441802": counts,
        "441802/7": counts,
    }


def test_the_api_benchmark_fills_the_items_api_row_and_judges_each_goal():
    from bench.api import list_results

    results = list_results(
        baseline={"rps": 300.0, "server": 4.0, "p50": 5.0},
        full={"rps": 100.0, "server": 6.0, "p50": 7.0},
        cached={"server": 3.0},
    )
    row = next(line for line in summary_table(results).splitlines() if line.startswith("items API list, page 100"))
    assert "100.0 req/s" in row and "300.0 req/s" in row and "3.00×" in row and row.rstrip().endswith("no")
    assert [r.met for r in results] == [False, True, True, False]  # req/s 3×; p50s 1.5× and 1.4×; 304 at 0.5
