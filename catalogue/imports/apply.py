"""The catalogue import service: rows of a source file, read through a profile, become departments, general items
and local items.

One transaction holds the whole run. Rows are matched a chunk at a time (``CHUNK_ROWS``): the chunk's records are
looked up with a few IN queries and what its accepted rows create or change is saved in bulk, so the cost per row is
Python, not queries. A chunk the database refuses is rolled back to its savepoint and done again row by row, each
row in a savepoint of its own, so a row the database refuses is that row's rejection and the accepted rows go in
together — or, with ``all_or_nothing``, nothing goes in if any row is rejected. A dry run does all the work and
rolls it back, so its report is exactly what a real run would do. Re-importing the same file changes nothing: every
record is matched before anything is created.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext, gettext_noop

from catalogue.access import can_import_catalogue
from catalogue.models import Division
from core.i18n import Message, join_messages

from .matching import (
    CONFLICT,
    CREATE,
    SKIPPED,
    UNCHANGED,
    UPDATE,
    RowConflict,
    RowMatcher,
    RowRejected,
    RowSkipped,
    validation_messages,
)
from .profiles import Profile
from .readers import NUMBERS, FileProblem, excel_number_message, read_rows
from .staging import Rejection, Staged, save_staged

CHUNK_ROWS = 2000
SAMPLES = 20
CONFLICT_ROWS = 20  # row numbers kept per conflicting code
Row = tuple[int, dict[str, str]]


class ImportDenied(PermissionError):
    pass


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
    # What other apps filled from the same file after it was saved (``catalogue.signals.catalogue_import_saved``).
    follow_up: list = field(default_factory=list)
    # The numbers of the rows imported (created, updated or unchanged): what other apps may fill from the same file.
    # Rejected rows, conflicts and skipped rows are not among them.
    accepted_rows: set[int] = field(default_factory=set)
    # The first rows to be created and updated, for the browser's preview; an update lists what it changes.
    samples: dict[str, list[dict]] = field(default_factory=lambda: {CREATE: [], UPDATE: []})
    # general code → {rows, existing, incoming}: codes of established items the file gives another name or type,
    # waiting for a person's decision (``decisions``).
    conflicts: dict[str, dict] = field(default_factory=dict)
    # general code → {names, chosen}: codes the file gives several names, and the one the general item got.
    name_choices: dict[str, dict] = field(default_factory=dict)

    @property
    def open_conflicts(self) -> int:
        return len(self.conflicts)

    @property
    def rows(self) -> int:
        return sum(self.counts.values()) + len(self.rejections)

    @property
    def changes(self) -> int:
        """Rows that create or change anything: 0 for a file imported again unchanged."""
        return self.counts[CREATE] + self.counts[UPDATE]

    def summary(self) -> str:
        return gettext(
            "共%(rows)s行：新增 %(created)s，更新 %(updated)s，未变 %(unchanged)s，拒绝 %(rejected)s，"
            "编码冲突待决定 %(conflicts)s，跳过 %(skipped)s"
            "（新建待核实的机构 %(departments)s、通用目录事项 %(general_items)s）"
        ) % {
            "rows": self.rows,
            "created": self.counts[CREATE],
            "updated": self.counts[UPDATE],
            "unchanged": self.counts[UNCHANGED],
            "rejected": len(self.rejections),
            "conflicts": self.counts[CONFLICT],
            "skipped": self.counts[SKIPPED],
            "departments": self.created_departments,
            "general_items": self.created_general_items,
        }


def catalogue_import(
    *,
    actor: User,
    path: Path,
    profile: Profile,
    division_code: str = "",
    dry_run: bool = False,
    all_or_nothing: bool = False,
    file_name: str = "",
    chunk_rows: int = CHUNK_ROWS,
    progress: Callable[[int, int], None] | None = None,
    decisions: dict[str, str] | None = None,
) -> ImportReport:
    """Import one file. Raises FileProblem when the file as a whole cannot be read and ImportDenied when the actor
    may not import into a division the file names; otherwise every row ends in the report. ``progress`` is called
    after each chunk with the rows done and the rows in the file. ``decisions`` (general code → keep / take /
    skip) settle conflicts with established items; a conflict without one leaves its rows out, and with
    ``all_or_nothing`` the whole file."""
    file_name = file_name or path.name
    report = ImportReport(file_name=file_name, profile=profile.name, dry_run=dry_run)
    # The history's change reason is stored text, read by tests and people alike in the catalogue's language.
    run = RowMatcher(
        actor=actor, profile=profile, report=report, reason="批量导入：" + file_name, decisions=dict(decisions or {})
    )
    if division_code:
        run.fixed_division = Division.objects.filter(code=division_code.strip()).first()
        if run.fixed_division is None:
            raise FileProblem(Message(gettext_noop("指定的区划代码“%(code)s”不存在"), code=division_code))
        if not can_import_catalogue(actor, run.fixed_division):
            raise ImportDenied(Message(gettext_noop("您无权向%(division)s导入事项"), division=str(run.fixed_division)))
    elif profile.division is None:
        raise FileProblem(
            Message(gettext_noop("导入方案“%(profile)s”没有区划列，请用 --division 指定区划"), profile=profile.name)
        )

    total = run.plan_departments(read_rows(path, profile))
    with transaction.atomic():
        for chunk in _chunks(read_rows(path, profile), chunk_rows):
            _import_chunk(run, chunk)
            if progress is not None:
                progress(report.rows, total)
        if dry_run or (all_or_nothing and (report.rejections or report.conflicts)):
            transaction.set_rollback(True)
        else:
            report.saved = True
    return report


def _chunks(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    rows = iter(rows)
    while chunk := list(islice(rows, size)):
        yield chunk


def _import_chunk(run: RowMatcher, chunk: list[Row]) -> None:
    """Match the chunk and save its accepted rows in bulk; if the database refuses that, roll the chunk back and do
    it again one row at a time, so only the rows it refuses are rejected."""
    seen_before = len(run.seen_codes)  # the codes this chunk adds are the dict's last entries
    run.prefetch(chunk)
    results = [_match(run, number, row) for number, row in chunk]
    try:
        with transaction.atomic():
            save_staged([r for r in results if isinstance(r, Staged)], actor=run.actor, reason=run.reason)
    except DatabaseError:
        run.forget()
        for code in list(run.seen_codes)[seen_before:]:
            del run.seen_codes[code]
        run.prefetch(chunk)
        results = [_one_by_one(run, number, row) for number, row in chunk]
    for result in results:
        if isinstance(result, Rejection):
            run.report.rejections.append(result)
            continue
        run.report.counts[result.outcome] += 1
        if isinstance(result, Held):
            if result.conflict is not None:
                conflict = run.report.conflicts.setdefault(
                    result.conflict.code,
                    {"rows": [], "existing": result.conflict.existing, "incoming": result.conflict.incoming},
                )
                if len(conflict["rows"]) < CONFLICT_ROWS:
                    conflict["rows"].append(result.row)
            continue
        run.report.accepted_rows.add(result.row)
        shown = run.report.samples.get(result.outcome)
        if shown is not None and len(shown) < SAMPLES:
            shown.append({"row": result.row, "code": result.code, "name": result.name, "changes": result.changes})
        run.report.created_departments += len(result.departments)
        run.report.created_general_items += len(result.generals)


@dataclass(frozen=True)
class Held:
    """A row neither imported nor rejected: a conflict waiting for a decision, or one a person chose to skip."""

    row: int
    outcome: str
    conflict: RowConflict | None = None


def _match(run: RowMatcher, number: int, row: dict[str, str]) -> Staged | Rejection | Held:
    try:
        outcome = run.row(number, row)
    except RowConflict as exc:
        run.discard()
        return Held(number, CONFLICT, exc)
    except RowSkipped:
        run.discard()
        return Held(number, SKIPPED)
    except RowRejected as exc:
        run.discard()
        shown = (row.get(NUMBERS) or {}).get(exc.column)
        if shown is not None:
            excel = excel_number_message(exc.column, shown)
            if "E" in shown.upper() or "." in shown:
                # Digits certainly lost: that is the reason, whatever the rule then found wrong with the rest.
                return Rejection(number, exc.column, excel)
            # A whole number may be the code itself (then the rule's own reason is the one that matters) or a code
            # that lost its leading zeros: both are said.
            return Rejection(number, exc.column, join_messages([exc.reason, excel]))
        return Rejection(number, exc.column, exc.reason)
    except ValidationError as exc:
        run.discard()
        return Rejection(number, "", join_messages(validation_messages(exc)))
    staged = run.accept()
    staged.outcome, staged.row = outcome, number
    return staged


def _one_by_one(run: RowMatcher, number: int, row: dict[str, str]) -> Staged | Rejection | Held:
    try:
        with transaction.atomic():
            result = _match(run, number, row)
            if isinstance(result, Staged):
                save_staged([result], actor=run.actor, reason=run.reason)
    except DatabaseError as exc:
        run.forget()
        return Rejection(number, "", Message(gettext_noop("数据库拒绝了这一行：%(error)s"), error=str(exc)))
    return result
