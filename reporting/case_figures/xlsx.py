"""The progress report's sheet 办件与监察: the frozen case figures of every unit of the report (``CaseReportRow``),
streamed like the other sheets."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext_lazy

from core.xlsx import CHUNK

from ..models import ProgressReport, ScopeKind

CASE_SHEET_TITLE = gettext_lazy("办件与监察")
NO_CASES = gettext_lazy("没有办件数据")

CASE_COLUMNS = [
    (gettext_lazy("区划代码"), "code", "text"),
    (gettext_lazy("层级"), "level", "text"),
    (gettext_lazy("所在区划"), "county", "text"),
    (gettext_lazy("单位"), "name", "text"),
    (gettext_lazy("受理数"), "accepted", "count"),
    (gettext_lazy("办结数"), "finished", "count"),
    (gettext_lazy("按时办结数"), "on_time", "count"),
    (gettext_lazy("按时办结率"), "on_time_rate", "rate"),
    (gettext_lazy("提前办结数"), "early", "count"),
    (gettext_lazy("提前办结率"), "early_rate", "rate"),
    (gettext_lazy("超期办结数"), "late", "count"),
    (gettext_lazy("在办数"), "in_progress", "count"),
    (gettext_lazy("超期在办数"), "open_overdue", "count"),
    (gettext_lazy("不予受理数"), "not_accepted", "count"),
    (gettext_lazy("黄色预警"), "yellow", "count"),
    (gettext_lazy("红色警告"), "red", "count"),
    (gettext_lazy("督办未办结"), "oversight_open", "count"),
    (gettext_lazy("督办超期"), "oversight_overdue", "count"),
    (gettext_lazy("按时办结率排名"), "rank", "rank"),
]


def case_sheet_rows(report: ProgressReport, sample_size: int) -> tuple[Iterator[dict], list[dict]]:
    """The sheet's rows (read once, streamed) and its first ``sample_size`` rows for the column widths: units in code
    order, each division before its departments."""
    levels = {value: str(label) for value, label in ScopeKind.choices}
    keys = [key for _header, key, _kind in CASE_COLUMNS if key != "level"] + ["kind"]
    rows = report.case_rows.order_by("code", "kind", "name").values(*keys)

    def labelled(source) -> Iterator[dict]:
        for row in source:
            row["level"] = levels.get(row["kind"], row["kind"])
            yield row

    return labelled(rows.iterator(chunk_size=CHUNK)), list(labelled(rows[:sample_size]))
