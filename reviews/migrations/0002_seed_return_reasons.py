"""The return-reason catalogue of domain.md 6.4: F 形式审查, C 合规性审查, L 合法性审查. Editable in the admin
afterwards; seeding again never overwrites an edited wording."""

from django.db import migrations

REASONS = [
    ("F01", "F", "缺少办事指南或业务手册"),
    ("F02", "F", "必备要素缺失或为空（请注明缺少的要素）"),
    ("F03", "F", "缺少办理流程图（窗口、网上或内部流程图）或监督检查量化表"),
    ("C01", "C", "事项名称与通用目录（保留目录）不一致"),
    ("C02", "C", "法律依据未具体到条、款、项，或缺少条款内容"),
    ("C03", "C", "承诺时限超过法定时限，或环节时限之和超过承诺时限"),
    ("C04", "C", "办件类型、审查类型与“即办”不一致"),
    ("C05", "C", "收费事项缺少收费依据或收费项目，或网上支付设置错误"),
    ("C06", "C", "联系方式无效（电话无区号、咨询与投诉电话相同）或办理地点不具体"),
    ("C07", "C", "申请材料信息不完整（来源、形式、份数、必要性）或材料名称笼统"),
    ("C08", "C", "申请条件表述笼统或含兜底条款"),
    ("L01", "L", "所引法律法规已废止、已修改或尚未施行"),
    ("L02", "L", "增设了法律依据以外的条件或材料"),
    ("L03", "L", "实施主体无法定权限，或下放、委托缺少依据"),
    ("L04", "L", "事项未由相应层级的法律、法规或规章设定"),
    ("L05", "L", "办理程序或时限不符合《中华人民共和国行政许可法》规定"),
]


def seed(apps, schema_editor):
    ReturnReason = apps.get_model("reviews", "ReturnReason")
    for order, (code, category, text) in enumerate(REASONS, start=1):
        ReturnReason.objects.get_or_create(code=code, defaults={"category": category, "text": text, "order": order * 10})


def unseed(apps, schema_editor):
    ReturnReason = apps.get_model("reviews", "ReturnReason")
    ReturnReason.objects.filter(code__in=[code for code, _c, _t in REASONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
