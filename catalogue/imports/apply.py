"""The catalogue import service: rows of a source file, read through a profile, become departments, general items
and local items.

One transaction holds the whole run and each row gets a savepoint, so a row the database refuses is that row's
rejection and the accepted rows go in together — or, with ``all_or_nothing``, nothing goes in if any row is
rejected. A dry run does all the work and rolls it back, so its report is exactly what a real run would do.
Re-importing the same file changes nothing: every record is matched before anything is created.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from catalogue.access import can_import_catalogue
from catalogue.models import Division

from .matching import CREATE, UNCHANGED, UPDATE, RowMatcher, RowRejected
from .profiles import Profile
from .readers import FileProblem, read_rows


class ImportDenied(PermissionError):
    pass


@dataclass(frozen=True)
class Rejection:
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"第{self.row}行" + (f"，列“{self.column}”" if self.column else "")
        return f"{where}：{self.reason}"


@dataclass
class ImportReport:
    file_name: str
    profile: str
    dry_run: bool
    counts: Counter = field(default_factory=Counter)
    rejections: list[Rejection] = field(default_factory=list)
    created_departments: int = 0
    created_general_items: int = 0
    saved: bool = False

    @property
    def rows(self) -> int:
        return sum(self.counts.values()) + len(self.rejections)

    def summary(self) -> str:
        return (
            f"共{self.rows}行：新增 {self.counts[CREATE]}，更新 {self.counts[UPDATE]}，未变 {self.counts[UNCHANGED]}，"
            f"拒绝 {len(self.rejections)}（新建待核实的机构 {self.created_departments}、通用目录事项 "
            f"{self.created_general_items}）"
        )


def catalogue_import(
    *,
    actor: User,
    path: Path,
    profile: Profile,
    division_code: str = "",
    dry_run: bool = False,
    all_or_nothing: bool = False,
    file_name: str = "",
) -> ImportReport:
    """Import one file. Raises FileProblem when the file as a whole cannot be read and ImportDenied when the actor
    may not import into a division the file names; otherwise every row ends in the report."""
    file_name = file_name or path.name
    report = ImportReport(file_name=file_name, profile=profile.name, dry_run=dry_run)
    run = RowMatcher(actor=actor, profile=profile, report=report, reason=f"批量导入：{file_name}")
    if division_code:
        run.fixed_division = Division.objects.filter(code=division_code.strip()).first()
        if run.fixed_division is None:
            raise FileProblem(f"指定的区划代码“{division_code}”不存在")
        if not can_import_catalogue(actor, run.fixed_division):
            raise ImportDenied(f"您无权向{run.fixed_division}导入事项")
    elif profile.division is None:
        raise FileProblem(f"导入方案“{profile.name}”没有区划列，请用 --division 指定区划")

    run.plan_departments(read_rows(path, profile))
    with transaction.atomic():
        for number, row in read_rows(path, profile):
            run.pending.clear()
            try:
                with transaction.atomic():
                    outcome = run.row(number, row)
            except RowRejected as exc:
                report.rejections.append(Rejection(number, exc.column, exc.reason))
            except ValidationError as exc:
                report.rejections.append(Rejection(number, "", "；".join(_messages(exc))))
            except DatabaseError as exc:
                report.rejections.append(Rejection(number, "", f"数据库拒绝了这一行：{exc}"))
            else:
                report.counts[outcome] += 1
                run.keep()
        if dry_run or (all_or_nothing and report.rejections):
            transaction.set_rollback(True)
        else:
            report.saved = True
    return report


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "message_dict"):
        return [m for messages in exc.message_dict.values() for m in messages]
    return list(exc.messages)
