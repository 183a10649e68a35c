"""The bulletin (通报) of a scorecard as a workbook, written from its stored results only (``core.xlsx`` helpers:
write-only sheets, styled frozen header, autofilter): the lowest units, then every line of their scores."""

from __future__ import annotations

from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.xlsx import Column, write_table, xlsx_response

from ..models import Scorecard, ScoreResult


def bulletin_workbook(scorecard: Scorecard, results: list[ScoreResult]) -> Workbook:
    wb = Workbook(write_only=True)
    columns = [
        Column(_("排名"), "rank", 8, "number"),
        Column(_("单位"), "name", 30),
        Column(_("所在县（市、区）"), "county", 18),
        Column(_("总分"), "total", 10, "number"),
    ]
    write_table(wb, _("通报"), columns, ([r.rank, r.name, r.county_name, float(r.total)] for r in results))
    detail = [
        Column(_("单位"), "name", 30),
        Column(_("指标"), "label", 20),
        Column(_("权重"), "weight", 8, "number"),
        Column(_("计分规则"), "rule", 40),
        Column(_("分子"), "numerator", 10, "number"),
        Column(_("分母"), "denominator", 10, "number"),
        Column(_("数值"), "value", 10, "number"),
        Column(_("得分"), "score", 10, "number"),
        Column(_("说明"), "note", 30),
    ]

    def lines():
        for r in results:
            for line in r.lines:
                yield [
                    r.name, line["label"], float(line["weight"]), line["rule"], line["numerator"],
                    line["denominator"], line["value"], float(line["score"]), line["note"],
                ]  # fmt: skip

    write_table(wb, _("得分明细"), detail, lines())
    return wb


def bulletin_response(scorecard: Scorecard, results: list[ScoreResult]):
    name = _("考核通报_%(year)s_%(division)s.xlsx") % {"year": scorecard.year, "division": scorecard.division_id}
    return xlsx_response(bulletin_workbook(scorecard, results), name)
