"""合规性审查, wording rules (domain.md 6.2 B): C02 citations to the article, C06 contacts and address,
C07 materials, C08 vague or catch-all conditions."""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from standards.models import LawRank, MaterialForm, MaterialType

from .context import CheckContext, blank
from .registry import Issue, error, rule, warning

# ---------------------------------------------------------------------------------------------------------- C02
ARTICLE = re.compile(r"第[一二三四五六七八九十百千零〇两0-9０-９]+条")


@rule("C02", gettext_lazy("法律依据未具体到条款项"))
def citations_to_the_article(ctx: CheckContext) -> Iterator[Issue]:
    for i, citation in enumerate(ctx.citations):
        role = citation.get_role_display() or _("法律依据")
        if blank(citation.law_name):
            yield error(
                f"citations[{i}].law_name",
                _("第%(n)d条法律依据（%(role)s）未填写法律法规名称，请填写全称，如《中华人民共和国行政许可法》。")
                % {"n": i + 1, "role": role},
            )
        if blank(citation.article_ref):
            law = citation.law_name or _("第%(n)d条法律依据") % {"n": i + 1}
            yield error(
                f"citations[{i}].article_ref",
                _("%(law)s（%(role)s）未写明条款号，请具体到条、款、项，如“第十二条第（三）项”。")
                % {"law": law, "role": role},
            )
        elif not ARTICLE.search(citation.article_ref):
            yield warning(
                f"citations[{i}].article_ref",
                _(
                    "%(law)s（%(role)s）的条款号“%(article)s”没有写到“第…条”，"
                    "请具体到条、款、项，如“第十二条第（三）项”。"
                )
                % {"law": citation.law_name, "role": role, "article": citation.article_ref},
            )
        if citation.law_rank == LawRank.DEPARTMENT_RULE and blank(citation.doc_number):
            yield warning(
                f"citations[{i}].doc_number",
                _("部门规章%(law)s未填写令号，请在“文号”中填写，如“交通运输部令2019年第1号”。")
                % {"law": citation.law_name},
            )


# ---------------------------------------------------------------------------------------------------------- C06
_FULLWIDTH = str.maketrans("０１２３４５６７８９－（）　", "0123456789-() ")
# A landline: area code 0 + 2–3 digits (optionally in brackets), optional hyphen or space, 5–8 digits (12345 and
# other short hotlines included), optional extension.
LANDLINE = re.compile(r"^(?:\(0\d{2,3}\)|0\d{2,3})[- ]?\d{5,8}(?:(?:转|-|ext\.?)\d{1,6})?$", re.IGNORECASE)
MOBILE = re.compile(r"^1[3-9]\d{9}$")
_SPLIT = re.compile(r"[、,，;；/|]|\s{2,}|或")
WINDOW_WORDS = ("窗口", "室", "号台", "房")


def phone_numbers(text: str) -> list[str]:
    """The numbers written in a phone field, normalised (full-width digits, dashes and brackets)."""
    text = (text or "").translate(_FULLWIDTH).replace("—", "-").replace("–", "-")
    return [part.strip() for part in _SPLIT.split(text) if part.strip()]


def _digits(number: str) -> str:
    return re.sub(r"\D", "", number.split("转")[0])


def _phones(ctx: CheckContext, attr: str, label: str) -> Iterator[Issue]:
    for number in phone_numbers(getattr(ctx.guide, attr)):
        if LANDLINE.match(number):
            continue
        if MOBILE.match(number.replace("-", "").replace(" ", "")):
            yield warning(
                f"guide.{attr}",
                _("%(label)s“%(number)s”是手机号码。对外公布的%(label)s宜使用带区号的办公固定电话，如 0763-3362000。")
                % {"label": label, "number": number},
            )
        else:
            yield error(
                f"guide.{attr}",
                _("%(label)s“%(number)s”不是带区号的电话号码。请写成“区号-号码”，如 0763-3362000、0763-12345。")
                % {"label": label, "number": number},
            )


@rule("C06", gettext_lazy("联系方式无效或办理地点不具体"))
def contacts(ctx: CheckContext) -> Iterator[Issue]:
    guide = ctx.guide
    yield from _phones(ctx, "consult_phone", _("咨询电话"))
    yield from _phones(ctx, "complain_phone", _("投诉电话"))
    consult = {_digits(n) for n in phone_numbers(guide.consult_phone)} - {""}
    complain = {_digits(n) for n in phone_numbers(guide.complain_phone)} - {""}
    same = consult & complain
    if same:
        yield error(
            "guide.complain_phone",
            _(
                "投诉电话与咨询电话相同。监督投诉电话须由监督部门受理，不得与咨询电话相同，"
                "请填写监督投诉电话（如当地 12345 热线）。"
            ),
        )
    if not blank(guide.office_hours) and "工作日" not in guide.office_hours:
        yield error(
            "guide.office_hours",
            _("办理时间未写明“工作日”。请写成如“工作日上午9:00-12:00，下午14:00-17:30（法定节假日除外）”。"),
        )
    if not blank(guide.address) and not any(word in guide.address for word in WINDOW_WORDS):
        yield error(
            "guide.address",
            _("办理地点“%(address)s”未具体到窗口或房间。请补充窗口号或房间号，如“政务服务中心二楼12号窗口”。")
            % {"address": guide.address.strip()},
        )


# ---------------------------------------------------------------------------------------------------------- C07
VAGUE_MATERIAL_NAMES = {"其他材料", "其它材料", "相关材料", "有关材料", "相关证明材料", "其他相关材料", "其他证明材料"}
_VAGUE_MATERIAL = re.compile(r"^(?:其他|其它|相关|有关)+(?:相关|有关)?(?:证明)?(?:材料|文件|资料)$")
_TRAILING = re.compile(r"[\s。.;；,，、]+$")
_PAPER = (MaterialForm.PAPER, MaterialForm.BOTH)


def vague_material_name(name: str) -> bool:
    name = _TRAILING.sub("", (name or "").strip())
    if not name:
        return False
    return (
        name in VAGUE_MATERIAL_NAMES
        or bool(_VAGUE_MATERIAL.match(name))
        or "等材料" in name
        or "等相关材料" in name
        or name.endswith("等")
    )


_MATERIAL_FIELDS = (
    ("material_type", gettext_lazy("材料类型（原件、复印件等）")),
    ("material_form", gettext_lazy("材料形式（纸质、电子）")),
    ("source_channel", gettext_lazy("来源渠道")),
    ("necessity", gettext_lazy("必要性")),
)


def _copies(material, i: int, label: str) -> Iterator[Issue]:
    originals, copies = material.original_count, material.copy_count
    if originals is None and copies is None:
        yield error(
            f"materials[{i}].original_count",
            _("%(material)s未填写原件份数和复印件份数，请填写份数（不需要的填0）。") % {"material": label},
        )
        return
    if material.material_form not in _PAPER:
        return
    originals, copies = originals or 0, copies or 0
    if originals == 0 and copies == 0:
        yield error(
            f"materials[{i}].original_count",
            _("%(material)s为纸质材料，但原件和复印件份数均为0，请填写份数。") % {"material": label},
        )
        return
    needs = {
        MaterialType.ORIGINAL: (originals > 0, "original_count", _("原件"), _("原件份数")),
        MaterialType.COPY: (copies > 0, "copy_count", _("复印件"), _("复印件份数")),
        MaterialType.BOTH: (originals > 0 and copies > 0, "original_count", _("原件和复印件"), _("原件和复印件份数")),
    }.get(material.material_type)
    if needs and not needs[0]:
        attr, kind, counts = needs[1:]
        yield warning(
            f"materials[{i}].{attr}",
            _("%(material)s的材料类型为%(kind)s，但%(counts)s为0，请核对材料类型或份数。")
            % {"material": label, "kind": kind, "counts": counts},
        )


@rule("C07", gettext_lazy("申请材料信息不完整或名称笼统"))
def materials(ctx: CheckContext) -> Iterator[Issue]:
    for i, material in enumerate(ctx.materials):
        label = (
            _("申请材料第%(n)d项“%(name)s”") % {"n": i + 1, "name": material.name.strip()}
            if not blank(material.name)
            else _("申请材料第%(n)d项") % {"n": i + 1}
        )
        if blank(material.name):
            yield error(
                f"materials[{i}].name", _("%(material)s未填写材料名称，请填写具体的材料名称。") % {"material": label}
            )
        elif vague_material_name(material.name):
            yield error(
                f"materials[{i}].name",
                _("%(material)s名称笼统。不得使用“其他材料”“相关材料”“……等材料”等表述，请逐项列明具体材料的名称。")
                % {"material": label},
            )
        for attr, what in _MATERIAL_FIELDS:
            if blank(getattr(material, attr)):
                yield error(
                    f"materials[{i}].{attr}",
                    _("%(material)s未选择%(field)s，请补全。") % {"material": label, "field": what},
                )
        yield from _copies(material, i, label)


# ---------------------------------------------------------------------------------------------------------- C08
CATCH_ALL = re.compile(
    r"(?<!不得设定)(?<!不得增设)(?<!不得附加)(?<!不得另设)"
    r"(?:(?:法律|行政法规|法规|规章|、|和|及|或)*规定的)?其[他它]条件"
)
VAGUE_CONDITIONS = (
    (re.compile(r"相关规定"), gettext_lazy("相关规定")),
    (re.compile(r"良好(?:的)?信用|信用良好"), gettext_lazy("良好信用")),
    (re.compile(r"具有?相应(?:的)?经济实力"), gettext_lazy("具有相应经济实力")),
)
_CONDITION_FIELDS = (
    ("guide.acceptance_conditions", gettext_lazy("申请条件")),
    ("manual.approval_conditions", gettext_lazy("审批条件")),
)


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


@rule("C08", gettext_lazy("条件表述含兜底条款或笼统表述"))
def vague_conditions(ctx: CheckContext) -> Iterator[Issue]:
    for path, label in _CONDITION_FIELDS:
        holder, attr = path.split(".")
        text = getattr(getattr(ctx, holder), attr) or ""
        lines = text.count("\n") > 0
        for match in CATCH_ALL.finditer(text):
            where = _("第%(n)d行") % {"n": _line_of(text, match.start())} if lines else ""
            yield error(
                path,
                _(
                    "%(field)s%(where)s含兜底表述“%(phrase)s”。不得使用“法律、法规规定的其他条件”等兜底条款，"
                    "请删除，并把法律法规规定的条件逐条列明。"
                )
                % {"field": label, "where": where, "phrase": match.group()},
            )
        for pattern, phrase in VAGUE_CONDITIONS:
            for match in pattern.finditer(text):
                where = _("第%(n)d行") % {"n": _line_of(text, match.start())} if lines else ""
                yield warning(
                    path,
                    _(
                        "%(field)s%(where)s含笼统表述“%(phrase)s”（%(kind)s），申请人无法据此判断是否符合。"
                        "请写明具体的规定名称和条款，或可衡量的标准。"
                    )
                    % {"field": label, "where": where, "phrase": match.group(), "kind": phrase},
                )
