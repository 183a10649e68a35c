"""The shape of a case event (national exchange keys, domain.md §8.2), checked field by field before anything is
applied: a malformed value is that event's error, never a server error."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases.models import ApplicantKind, Decision, StepKind
from standards.models import CaseType, InternalStep

CODE = re.compile(r"^[0-9A-Z][0-9A-Z\-]{0,63}$")
NUMBER = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._\-]*$")
MAX_OFFSET = dt.timedelta(hours=15, minutes=59)
EARLIEST_YEAR, LATEST_YEAR = 2000, 2099
FUTURE_TOLERANCE = dt.timedelta(days=1)
MAX_STEPS = 200


@cache
def _step_names() -> dict[str, str]:
    """Step kinds by code or by Chinese name, the manual's step names and the words other systems use for them."""
    names: dict[str, str] = {}
    with translation.override("zh-hans"):
        for value, label in StepKind.choices:
            names[value] = value
            names[str(label)] = value
        for value, label in InternalStep.choices:
            names.setdefault(str(label), value)
    names.update({"申请": StepKind.RECEIVE, "审核": StepKind.REVIEW, "审批": StepKind.DECIDE, "发证": StepKind.CERTIFY})
    return names


@extend_schema_field(
    {
        "type": "string",
        "example": "2026-09-30 09:30:00",
        "description": "ISO 8601（可带时区，如 2026-09-30T09:30:00+08:00）或 yyyy-MM-dd HH:mm:ss（北京时间）",
    }
)
class MomentField(serializers.Field):
    """A moment as other systems write it: ISO 8601 with or without an offset, or ``yyyy-MM-dd HH:mm:ss``; without
    an offset it is Beijing time. Offsets beyond ±15:59 (which a database cannot store), years outside 2000–2099 and
    moments more than a day ahead are refused."""

    default_error_messages = {
        "invalid": _("时间格式应为 yyyy-MM-dd HH:mm:ss 或 ISO 8601"),
        "offset": _("时区偏移不能超过 ±15:59"),
        "range": _("时间须在 2000 年至 2099 年之间"),
        "future": _("时间不能晚于当前时间"),
    }

    def to_internal_value(self, data) -> dt.datetime:
        if not isinstance(data, str) or not 10 <= len(data) <= 40:
            self.fail("invalid")
        try:
            moment = dt.datetime.fromisoformat(data.strip())
        except ValueError:
            self.fail("invalid")
        if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
            self.fail("range")
        if moment.tzinfo is None:
            moment = timezone.make_aware(moment)
        else:
            offset = moment.utcoffset()
            if offset is None or abs(offset) > MAX_OFFSET:
                self.fail("offset")
        moment = moment.astimezone(dt.UTC)
        if moment > timezone.now() + FUTURE_TOLERANCE:
            self.fail("future")
        return moment

    def to_representation(self, value) -> str:
        return value.isoformat()


class CodeField(serializers.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 64)
        super().__init__(**kwargs)

    def to_internal_value(self, data) -> str:
        value = super().to_internal_value(data).upper()
        if value and not CODE.match(value):
            raise serializers.ValidationError(_("编码只能由数字、大写字母和“-”组成"))
        return value


class NumberField(serializers.CharField):
    def to_internal_value(self, data) -> str:
        value = super().to_internal_value(data)
        if not NUMBER.match(value):
            raise serializers.ValidationError(_("只能由字母、数字、“.”“_”“-”组成，且以字母或数字开头"))
        return value


class CaseEventStepSerializer(serializers.Serializer):
    stepNo = serializers.IntegerField(min_value=1, max_value=99999, help_text=_("环节序号，同一办件内唯一"))
    stepName = serializers.CharField(
        max_length=40,
        help_text=_("环节：代码（如 accept、review、decide、finish）或中文名称（受理、审查、决定、办结…）"),
    )
    actorName = serializers.CharField(max_length=100, required=False, allow_blank=True, help_text=_("办理人姓名"))
    opinion = serializers.CharField(max_length=4000, required=False, allow_blank=True, help_text=_("办理意见"))
    time = MomentField(help_text=_("办理时刻"))

    def validate_stepName(self, value: str) -> str:
        kind = _step_names().get(value.strip())
        if kind is None:
            raise serializers.ValidationError(_("无法识别的环节“%(name)s”") % {"name": value})
        return value.strip()

    def validate(self, attrs):
        attrs["kind"] = _step_names()[attrs["stepName"]]
        return attrs


class CaseEventSerializer(serializers.Serializer):
    """One case event. Keys follow the national exchange (taskCode, taskHandleItem, projectNo, proStatus,
    projectType, userProp, acceptDate, resultDate)."""

    eventNo = NumberField(max_length=40, help_text=_("事件编号：同一系统、同一办件内唯一，重发同一事件不会重复处理"))
    projectNo = NumberField(max_length=48, help_text=_("办件编号（来源系统的）"))
    taskCode = CodeField(help_text=_("实施编码（31 位；也可为 33 位的业务办理项编码）"))
    taskHandleItem = CodeField(required=False, allow_blank=True, help_text=_("业务办理项编码（33 位）"))
    proStatus = serializers.ChoiceField(
        choices=[("1", "待受理"), ("2", "已受理"), ("3", "已办结")],
        help_text=_("办件状态：1 待受理、2 已受理、3 已办结"),
    )
    projectType = serializers.ChoiceField(
        choices=CaseType.choices, required=False, help_text=_("办件类型：1 即办件、2 承诺件")
    )
    userProp = serializers.ChoiceField(
        choices=ApplicantKind.choices, required=False, help_text=_("申请人类型：1 自然人、2 企业法人…9 其他组织")
    )
    applyName = serializers.CharField(max_length=200, required=False, help_text=_("申请人名称（新办件必填）"))
    applyCardNumber = serializers.CharField(
        max_length=32, required=False, allow_blank=True, help_text=_("申请人证件号码（身份证号码或统一社会信用代码）")
    )
    contactMobile = serializers.RegexField(
        r"^[0-9+\- ]{3,20}$",
        max_length=20,
        required=False,
        allow_blank=True,
        help_text=_("联系电话（申请人凭办件编号和电话后四位查询进度）"),
        error_messages={"invalid": _("联系电话只能由数字、“+”“-”和空格组成")},
    )
    applyDate = MomentField(required=False, help_text=_("收件时间"))
    acceptDate = MomentField(required=False, help_text=_("受理时间（已受理、已办结的必填）"))
    promiseDays = serializers.IntegerField(
        min_value=0, max_value=3650, required=False, help_text=_("承诺时限（工作日）")
    )
    resultDate = MomentField(required=False, help_text=_("办结时间（已办结的必填）"))
    result = serializers.ChoiceField(
        choices=Decision.choices, required=False, help_text=_("办理结果：grant 准予、deny 不予")
    )
    resultReason = serializers.CharField(
        max_length=4000, required=False, allow_blank=True, help_text=_("不予许可的理由")
    )
    steps = CaseEventStepSerializer(many=True, required=False, max_length=MAX_STEPS, help_text=_("新增的办理环节记录"))

    def validate_steps(self, steps: list[dict]) -> list[dict]:
        numbers = [step["stepNo"] for step in steps]
        if len(numbers) != len(set(numbers)):
            raise serializers.ValidationError(_("同一事件中的环节序号不能重复"))
        return steps


class EventErrorSerializer(serializers.Serializer):
    field = serializers.CharField(help_text=_("出错的字段，如 acceptDate、steps[0].time；空为整个事件"))
    message = serializers.CharField(help_text=_("错误说明"))


class EventResultSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text=_("事件在请求中的序号（从 0 起）"))
    eventNo = serializers.CharField(help_text=_("事件编号"))
    projectNo = serializers.CharField(help_text=_("办件编号（来源系统的）"))
    status = serializers.ChoiceField(
        choices=[("applied", "已处理"), ("duplicate", "重复（此前已处理，本次未作改动）"), ("error", "有错误，未处理")],
        help_text=_("applied 已处理；duplicate 此前已处理过，本次未作任何改动；error 有错误，该事件未作任何改动"),
    )
    case = serializers.CharField(allow_null=True, help_text=_("本系统的办件编号（EX<系统号>-<办件编号>）"))
    errors = EventErrorSerializer(many=True)


class EventBatchResultSerializer(serializers.Serializer):
    applied = serializers.IntegerField(help_text=_("已处理的事件数"))
    duplicates = serializers.IntegerField(help_text=_("重复的事件数"))
    failed = serializers.IntegerField(help_text=_("有错误的事件数"))
    results = EventResultSerializer(many=True)


def validate_each(payloads: list[dict]) -> list[tuple[dict | None, dict | list | None]]:
    """Each payload's validated event, or its errors (as ``serializer.errors`` has them), in order. One serializer
    checks them all, as a ``many=True`` one does with its child: building a serializer copies its fields, which
    would cost more than checking an event, but unlike ``many=True`` a bad event does not withhold the good ones."""
    checker = CaseEventSerializer()
    checked: list[tuple[dict | None, dict | list | None]] = []
    for payload in payloads:
        try:
            checked.append((checker.run_validation(payload), None))
        except serializers.ValidationError as exc:
            checked.append((None, exc.detail))
    return checked
