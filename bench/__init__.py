"""Province-scale load and benchmarks, run as ``python -m bench`` (``make bench``); see ``bench/README.md``.

``python -m bench generate`` builds the Guangdong load (``bench.generate``). A benchmark is a function registered
here under a name; it becomes the subcommand ``python -m bench NAME``, and ``python -m bench`` (no arguments) runs
``generate`` and then every registered benchmark in registration order::

    # bench/list_pages.py
    from bench import register

    def add_arguments(parser):
        parser.add_argument("--repeat", type=int, default=20)

    @register("list-pages", help="implementation-list pages of every county", add_arguments=add_arguments)
    def list_pages(args):
        ...  # Django is set up and the database checked; return whatever should be printed

and add ``"bench.list_pages"`` to ``BENCHMARK_MODULES``. Modules are imported after ``django.setup()``, so they may
import models at module level, but must not query the database on import.

This module itself imports nothing from Django, so it can be imported before settings are configured.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# Modules whose import registers benchmarks, in the order ``python -m bench`` runs them.
BENCHMARK_MODULES: list[str] = [
    "bench.api",
    "bench.reporting",
    "bench.pages",
    "bench.import_memory",
    "bench.staff_exports",
    "bench.cases.load",
    "bench.cases.sweep",
    "bench.cases.ingest",
    "bench.cases.figures",
    "bench.evaluations",
    "bench.load",
]

# Subcommands of ``bench.__main__`` itself, which a benchmark cannot take.
RESERVED_NAMES = frozenset({"generate", "all"})


@dataclass(frozen=True)
class Benchmark:
    name: str
    help: str
    run: Callable[[argparse.Namespace], Any]
    add_arguments: Callable[[argparse.ArgumentParser], None] | None = None


BENCHMARKS: dict[str, Benchmark] = {}


def register(
    name: str, *, help: str, add_arguments: Callable[[argparse.ArgumentParser], None] | None = None
) -> Callable[[Callable[[argparse.Namespace], Any]], Callable[[argparse.Namespace], Any]]:
    """Register ``func(args)`` as the benchmark ``name`` (a subcommand of ``python -m bench``)."""

    def decorator(func: Callable[[argparse.Namespace], Any]) -> Callable[[argparse.Namespace], Any]:
        if name in RESERVED_NAMES or name in BENCHMARKS:
            raise ValueError(f"benchmark name {name!r} is already taken")
        BENCHMARKS[name] = Benchmark(name=name, help=help, run=func, add_arguments=add_arguments)
        return func

    return decorator
