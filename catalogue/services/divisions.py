"""Loading the administrative divisions from the CSV tables kept in ``catalogue/fixtures/data``."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from catalogue.models import Division, DivisionLevel
from core.i18n import enumeration

DATA_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "data"
DEFAULT_FILES = (DATA_DIR / "divisions_cn_county.csv", DATA_DIR / "townships_gd_cq.csv")

# Placeholder rows that group counties without being a real city (重庆 500100 市辖区, 500200 县 …): kept as rows so the
# tree is whole, left out of full names.
PLACEHOLDER_NAMES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
CODE_LENGTH = {"province": 6, "city": 6, "county": 6, "township": 9}
ORDER = {"province": 0, "city": 1, "county": 2, "township": 3}


@dataclass
class RowError:
    file: str
    row: int
    message: str

    def __str__(self) -> str:
        # Row 0 marks a problem with the whole file (encoding, missing file), not with one row.
        if self.row:
            return _("%(file)s 第%(row)s行：%(message)s") % {
                "file": self.file,
                "row": self.row,
                "message": self.message,
            }
        return _("%(file)s 整个文件：%(message)s") % {"file": self.file, "message": self.message}


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)


def _read(path: Path, report: LoadReport) -> Iterable[tuple[int, dict]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = {"code", "name", "level", "parent_code"} - set(reader.fieldnames or [])
            if missing:
                report.errors.append(
                    RowError(path.name, 1, _("缺少列：%(columns)s") % {"columns": enumeration(sorted(missing))})
                )
                return
            # Row numbers count the header as row 1, as a spreadsheet shows them.
            yield from enumerate(reader, start=2)
    except UnicodeDecodeError:
        report.errors.append(RowError(path.name, 0, _("文件不是UTF-8编码")))
    except FileNotFoundError:
        report.errors.append(RowError(path.name, 0, _("文件不存在")))


def _check(row: dict, known: dict[str, dict]) -> str | None:
    code, name, level, parent = (row.get(k, "") or "" for k in ("code", "name", "level", "parent_code"))
    code, name, level, parent = code.strip(), name.strip(), level.strip(), parent.strip()
    if level not in CODE_LENGTH:
        return _("层级“%(level)s”无效，应为 province、city、county、township 之一") % {"level": level}
    if not re.fullmatch(rf"\d{{{CODE_LENGTH[level]}}}", code):
        return _("区划代码“%(code)s”应为%(n)s位数字") % {"code": code, "n": CODE_LENGTH[level]}
    if not name:
        return _("名称为空")
    if level == "province":
        return _("省级区划不应有上级代码") if parent else None
    if not parent:
        return _("缺少上级区划代码")
    if parent not in known:
        return _("上级区划“%(code)s”不存在") % {"code": parent}
    if ORDER[known[parent]["level"]] >= ORDER[level]:
        return _("上级区划“%(code)s”的层级不高于本行") % {"code": parent}
    return None


@transaction.atomic
def divisions_load(*, paths: Iterable[Path] = DEFAULT_FILES) -> LoadReport:
    """Create or update divisions from the CSV files; bad rows are reported by file and row number and skipped.

    Idempotent: loading the same files again changes nothing. Rows are applied level by level so that a parent is
    always known before its children, whatever the order in the files.
    """
    report = LoadReport()
    rows: list[tuple[str, int, dict]] = []
    for path in paths:
        rows.extend((Path(path).name, n, r) for n, r in _read(Path(path), report))
    rows.sort(key=lambda t: ORDER.get((t[2].get("level") or "").strip(), 9))

    existing = {d.code: d for d in Division.objects.all()}
    known: dict[str, dict] = {
        c: {
            "level": d.level,
            "province_code": d.province_code,
            "city_code": d.city_code,
            "county_code": d.county_code,
            "full_name": d.full_name,
        }
        for c, d in existing.items()
    }
    seen: set[str] = set()
    to_create: list[Division] = []
    to_update: list[Division] = []
    for filename, number, row in rows:
        problem = _check(row, known)
        code = (row.get("code") or "").strip()
        if not problem and code in seen:
            problem = _("区划代码“%(code)s”重复") % {"code": code}
        if problem:
            report.errors.append(RowError(filename, number, problem))
            continue
        seen.add(code)
        level, name, parent = row["level"].strip(), row["name"].strip(), (row.get("parent_code") or "").strip()
        ancestors = {"province_code": "", "city_code": "", "county_code": ""}
        parent_full = ""
        if parent:
            p = known[parent]
            ancestors = {k: p[k] for k in ancestors}
            parent_full = p["full_name"]
        ancestors[f"{level}_code"] = code if level != "township" else ""
        values = {
            "name": name,
            "level": level,
            "parent_id": parent or None,
            "code12": (row.get("code12") or "").strip(),
            "province_code": ancestors["province_code"] or code,
            "city_code": ancestors["city_code"],
            "county_code": ancestors["county_code"],
            "township_code": code if level == DivisionLevel.TOWNSHIP else "",
            "full_name": parent_full + ("" if name in PLACEHOLDER_NAMES else name),
        }
        known[code] = {"level": level, **{k: values[k] for k in ("province_code", "city_code", "county_code")}}
        known[code]["full_name"] = values["full_name"]
        current = existing.get(code)
        if current is None:
            to_create.append(Division(code=code, **values))
        elif any(getattr(current, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(current, k, v)
            to_update.append(current)
        else:
            report.unchanged += 1
    # Parents first: rows were sorted by level, and bulk_create keeps order.
    Division.objects.bulk_create(to_create, batch_size=1000)
    if to_update:
        Division.objects.bulk_update(to_update, [f.name for f in Division._meta.concrete_fields if not f.primary_key])
    report.created, report.updated = len(to_create), len(to_update)
    return report
