"""合规性审查, wording rules (domain.md 6.2 B): C02 citations to the article, C06 contacts and address,
C07 materials, C08 vague or catch-all conditions."""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from standards.models import LawRank, MaterialForm, MaterialType

from .contacts import Phone, parse_phones, same_line
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
# A place the applicant can walk up to: a window (窗口、3号窗、综合窗), a counter, a service desk, or a room (301室,
# 205房, 房间). 办公室 alone is usually part of a body's name (无线电管理办公室), so it counts only with a number.
CONCRETE_PLACE = re.compile(r"窗|柜台|服务台|受理台|号台|(?<!办公)室|\d+\s*办公室|[\dA-Za-z]\s*房|房间|房号")


def concrete_place(address: str) -> bool:
    """Whether an address is down to a window, counter, desk or room."""
    return bool(CONCRETE_PLACE.search(address or ""))


def _phones(ctx: CheckContext, attr: str, label: str) -> Iterator[Issue]:
    text = getattr(ctx.guide, attr)
    if blank(text):
        return  # F02's business
    phones = parse_phones(text)
    path = f"guide.{attr}"
    if not phones:
        yield error(
            path,
            _("%(label)s“%(text)s”中没有电话号码。请填写带区号的电话号码，如 0763-3362000、12345。")
            % {"label": label, "text": text.strip()},
        )
    for phone in phones:
        if phone.problem == "mobile":
            yield warning(
                path,
                _("%(label)s“%(number)s”是手机号码。对外公布的%(label)s宜使用带区号的办公固定电话，如 0763-3362000。")
                % {"label": label, "number": phone.text},
            )
        elif phone.problem == "no_area_code":
            yield error(
                path,
                _("%(label)s“%(number)s”不是带区号的电话号码。请写成“区号-号码”，如 0763-3362000、0763-12345。")
                % {"label": label, "number": phone.text},
            )
        elif phone.problem:
            yield error(
                path,
                _(
                    "%(label)s“%(number)s”不是完整的电话号码。请写成“区号-号码”（如 0763-3362000）、"
                    "公共服务热线（如 12345）或手机号码。"
                )
                % {"label": label, "number": phone.text},
            )


def _shared_line(consult_text: str, complain_text: str) -> tuple[Phone, Phone] | None:
    consult = parse_phones(consult_text)
    for complain in parse_phones(complain_text):
        for number in consult:
            if same_line(number, complain):
                return number, complain
    return None


@rule("C06", gettext_lazy("联系方式无效或办理地点不具体"))
def contacts(ctx: CheckContext) -> Iterator[Issue]:
    guide = ctx.guide
    yield from _phones(ctx, "consult_phone", _("咨询电话"))
    yield from _phones(ctx, "complain_phone", _("投诉电话"))
    shared = _shared_line(guide.consult_phone, guide.complain_phone)
    if shared:
        consult, complain = shared
        if consult.extension != complain.extension:
            message = _(
                "投诉电话“%(complain)s”与咨询电话“%(consult)s”是同一号码，只是分机或按键选项不同。"
                "监督投诉电话须由监督部门受理，不得与咨询电话相同，请填写监督投诉电话（如当地 12345 热线）。"
            ) % {"complain": complain.text, "consult": consult.text}
        else:
            message = _(
                "投诉电话与咨询电话相同。监督投诉电话须由监督部门受理，不得与咨询电话相同，"
                "请填写监督投诉电话（如当地 12345 热线）。"
            )
        yield error("guide.complain_phone", message)
    if not blank(guide.office_hours) and "工作日" not in guide.office_hours:
        yield error(
            "guide.office_hours",
            _("办理时间未写明“工作日”。请写成如“工作日上午9:00-12:00，下午14:00-17:30（法定节假日除外）”。"),
        )
    if not blank(guide.address) and not concrete_place(guide.address):
        yield error(
            "guide.address",
            _("办理地点“%(address)s”未具体到窗口或房间。请补充窗口号或房间号，如“政务服务中心二楼12号窗口”。")
            % {"address": guide.address.strip()},
        )


# ---------------------------------------------------------------------------------------------------------- C07
VAGUE_MATERIAL_NAMES = {"其他材料", "其它材料", "相关材料", "有关材料", "相关证明材料", "其他相关材料", "其他证明材料"}
_VAGUE_MATERIAL = re.compile(r"^(?:其他|其它|相关|有关)+(?:相关|有关)?(?:证明)?(?:材料|文件|资料)$")
# 其他/其它 followed by a catch-all: only words that say nothing about the document (“其他需要提交的材料”“审批机关
# 要求提供的其他相关证明资料”), or no document at all (“其它资金来源落实情况材料”). 其他 followed by a named document
# is specific (“其他股东的身份证明材料”“其他出资人的营业执照”).
_OTHER = re.compile(r"其[他它]([^，,、；;。（(）)]{0,20}?)(?:材料|资料|文件|证件)")
_DOCUMENT_NOUNS = re.compile(
    r"身份证|证明(?!材料|资料|文件)|证书|执照|许可证|报告|协议|合同|决定|批复|意见|图|表|申请书|承诺书|函|清单|方案|章程|凭证|发票|记录"
)
_VAGUE_PHRASES = (
    re.compile(r"(?:相关|有关)(?:证明)?(?:材料|资料|文件)"),
    re.compile(r"等(?:相关|有关)?(?:证明)?(?:材料|资料|文件|证件|证明)"),
)
_TRAILING = re.compile(r"[\s。.;；,，、]+$")
_PAPER = (MaterialForm.PAPER, MaterialForm.BOTH)


def vague_material_name(name: str) -> bool:
    """Whether a material's name leaves open which document is meant: 其他材料, 相关证明资料, 其它…材料 with nothing
    specific in between, 身份证、户口簿等材料, or a name ending in 等."""
    name = _TRAILING.sub("", (name or "").strip())
    if not name:
        return False
    return (
        name in VAGUE_MATERIAL_NAMES
        or bool(_VAGUE_MATERIAL.match(name))
        or any(pattern.search(name) for pattern in _VAGUE_PHRASES)
        or any(not _DOCUMENT_NOUNS.search(match.group(1)) for match in _OTHER.finditer(name))
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
# A catch-all condition: 其他条件 however introduced (法律、法规规定的其他条件),
# 其他有关法律、法规规定的条件 (also inside 具备…和其他有关法律、法规规定的条件), and …规定的其他情形 / 其他要求.
# A sentence that forbids them (不得设定其他条件) is not one.
_LAWS = r"(?:法律|行政法规|地方性法规|法规|规章|国家|国务院|省|有关|相关|、|和|及|或|与)*"
CATCH_ALL = re.compile(
    r"(?<!不得设定)(?<!不得增设)(?<!不得附加)(?<!不得另设)"
    r"(?:"
    rf"其[他它](?:有关|相关)?{_LAWS}规定的(?:其[他它])?(?:条件|情形|要求)"
    rf"|(?:{_LAWS}规定的)?其[他它](?:有关|相关)?条件"
    rf"|{_LAWS}规定的其[他它](?:有关|相关)?(?:情形|要求)"
    r")"
)
VAGUE_CONDITIONS = (
    (re.compile(r"相关规定"), gettext_lazy("相关规定")),
    (
        re.compile(r"符合(?:国家)?(?:相关|有关)[^，,。；;、\n]{0,6}?(?:要求|法律法规|法律、法规|政策)"),
        gettext_lazy("符合相关要求"),
    ),
    (re.compile(r"良好(?:的)?信用|信用良好"), gettext_lazy("良好信用")),
    (re.compile(r"具有?相应(?:的)?经济实力"), gettext_lazy("具有相应经济实力")),
)
_CONDITION_FIELDS = (
    ("guide.acceptance_conditions", gettext_lazy("申请条件")),
    ("manual.approval_conditions", gettext_lazy("审批条件")),
)


# A list announced and never given: “申请人需满足以下全部申请条件：” at the end, or a numbering with nothing after it
# (“1.2. 以下审查内容通过的： 1.2.1.”) — what real exports look like when the list was cut off.
_UNFINISHED = re.compile(r"(?:[：:]|(?:^|\s)(?:\d+[.．、])+\d*)\s*$")


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
        if _UNFINISHED.search(text):
            yield warning(
                path,
                _(
                    "%(field)s以“%(end)s”结尾，列举的条件没有写出来（可能在导入或复制时被截断）。"
                    "请补全各项条件，逐条列明。"
                )
                % {"field": label, "end": text.strip()[-12:]},
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
