"""The reviewer's queue as an Excel workbook: every open task the queue lists with the same filters, oldest first.

The view hands over the queue's own queryset (``selectors.queue``: the user's scope and filters applied); the rows
come from one ``values_list`` query read in chunks and are streamed into a write-only workbook.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from catalogue import access as catalogue_access
from catalogue.models import Division
from core.xlsx import CHUNK, Column, write_table

from .models import ReviewTask, Stage
from .selectors import QueueFilters

COLUMNS = (
    Column(gettext_lazy("事项名称"), "standard__local_item__name", width=40),
    Column(gettext_lazy("实施编码"), "standard__local_item__code", width=34),
    Column(gettext_lazy("实施部门"), "standard__local_item__organization__name", width=28),
    Column(gettext_lazy("区县"), "division__name", width=12),
    Column(gettext_lazy("审查环节"), "stage", width=12, labels=dict(Stage.choices)),
    Column(gettext_lazy("审查机关"), "organization__name", width=30),
    Column(gettext_lazy("版本"), "standard__version", width=6, kind="number"),
    Column(gettext_lazy("审查轮次"), "round", width=8, kind="number"),
    Column(gettext_lazy("开始时间"), "opened_at", width=17, kind="datetime"),
    Column(gettext_lazy("办理期限"), "due_at", width=17, kind="datetime"),
    Column(gettext_lazy("是否超期"), "overdue", width=8, kind="bool"),
    Column(gettext_lazy("认领人"), "claimed_by", width=12),
    Column(gettext_lazy("认领时间"), "claimed_at", width=17, kind="datetime"),
    Column(gettext_lazy("质量检查问题数"), "finding_count", width=8, kind="number"),
)
# Read from the database; the person who claimed a task is named as the pages name people (full name, else login),
# an unclaimed task as the queue marks it.
_FIELDS = [c.field for c in COLUMNS if c.field not in ("overdue", "claimed_by")] + [
    "claimed_by__first_name",
    "claimed_by__last_name",
    "claimed_by__username",
]


def _rows(tasks: QuerySet[ReviewTask]) -> Iterator[tuple]:
    now, unclaimed = timezone.now(), _("未认领")
    for row in tasks.values(*_FIELDS).iterator(chunk_size=CHUNK):
        row["overdue"] = row["due_at"] < now
        if row["claimed_by__username"] is None:
            row["claimed_by"] = unclaimed
        else:
            full_name = f"{row['claimed_by__first_name']} {row['claimed_by__last_name']}".strip()
            row["claimed_by"] = full_name or row["claimed_by__username"]
        yield tuple(row[c.field] for c in COLUMNS)


def queue_xlsx(
    tasks: QuerySet[ReviewTask], *, user: User | AnonymousUser, filters: QueueFilters
) -> tuple[Workbook, str]:
    """The queue a page shows (``tasks``, scoped and filtered by ``selectors.queue``) as a workbook and its file name,
    after the county filtered on, else the user's own division."""
    workbook = Workbook(write_only=True)
    write_table(workbook, _("审查任务"), COLUMNS, _rows(tasks))
    division = (
        Division.objects.filter(code=filters.division).first() if filters.division else None
    ) or catalogue_access.home_division(user)
    date = f"{timezone.localdate():%Y%m%d}"
    if division is None:
        filename = _("审查任务-%(date)s.xlsx") % {"date": date}
    else:
        filename = _("%(division)s审查任务-%(date)s.xlsx") % {"division": division.name, "date": date}
    return workbook, filename
