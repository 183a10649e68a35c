"""Demo cases: every demo county gets a service centre with a window clerk and an electronic-supervision officer,
post holders (AB岗) in the departments whose standards are published, and cases in every state, handled through the
real services and then moved back in time, so that the clocks, alerts and 督办 show what a working hall shows.

清城区 and 奉节县 have named demo logins (README); the other counties' staff exist to act, without logins listed.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.codes import make_uscc
from catalogue.demo import DEMO_CITY, DEMO_EXTRA_COUNTIES, DEMO_PASSWORD
from catalogue.models import Division, Membership, Organization, OrganizationKind, Role
from core.workdays import is_workday
from standards.models import ItemStandard, ManualStep, StandardState

from .demo_inspection import seed_demo as seed_inspections
from .demo_results import seed_results
from .models import Alert, ApplicantKind, Case, CaseStatus, Decision, Oversight, PostHolder
from .services import (
    Outcome,
    case_decide,
    case_decide_extension,
    case_deliver,
    case_do_step,
    case_finish,
    case_receive,
    case_request_extension,
    case_supplement_received,
    case_suspend,
)
from .services.common import pending_steps
from .services.oversight import oversight_close, oversight_reply
from .supervision.sweeping import sweep

QINGCHENG, FENGJIE = "441802", "500236"
# The usernames of the two counties with demo logins; other counties' staff are named by their division code.
NAMED = {QINGCHENG: "", FENGJIE: "fj_"}
REVIEW_POST, DECIDE_POST, ACCEPT_POST, DELIVER_POST = "业务审查岗", "分管领导", "窗口受理岗", "窗口出件岗"


def _user(username: str, full_name: str) -> User:
    user, created = User.objects.get_or_create(
        username=username, defaults={"first_name": full_name, "email": f"{username}@demo.spbz.example.gov.cn"}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def _member(user: User, organization: Organization, role: str) -> User:
    Membership.objects.get_or_create(user=user, organization=organization, role=role)
    return user


class CountyStaff:
    """The people of one county's hall and its departments with published standards."""

    def __init__(self, county: Division, admin: User) -> None:
        self.county = county
        prefix = NAMED.get(county.code, f"{county.code}_")
        self.center = Organization.objects.get_or_create(
            division=county,
            name=county.name + "政务服务中心",
            defaults={
                "uscc": make_uscc(division_code=county.code, serial=9003),
                "kind": OrganizationKind.SERVICE_CENTER,
                "short_name": "政务服务中心",
                "created_by": admin,
            },
        )[0]
        self.window = _member(
            _user(prefix + "window", county.name + "政务服务中心窗口受理员"), self.center, Role.WINDOW_CLERK
        )
        self.watcher = _member(
            _user(prefix + "center", county.name + "政务服务中心电子监察员"), self.center, Role.CENTER_SUPERVISOR
        )
        self.prefix = prefix
        self.approvers: dict[int, User] = {}
        self.heads: dict[int, User] = {}

    def department(self, organization: Organization) -> tuple[User, User]:
        """The approver and the head of a department, holding the demo manual's posts (the approver is also the
        registered backup of the deciding post, AB岗)."""
        if organization.pk not in self.approvers:
            short = organization.short_name or organization.name
            existing = Membership.objects.filter(organization=organization, role=Role.DEPT_HEAD).first()
            head = existing.user if existing else _user(f"{self.prefix}head_{organization.pk}", short + "负责人")
            _member(head, organization, Role.DEPT_HEAD)
            # In the counties with demo logins one approver works for every department with cases (the login
            # listed in the README); elsewhere each department has its own.
            named = self.county.code in NAMED
            username = f"{self.prefix}approver" if named else f"{self.prefix}approver_{organization.pk}"
            full_name = self.county.name + "审批人员" if named else short + "审批人员"
            approver = _member(_user(username, full_name), organization, Role.APPROVER)
            for post, user, backup_for in (
                (REVIEW_POST, approver, None),
                (DELIVER_POST, approver, None),
                (ACCEPT_POST, approver, None),
                # The service centre's window accepts for the department (综合窗口), registered on its post.
                (ACCEPT_POST, self.window, None),
                (DECIDE_POST, head, None),
                (DECIDE_POST, approver, head),
            ):
                PostHolder.objects.get_or_create(
                    organization=organization, post=post, user=user, defaults={"backup_for": backup_for}
                )
            _member(head, organization, Role.APPROVER)
            self.approvers[organization.pk], self.heads[organization.pk] = approver, head
        return self.approvers[organization.pk], self.heads[organization.pk]


def demo_counties() -> list[Division]:
    return list(Division.objects.filter(parent_id=DEMO_CITY, level="county").order_by("code")) + list(
        Division.objects.filter(code__in=DEMO_EXTRA_COUNTIES)
    )


def published_standards(county: Division) -> list[ItemStandard]:
    return list(
        ItemStandard.objects.filter(state=StandardState.PUBLISHED, local_item__division=county)
        .select_related("local_item__organization", "guide")
        .order_by("local_item__organization_id", "local_item__code")
    )


# --- cases ------------------------------------------------------------------------------------------------------------

FAMILY = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ("建国", "秀英", "志强", "丽华", "海燕", "国平", "晓明", "桂芳", "伟", "静")
COMPANIES = ("清远市%s商贸有限公司", "%s职业培训学校", "%s餐饮管理有限公司", "%s建筑工程有限公司")
PLACES = ("凤城", "北江", "飞来峡", "石角", "源潭", "横荷", "洲心", "东城")
# Every state a demo county shows, with how many working days ago the application came in (see ``_Scenario``).
SCENARIOS = (
    "supplement",
    "accepted",
    "in_review",
    "near_due",
    "suspended",
    "extended",
    "overdue",
    "early",
    "on_time",
    "late",
    "refused",
    "denied",
)


def _id_number(division_code: str, n: int) -> str:
    """A made-up resident ID number of the county, with a valid GB 11643 check character."""
    birth = dt.date(1965, 1, 1) + dt.timedelta(days=(n * 397) % 12000)
    body = f"{division_code[:6]}{birth:%Y%m%d}{n % 1000:03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]
    return body + check


def _workdays_before(day: dt.date, n: int) -> dt.date:
    while n > 0:
        day -= dt.timedelta(days=1)
        if is_workday(day):
            n -= 1
    while not is_workday(day):
        day -= dt.timedelta(days=1)
    return day


class _Clock:
    """Moments of one case in order: each call is a later moment, on the working day given."""

    def __init__(self) -> None:
        self.last: dt.datetime | None = None

    def at(self, day: dt.date, hour: int = 9) -> dt.datetime:
        moment = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 30)))
        if self.last is not None and moment <= self.last:
            moment = self.last + dt.timedelta(minutes=40)
        self.last = moment
        return moment


def _applicant(county: Division, n: int) -> dict:
    if n % 3 == 0:
        place = PLACES[n % len(PLACES)]
        return {
            "applicant_kind": ApplicantKind.ENTERPRISE,
            "applicant_name": COMPANIES[n % len(COMPANIES)] % place,
            "applicant_id_number": make_uscc(division_code=county.code, serial=5000 + n, registry="9", category="1"),
            "legal_representative": FAMILY[n % len(FAMILY)] + GIVEN[(n + 3) % len(GIVEN)],
            "applicant_phone": f"139{int(county.code) % 10000:04d}{n:04d}",
        }
    return {
        "applicant_kind": ApplicantKind.PERSON,
        "applicant_name": FAMILY[n % len(FAMILY)] + GIVEN[n % len(GIVEN)],
        "applicant_id_number": _id_number(county.code, n),
        "applicant_phone": f"138{int(county.code) % 10000:04d}{n:04d}",
        # A made-up street address: data of the demo, not a message of the interface.
        "applicant_address": county.name + PLACES[n % len(PLACES)] + "路" + str(n + 1) + "号",
    }


def _step(case: Case, kind: str) -> ManualStep | None:
    return next((s for s in pending_steps(case) if s.step == kind), None)


class CaseWriter:
    """Writes one county's demo cases through the services, as its window and departments would have."""

    def __init__(self, people: CountyStaff, today: dt.date) -> None:
        self.people, self.today, self.count = people, today, 0

    def ago(self, n: int) -> dt.date:
        return _workdays_before(self.today, n)

    def write(self, scenario: str, standard: ItemStandard, n: int) -> Case:
        approver, head = self.people.department(standard.local_item.organization)
        window = self.people.window
        clock = _Clock()
        materials = list(standard.materials.filter(situation="new").order_by("position", "pk"))
        received = {m.pk: True for m in materials}
        promised = standard.guide.promised_limit or 10
        start = {
            "supplement": 1, "accepted": 0, "in_review": 2, "near_due": promised - 1, "suspended": 3,
            "extended": max(2, promised - 2), "overdue": promised + 4, "early": promised + 6, "on_time": promised + 12,
            "late": promised + 20, "refused": 2, "denied": promised + 8,
        }[scenario]  # fmt: skip
        day = self.ago(start)
        values = {
            "actor": window,
            "local_item": standard.local_item,
            "situation": "new",
            **_applicant(self.people.county, n),
        }
        if scenario == "supplement":
            received[materials[-1].pk] = False
            return case_receive(**values, received=received, outcome=Outcome.SUPPLEMENT, at=clock.at(day))
        if scenario == "refused":
            return case_receive(
                **values,
                received=received,
                outcome=Outcome.REFUSE,
                reason=_("申请事项不属于本机关职权范围，应向市级主管部门申请。"),
                competent_body=_("清远市相应主管部门"),
                at=clock.at(day),
            )
        if scenario == "late":
            # One material came a day later: accepted on the day it arrived.
            received[materials[-1].pk] = False
            case = case_receive(**values, received=received, outcome=Outcome.SUPPLEMENT, at=clock.at(day))
            day = self.ago(start - 1)
            case = case_supplement_received(
                actor=window, case=case, material_ids=[case.materials.get(received=False).pk], at=clock.at(day)
            )
        else:
            case = case_receive(**values, received=received, outcome=Outcome.ACCEPT, at=clock.at(day))
        if scenario in ("accepted", "near_due", "overdue"):
            return case
        review_day = {
            "in_review": None,
            "suspended": self.ago(start - 1),
            "extended": self.ago(start - 1),
            "early": self.ago(start - 2),
            "on_time": self.ago(start - promised + 2),
            "late": self.ago(start - promised - 2),
            "denied": self.ago(start - 3),
        }[scenario]
        if scenario == "suspended":
            procedure = standard.special_procedures.first()
            if procedure is None:
                return case
            case_suspend(
                actor=approver,
                case=case,
                special_procedure=procedure,
                reason=_("需组织现场核查经营场所，核查期间不计入办理时限。"),
                planned_days=procedure.duration or 5,
                at=clock.at(review_day),
            )
            return case
        if review_day is None:
            return case
        if scenario == "extended":
            extension = case_request_extension(
                actor=approver,
                case=case,
                reason=_("申请材料涉及多个部门会签，需延长审查期限。"),
                at=clock.at(review_day),
            )
            case_decide_extension(
                actor=head,
                extension=extension,
                approve=True,
                opinion=_("同意延长10个工作日。"),
                at=clock.at(review_day, 14),
            )
            return case
        review = _step(case, "review")
        case_do_step(
            actor=approver, case=case, manual_step=review, opinion=_("材料齐全，符合法定条件，建议准予许可。"),
            at=clock.at(review_day),
        )  # fmt: skip
        decide_day = {"on_time": self.ago(start - promised), "late": self.ago(start - promised - 3)}.get(
            scenario, review_day
        )
        if scenario == "denied":
            case_decide(
                actor=head,
                case=case,
                decision=Decision.DENY,
                opinion=_("经审查，申请人不具备法定条件，不予许可。"),
                reason=_("经营场所面积不符合规定的最低标准。"),
                at=clock.at(decide_day, 15),
            )
        else:
            case_decide(
                actor=head, case=case, decision=Decision.GRANT, opinion=_("同意审查意见，准予许可。"),
                at=clock.at(decide_day, 15),
            )  # fmt: skip
        case_deliver(actor=approver, case=case, method="window", at=clock.at(decide_day, 16))
        case_finish(actor=approver, case=case, at=clock.at(decide_day, 17))
        return case


def _answer_oversights() -> None:
    """In each county the late case's 督办 is answered by its department and closed by the service centre; the
    overdue case's stays open, waiting for the department."""
    for county in demo_counties():
        late = Oversight.objects.filter(case__division=county, case__status=CaseStatus.FINISHED).order_by("pk").first()
        if late is None:
            continue
        head = User.objects.filter(
            memberships__organization=late.organization, memberships__role=Role.DEPT_HEAD
        ).first()
        watcher = User.objects.filter(
            memberships__organization__division=county, memberships__role=Role.CENTER_SUPERVISOR
        ).first()
        if head is None or watcher is None:
            continue
        late = oversight_reply(
            oversight=late,
            actor=head,
            explanation=_("审查环节因申请人补充说明材料延误，未在承诺时限内办结。"),
            correction=_("已对承办人员进行提醒谈话，并在审查岗设置到期提醒；本周内完成同类办件自查。"),
        )
        oversight_close(oversight=late, actor=watcher, note=_("整改措施可行，予以办结。"))


def seed_demo(log=print) -> None:
    admin = User.objects.get(username="admin")
    if Case.objects.exists():
        log(_("办件：已存在 %(count)s 件，跳过") % {"count": Case.objects.count()})
        seed_inspections(log)
        seed_results(log=log)
        return
    today = timezone.localdate()
    counties = demo_counties()
    n = 0
    for county in counties:
        people = CountyStaff(county, admin)
        standards = published_standards(county)
        if not standards:
            continue
        writer = CaseWriter(people, today)
        with_procedure = [s for s in standards if s.special_procedures.exists()] or standards
        for index, scenario in enumerate(SCENARIOS):
            standard = (
                with_procedure[index % len(with_procedure)]
                if scenario == "suspended"
                else standards[index % len(standards)]
            )
            writer.write(scenario, standard, n)
            n += 1
    sweep(today)
    _answer_oversights()
    by_status = {label: Case.objects.filter(status=value).count() for value, label in CaseStatus.choices}
    counts = _("，").join(_("%(state)s %(count)s") % {"state": k, "count": v} for k, v in by_status.items() if v)
    log(
        _("办件：%(counties)s 个县（区）共 %(total)s 件（%(counts)s）；监察预警 %(alerts)s 条，督办 %(oversights)s 件")
        % {
            "counties": len(counties),
            "total": Case.objects.count(),
            "counts": counts,
            "alerts": Alert.objects.filter(cleared_at__isnull=True).count(),
            "oversights": Oversight.objects.count(),
        }
    )
    seed_inspections(log)
    seed_results(today, log=log)
