"""Demo cases: every demo county gets a service centre with a window clerk and an electronic-supervision officer,
post holders (AB岗) in the departments whose standards are published, and cases in every state, handled through the
real services and then moved back in time, so that the clocks, alerts and 督办 show what a working hall shows.

清城区 and 奉节县 have named demo logins (README); the other counties' staff exist to act, without logins listed.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from catalogue.codes import make_uscc
from catalogue.demo import DEMO_CITY, DEMO_EXTRA_COUNTIES, DEMO_PASSWORD
from catalogue.models import Division, Membership, Organization, OrganizationKind, Role
from standards.models import ItemStandard, StandardState

from .models import PostHolder

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
            # The department of a named county whose head is a demo login gets the named approver too.
            named = existing is not None and self.county.code in NAMED
            username = f"{self.prefix}approver" if named else f"{self.prefix}approver_{organization.pk}"
            approver = _member(_user(username, short + "审批人员"), organization, Role.APPROVER)
            for post, user, backup_for in (
                (REVIEW_POST, approver, None),
                (DELIVER_POST, approver, None),
                (ACCEPT_POST, approver, None),
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


def seed_demo(log=print) -> None:
    admin = User.objects.get(username="admin")
    staff = 0
    for county in demo_counties():
        people = CountyStaff(county, admin)
        for standard in published_standards(county):
            people.department(standard.local_item.organization)
        staff += 1
    log(_("政务服务中心与岗位人员：%(count)s 个县（区）") % {"count": staff})
