"""Case benchmarks (see ``bench/README.md``, *Cases*): the load of cases and four measurements against baselines taken
in the same run.

- ``case-load``: adds cases (办件) with their step records to the province load, in SQL (``INSERT … SELECT`` from
  ``generate_series``), on PostgreSQL. ``--cases N`` (default 50,000, what ``make bench`` makes in a few minutes) or
  ``--province`` (2,000,000 cases, about 9.5 million step records: the province-scale load). Idempotent: the cases
  are numbered ``BENCH-<serial>`` and only the serials not yet there are added, so a larger run extends a smaller one.
- ``case-sweep``: ``cases.supervision.sweep(today)`` over every open case against one hand-written ``UPDATE … FROM``
  that sets the same flags (``alert_level``), each run in a transaction rolled back afterwards, alternated; goal ≤ 2×.
  Also the statements the sweep issues with all the open cases and with half of them (bounded: the same number).
- ``case-ingest``: ``POST /api/v1/case-events/`` (batches of 500 new accepted cases with three steps each) through
  the Django test client against a bare bulk ``INSERT`` of the same rows (cases, steps, event records), alternated
  batch by batch, all rolled back; events per second, goal ≤ 3× the cost.
- ``case-figures``: ``reporting.case_figures.services.case_snapshots_store`` (every scope, stored) against the one
  hand-written aggregate query a report would use (the same counts per county).

Each is a module of its own, listed in ``bench.BENCHMARK_MODULES`` in the order they run. Where the code measured
is not on this branch (the sweep, the ingest endpoint), the benchmark says "not available"
instead of failing.
"""
