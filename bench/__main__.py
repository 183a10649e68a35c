"""``python -m bench [--allow-sqlite] [COMMAND] [options]`` — see ``bench/README.md``.

Commands: ``generate`` (the province load), ``all`` (generate, then every registered benchmark; what runs when no
command is given) and one per benchmark registered in ``bench.BENCHMARKS``. The database is the one in DATABASE_URL
(settings ``config.settings.local`` unless DJANGO_SETTINGS_MODULE says otherwise); anything but PostgreSQL is refused
unless ``--allow-sqlite`` is given and it is SQLite.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django() -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django
    from django.conf import settings

    django.setup()
    # config.settings.local turns DEBUG on, which makes Django keep the text of every query (each bulk INSERT is
    # megabytes): that would be measured as the generator's memory.
    settings.DEBUG = False


def common_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    # Accepted before and after the command; on subcommands the default is SUPPRESS so that a value given before
    # the command is not overwritten by the subcommand's default.
    default = argparse.SUPPRESS if suppress else False
    parser.add_argument(
        "--allow-sqlite",
        action="store_true",
        default=default,
        help="run against SQLite too (numbers are not comparable with PostgreSQL)",
    )


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    """The parser, and the subparser of every registered benchmark (for its defaults under ``all``)."""
    from bench import BENCHMARKS, generate

    parser = argparse.ArgumentParser(prog="python -m bench", description="Province-scale load and benchmarks.")
    common_options(parser, suppress=False)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, help_text in (
        ("generate", "build the Guangdong catalogue load (idempotent)"),
        ("all", "generate, then run every registered benchmark (the default)"),
    ):
        sub = commands.add_parser(name, help=help_text, description=help_text)
        common_options(sub, suppress=True)
        generate.add_arguments(sub)
    benchmark_parsers = {}
    for benchmark in BENCHMARKS.values():
        sub = commands.add_parser(benchmark.name, help=benchmark.help, description=benchmark.help)
        common_options(sub, suppress=True)
        if benchmark.add_arguments:
            benchmark.add_arguments(sub)
        benchmark_parsers[benchmark.name] = sub
    return parser, benchmark_parsers


def check_database(allow_sqlite: bool) -> str | None:
    """None if the database may be used, else the reason it may not."""
    from django.db import connection

    vendor = connection.vendor
    name = connection.settings_dict.get("NAME")
    if vendor == "postgresql" or (vendor == "sqlite" and allow_sqlite):
        pass
    elif vendor == "sqlite":
        where = "DATABASE_URL is not set, so Django uses" if not os.environ.get("DATABASE_URL") else "DATABASE_URL is"
        return (
            f"the benchmarks run on PostgreSQL, but {where} SQLite ({name}). Point DATABASE_URL at a PostgreSQL "
            "database of its own, e.g. DATABASE_URL=postgres://root@127.0.0.1:5432/spbz_bench (createdb, then "
            "manage.py migrate), or pass --allow-sqlite to try it on SQLite anyway."
        )
    else:
        return f"the benchmarks run on PostgreSQL (or SQLite with --allow-sqlite), not {vendor} ({name})."
    if "catalogue_localitem" not in connection.introspection.table_names():
        return f"database {name} has no catalogue tables: run `python manage.py migrate` against it first."
    return None


def describe_database() -> str:
    from django.db import connection

    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
        return f"PostgreSQL {version} · {settings.get('NAME')} on {settings.get('HOST') or 'local socket'}"
    return f"{connection.vendor} · {settings.get('NAME')}"


def describe_load() -> str:
    """The size of the province load the figures were measured on (scale 1 has 121,884 local items)."""
    from bench.generate import PROVINCE
    from catalogue.models import LocalItem

    items = LocalItem.objects.filter(division__province_code=PROVINCE, status="active").count()
    return f"{items:,} active local items in {PROVINCE} (scale {items / 121_884:.2f})"


def main(argv: list[str] | None = None) -> int:
    setup_django()
    from bench import BENCHMARK_MODULES, BENCHMARKS, generate
    from bench.results import any_failed, summary_table

    for module in BENCHMARK_MODULES:
        importlib.import_module(module)
    parser, benchmark_parsers = build_parser()
    argv = sys.argv[1:] if argv is None else argv
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args([*argv, "all"])

    problem = check_database(args.allow_sqlite)
    if problem:
        print(f"bench: refusing to run: {problem}", file=sys.stderr)
        return 2
    print(f"bench {args.command} · {describe_database()}", flush=True)
    if args.command != "generate":
        print(f"load: {describe_load()}", flush=True)

    def log(line: str) -> None:
        print(line, flush=True)

    started = time.perf_counter()
    results: list = []
    try:
        if args.command in ("generate", "all"):
            print(generate.format_report(generate.run(args, log=log)), flush=True)
        to_run = list(BENCHMARKS.values()) if args.command == "all" else [BENCHMARKS.get(args.command)]
        for benchmark in filter(None, to_run):
            print(f"\n== {benchmark.name}: {benchmark.help}", flush=True)
            bench_started = time.perf_counter()
            bench_args = args
            if args.command == "all":  # the benchmark's own defaults, plus the options given (--scale …)
                bench_args = benchmark_parsers[benchmark.name].parse_args([])
                vars(bench_args).update(vars(args))
            results += run_benchmark(benchmark, bench_args)
            print(f"== {benchmark.name}: {time.perf_counter() - bench_started:.2f} s", flush=True)
    except generate.GeneratorError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 1
    if args.command != "generate":
        print(f"\n== summary · {describe_load()} · load average {os.getloadavg()[0]:.1f}", flush=True)
        print(summary_table(results), flush=True)
    print(f"\nbench {args.command}: done in {time.perf_counter() - started:.2f} s", flush=True)
    if any_failed(results):
        print("bench: at least one benchmark FAILED (see the summary)", file=sys.stderr)
        return 1
    return 0


def run_benchmark(benchmark, args: argparse.Namespace) -> list:
    """Run one benchmark, print its detail, and return its results for the summary. A refused or broken run is
    printed as a FAILURE line and returned as a failed result, and the other benchmarks still run."""
    from bench.results import BenchFailure, Outcome, Result

    try:
        outcome = benchmark.run(args)
    except BenchFailure as exc:
        print(f"FAILURE {benchmark.name}: {exc}", flush=True)
        return [Result.failed(benchmark.name, str(exc))]
    except Exception as exc:  # any error is the benchmark's failure, not the end of the run
        traceback.print_exc()
        print(f"FAILURE {benchmark.name}: {type(exc).__name__}: {exc}", flush=True)
        return [Result.failed(benchmark.name, f"{type(exc).__name__}: {exc}")]
    if outcome is not None:
        print(outcome, flush=True)
    if isinstance(outcome, Outcome):
        for result in outcome.results:
            if result.failure:
                print(f"FAILURE {result.workload}: {result.failure}", flush=True)
        return outcome.results
    return []


if __name__ == "__main__":
    sys.exit(main())
