"""Demo data built from real public lists: the divisions, a general catalogue made of real item names (广安区 and
中山市 lists kept in ``fixtures/data``), departments of 清远市 and its county-level units and of 奉节县 with valid
credit codes, their implementation lists, some claims waiting and some changes applied, and a user for every role.

Every step looks for what it would create first, so running it twice duplicates nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.models import User
from django.db import transaction
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

DATA_DIR = Path(__file__).resolve().parent / "fixtures" / "data"
DEMO_PASSWORD = "spbz-demo-2026"

# Two-digit department codes of the general catalogue (Guangdong data shows 02 教育, 04 工业和信息化).
SECTORS = {
    "01": "发展改革",
    "02": "教育",
    "03": "科技",
    "04": "工业和信息化",
    "05": "民族宗教",
    "06": "公安",
    "07": "民政",
    "08": "司法行政",
    "09": "财政",
    "10": "人力资源社会保障",
    "11": "自然资源",
    "12": "生态环境",
    "13": "住房城乡建设",
    "14": "交通运输",
    "15": "水利",
    "16": "农业农村",
    "17": "商务",
    "18": "文化广电旅游",
    "19": "卫生健康",
    "20": "退役军人事务",
    "21": "应急管理",
    "22": "市场监管",
    "23": "医疗保障",
    "24": "林业",
    "25": "税务",
    "26": "气象",
    "27": "烟草专卖",
    "28": "残联",
    "29": "统计",
    "30": "政务服务数据管理",
    "31": "消防救援",
    "32": "城市管理综合执法",
    "34": "政府办公室",
}

# A county's implementing departments, by sector (names as county governments use them).
DEPARTMENTS = {
    "01": "发展和改革局",
    "02": "教育局",
    "03": "科学技术局",
    "04": "工业和信息化局",
    "06": "公安局",
    "07": "民政局",
    "08": "司法局",
    "09": "财政局",
    "10": "人力资源和社会保障局",
    "11": "自然资源局",
    "12": "生态环境分局",
    "13": "住房和城乡建设局",
    "14": "交通运输局",
    "15": "水利局",
    "16": "农业农村局",
    "17": "商务局",
    "18": "文化广电旅游体育局",
    "19": "卫生健康局",
    "20": "退役军人事务局",
    "21": "应急管理局",
    "22": "市场监督管理局",
    "23": "医疗保障局",
    "24": "林业局",
    "25": "税务局",
    "26": "气象局",
    "27": "烟草专卖局",
    "28": "残疾人联合会",
    "29": "统计局",
    "30": "政务服务数据管理局",
    "31": "消防救援大队",
    "32": "城市管理和综合执法局",
    "34": "人民政府办公室",
}

# 广安区 department names → sector.
SICHUAN_DEPARTMENT_SECTOR = {
    "区发改局": "01",
    "区教科体局": "02",
    "区经信局": "04",
    "区公安分局": "06",
    "区民政局": "07",
    "区司法局": "08",
    "区财政局": "09",
    "区人社局": "10",
    "区自然资源和规划局": "11",
    "区生态环境局": "12",
    "区住建局": "13",
    "区交通运输局": "14",
    "区水务局": "15",
    "区农业农村局": "16",
    "区商务局": "17",
    "区文广旅局": "18",
    "区卫健局": "19",
    "区退役军人事务局": "20",
    "区应急管理局": "21",
    "区市监局": "22",
    "区医疗保障局": "23",
    "区林业局": "24",
    "广安区税务局": "25",
    "区气象局": "26",
    "区烟草专卖局": "27",
    "区残联": "28",
    "区统计局": "29",
    "区行政审批局": "30",
    "区公管办": "30",
    "区消防大队": "31",
    "区综合执法局": "32",
    "区政府办": "34",
    "区委办": "34",
    "区委统战部": "34",
}

# Well-known founding provisions for a few items, so the catalogue shows what a complete entry looks like.
KNOWN_BASES = {
    "中外合作": [{"law": "《中华人民共和国中外合作办学条例》", "doc_number": "国务院令第372号", "article": "第十二条"}],
    "教师资格": [{"law": "《教师资格条例》", "doc_number": "国务院令第188号", "article": "第十三条"}],
    "无线电频率": [{"law": "《中华人民共和国无线电管理条例》", "doc_number": "国务院令第672号", "article": "第十四条"}],
}

DEMO_PROVINCES = {"440000": "广东省", "500000": "重庆市"}
DEMO_CITY = "441800"  # 清远市, whose office received the Guangdong notice
DEMO_EXTRA_COUNTIES = ["500236"]  # 奉节县


def _type_code(raw: str) -> str:
    return f"{int(raw):02d}"


@dataclass
class CatalogueEntry:
    sector: str
    item_type: str
    name: str
    subs: list[str]
    levels: str
    code: str = ""
    sub_codes: tuple[str, ...] = ()


def real_catalogue_entries() -> list[CatalogueEntry]:
    """Main items with their sub items from the real lists: 中山市 entries keep their Guangdong codes, 广安区
    entries get codes from the catalogue. Public services go down to townships."""
    entries: dict[tuple[str, str, str], CatalogueEntry] = {}
    with (DATA_DIR / "items_gd_zhongshan_442000.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            parent_code, code = row["parent_catalog_id"], row["catalog_id"]
            key = ("zs", parent_code, "")
            name = row["parent_catalog_name"]
            entry = entries.setdefault(
                key, CatalogueEntry(parent_code[4:6], row["task_type_code"], name, [], "234", code=parent_code)
            )
            if parent_code.endswith("Y") and code not in entry.sub_codes:
                sub_name = row["task_name"].split("(")[0].strip()
                entry.subs.append(sub_name)
                entry.sub_codes = (*entry.sub_codes, code)
    seen_names = {e.name for e in entries.values()}
    with (DATA_DIR / "items_sc_guangan_511602.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            sector = SICHUAN_DEPARTMENT_SECTOR.get(row["department"])
            if not sector:
                continue
            item_type = _type_code(row["task_type_code"])
            main = row["main_item"].strip()
            name = row["item_name"].strip()
            levels = "345" if item_type == "20" else "34"
            if main:
                entry = entries.setdefault(("sc", sector, main), CatalogueEntry(sector, item_type, main, [], levels))
                if name not in entry.subs and name != main and entry.item_type == item_type:
                    entry.subs.append(name)
            elif name not in seen_names:
                entries.setdefault(("sc", sector, name), CatalogueEntry(sector, item_type, name, [], levels))
            seen_names.add(name)
    return list(entries.values())


def _bases_for(name: str) -> list[dict]:
    for key, bases in KNOWN_BASES.items():
        if key in name:
            return bases
    return []


class DemoBuilder:
    """Builds the demo data step by step; ``log`` receives a line per step for the command's output."""

    def __init__(self, log=print) -> None:
        self.log = log
        self.today = dt.date(2026, 1, 1)

    def run(self) -> None:
        report = divisions_load()
        self.log(f"行政区划：新增 {report.created}，更新 {report.updated}，未变 {report.unchanged}")
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
        org, _ = Organization.objects.get_or_create(
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
            self._org(province, f"中共{province.name}委员会机构编制委员会办公室", OrganizationKind.BIANBAN, 9001)
        city = Division.objects.get(code=DEMO_CITY)
        self._org(city, f"中共{city.name}委员会机构编制委员会办公室", OrganizationKind.BIANBAN, 9001)
        self._org(city, f"{city.name}司法局", OrganizationKind.JUSTICE, 9002)
        count = 0
        for county in self.demo_counties():
            sectors = {s.code: s for s in Sector.objects.filter(province_id=county.province_code)}
            self._org(county, f"中共{county.name}委员会机构编制委员会办公室", OrganizationKind.BIANBAN, 9001)
            justice = self._org(county, f"{county.name}司法局", OrganizationKind.JUSTICE, 9002, sectors["08"])
            for sector_code, dept in DEPARTMENTS.items():
                if sector_code == "08":
                    continue  # the justice bureau above exercises the 司法行政 items itself
                self._org(
                    county, f"{county.name}{dept}", OrganizationKind.DEPARTMENT, int(sector_code), sectors[sector_code]
                )
                count += 1
            if justice.sector_id is None:
                justice.sector = sectors["08"]
                justice.save(update_fields=["sector"])
        self.log(f"机构：{Organization.objects.count()} 个（其中实施部门 {count} 个）")

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
        document_number = f"{'粤' if province.code == '440000' else '渝'}编办发〔2016〕1号"
        if CatalogChange.objects.filter(scope=province, document_number=document_number).exists():
            self.log(f"{province.name}通用目录：已存在，跳过")
            return
        sectors = {s.code: s for s in Sector.objects.filter(province=province)}
        entries = real_catalogue_entries()
        keep_codes = province.code == "440000"
        mains = [
            ItemSpec(
                name=e.name,
                item_type=e.item_type,
                sector=sectors[e.sector],
                levels=e.levels,
                has_sub_items=bool(e.subs),
                bases=_bases_for(e.name),
                code=e.code if keep_codes else "",
            )
            for e in entries
            if e.sector in sectors
        ]
        document = ChangeDocument(document_number, f"关于印发《{province.name}行政审批事项通用目录》的通知", self.today)
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
                        bases=_bases_for(sub) or parent.bases,
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
        self.log(f"{province.name}通用目录：{GeneralItem.objects.filter(province=province).count()} 个事项")

    def local_lists(self) -> None:
        for county in self.demo_counties():
            if LocalItem.objects.filter(division=county).exists():
                continue
            self._county_list(county)
        self.log(f"实施清单：{LocalItem.objects.count()} 个事项")

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
        self.log(f"目录变更记录：{CatalogChange.objects.count()} 条")


DEMO_LOGINS = [  # each as its workbench names it (``catalogue.access.role_titles``), with what it is for
    ("admin", "系统管理员 · 广东省编办（全部权限、后台管理）"),
    ("clerk", "录入员 · 清城区教育局"),
    ("depthead", "部门负责人 · 清城区教育局"),
    ("compliance", "合规性审查员 · 清城区编办（认领确认、合规性审查、发布）"),
    ("legality", "合法性审查员 · 清城区司法局"),
    ("supervisor", "督导 · 清远市编办（只读）"),
    ("province", "通用目录管理员 · 广东省编办（省编办的合规性审查员）"),
    ("fj_clerk", "录入员 · 奉节县市场监督管理局"),
    ("fj_compliance", "合规性审查员 · 奉节县编办"),
]
