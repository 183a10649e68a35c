"""Demo standards for every demo county: published ones (some with a revision in progress), complete drafts,
incomplete drafts and drafts with quality findings, written from the real items' names and departments.

The demo loads published standards as already reviewed (the review workflow is not run for them); everything else is
created through the standards services, attributed to the department's clerk or the administrator.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.demo import DEMO_CITY, DEMO_EXTRA_COUNTIES
from catalogue.models import Division, LocalItem, LocalItemStatus

from .models import (
    Citation,
    Faq,
    ItemStandard,
    ManualStep,
    Material,
    ProcessStep,
    ReviewPoint,
    SpecialProcedure,
    StandardState,
    SupervisionCheck,
)
from .services import standard_publish, standard_start

AREA_CODES = {"4418": "0763", "5002": "023"}
# Per county: how many items get each kind of standard.
PLAN = (("published", 6), ("revising", 2), ("complete", 3), ("incomplete", 3), ("findings", 3))
MATERIALS = [
    ("申请书（申请表）", "original", "applicant", 1, 0),
    ("申请人身份证明", "copy", "government", 0, 1),
    ("营业执照或统一社会信用代码证书", "copy", "licence_db", 0, 1),
    ("法定代表人身份证明", "copy", "applicant", 0, 1),
    ("场所产权证明或租赁合同", "copy", "applicant", 0, 1),
]


def seed_demo(log=print) -> None:
    admin = User.objects.get(username="admin")
    if ItemStandard.objects.exists():
        log(_("审批标准：已存在 %(count)s 个版本，跳过") % {"count": ItemStandard.objects.count()})
        return
    counties = list(Division.objects.filter(parent_id=DEMO_CITY, level="county")) + list(
        Division.objects.filter(code__in=DEMO_EXTRA_COUNTIES)
    )
    clerk = User.objects.get(username="clerk")
    clerk_org = clerk.memberships.values_list("organization_id", flat=True).first()
    for county in counties:
        items = list(
            LocalItem.objects.filter(division=county, status=LocalItemStatus.ACTIVE, item_type__in=["01", "07", "20"])
            .select_related("organization", "general_item", "division")
            .order_by("organization_id", "code")
        )
        # The demo clerk's own department first, so their pages show every kind of standard.
        items.sort(key=lambda i: (i.organization_id != clerk_org, i.organization_id, i.code))
        spread = items[:: max(1, len(items) // 17)] if county.code != "441802" else _clerks_first(items, clerk_org)
        position = 0
        for kind, count in PLAN:
            for item in spread[position : position + count]:
                _build(kind, item, actor=clerk if item.organization_id == clerk_org else admin, admin=admin)
            position += count
    by_state = {label: ItemStandard.objects.filter(state=value).count() for value, label in StandardState.choices}
    counts = _("，").join(
        _("%(state)s %(count)s") % {"state": label, "count": count} for label, count in by_state.items() if count
    )
    log(_("审批标准：%(counts)s") % {"counts": counts})


def _clerks_first(items, clerk_org):
    own = [i for i in items if i.organization_id == clerk_org]
    rest = [i for i in items if i.organization_id != clerk_org]
    return own[:17] + rest[: max(0, 17 - len(own))]


def _build(kind: str, item: LocalItem, *, actor: User, admin: User) -> None:
    standard = standard_start(actor=actor, local_item=item)
    if kind == "incomplete":
        fill_standard(standard, item, complete=False)
        return
    fill_standard(standard, item, complete=True)
    if kind == "findings":
        guide = standard.guide
        guide.promised_limit = (guide.legal_limit or 20) + 5  # C03
        guide.consult_phone = "3362001"  # C06: no area code
        guide.acceptance_conditions += "\n3. 法律、法规规定的其他条件。"  # C08
        guide.save()
        Material.objects.create(standard=standard, position=9, name="其他相关材料")  # C07
        return
    if kind in ("published", "revising"):
        _publish(standard, admin, "首次发布")
    if kind == "revising":
        revision = standard_start(actor=actor, local_item=item)
        guide = revision.guide
        guide.promised_limit = max(1, (guide.promised_limit or 10) - 3)
        guide.promised_limit_note = "2026年起压缩承诺时限"
        guide.save()
        ProcessStep.objects.filter(standard=revision, name="审查").update(duration=2)
        ManualStep.objects.filter(standard=revision, step="review").update(step_limit=2)


def _publish(standard: ItemStandard, admin: User, note: str) -> None:
    # Loaded as already reviewed: the demo does not replay the review workflow for it.
    ItemStandard.objects.filter(pk=standard.pk).update(
        state=StandardState.APPROVED,
        first_submitted_at=timezone.now(),
        submitted_at=timezone.now(),
        approved_at=timezone.now(),
    )
    standard_publish(actor=admin, standard=standard, change_note=note)


def fill_standard(standard: ItemStandard, item: LocalItem, *, complete: bool) -> None:
    county, org = item.division, item.organization
    area = AREA_CODES.get(county.code[:4], "0763")
    window = (item.pk % 30) + 1
    legal, promised = (20, 10) if item.item_type == "01" else (15, 5)
    guide = standard.guide
    values = {
        "power_source": "1",
        "accepting_body": org.name,
        "deciding_body": org.name,
        "lead_office": "行政审批股",
        "scope": "在" + county.name + "行政区域内申请办理“" + item.name + "”的公民、法人和其他组织。",
        "service_objects": ["1", "2", "4"] if item.item_type == "20" else ["2", "4"],
        "review_mode": "1",
        "case_type": "2",
        "acceptance_conditions": "1. 申请人具有完全民事行为能力或依法登记；\n2. 申请材料齐全、符合法定形式。",
        "process_text_offline": "申请人到政务服务中心窗口提交材料，窗口当场或在规定时限内受理，经审查作出决定并送达。",
        "process_text_online": "申请人登录政务服务网在线提交申请，审查通过后可选择邮寄或窗口领取结果。",
        "legal_limit": legal,
        "legal_limit_unit": "working_day",
        "promised_limit": promised,
        "promised_limit_unit": "working_day",
        "onsite_visits": 1,
        "onsite_reason": "领取结果时核验身份。",
        "result_type": "document",
        "result_name": "准予行政许可决定书" if item.item_type == "01" else "办理结果通知书",
        "delivery_methods": ["window", "post"],
        "delivery_limit": 10,
        "handle_forms": ["window", "online"],
        "online_depth": "3",
        "hall_name": county.name + "政务服务中心",
        "address": county.full_name + "政务服务中心一楼" + str(window) + "号窗口",
        "office_hours": "工作日上午9:00-12:00，下午14:30-17:30（法定节假日除外）",
        "consult_phone": f"{area}-{6300000 + item.pk % 90000:07d}",
        "complain_phone": f"{area}-12345",
        "applicant_rights": "依法享有陈述权、申辩权；对决定不服的，有权依法申请行政复议或者提起行政诉讼。",
        "applicant_duties": "如实提交有关材料，反映真实情况，并对申请材料实质内容的真实性负责。",
        "review_channel": county.name + "人民政府（行政复议），" + county.full_name + "行政服务中心三楼",
        "litigation_channel": county.name + "人民法院",
        "public_query_channel": "政务服务网“办件查询”或窗口查询",
    }
    if not complete:
        # A draft half written: the conditions, limits, location and contacts are still missing.
        for name in (
            "acceptance_conditions",
            "legal_limit",
            "promised_limit",
            "address",
            "office_hours",
            "consult_phone",
            "complain_phone",
            "review_channel",
            "litigation_channel",
        ):
            values.pop(name)
        values.pop("legal_limit_unit")
        values.pop("promised_limit_unit")
    for name, value in values.items():
        setattr(guide, name, value)
    guide.save()
    manual = standard.manual
    manual.manual_no = f"{county.code}-{item.pk:05d}"
    manual.issuer = org.name
    manual.staff_requirements = "审查人员持有行政执法证件；实质审查由2名以上工作人员进行。"
    manual.approval_conditions = values.get("acceptance_conditions", "")
    manual.progress_query_method = "申请人可通过政务服务网或咨询电话查询办理进度。"
    manual.effective_on = dt.date(2026, 1, 1)
    manual.save()
    if not standard.citations.exists():
        Citation.objects.create(
            standard=standard,
            position=0,
            role="founding",
            law_name="《中华人民共和国行政许可法》",
            doc_number="主席令第7号",
            article_ref="第十二条",
            law_rank="law",
        )
    materials = MATERIALS[: 3 + item.pk % 3] if complete else MATERIALS[:2]
    Material.objects.bulk_create(
        [
            Material(
                standard=standard,
                position=n,
                name=name,
                material_type=kind,
                material_form="paper",
                source_channel=source,
                original_count=original,
                copy_count=copies,
                paper_spec="A4",
                necessity="required",
            )
            for n, (name, kind, source, original, copies) in enumerate(materials)
        ]
    )
    if not complete:
        return
    steps = [
        ("受理", 1, "窗口受理岗"),
        ("审查", promised - 4, "业务审查岗"),
        ("决定", 2, "分管领导"),
        ("送达", 1, "窗口出件岗"),
    ]
    ProcessStep.objects.bulk_create(
        [
            ProcessStep(
                standard=standard,
                position=n,
                name=name,
                handling_office=post,
                duration=days,
                duration_unit="working_day",
            )
            for n, (name, days, post) in enumerate(steps)
        ]
    )
    if item.item_type == "01":
        SpecialProcedure.objects.create(
            standard=standard,
            position=0,
            name="现场核查",
            duration=5,
            duration_unit="working_day",
            legal_basis="《中华人民共和国行政许可法》第三十四条",
            counted_in_limit=False,
        )
    internal = [
        ("accept", "窗口受理岗", 1),
        ("review", "业务审查岗", promised - 4),
        ("decide", "分管领导", 2),
        ("deliver", "窗口出件岗", 1),
    ]
    manual_steps = ManualStep.objects.bulk_create(
        [
            ManualStep(
                standard=standard,
                position=n,
                business_kind="new",
                step=step,
                responsible_post=post,
                step_limit=days,
                step_limit_unit="working_day",
                counted_in_limit=True,
                description=post + "按规定办理并签署意见",
            )
            for n, (step, post, days) in enumerate(internal)
        ]
    )
    review = next(s for s in manual_steps if s.step == "review")
    ReviewPoint.objects.bulk_create(
        [
            ReviewPoint(
                standard=standard,
                position=0,
                step=review,
                point="申请人主体资格",
                standard_text="身份证明或营业执照真实有效",
                method="verify",
            ),
            ReviewPoint(
                standard=standard,
                position=1,
                step=review,
                point="申请材料完整性",
                standard_text="材料齐全、符合法定形式",
                method="documents",
            ),
        ]
    )
    SupervisionCheck.objects.bulk_create(
        [
            SupervisionCheck(standard=standard, position=0, item="按时办结", criterion="在承诺时限内办结", score=40),
            SupervisionCheck(
                standard=standard, position=1, item="一次性告知", criterion="材料不全时一次性告知补正内容", score=30
            ),
            SupervisionCheck(
                standard=standard, position=2, item="文书规范", criterion="文书格式规范、意见明确", score=30
            ),
        ]
    )
    Faq.objects.create(
        standard=standard,
        position=0,
        question="可以委托他人代为办理吗？",
        answer="可以，代理人须提交授权委托书及本人身份证明。",
    )
