"""Demo evaluations: on the demo cases whose result is out, every grade from 非常满意 to 非常不满意, bad grades left in
each stage of their rectification (one overdue), a real-name one followed up by telephone, a guide-accuracy complaint
that opened a revision task, one appeal waiting for the service centre and one decided — all through the real
services, dated back from the day the demo is loaded. Demo queue tickets served at a window, if the hall's demo has
made any, get a few 一次一评 as well."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case
from catalogue.models import Membership, Role
from hall.models import Ticket

from .models import Appeal, Evaluation, Rectification, Stage
from .services import (
    EvaluationInput,
    appeal_decide,
    appeal_file,
    evaluation_submit_for_case,
    evaluation_submit_for_visit,
    rectification_advance,
)
from .services.submit import EVALUABLE_CASE_STATUSES, EVALUABLE_TICKET_STATUSES

ONLINE = ("overall", "efficiency", "guide_accuracy", "convenience", "usability")
COUNTER = ("overall", "efficiency", "service_level", "attitude")
# (grade, days ago given, stages to close, real name, what else), in the order a county's cases are taken: the counties
# with demo logins (清城区: depthead, approver, center; 奉节县: fj_approver, fj_center) get the stages and appeals.
PLANS = {
    "441802": [
        (2, 12, 0, False, "overdue"),
        (1, 14, 3, True, "窗口态度生硬"),
        (1, 7, 0, False, "appeal"),
        (2, 15, 0, False, "appeal-decided"),
        (5, 12, 0, False, "办事很顺利，窗口人员解释耐心"),
    ],
    "500236": [
        (4, 11, 0, True, "效率较高"),
        (3, 10, 0, False, "等候时间稍长"),
        (2, 8, 2, False, "办理时间比承诺的长"),
        (2, 20, 4, True, "closed"),
        (1, 6, 0, False, "guide"),
    ],
}
OTHERS = [
    (5, 9, 0, False, ""),
    (1, 9, 1, True, "材料要求反复变化"),
    (4, 8, 0, False, ""),
    (3, 7, 0, False, ""),
    (2, 5, 0, False, ""),
]


def _people(organization_id: int, roles: tuple[str, ...]) -> User | None:
    membership = (
        Membership.objects.filter(organization_id=organization_id, role__in=roles, user__is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None


def _decider(evaluation: Evaluation) -> User | None:
    membership = (
        Membership.objects.filter(
            role=Role.CENTER_SUPERVISOR,
            organization__kind="service_center",
            organization__division_id=evaluation.division_id,
        )
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


def _days_back(days: int) -> dt.datetime:
    moment = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    return moment - dt.timedelta(days=days)


def _give_case(case: Case, plan: tuple) -> Evaluation:
    grade, days, stages, real_name, note = plan
    grades = dict.fromkeys(ONLINE, grade)
    grades["guide_accuracy"] = 1 if note == "guide" else max(grade, 3)
    comment = {
        "overdue": _("反映的问题一直没有回音"),
        "closed": _("补正材料通知不清楚"),
        "guide": _("办事指南的材料清单与窗口要求不一致"),
        "appeal": _("没办成"),
        "appeal-decided": _("随便评的"),
    }.get(note, note)
    at = _days_back(days)
    evaluation = evaluation_submit_for_case(
        case=case,
        data=EvaluationInput(
            grades=grades,
            comment=comment,
            category="guide" if note == "guide" else "",
            real_name=real_name,
            name=case.applicant_name[:1] + _("先生") if real_name else "",
            phone="13800138000" if real_name else "",
        ),
        at=at,
    )
    worker = _people(case.organization_id, (Role.APPROVER, Role.DEPT_HEAD))
    if stages and worker is not None:
        rectification = evaluation.rectification
        records = [_("已调取办件记录核实"), _("已组织窗口人员学习并改进"), _("已电话回复申请人整改情况"), _("已回访")]
        for index in range(stages):
            when = at + dt.timedelta(days=1 + index)
            call = {}
            if rectification.stage == Stage.FOLLOW_UP and real_name:
                call = {"call_at": when, "call_by": worker.get_full_name() or worker.username, "call_result": _("满意")}
            rectification = rectification_advance(
                rectification=rectification, actor=worker, note=records[index], at=when, **call
            )
    if note.startswith("appeal"):
        head = _people(case.organization_id, (Role.DEPT_HEAD,))
        decider = _decider(evaluation)
        if head is not None:
            appeal = appeal_file(
                evaluation=evaluation,
                actor=head,
                reason="malicious" if note == "appeal-decided" else "mistaken",
                statement=_("申请人所评事项与本单位办理情况不符，附办件记录"),
                at=at + dt.timedelta(days=1),
            )
            if note == "appeal-decided" and decider is not None:
                appeal_decide(
                    appeal=appeal,
                    actor=decider,
                    upheld=True,
                    note=_("经核实，评价人与办件无关，申诉成立"),
                    at=at + dt.timedelta(days=3),
                )
    return evaluation


def seed_demo(log=print) -> None:
    if Evaluation.objects.exists():
        log(_("好差评：已存在 %(count)s 条，跳过") % {"count": Evaluation.objects.count()})
        return
    cases = Case.objects.filter(status__in=EVALUABLE_CASE_STATUSES).select_related("organization", "division")
    taken: dict[str, int] = {}
    for case in cases.order_by("division__code", "pk"):
        code = case.division.code
        plans = PLANS.get(code, OTHERS)
        index = taken.get(code, 0)
        taken[code] = index + 1
        _give_case(case, plans[index % len(plans)])
    tickets = Ticket.objects.filter(status__in=EVALUABLE_TICKET_STATUSES).order_by("pk")[:10]
    for index, ticket in enumerate(tickets):
        grade = (5, 5, 4, 5, 3, 4, 2, 5, 1, 4)[index]
        evaluation_submit_for_visit(ticket=ticket, data=EvaluationInput(grades=dict.fromkeys(COUNTER, grade)))
    log(
        _("好差评：评价 %(total)s 条（差评 %(bad)s 条），整改中 %(open)s 件，申诉 %(appeals)s 件")
        % {
            "total": Evaluation.objects.count(),
            "bad": Evaluation.objects.bad().count(),
            "open": Rectification.objects.open().count(),
            "appeals": Appeal.objects.count(),
        }
    )
