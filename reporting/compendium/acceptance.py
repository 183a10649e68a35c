"""The acceptance file (验收材料) of a county: what was done and when, the figures at the close, the evidence.

Every figure comes from the selectors the rest of reporting shows — the work plan's progress
(``reporting.deadlines.selectors.plan_progress``), the rates (``reporting.rates.unit_figures``), the case board
(``reporting.case_figures.selectors.case_board``) and the evaluation board — never counted again here, so the file
says what the dashboards say. A bounded number of queries whatever the county's size; the evidence lists are the
county's published standards and its catalogue imports, which a county's size keeps printable.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import BinaryIO

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import Notice, NoticeKind
from catalogue.models import CatalogueImport, Division, DivisionLevel
from reviews.models import ReviewTask
from workflow.deadlines.models import WorkPlan

from .. import rates
from ..case_figures.figures import CaseFigures
from ..case_figures.selectors import case_board
from ..deadlines.selectors import UnitProgress, UnitStatus, plan_progress
from ..evaluation_figures.figures import evaluation_board
from .content import published_standards
from .word import cover, fields_table, new_document, page_break, table, today_line

STATUS_LABELS = {
    UnitStatus.MET: gettext_lazy("已完成"),
    UnitStatus.LATE: gettext_lazy("逾期完成"),
    UnitStatus.OVERDUE: gettext_lazy("逾期未完成"),
    UnitStatus.PENDING: gettext_lazy("未到期"),
    UnitStatus.NO_ITEMS: gettext_lazy("无需完成"),
}


@dataclass(frozen=True)
class MilestoneLine:
    unit: UnitProgress

    @property
    def status_label(self) -> str:
        """Met or missed, and for a filing the day it was filed."""
        label = str(STATUS_LABELS.get(self.unit.status, self.unit.status))
        if self.unit.filing is not None:
            label += _("（%(date)s 报备）") % {"date": f"{self.unit.filing.filed_on:%Y-%m-%d}"}
        return label

    @property
    def met(self) -> bool:
        return self.unit.status in (UnitStatus.MET, UnitStatus.NO_ITEMS)


@dataclass
class AcceptanceFile:
    division: Division
    today: dt.date
    plan: WorkPlan | None
    milestones: list[MilestoneLine]
    figures: rates.Figures
    case_date: dt.date | None
    cases: CaseFigures | None
    evaluations: object | None
    published: list[dict]
    reviews: dict
    imports: list[CatalogueImport]
    notices: list[tuple[str, int]]
    counts: dict = field(default_factory=dict)

    @property
    def milestones_met(self) -> int:
        return sum(1 for m in self.milestones if m.met)


def _subtree(division: Division) -> Q:
    return Q(**{f"{division.level}_code": division.code})


def acceptance_file(division: Division, *, today: dt.date | None = None) -> AcceptanceFile:
    """Everything the acceptance file of ``division`` (a county) shows, as of ``today``."""
    today = today or timezone.localdate()
    plan = WorkPlan.objects.filter(province_id=division.province_code).order_by("-issued_on", "-pk").first()
    milestones: list[MilestoneLine] = []
    if plan is not None:
        ancestors = division.ancestor_codes()
        within = Division.objects.filter(Q(code__in=ancestors) | _subtree(division))
        for progress in plan_progress(plan, within=within, today=today).milestones:
            milestones.extend(MilestoneLine(u) for u in progress.units if u.division.code in ancestors)
        milestones.sort(key=lambda m: (m.unit.due, m.unit.milestone.pk, -len(m.unit.division.code)))
    figures = rates.unit_figures(DivisionLevel.COUNTY, [division]).get(division.code) or rates.Figures()
    board = case_board(division)
    year_start = today.replace(month=1, day=1)
    evaluations = evaluation_board(division, None, today=today, start=year_start, end=today).headline
    published = list(
        published_standards(division=division).values(
            "version", "published_at", "local_item__code", "local_item__name", "local_item__organization__name"
        )
    )
    reviews = ReviewTask.objects.filter(**{f"division__{division.level}_code": division.code}).aggregate(
        total=Count("pk"),
        closed=Count("pk", filter=Q(closed_at__isnull=False)),
        open=Count("pk", filter=Q(closed_at__isnull=True)),
    )
    imports = list(
        CatalogueImport.objects.filter(**{f"division__{division.level}_code": division.code}).order_by("-created_at")
    )
    notice_rows = (
        Notice.objects.filter(**{f"case__division__{division.level}_code": division.code})
        .values("kind")
        .annotate(n=Count("pk"))
        .order_by("kind")
    )

    labels = dict(NoticeKind.choices)
    notices = [(str(labels.get(r["kind"], r["kind"])), r["n"]) for r in notice_rows]
    return AcceptanceFile(
        division=division,
        today=today,
        plan=plan,
        milestones=milestones,
        figures=figures,
        case_date=board.date,
        cases=board.headline,
        evaluations=evaluations,
        published=published,
        reviews=reviews,
        imports=imports,
        notices=notices,
    )


def _pct(rate: float | None) -> str:
    shown = rates.percent(rate)
    return "—" if shown is None else f"{shown}%"


def figure_rows(file: AcceptanceFile) -> list[tuple[str, str]]:
    """The figures at the close, labelled as the dashboards label them."""
    f = file.figures
    rows = [
        (_("应编写事项数"), str(f.active)),
        (_("已提交数"), str(f.submitted)),
        (_("审查通过数"), str(f.passed)),
        (_("已发布数"), str(f.published)),
        (_("标准录入提交率"), _pct(f.submission_rate)),
        (_("审查通过率"), _pct(f.approval_rate)),
        (_("一次通过率"), _pct(f.first_pass_rate)),
    ]
    if file.cases is not None:
        c = file.cases
        rows += [
            (_("受理数"), str(c.accepted)),
            (_("办结数"), str(c.finished)),
            (_("按时办结率"), _pct(c.on_time_rate)),
            (_("超期在办数"), str(c.open_overdue)),
        ]
    e = file.evaluations
    if e is not None and getattr(e, "evaluation", None):
        rows += [
            (_("好差评评价数（本年）"), str(e.evaluation.get("evaluations", 0))),
            (_("满意率（本年）"), _pct(e.evaluation.get("satisfaction"))),
        ]
    return rows


def write_acceptance(file: AcceptanceFile, out: BinaryIO) -> None:
    title = _("%(name)s行政审批标准化工作验收材料") % {"name": file.division.name}
    document = new_document(title)
    cover(document, title, [file.division.name, today_line(file.today)])
    document.add_heading(_("一、工作计划与完成情况"), level=1)
    if file.plan is None:
        document.add_paragraph(_("本省尚未发布工作计划。"))
    else:
        plan_line = file.plan.title
        if file.plan.document_number:
            plan_line += f"（{file.plan.document_number}）"
        document.add_paragraph(
            _("%(plan)s，%(date)s印发。") % {"plan": plan_line, "date": f"{file.plan.issued_on:%Y-%m-%d}"}
        )
        table(document, [_("节点"), _("单位"), _("期限"), _("完成情况"), _("完成率")], milestone_rows(file))
    document.add_heading(_("二、验收时的统计数据"), level=1)
    fields_table(document, figure_rows(file))
    page_break(document)
    document.add_heading(_("三、佐证材料清单"), level=1)
    document.add_heading(_("已发布的审批标准（%(n)s 项）") % {"n": len(file.published)}, level=2)
    table(
        document,
        [_("序号"), _("实施编码"), _("事项名称"), _("实施主体"), _("版本"), _("发布日期")],
        [
            [
                str(n),
                p["local_item__code"],
                p["local_item__name"],
                p["local_item__organization__name"],
                str(p["version"]),
                f"{p['published_at']:%Y-%m-%d}" if p["published_at"] else "",
            ]
            for n, p in enumerate(file.published, start=1)
        ],
    )
    document.add_heading(_("审查任务"), level=2)
    fields_table(document, review_rows(file))
    document.add_heading(_("目录导入（%(n)s 次）") % {"n": len(file.imports)}, level=2)
    if file.imports:
        table(document, [_("文件名"), _("导入方案"), _("状态"), _("完成时间")], import_rows(file))
    document.add_heading(_("办件文书"), level=2)
    fields_table(document, [(label, str(n)) for label, n in file.notices])
    document.save(out)


def milestone_rows(file: AcceptanceFile) -> list[list[str]]:
    return [
        [
            m.unit.milestone.title,
            m.unit.division.name,
            f"{m.unit.due:%Y-%m-%d}",
            m.status_label,
            "—" if m.unit.rate is None else f"{m.unit.rate}%",
        ]
        for m in file.milestones
    ]


def review_rows(file: AcceptanceFile) -> list[tuple[str, str]]:
    return [
        (_("审查任务总数"), str(file.reviews["total"])),
        (_("已完成"), str(file.reviews["closed"])),
        (_("办理中"), str(file.reviews["open"])),
    ]


def import_rows(file: AcceptanceFile) -> list[list[str]]:
    return [
        [
            i.file_name,
            i.profile,
            i.get_state_display(),
            f"{i.finished_at:%Y-%m-%d}" if i.finished_at else "—",
        ]
        for i in file.imports
    ]
