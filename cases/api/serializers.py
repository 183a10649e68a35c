"""What the case API shows. The applicant's ID number and phone are always masked here (``cases.masking``): the API
feeds other programs, and the whole values are for the staff handling the case, on its page, with an audit record."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cases.masking import mask_id_number, mask_phone
from cases.models import (
    AlertLevel,
    AlertRule,
    ApplicantKind,
    Case,
    CaseSource,
    CaseStatus,
    CaseStep,
    Decision,
    StepKind,
)
from core.api.fields import LabelField


class MaskedIdField(serializers.CharField):
    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value) -> str:
        return mask_id_number(value)


class MaskedPhoneField(MaskedIdField):
    def to_representation(self, value) -> str:
        return mask_phone(value)


class CaseSerializer(serializers.ModelSerializer):
    item_code = serializers.CharField(source="local_item.code", read_only=True, help_text=_("实施编码"))
    item_name = serializers.CharField(source="local_item.name", read_only=True, help_text=_("事项名称"))
    organization = serializers.CharField(source="organization.name", read_only=True, help_text=_("实施主体"))
    organization_uscc = serializers.CharField(
        source="organization.uscc", read_only=True, help_text=_("实施主体统一社会信用代码")
    )
    division = serializers.CharField(source="division_id", read_only=True, help_text=_("实施区划代码"))
    source_label = LabelField(CaseSource.choices, source="source", help_text=_("来源"))
    external_system = serializers.CharField(
        source="external_system.name", read_only=True, allow_null=True, default=None, help_text=_("来源系统")
    )
    status_label = LabelField(CaseStatus.choices, source="status", help_text=_("状态"))
    applicant_kind_label = LabelField(ApplicantKind.choices, source="applicant_kind", help_text=_("申请人类型"))
    applicant_id_number = MaskedIdField(help_text=_("证件号码（脱敏）"))
    applicant_phone = MaskedPhoneField(help_text=_("联系电话（脱敏）"))
    alert_level_label = LabelField(AlertLevel.choices, source="alert_level", help_text=_("监察状态"))
    decision_label = LabelField(Decision.choices, source="decision", help_text=_("审批决定"))

    class Meta:
        model = Case
        fields = [
            "number",
            "item_code",
            "item_name",
            "handling_item_code",
            "organization",
            "organization_uscc",
            "division",
            "source",
            "source_label",
            "external_system",
            "status",
            "status_label",
            "is_immediate",
            "applicant_kind",
            "applicant_kind_label",
            "applicant_name",
            "applicant_id_number",
            "applicant_phone",
            "received_at",
            "accepted_at",
            "accepted_on",
            "legal_limit",
            "promised_limit",
            "extension_days",
            "suspended_days",
            "legal_due",
            "promised_due",
            "current_step",
            "current_step_due",
            "decision",
            "decision_label",
            "decided_at",
            "finished_at",
            "finished_on",
            "alert_level",
            "alert_level_label",
            "updated_at",
        ]
        read_only_fields = fields


class CaseStepSerializer(serializers.ModelSerializer):
    kind_label = LabelField(StepKind.choices, source="kind", help_text=_("环节名称"))

    class Meta:
        model = CaseStep
        fields = ["seq", "kind", "kind_label", "post", "actor_name", "opinion", "at", "started_on", "due_on"]
        read_only_fields = fields


class CaseMaterialSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True, help_text=_("材料名称"))
    required = serializers.BooleanField(read_only=True, help_text=_("必要"))
    received = serializers.BooleanField(read_only=True, help_text=_("已收取"))
    received_on = serializers.DateField(read_only=True, allow_null=True, help_text=_("收取日期"))
    missing_at_acceptance = serializers.BooleanField(read_only=True, help_text=_("列入补正通知书"))


class CaseAlertSerializer(serializers.Serializer):
    rule = serializers.CharField(read_only=True, help_text=_("规则"))
    rule_label = LabelField(AlertRule.choices, source="rule", help_text=_("规则名称"))
    level = serializers.CharField(read_only=True, help_text=_("等级"))
    raised_at = serializers.DateTimeField(read_only=True, help_text=_("发出时间"))
    cleared_at = serializers.DateTimeField(read_only=True, allow_null=True, help_text=_("解除时间"))


class CaseDetailSerializer(CaseSerializer):
    steps = CaseStepSerializer(many=True, read_only=True, help_text=_("办理记录，按办理顺序"))
    materials = CaseMaterialSerializer(many=True, read_only=True, help_text=_("材料清单"))
    alerts = CaseAlertSerializer(many=True, read_only=True, help_text=_("监察预警"))

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "decision_reason", "refusal_reason", "steps", "materials", "alerts"]
        read_only_fields = fields
