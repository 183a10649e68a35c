"""The seeded wording of the return-reason catalogue (domain.md 6.4), so that the English catalogue can translate it.

Reasons are rows: the admin may reword them or add more. A reason whose text is still its seeded wording reads in
the reader's language (``ReturnReason.label``); a reworded or added one reads as it was written.
``reviews/migrations/0002_seed_return_reasons.py`` seeds the same texts (a test keeps the two equal).
"""

from django.utils.translation import gettext_noop

SEEDED_TEXTS = (
    gettext_noop("缺少办事指南或业务手册"),
    gettext_noop("必备要素缺失或为空（请注明缺少的要素）"),
    gettext_noop("缺少办理流程图（窗口、网上或内部流程图）或监督检查量化表"),
    gettext_noop("事项名称与通用目录（保留目录）不一致"),
    gettext_noop("法律依据未具体到条、款、项，或缺少条款内容"),
    gettext_noop("承诺时限超过法定时限，或环节时限之和超过承诺时限"),
    gettext_noop("办件类型、审查类型与“即办”不一致"),
    gettext_noop("收费事项缺少收费依据或收费项目，或网上支付设置错误"),
    gettext_noop("联系方式无效（电话无区号、咨询与投诉电话相同）或办理地点不具体"),
    gettext_noop("申请材料信息不完整（来源、形式、份数、必要性）或材料名称笼统"),
    gettext_noop("申请条件表述笼统或含兜底条款"),
    gettext_noop("所引法律法规已废止、已修改或尚未施行"),
    gettext_noop("增设了法律依据以外的条件或材料"),
    gettext_noop("实施主体无法定权限，或下放、委托缺少依据"),
    gettext_noop("事项未由相应层级的法律、法规或规章设定"),
    gettext_noop("办理程序或时限不符合《中华人民共和国行政许可法》规定"),
)
