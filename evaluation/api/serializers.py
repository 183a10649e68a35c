"""The evaluation API's row: the national 好差评 exchange shape (``evaluation.exchange``, where the key names and
their origin are written down), read-only."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from evaluation.models import Channel, Grade, Stage, Target


class ExchangeEvaluationSerializer(serializers.Serializer):
    evaluationId = serializers.IntegerField(help_text=_("评价编号（本平台）"))
    taskCode = serializers.CharField(allow_null=True, help_text=_("实施编码（国家接口键）"))
    taskName = serializers.CharField(allow_null=True, help_text=_("事项名称"))
    projectNo = serializers.CharField(
        allow_null=True, help_text=_("办件编号（国家接口键）；现场评价未受理为办件时为空")
    )
    deptCode = serializers.CharField(help_text=_("责任单位统一社会信用代码"))
    deptName = serializers.CharField(help_text=_("责任单位名称"))
    areaCode = serializers.CharField(help_text=_("区划代码"))
    evaluateTarget = serializers.ChoiceField(choices=Target.choices, help_text=_("评价对象：一次一评或一事一评"))
    evaluateLevel = serializers.ChoiceField(choices=Grade.choices, help_text=_("评价等级：5 非常满意 … 1 非常不满意"))
    evaluateChannel = serializers.ChoiceField(choices=Channel.choices, help_text=_("评价渠道"))
    indicators = serializers.DictField(child=serializers.IntegerField(), help_text=_("分项评价：指标代码 → 等级"))
    evaluateTime = serializers.DateTimeField(help_text=_("评价时间"))
    windowNo = serializers.CharField(allow_null=True, help_text=_("窗口号"))
    isRealName = serializers.BooleanField(help_text=_("实名评价"))
    excluded = serializers.BooleanField(help_text=_("申诉成立，不计入统计"))
    rectifyState = serializers.ChoiceField(
        choices=[("", _("无整改")), *Stage.choices], allow_blank=True, help_text=_("差评整改阶段")
    )
    rectifyDue = serializers.DateField(allow_null=True, help_text=_("当前整改阶段期限"))
    rectifyClosedAt = serializers.DateTimeField(allow_null=True, help_text=_("整改办结时间"))
    rectifyLate = serializers.BooleanField(allow_null=True, help_text=_("整改曾超期"))
