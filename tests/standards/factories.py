"""Standards for tests: ``complete_standard`` fills every element a reviewer expects, so the quality checks find
nothing in it and each test can break exactly the element it is about."""

from __future__ import annotations

from django.contrib.auth.models import User

from catalogue.models import LocalItem
from standards.models import (
    Citation,
    Faq,
    FeeItem,
    ItemStandard,
    ManualStep,
    Material,
    ProcessStep,
    ResultSample,
    ReviewPoint,
    SpecialProcedure,
    SupervisionCheck,
)
from standards.services import standard_start


def complete_standard(actor: User, local_item: LocalItem, **guide_changes) -> ItemStandard:
    """A draft whose guide and manual are complete and consistent (promised 10 of 20 working days, steps
    2 + 5 + 3 = 10, free of charge, phones with area codes, a window number, 工作日 in the hours)."""
    standard = standard_start(actor=actor, local_item=local_item)
    guide = standard.guide
    values = {
        "item_name": local_item.name,
        "item_type": local_item.item_type,
        "power_source": "1",
        "accepting_body": local_item.organization.name,
        "deciding_body": local_item.organization.name,
        "lead_office": "审批服务股",
        "scope": "在本行政区域内申请该事项的法人和其他组织。",
        "service_objects": ["2", "4"],
        "review_mode": "1",
        "case_type": "2",
        "acceptance_conditions": "1. 申请人为依法登记的法人；\n2. 有符合规定的办公场所和设施设备。",
        "prohibitions": "申请人隐瞒有关情况或者提供虚假材料的，一年内不得再次申请。",
        "process_text_offline": "申请人到窗口提交材料，窗口受理后审查，作出决定并送达。",
        "process_text_online": "申请人在广东政务服务网提交申请，审查通过后寄送结果。",
        "legal_limit": 20,
        "legal_limit_unit": "working_day",
        "promised_limit": 10,
        "promised_limit_unit": "working_day",
        "onsite_visits": 1,
        "onsite_reason": "领取证书时核验原件。",
        "is_charged": False,
        "pay_online": False,
        "result_type": "document",
        "result_name": "准予行政许可决定书",
        "delivery_methods": ["window", "post"],
        "delivery_limit": 10,
        "handle_forms": ["window", "online"],
        "online_depth": "3",
        "online_url": "https://www.gdzwfw.gov.cn/",
        "hall_name": "清城区政务服务中心",
        "address": "清远市清城区人民一路28号政务服务中心二楼12号窗口",
        "office_hours": "工作日上午9:00-12:00，下午14:00-17:30（法定节假日除外）",
        "consult_phone": "0763-3362001",
        "complain_phone": "0763-12345",
        "applicant_rights": "依法享有陈述权、申辩权，对决定不服的，有权申请行政复议或提起行政诉讼。",
        "applicant_duties": "如实提交有关材料和反映真实情况，并对申请材料实质内容的真实性负责。",
        "review_channel": "清远市清城区人民政府，清城区人民一路28号，0763-3362100",
        "litigation_channel": "清远市清城区人民法院",
        "public_query_channel": "广东政务服务网“办件查询”",
    }
    values.update(guide_changes)
    for name, value in values.items():
        setattr(guide, name, value)
    guide.save()

    manual = standard.manual
    manual.manual_no = f"QC-{local_item.pk:05d}"
    manual.issuer = local_item.organization.name
    manual.handling_org = local_item.organization.name
    manual.staff_requirements = "持有行政执法证件，实质审查不少于2人。"
    manual.approval_conditions = values["acceptance_conditions"]
    manual.progress_query_method = "窗口或广东政务服务网查询。"
    manual.save()

    Citation.objects.filter(standard=standard, role="founding").update(law_rank="admin_regulation")
    Citation.objects.create(
        standard=standard,
        position=10,
        role="condition",
        law_name="《中华人民共和国行政许可法》",
        doc_number="主席令第7号",
        article_ref="第十二条",
        law_rank="law",
    )
    Material.objects.create(
        standard=standard,
        position=0,
        name="申请书",
        material_type="original",
        material_form="paper",
        source_channel="applicant",
        original_count=1,
        copy_count=0,
        paper_spec="A4",
        necessity="required",
    )
    Material.objects.create(
        standard=standard,
        position=1,
        name="营业执照",
        material_type="copy",
        material_form="paper",
        source_channel="government",
        original_count=0,
        copy_count=1,
        paper_spec="A4",
        necessity="required",
    )
    for position, (name, days) in enumerate([("受理", 2), ("审查", 5), ("决定", 3)]):
        ProcessStep.objects.create(
            standard=standard,
            position=position,
            name=name,
            handling_office="审批服务股",
            duration=days,
            duration_unit="working_day",
        )
    SpecialProcedure.objects.create(
        standard=standard, position=0, name="专家评审", duration=15, duration_unit="working_day", counted_in_limit=False
    )
    ResultSample.objects.create(standard=standard, position=0, name="准予行政许可决定书")
    Faq.objects.create(
        standard=standard, position=0, question="可以委托他人办理吗？", answer="可以，须提交授权委托书。"
    )
    steps = [
        ManualStep.objects.create(
            standard=standard,
            position=position,
            business_kind="new",
            step=step,
            responsible_post=post,
            step_limit=days,
            step_limit_unit="working_day",
            counted_in_limit=True,
        )
        for position, (step, post, days) in enumerate(
            [("accept", "窗口受理岗", 2), ("review", "审查岗", 5), ("decide", "分管领导", 3)]
        )
    ]
    ReviewPoint.objects.create(
        standard=standard,
        position=0,
        step=steps[1],
        point="申请人主体资格",
        standard_text="营业执照在有效期内",
        method="documents",
    )
    SupervisionCheck.objects.create(
        standard=standard, position=0, item="按时办结", criterion="在承诺时限内办结", score=20
    )
    standard.refresh_from_db()
    return standard


def charge(standard: ItemStandard) -> None:
    """Make a standard charged, with basis and a fee item, as rule C05 expects."""
    guide = standard.guide
    guide.is_charged, guide.fee_basis, guide.pay_online = True, "《广东省行政事业性收费项目目录》", True
    guide.save()
    FeeItem.objects.create(
        standard=standard, position=0, name="证书工本费", standard_text="10元/证", basis="粤价〔2016〕1号"
    )
