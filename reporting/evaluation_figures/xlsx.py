"""The progress report's sheets 好差评 and 服务大厅, written from the report's frozen rows
(``ProgressReport.figures["evaluations"]``, see ``report``) the way the other sheets are (``reporting.xlsx._table``).
Bad-grade handling leads the 好差评 sheet, as on the page (domain §12.3)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from ..models import ScopeKind

EVALUATION_SHEET_TITLE = gettext_lazy("好差评")
HALL_SHEET_TITLE = gettext_lazy("服务大厅")
NO_EVALUATIONS = gettext_lazy("统计期内没有评价")
NO_HALL = gettext_lazy("统计期内没有取号和咨询")

_UNIT = [
    (gettext_lazy("区划代码"), "code", "text"),
    (gettext_lazy("层级"), "level", "text"),
    (gettext_lazy("所在区划"), "county", "text"),
    (gettext_lazy("单位"), "name", "text"),
]

EVALUATION_COLUMNS = [
    *_UNIT,
    (gettext_lazy("差评整改超期"), "overdue", "count"),
    (gettext_lazy("平均整改用时（天）"), "handling_days", "count"),
    (gettext_lazy("差评数"), "bad", "count"),
    (gettext_lazy("整改中"), "rectifying", "count"),
    (gettext_lazy("已整改"), "rectified", "count"),
    (gettext_lazy("按时整改数"), "rectified_on_time", "count"),
    (gettext_lazy("按时整改率"), "on_time_rate", "rate"),
    (gettext_lazy("实名差评数"), "real_name_bad", "count"),
    (gettext_lazy("已回访数"), "followed_up", "count"),
    (gettext_lazy("回访率"), "follow_up_rate", "rate"),
    (gettext_lazy("评价数"), "evaluations", "count"),
    (gettext_lazy("满意数"), "satisfied", "count"),
    (gettext_lazy("满意率"), "satisfaction", "rate"),
    (gettext_lazy("平均等级"), "mean_grade", "count"),
    (gettext_lazy("申诉数"), "appeals", "count"),
    (gettext_lazy("申诉成立数"), "appeals_upheld", "count"),
]

HALL_COLUMNS = [
    *_UNIT,
    (gettext_lazy("取号数"), "tickets", "count"),
    (gettext_lazy("过号数"), "no_shows", "count"),
    (gettext_lazy("叫号数"), "called", "count"),
    (gettext_lazy("平均等候（分钟）"), "mean_wait_minutes", "count"),
    (gettext_lazy("咨询数"), "received", "count"),
    (gettext_lazy("按时答复数"), "answered_on_time", "count"),
    (gettext_lazy("咨询按时答复率"), "consultation_on_time_rate", "rate"),
    (gettext_lazy("超期未答复"), "consultation_overdue", "count"),
]


def evaluation_sheet_rows(figures: dict) -> tuple[list[dict], list[dict]]:
    """The rows with evaluations (for 好差评) and those with numbers or questions (for 服务大厅), labelled."""
    levels = {value: str(label) for value, label in ScopeKind.choices}
    rows = [{**row, "level": levels.get(row["kind"], row["kind"])} for row in figures.get("rows", [])]
    evaluated = [r for r in rows if r["evaluations"] or r["bad"] or r["appeals"]]
    hall = [r for r in rows if r["tickets"] or r["received"]]
    return evaluated, hall
