"""Demo data built from real public lists: the divisions, a general catalogue made of real item names (广安区 and
中山市 lists kept in ``fixtures/data``), departments of 清远市 and its county-level units and of 奉节县 with valid
credit codes, their implementation lists, some claims waiting and some changes applied, and a user for every role.

``data`` holds the lists, ``builder`` the steps that write them.
"""

from .builder import DemoBuilder
from .data import (
    DATA_DIR,
    DEMO_CITY,
    DEMO_EXTRA_COUNTIES,
    DEMO_LOGINS,
    DEMO_PASSWORD,
    DEMO_PROVINCES,
    DEPARTMENTS,
    KNOWN_BASES,
    SECTORS,
    SICHUAN_DEPARTMENT_SECTOR,
    CatalogueEntry,
    real_catalogue_entries,
)

__all__ = [
    "DATA_DIR",
    "DEMO_CITY",
    "DEMO_EXTRA_COUNTIES",
    "DEMO_LOGINS",
    "DEMO_PASSWORD",
    "DEMO_PROVINCES",
    "DEPARTMENTS",
    "KNOWN_BASES",
    "SECTORS",
    "SICHUAN_DEPARTMENT_SECTOR",
    "CatalogueEntry",
    "DemoBuilder",
    "real_catalogue_entries",
]
