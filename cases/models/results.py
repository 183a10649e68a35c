"""Published results (结果公开): a licensing decision made public on the portal.

行政许可法 第四十条: "行政机关作出的准予行政许可决定，应当予以公开，公众有权查阅". A ``PublishedResult`` is a copy taken
from the case at publication — item, department, decision and date, legal basis, decision document number and the
applicant as the rules allow — so a later edit of the case, the item or the standard never changes silently what
the public was shown. A result is never deleted: a supervisor withdraws it (撤回) with a reason, which hides it from
the public and keeps the record and who did it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .case import Case
from .choices import ApplicantKind, Decision


class PublishedResultQuerySet(models.QuerySet):
    def public(self) -> PublishedResultQuerySet:
        """What anyone may read: results not withdrawn."""
        return self.filter(withdrawn_at__isnull=True)


class PublishedResult(models.Model):
    case = models.OneToOneField(Case, verbose_name=_("办件"), on_delete=models.PROTECT, related_name="published_result")
    # Kept as keys for the filters (department, division); the names shown are the snapshot's.
    local_item = models.ForeignKey(
        "catalogue.LocalItem", verbose_name=_("事项"), on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        "catalogue.Organization", verbose_name=_("实施主体"), on_delete=models.PROTECT, related_name="+"
    )
    division = models.ForeignKey(
        "catalogue.Division", verbose_name=_("实施区划"), on_delete=models.PROTECT, related_name="+"
    )
    item_name = models.CharField(_("事项名称"), max_length=200)
    item_code = models.CharField(_("实施编码"), max_length=64, db_index=True)
    department_name = models.CharField(_("实施主体"), max_length=200)
    division_name = models.CharField(_("实施区划"), max_length=100)
    decision = models.CharField(_("审批决定"), max_length=5, choices=Decision.choices)
    decided_on = models.DateField(_("决定日期"), db_index=True)
    document_number = models.CharField(_("决定文书编号"), max_length=80, blank=True)
    basis = models.JSONField(
        _("法律依据"), default=list, blank=True, help_text=_("公开时的设定依据和实施依据：法规名称、文号、条款")
    )
    applicant_kind = models.CharField(_("申请人类型"), max_length=1, choices=ApplicantKind.choices)
    applicant_display = models.CharField(
        _("申请人（公开）"), max_length=200, help_text=_("组织为全称；自然人仅保留姓氏")
    )
    applicant_credit_code = models.CharField(
        _("统一社会信用代码"), max_length=32, blank=True, help_text=_("仅组织申请人公开；自然人不公开证件号码")
    )
    due_on = models.DateField(_("公开期限"), help_text=_("决定之日起规定工作日内公开"))
    published_at = models.DateTimeField(_("公开时间"), db_index=True)
    published_late = models.BooleanField(
        _("逾期公开"), default=False, help_text=_("公开之日已过公开期限"), db_index=True
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("公开人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("由定时任务公开的为空"),
    )
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撤回人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawal_reason = models.TextField(_("撤回理由"), blank=True)

    objects = PublishedResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("许可结果公开")
        verbose_name_plural = _("许可结果公开")
        ordering = ["-decided_on", "-pk"]
        indexes = [
            models.Index(fields=["organization", "decided_on"], name="result_org_decided"),
            models.Index(fields=["division", "decided_on"], name="result_division_decided"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | ~Q(withdrawal_reason=""), name="result_withdrawal_reason"
            ),
            # A person's number is never copied into what is published.
            models.CheckConstraint(
                condition=~Q(applicant_kind=ApplicantKind.PERSON) | Q(applicant_credit_code=""),
                name="result_person_no_code",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_name} · {self.get_decision_display()} · {self.decided_on}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def delete(self, *args, **kwargs):
        raise ValidationError(_("已公开的结果不得删除，只能撤回。"))
