"""The steps that write the demo: bodies and people, the general catalogues, the county lists with their claims, and
a few catalogue changes. Every step looks for what it would create first, so running it twice duplicates nothing."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from catalogue.codes import make_uscc
from catalogue.models import (
    CatalogChange,
    ChangeKind,
    Claim,
    ClaimStatus,
    Division,
    GeneralItem,
    ItemStatus,
    LocalItem,
    LocalItemStatus,
    Membership,
    NodeKind,
    Organization,
    OrganizationKind,
    Role,
    Sector,
)
from catalogue.services import ChangeDocument, ItemSpec, catalog_change_apply, divisions_load, local_item_build
from catalogue.services.changes import Adjustment

from .data import (
    DEMO_CITY,
    DEMO_EXTRA_COUNTIES,
    DEMO_PASSWORD,
    DEMO_PROVINCES,
    DEPARTMENTS,
    SECTORS,
    bases_for,
    demo_main_code,
    real_catalogue_entries,
)


class DemoBuilder:
    """Builds the demo data step by step; ``log`` receives a line per step for the command's output."""

    def __init__(self, log=print) -> None:
        self.log = log
        self.today = dt.date(2026, 1, 1)

    def run(self) -> None:
        report = divisions_load()
        self.log(
            _("行政区划：新增 %(created)s，更新 %(updated)s，未变 %(unchanged)s")
            % {"created": report.created, "updated": report.updated, "unchanged": report.unchanged}
        )
        with transaction.atomic():
            self.admin = self._user("admin", "系统管理员", superuser=True)
            self.organizations()
            self.users()
            for code in DEMO_PROVINCES:
                self.general_catalogue(Division.objects.get(code=code))
            self.local_lists()
            self.changes()

    # --- people and bodies -----------------------------------------------------------------------------------

    def _user(self, username: str, full_name: str, superuser: bool = False) -> User:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": full_name,
                "email": f"{username}@demo.spbz.example.gov.cn",  # the console shows the inbox's e-mails in development
                "is_staff": superuser,
                "is_superuser": superuser,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        return user

    def _org(self, division: Division, name: str, kind: str, serial: int, sector: Sector | None = None):
        org, _created = Organization.objects.get_or_create(
            division=division,
            name=name,
            defaults={
                "uscc": make_uscc(division_code=division.code, serial=serial),
                "kind": kind,
                "sector": sector,
                "created_by": self.admin,
                "short_name": name.removeprefix(division.name),
            },
        )
        return org

    def demo_counties(self) -> list[Division]:
        city = Division.objects.get(code=DEMO_CITY)
        return list(Division.objects.filter(parent=city, level="county")) + list(
            Division.objects.filter(code__in=DEMO_EXTRA_COUNTIES)
        )

    def organizations(self) -> None:
        for code in DEMO_PROVINCES:
            province = Division.objects.get(code=code)
            for sector_code, name in SECTORS.items():
                Sector.objects.get_or_create(province=province, code=sector_code, defaults={"name": name})
            self._org(province, "中共" + province.name + "委员会机构编制委员会办公室", OrganizationKind.BIANBAN, 9001)
        city = Division.objects.get(code=DEMO_CITY)
        self._org(city, "中共" + city.name + "委员会机构编制委员会办公室", OrganizationKind.BIANBAN, 9001)
        self._org(city, city.name + "司法局", OrganizationKind.JUSTICE, 9002)
        count = 0
        for county in self.demo_counties():
            sectors = {s.code: s for s in Sector.objects.filter(province_id=county.province_code)}
            self._org(county, "中共" + county.name + "委员会机构编制委员会办公室", OrganizationKind.BIANBAN, 9001)
            justice = self._org(county, county.name + "司法局", OrganizationKind.JUSTICE, 9002, sectors["08"])
            for sector_code, dept in DEPARTMENTS.items():
                if sector_code == "08":
                    continue  # the justice bureau above exercises the 司法行政 items itself
                self._org(
                    county, county.name + dept, OrganizationKind.DEPARTMENT, int(sector_code), sectors[sector_code]
                )
                count += 1
            if justice.sector_id is None:
                justice.sector = sectors["08"]
                justice.save(update_fields=["sector"])
        self.log(
            _("机构：%(total)s 个（其中实施部门 %(departments)s 个）")
            % {"total": Organization.objects.count(), "departments": count}
        )

    def users(self) -> None:
        qingcheng = Division.objects.get(code="441802")
        fengjie = Division.objects.get(code="500236")
        city = Division.objects.get(code=DEMO_CITY)
        province = Division.objects.get(code="440000")

        def org(division, suffix):
            return Organization.objects.get(division=division, name__endswith=suffix)

        plan = [
            ("admin", "系统管理员", org(province, "机构编制委员会办公室"), Role.ADMIN),
            ("clerk", "清城区教育局录入员", org(qingcheng, "教育局"), Role.CLERK),
            ("depthead", "清城区教育局负责人", org(qingcheng, "教育局"), Role.DEPT_HEAD),
            ("compliance", "清城区编办审查员", org(qingcheng, "机构编制委员会办公室"), Role.COMPLIANCE_REVIEWER),
            ("legality", "清城区司法局审查员", org(qingcheng, "司法局"), Role.LEGALITY_REVIEWER),
            ("supervisor", "清远市编办督导", org(city, "机构编制委员会办公室"), Role.SUPERVISOR),
            ("province", "广东省编办目录管理员", org(province, "机构编制委员会办公室"), Role.COMPLIANCE_REVIEWER),
            ("fj_clerk", "奉节县市场监管局录入员", org(fengjie, "市场监督管理局"), Role.CLERK),
            ("fj_depthead", "奉节县市场监管局负责人", org(fengjie, "市场监督管理局"), Role.DEPT_HEAD),
            ("fj_compliance", "奉节县编办审查员", org(fengjie, "机构编制委员会办公室"), Role.COMPLIANCE_REVIEWER),
            ("fj_legality", "奉节县司法局审查员", org(fengjie, "司法局"), Role.LEGALITY_REVIEWER),
        ]
        self.people = {}
        for username, name, organization, role in plan:
            user = self._user(username, name, superuser=username == "admin")
            Membership.objects.get_or_create(user=user, organization=organization, role=role)
            self.people[username] = user

    # --- catalogue -------------------------------------------------------------------------------------------

    def general_catalogue(self, province: Division) -> None:
        document_number = ("粤" if province.code == "440000" else "渝") + "编办发〔2016〕1号"
        if CatalogChange.objects.filter(scope=province, document_number=document_number).exists():
            self.log(_("%(province)s通用目录：已存在，跳过") % {"province": province.name})
            return
        sectors = {s.code: s for s in Sector.objects.filter(province=province)}
        entries = real_catalogue_entries()
        keep_codes = province.code == "440000"
        taken: dict[tuple[str, str], int] = {}
        mains = [
            ItemSpec(
                name=e.name,
                item_type=e.item_type,
                sector=sectors[e.sector],
                levels=e.levels,
                has_sub_items=bool(e.subs),
                bases=bases_for(e.name),
                # Real names with their real codes; invented items in a block no province issues.
                code=e.code if keep_codes and e.code else demo_main_code(province.code, e, taken)[0],
            )
            for e in entries
            if e.sector in sectors
        ]
        title = "关于印发《" + province.name + "行政审批事项通用目录》的通知"
        document = ChangeDocument(document_number, title, self.today)
        change = catalog_change_apply(
            actor=self.admin,
            kind=ChangeKind.ADD,
            scope=province,
            document=document,
            effective_date=self.today,
            reason="建立通用目录（主项）",
            new_items=mains,
        )
        created = {(i.name, i.sector_id): i for i in change.general_items.all()}
        subs = []
        for entry in entries:
            parent = created.get((entry.name, sectors[entry.sector].pk)) if entry.sector in sectors else None
            if parent is None or not entry.subs:
                continue
            for index, sub in enumerate(entry.subs):
                code = entry.sub_codes[index] if keep_codes and index < len(entry.sub_codes) else ""
                subs.append(
                    ItemSpec(
                        name=sub,
                        node_kind=NodeKind.SUB,
                        parent=parent,
                        levels=entry.levels,
                        code=code,
                        bases=bases_for(sub) or parent.bases,
                    )
                )
        catalog_change_apply(
            actor=self.admin,
            kind=ChangeKind.ADD,
            scope=province,
            document=ChangeDocument(document_number.replace("1号", "2号"), "关于通用目录子项的补充通知", self.today),
            effective_date=self.today,
            reason="建立通用目录（子项）",
            new_items=subs,
        )
        self.log(
            _("%(province)s通用目录：%(count)s 个事项")
            % {"province": province.name, "count": GeneralItem.objects.filter(province=province).count()}
        )

    def local_lists(self) -> None:
        for county in self.demo_counties():
            if LocalItem.objects.filter(division=county).exists():
                continue
            self._county_list(county)
        self.log(_("实施清单：%(count)s 个事项") % {"count": LocalItem.objects.count()})

    def _county_list(self, county: Division) -> None:
        departments = {o.sector_id: o for o in Organization.objects.filter(division=county, sector__isnull=False)}
        general = (
            GeneralItem.objects.filter(province_id=county.province_code)
            .claimable()
            .allowed_at(county.level_digit)
            .order_by("code")
        )
        by_sector = defaultdict(list)
        for item in general:
            by_sector[item.sector_id].append(item)
        active, pending = [], []
        for sector_id, items in by_sector.items():
            organization = departments.get(sector_id)
            if organization is None:
                continue
            for index, item in enumerate(items):
                # Leave gaps for the claim report and a few claims waiting for the establishment office.
                if index % 23 == 7:
                    continue
                status = LocalItemStatus.CLAIMED if index % 17 == 3 else LocalItemStatus.ACTIVE
                local = local_item_build(
                    general_item=item,
                    division=county,
                    organization=organization,
                    actor=self.admin,
                    status=status,
                    effective_date=self.today if status == LocalItemStatus.ACTIVE else None,
                    save=False,
                )
                (pending if status == LocalItemStatus.CLAIMED else active).append(local)
        made = bulk_create_with_history(
            active + pending, LocalItem, batch_size=500, default_user=self.admin, default_change_reason="事项认领"
        )
        claimer = {o.pk: o for o in departments.values()}
        # The demo clerk works at 清城区教育局; other departments' claims were entered by the administrator.
        clerk = self.people["clerk"]
        clerk_org = clerk.memberships.values_list("organization_id", flat=True).first()
        Claim.objects.bulk_create(
            [
                Claim(
                    local_item=li,
                    organization=claimer[li.organization_id],
                    claimed_by=clerk if li.organization_id == clerk_org else self.admin,
                    status=ClaimStatus.PENDING if li.status == LocalItemStatus.CLAIMED else ClaimStatus.CONFIRMED,
                    decided_by=None if li.status == LocalItemStatus.CLAIMED else self.admin,
                )
                for li in made
            ],
            batch_size=500,
        )

    def changes(self) -> None:
        province = Division.objects.get(code="440000")
        if CatalogChange.objects.filter(document_number="粤编办发〔2017〕35号").exists():
            return
        actor = self.people["province"]
        candidates = GeneralItem.objects.filter(province=province, status=ItemStatus.ACTIVE, node_kind=NodeKind.MAIN)
        renamed = candidates.filter(has_sub_items=False, item_type="01", local_items__isnull=False).distinct().first()
        if renamed:
            catalog_change_apply(
                actor=actor,
                kind=ChangeKind.ADJUST,
                scope=province,
                document=ChangeDocument(
                    "粤编办发〔2017〕35号", "关于调整部分行政审批事项名称的通知", dt.date(2017, 6, 1)
                ),
                effective_date=dt.date(2017, 7, 1),
                reason="按上位法修订统一事项名称表述",
                general_items=[renamed],
                adjustment=Adjustment(name=renamed.name + "（含变更）"),
            )
        cancelled = candidates.filter(has_sub_items=False, item_type="10", local_items__isnull=False).distinct().first()
        if cancelled:
            catalog_change_apply(
                actor=actor,
                kind=ChangeKind.CANCEL,
                scope=province,
                document=ChangeDocument("粤府〔2017〕42号", "关于取消一批行政审批事项的决定", dt.date(2017, 8, 10)),
                effective_date=dt.date(2017, 9, 1),
                reason="国务院决定取消，本省目录同步取消",
                general_items=[cancelled],
            )
        self.log(_("目录变更记录：%(count)s 条") % {"count": CatalogChange.objects.count()})
