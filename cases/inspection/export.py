"""The inspection's workbook: the sample with its scores, and every line of every score sheet. Written in openpyxl's
write-only mode from iterated querysets (``core.xlsx``), so memory stays flat."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import FileResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from cases.models import InspectedCase, Inspection, LineSource, ScoreLine
from core.xlsx import CHUNK, Column, write_table, xlsx_response


def inspection_xlsx(inspection: Inspection, sample: QuerySet[InspectedCase]) -> FileResponse:
    workbook = Workbook(write_only=True)
    sample_columns = [
        Column(_("抽取顺序"), "position", 8, "number"),
        Column(_("所属分层"), "stratum", 20),
        Column(_("办件编号"), "case__number", 30),
        Column(_("事项"), "case__local_item__name", 30),
        Column(_("责任单位"), "organization__name", 24),
        Column(_("办结日期"), "case__finished_on", 12, "date"),
        Column(_("得分"), "points", 8, "number"),
        Column(_("满分"), "max_points", 8, "number"),
        Column(_("百分制得分"), "score", 10, "number"),
        Column(_("评分时间"), "scored_at", 16, "datetime"),
    ]
    fields = [c.field for c in sample_columns]
    rows = (
        [float(v) if f == "score" and v is not None else v for f, v in zip(fields, row, strict=True)]
        for row in sample.order_by("position").values_list(*fields).iterator(chunk_size=CHUNK)
    )
    write_table(workbook, _("抽查办件"), sample_columns, rows)
    line_columns = [
        Column(_("办件编号"), "sampled__case__number", 30),
        Column(_("来源"), "source", 14, labels=dict(LineSource.choices)),
        Column(_("检查项目"), "label", 36),
        Column(_("分值"), "max_points", 8, "number"),
        Column(_("建议得分"), "suggested", 8, "number"),
        Column(_("记录显示"), "finding", 24),
        Column(_("得分"), "points", 8, "number"),
        Column(_("依据"), "evidence", 24),
        Column(_("评语"), "comment", 24),
    ]
    lines = (
        ScoreLine.objects.filter(sampled__in=sample.values("pk"))
        .order_by("sampled__position", "position")
        .values_list(*[c.field for c in line_columns])
        .iterator(chunk_size=CHUNK)
    )
    write_table(workbook, _("评分明细"), line_columns, lines)
    return xlsx_response(workbook, _("抽查报告-%(pk)s.xlsx") % {"pk": inspection.pk})
