"""The score sheet of an inspected case: lines from the item's own business manual (its supervision checklist
监督检查量化表, steps, step limits, review points and fees) and a fixed case-file rubric (案卷评查: 受理、告知/通知书、
审查意见、时限、送达、归档), each line pre-filled from the record where the record can tell.

A rule that fires sets the line's suggested points to 0 and says what the record shows; a line no rule covers is
suggested at full points. The inspector confirms or overrides each line (an override needs a comment). Everything
here reads the case's prefetched relations (``PREFETCH``), so building the sheets of a whole sample costs a fixed
number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import Case, LineSource, NoticeKind, StepKind
from cases.supervision import rules as supervision_rules
from cases.supervision.rules import CaseFacts
from standards.models import InternalStep, ManualStep

CHECK_DEFAULT_POINTS = 10
STEP_POINTS, LIMIT_POINTS, REVIEW_POINTS, FEE_POINTS = 5, 3, 3, 3

# The case-file rubric: key, label, criterion, points.
RUBRIC = [
    ("accept", gettext_lazy("受理"), gettext_lazy("依法受理，受理时间和受理人有记录"), 10),
    ("notice", gettext_lazy("告知/通知书"), gettext_lazy("出具受理通知书；补正的，出具一次性告知补正材料通知书"), 10),
    ("opinion", gettext_lazy("审查意见"), gettext_lazy("审查、决定环节均签署明确意见，不得只签名"), 10),
    ("limit", gettext_lazy("时限"), gettext_lazy("在承诺时限内办结"), 15),
    ("delivery", gettext_lazy("送达"), gettext_lazy("审批结果依法送达并有送达记录"), 10),
    ("archive", gettext_lazy("归档"), gettext_lazy("办结后案卷归档"), 5),
]

# The rules that read the record, by code: what a fired rule says.
RULES = {
    "step_missing": gettext_lazy("办理记录中没有该环节"),
    "step_late": gettext_lazy("该环节超过环节时限办理"),
    "fee_off_standard": gettext_lazy("有不在标准收费项目内或金额不符的收费"),
    "acceptance_missing": gettext_lazy("没有受理记录"),
    "notice_missing": gettext_lazy("缺少应出具的告知文书"),
    "opinion_missing": gettext_lazy("审查或决定环节没有填写意见"),
    "limit_exceeded": gettext_lazy("超过承诺时限办结"),
    "delivery_missing": gettext_lazy("没有送达记录"),
    "archive_missing": gettext_lazy("没有归档或办结记录"),
}

OPINION_STEPS = (StepKind.REVIEW, StepKind.DECIDE)

# What ``sheet_for`` reads, prefetched once for every drawn case.
PREFETCH = (
    "steps",
    "notices",
    "fees",
    "standard__supervision_checks",
    "standard__review_points_all",
    "standard__fees",
    "standard__guide",
    Prefetch("standard__manual_steps", queryset=ManualStep.objects.order_by("position", "pk")),
)


@dataclass(frozen=True)
class LineDraft:
    source: str
    key: str
    label: str
    criterion: str
    max_points: int
    rule: str = ""

    @property
    def suggested(self) -> int:
        return 0 if self.rule else self.max_points

    @property
    def finding(self) -> str:
        return str(RULES[self.rule]) if self.rule else ""


def _manual_steps(case: Case) -> list[ManualStep]:
    if case.standard is None:
        return []
    steps = list(case.standard.manual_steps.all())
    own = [s for s in steps if s.business_kind == case.situation]
    return own or steps


def _recorded(case: Case, manual: ManualStep) -> list:
    """The case's records of a manual step: by the manual row, or by the step's kind. Archiving is done by 办结
    when the manual has no separate record for it."""
    kinds = {manual.step} | ({StepKind.FINISH} if manual.step == InternalStep.ARCHIVE else set())
    return [s for s in case.steps.all() if s.manual_step_id == manual.pk or s.kind in kinds]


def step_missing(case: Case, manual: ManualStep) -> bool:
    return not _recorded(case, manual)


def step_late(case: Case, manual: ManualStep) -> bool:
    from django.utils import timezone

    return any(s.due_on and timezone.localdate(s.at) > s.due_on for s in _recorded(case, manual))


def fee_off_standard(case: Case) -> bool:
    """The supervision rule itself (``cases.supervision.rules.fee_off_standard``: a fee off the standard's rows, by
    row or name, or any fee when the guide charges none), read from this case's prefetched rows, so an inspection
    never passes a fee electronic supervision flags."""
    fees = list(case.fees.all())
    if not fees:
        return False
    rows = list(case.standard.fees.all()) if case.standard else []
    guide = getattr(case.standard, "guide", None) if case.standard else None
    facts = CaseFacts(
        case=case,
        today=case.finished_on,
        steps=[],
        manual=[],
        fees=fees,
        fee_names={row.name.strip() for row in rows},
        fee_item_ids={row.pk for row in rows},
        charged=guide.is_charged if guide is not None else None,
    )
    return bool(supervision_rules.fee_off_standard(facts))


def acceptance_missing(case: Case) -> bool:
    return case.accepted_on is None or not any(s.kind == StepKind.ACCEPT for s in case.steps.all())


def notice_missing(case: Case) -> bool:
    kinds = {n.kind for n in case.notices.all()}
    if case.accepted_on is not None and NoticeKind.ACCEPTANCE not in kinds:
        return True
    supplemented = any(s.kind == StepKind.SUPPLEMENT_NOTICE for s in case.steps.all())
    return supplemented and NoticeKind.SUPPLEMENT not in kinds


def opinion_missing(case: Case) -> bool:
    return any(s.kind in OPINION_STEPS and not s.opinion.strip() for s in case.steps.all())


def limit_exceeded(case: Case) -> bool:
    return bool(case.promised_due and case.finished_on and case.finished_on > case.promised_due)


def delivery_missing(case: Case) -> bool:
    return case.delivered_at is None and not any(s.kind == StepKind.DELIVER for s in case.steps.all())


def archive_missing(case: Case) -> bool:
    return not any(s.kind in (StepKind.ARCHIVE, StepKind.FINISH) for s in case.steps.all())


RUBRIC_RULES = {
    "accept": acceptance_missing,
    "notice": notice_missing,
    "opinion": opinion_missing,
    "limit": limit_exceeded,
    "delivery": delivery_missing,
    "archive": archive_missing,
}
RUBRIC_RULE_CODES = {
    "accept": "acceptance_missing",
    "notice": "notice_missing",
    "opinion": "opinion_missing",
    "limit": "limit_exceeded",
    "delivery": "delivery_missing",
    "archive": "archive_missing",
}


def sheet_for(case: Case) -> list[LineDraft]:
    """The lines of a case's score sheet, in the order they are shown: the manual's, then the rubric."""
    lines: list[LineDraft] = []
    standard = case.standard
    if standard is not None:
        for check in standard.supervision_checks.all():
            points = check.score or CHECK_DEFAULT_POINTS
            lines.append(LineDraft(LineSource.CHECK, f"check:{check.uid}", check.item, check.criterion, points))
        for manual in _manual_steps(case):
            name = manual.get_step_display()
            label = _("环节：%(step)s") % {"step": name}
            if manual.responsible_post:
                label += _("（%(post)s）") % {"post": manual.responsible_post}
            rule = "step_missing" if step_missing(case, manual) else ""
            lines.append(LineDraft(LineSource.STEP, f"step:{manual.uid}", label, manual.description, STEP_POINTS, rule))
            if manual.step_limit:
                lines.append(
                    LineDraft(
                        LineSource.LIMIT,
                        f"limit:{manual.uid}",
                        _("环节时限：%(step)s %(days)s%(unit)s")
                        % {"step": name, "days": manual.step_limit, "unit": manual.get_step_limit_unit_display()},
                        _("在环节时限内完成"),
                        LIMIT_POINTS,
                        "step_late" if step_late(case, manual) else "",
                    )
                )
        for point in standard.review_points_all.all():
            label = _("审查要点：%(point)s") % {"point": point.point}
            lines.append(LineDraft(LineSource.REVIEW, f"review:{point.uid}", label, point.standard_text, REVIEW_POINTS))
        for fee in standard.fees.all():
            label = _("收费：%(name)s") % {"name": fee.name}
            lines.append(LineDraft(LineSource.FEE, f"fee:{fee.uid}", label, fee.standard_text, FEE_POINTS))
    lines.append(
        LineDraft(
            LineSource.FEE,
            "fee:standard",
            _("按标准收费"),
            _("不收取标准收费项目以外的费用"),
            FEE_POINTS,
            "fee_off_standard" if fee_off_standard(case) else "",
        )
    )
    for key, label, criterion, points in RUBRIC:
        rule = RUBRIC_RULE_CODES[key] if RUBRIC_RULES[key](case) else ""
        lines.append(LineDraft(LineSource.RUBRIC, f"rubric:{key}", str(label), str(criterion), points, rule))
    return lines
