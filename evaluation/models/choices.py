"""The vocabularies of 好差评 (国办发〔2019〕51号; GB/T 39734-2020): grades, channels, indicator kinds, and the stages
of a bad grade's rectification."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Grade(models.IntegerChoices):
    VERY_SATISFIED = 5, _("非常满意")
    SATISFIED = 4, _("满意")
    BASIC = 3, _("基本满意")
    DISSATISFIED = 2, _("不满意")
    VERY_DISSATISFIED = 1, _("非常不满意")


# 差评: 不满意 and 非常不满意 open a rectification; 满意 and better count as satisfied.
BAD_GRADE_MAX = Grade.DISSATISFIED
SATISFIED_MIN = Grade.SATISFIED


class Channel(models.TextChoices):
    WINDOW = "window", _("窗口")
    ONLINE = "online", _("网上")
    QR = "qr", _("二维码")
    SMS = "sms", _("短信")
    HOTLINE = "12345", _("12345")
    KIOSK = "kiosk", _("自助终端")


class Target(models.TextChoices):
    """What is evaluated: one visit to a window (一次一评) or one case (一事一评)."""

    VISIT = "visit", _("一次一评（现场）")
    CASE = "case", _("一事一评（办件）")


class IndicatorKind(models.TextChoices):
    ONLINE = "online", _("网上服务")
    COUNTER = "counter", _("现场服务")


class ComplaintCategory(models.TextChoices):
    """What a bad grade is about, chosen by the applicant; 办事指南不准确 opens a revision of the item's standard."""

    GUIDE = "guide", _("办事指南不准确")
    EFFICIENCY = "efficiency", _("办理时间长")
    ATTITUDE = "attitude", _("服务态度差")
    MATERIALS = "materials", _("材料要求多")
    OTHER = "other", _("其他")


class Stage(models.TextChoices):
    VERIFY = "verify", _("核实")
    RECTIFY = "rectify", _("整改")
    REPLY = "reply", _("回复申请人")
    FOLLOW_UP = "follow_up", _("回访")
    CLOSED = "closed", _("已办结")
    VOID = "void", _("申诉成立，不再整改")


# The stages worked in order, each with its own due date.
WORK_STAGES = (Stage.VERIFY, Stage.RECTIFY, Stage.REPLY, Stage.FOLLOW_UP)
OPEN_STAGES = WORK_STAGES


class AppealReason(models.TextChoices):
    MISTAKEN = "mistaken", _("误评")
    MALICIOUS = "malicious", _("恶意差评")


class AppealState(models.TextChoices):
    PENDING = "pending", _("待审核")
    UPHELD = "upheld", _("申诉成立")
    REJECTED = "rejected", _("申诉不成立")
