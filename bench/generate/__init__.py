"""The province-scale load: the whole of Guangdong (440000) at county level, for the benchmarks to run against.

What it makes (scale 1; see ``bench/README.md``):

- the divisions, from the project's CSV tables (``divisions_load``): 122 county-level units in Guangdong;
- a bench user (inactive, no password) that every generated row names as ``created_by``, so the generator can tell
  its own rows from anything else and refuse to mix with other data;
- the sectors and a general catalogue for 440000 made of the real item names of ``catalogue.demo`` (755 main items,
  513 sub items; 1,128 claimable leaves, all allowed at county level);
- per county: a 编办, a 司法局 and 40 implementing departments with valid credit codes, each with a sector;
- per county about 1,000 active local items (level 4): every claimable leaf goes to a department of its sector, and
  each county leaves out 5–17 % of them (a fixed pseudo-random choice, so counties differ and runs repeat).

``--scale N`` repeats the 40 departments N times per county ("（副本2）" …) and each copy implements the same items
with its own credit code, so local items and departments grow N×; divisions, sectors and the general catalogue do not.

Rows are written with ``bulk_create`` in batches, never through the per-item services, and carry no
django-simple-history rows. Re-running skips every row that exists (organizations by credit code, local items by
implementation code, also when only ``catalogue_issuedcode`` still holds the code), so it never re-inserts a code the
database triggers have registered; ``--reset`` empties the catalogue tables first.
"""

from .generator import Generator, add_arguments, format_report, run
from .plan import (
    BENCH_USERNAME,
    BIANBAN_SERIAL,
    COUNTY,
    DEFAULT_BATCH_SIZE,
    EFFECTIVE_DATE,
    EXPECTED_COUNTIES,
    EXTRA_DEPARTMENTS,
    JUSTICE_SERIAL,
    LEVEL_DIGIT,
    MAX_SCALE,
    PROVINCE,
    SECTOR_08_DEPARTMENT,
    SKIP_MIN,
    SKIP_SPREAD,
    GeneratorError,
    Phase,
    Report,
    department_name,
    department_plan,
    initials,
    peak_rss_mb,
)

__all__ = [
    "BENCH_USERNAME",
    "BIANBAN_SERIAL",
    "COUNTY",
    "DEFAULT_BATCH_SIZE",
    "EFFECTIVE_DATE",
    "EXPECTED_COUNTIES",
    "EXTRA_DEPARTMENTS",
    "JUSTICE_SERIAL",
    "LEVEL_DIGIT",
    "MAX_SCALE",
    "PROVINCE",
    "SECTOR_08_DEPARTMENT",
    "SKIP_MIN",
    "SKIP_SPREAD",
    "Generator",
    "GeneratorError",
    "Phase",
    "Report",
    "add_arguments",
    "department_name",
    "department_plan",
    "format_report",
    "initials",
    "peak_rss_mb",
    "run",
]
