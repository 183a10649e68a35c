"""Demo work plan: the milestones of the Guangdong notice on the standardization (domain decision 7), with dates moved
from 2016 to 2026 so that, relative to the demo's today, some milestones are overdue and some still running, and a few
cities' filings recorded (one on time in 清远, one late)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from catalogue.models import Division

from .deadlines.models import Milestone, MilestoneFiling, MilestoneKind, MilestoneLevel, WorkPlan

PROVINCE = "440000"
DOCUMENT_NUMBER = "粤府办明电〔2016〕43号"
MILESTONES = [
    # (title, level, kind, item type, own items only, due date)
    (
        "各地级以上市工作方案和进度安排报省编办备案",
        MilestoneLevel.CITY,
        MilestoneKind.PLAN_FILED,
        "",
        False,
        dt.date(2026, 4, 30),
    ),
    (
        "省级行政许可事项标准录入、审查确认",
        MilestoneLevel.PROVINCE,
        MilestoneKind.APPROVED,
        "01",
        True,
        dt.date(2026, 6, 30),
    ),
    ("市级审批标准录入（含所辖县区）", MilestoneLevel.CITY, MilestoneKind.ENTERED, "", False, dt.date(2026, 12, 31)),
    ("县级审批标准录入", MilestoneLevel.COUNTY, MilestoneKind.ENTERED, "", False, dt.date(2026, 12, 31)),
]
FILINGS = [
    ("441800", dt.date(2026, 4, 20), "清远市推进行政审批标准化工作方案及进度安排"),
    ("440100", dt.date(2026, 4, 27), ""),
    ("440300", dt.date(2026, 5, 12), "5月12日补报"),
]


def seed_demo(log=print) -> None:
    province = Division.objects.filter(code=PROVINCE).first()
    if province is None:
        log("工作计划：未载入广东省区划，跳过")
        return
    if WorkPlan.objects.filter(province=province, document_number=DOCUMENT_NUMBER).exists():
        log("工作计划：广东省工作计划已存在，跳过")
        return
    admin = User.objects.filter(username="admin").first()
    plan = WorkPlan.objects.create(
        title="广东省推进行政审批标准化工作计划（演示）",
        province=province,
        document_number=DOCUMENT_NUMBER,
        issued_on=dt.date(2026, 3, 15),
        notes=(
            "演示数据：节点取自广东省2016年推进行政审批标准化的通知（文号凭记忆填写，未经核实），"
            "日期由2016年改为2026年，以便演示已逾期和未到期的节点。"
        ),
        created_by=admin,
    )
    milestones = [
        Milestone.objects.create(
            plan=plan,
            position=n,
            title=title,
            level=level,
            kind=kind,
            item_type=item_type,
            own_items_only=own,
            due_on=due,
            created_by=admin,
        )
        for n, (title, level, kind, item_type, own, due) in enumerate(MILESTONES, start=1)
    ]
    filed = milestones[0]
    cities = set(Division.objects.filter(code__in=[c for c, _d, _n in FILINGS]).values_list("code", flat=True))
    MilestoneFiling.objects.bulk_create(
        [
            MilestoneFiling(milestone=filed, division_id=code, filed_on=on, note=note, created_by=admin)
            for code, on, note in FILINGS
            if code in cities
        ]
    )
    dates = "、".join(sorted({f"{m.due_on:%Y-%m-%d}" for m in milestones}))
    log(
        _(
            "工作计划：%(title)s，%(n)s 个节点，截止日期由2016年改为2026年（%(dates)s），"
            "相对今天有已逾期和未到期的节点；%(cities)s 个市已登记报备"
        )
        % {"title": plan.title, "n": len(milestones), "dates": dates, "cities": len(cities)}
    )
