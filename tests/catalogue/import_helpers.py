"""The sample files and small helpers the import tests share."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from catalogue.imports import (
    catalogue_import,
    load_profile,
)
from catalogue.models import GeneralItem, LocalItem, Organization

DATA = Path(__file__).resolve().parents[2] / "catalogue" / "fixtures" / "data"
ZHONGSHAN = DATA / "items_gd_zhongshan_442000.csv"
GUANGAN = DATA / "items_sc_guangan_511602.csv"
GUANGAN_PROFILE = Path(__file__).resolve().parents[2] / "catalogue" / "import_profiles" / "sc_guangan.toml"


def _run(actor, path, profile, **kw):
    return catalogue_import(actor=actor, path=path, profile=load_profile(profile), **kw)


def _history_rows() -> int:
    return sum(m.history.count() for m in (GeneralItem, LocalItem, Organization))


def _csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def _zhongshan_rows(count: int | None = None) -> list[list[str]]:
    with open(ZHONGSHAN, encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    return rows if count is None else rows[: count + 1]


# --- the real files ----------------------------------------------------------------------------------------------
