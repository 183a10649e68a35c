from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .files import PrivateStorage
from .i18n import render_message


class TimeStampedModel(models.Model):
    """Every record says when it was made and last touched, and by whom, so changes stay attributable."""

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True


class AuditEventQuerySet(models.QuerySet):
    """Audit rows are written once and never edited or removed through the ORM."""

    def update(self, **kwargs):
        raise PermissionError(gettext("审计记录不可修改"))

    def delete(self):
        raise PermissionError(gettext("审计记录不可删除"))


class AuditEvent(models.Model):
    """One security-relevant event: a sign-in, a failed attempt, a sign-out, a lockout, a refused page or an object
    asked for outside the user's scope, a view of an applicant's whole personal data.

    Append-only: rows are added by ``core.audit.record`` and can be neither changed nor deleted through the ORM or the
    admin. The user is kept as a nullable link (it survives the user's deletion as the ``username`` text)."""

    class Kind(models.TextChoices):
        LOGIN_SUCCESS = "login_success", _("登录成功")
        LOGIN_FAILURE = "login_failure", _("登录失败")
        LOGOUT = "logout", _("退出登录")
        LOCKOUT = "lockout", _("账号锁定")
        PERMISSION_DENIED = "permission_denied", _("拒绝访问")
        PERSONAL_DATA_VIEW = "personal_data_view", _("查看完整个人信息")
        UNLOCK = "unlock", _("解除登录锁定")
        OUT_OF_SCOPE = "out_of_scope", _("访问权限范围外的对象")

    created_at = models.DateTimeField(_("时间"), default=timezone.now, editable=False, db_index=True)
    kind = models.CharField(_("类型"), max_length=32, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    username = models.CharField(_("用户名"), max_length=150, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    path = models.CharField(_("地址"), max_length=500, blank=True)
    detail = models.TextField(_("说明"), blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("安全审计记录")
        verbose_name_plural = _("安全审计记录")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["kind", "-created_at"], name="core_audit_kind_time")]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.created_at):%Y-%m-%d %H:%M:%S} {self.get_kind_display()} {self.username}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise PermissionError(gettext("审计记录不可修改"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(gettext("审计记录不可删除"))


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A message in one person's inbox: a return with its reasons, a new review task, a task nearing its due date.

    ``key`` names the event the message is about (``returned:<transition>``, ``task:<task>``, ``due:<task>``), unique
    per recipient, so an event replayed or a reminder job run twice never tells anyone twice."""

    class Kind(models.TextChoices):
        RETURNED = "returned", _("退回修改")
        TASK = "task", _("新的审查任务")
        DUE = "due", _("即将到期")
        PUBLISHED = "published", _("已发布")
        TO_PUBLISH = "to_publish", _("待发布")
        OVERSIGHT = "oversight", _("督办")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("收件人"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    key = models.CharField(_("事件"), max_length=64)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    # The title and body as messages (``core.i18n.message_data``), so each reader sees them in their own language;
    # null for a text written as plain text, shown as it was written.
    title_data = models.JSONField(_("标题（多语言）"), null=True, blank=True, editable=False)
    body_data = models.JSONField(_("内容（多语言）"), null=True, blank=True, editable=False)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_event")]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_inbox")]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.title}"

    @property
    def shown_title(self) -> str:
        """The title in the language active now."""
        return render_message(self.title_data) if self.title_data is not None else self.title

    @property
    def shown_body(self) -> str:
        return render_message(self.body_data) if self.body_data is not None else self.body

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class AccountSecurity(models.Model):
    """Password state of an account that Django's user does not keep: whether someone else set the password (its
    owner changes it at the next sign-in) and when the owner last changed it (for the optional maximum age)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="security")
    must_change_password = models.BooleanField(_("须修改密码"), default=False)
    password_changed_at = models.DateTimeField(_("最近修改密码时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("账号安全状态")
        verbose_name_plural = _("账号安全状态")

    def __str__(self) -> str:
        return str(self.user)


class WorkdayOverride(models.Model):
    """One day whose working status the State Council's holiday notice decides: a public holiday on a weekday, or a
    make-up working day (调休) on a weekend.

    These rows take precedence over the ``chinese_calendar`` package. For a year the package does not cover yet, the
    rows are the year's calendar: once the table holds any row of that year, the year counts as covered, its other days
    follow Monday to Friday, and the portal stops warning about it. So enter every holiday and every make-up day of the
    notice at once. ``core.workdays`` caches the rows per process and reloads them when one is saved or deleted."""

    date = models.DateField(
        _("日期"),
        unique=True,
        help_text=_(
            "只需录入与“周一至周五上班”不同的日子：工作日放假的节假日，周末上班的调休日。本表优先于内置节假日数据。"
            "内置数据未覆盖的年份，一旦有任一条记录即视为该年日历已录入，其余日子按周一至周五计算，"
            "因此请一次录全当年通知中的全部放假和调休日期。"
        ),
    )
    is_workday = models.BooleanField(
        _("上班"), default=False, help_text=_("勾选表示当天上班（调休补班）；不勾选表示当天放假")
    )
    notice = models.CharField(
        _("依据通知"),
        max_length=300,
        blank=True,
        help_text=_("如“国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕x号）”"),
    )
    note = models.CharField(_("备注"), max_length=200, blank=True, help_text=_("如“元旦”“国庆节调休补班”"))

    class Meta:
        verbose_name = _("工作日调整")
        verbose_name_plural = _("工作日调整")
        ordering = ["date"]

    def __str__(self) -> str:
        state = _("上班") if self.is_workday else _("放假")
        return f"{self.date:%Y-%m-%d} {state}"


class ExportJobStatus(models.TextChoices):
    BUILDING = "building", _("生成中")
    READY = "ready", _("可下载")
    FAILED = "failed", _("生成失败")


class ExportJob(models.Model):
    """A staff list's export too big to build within a request (``core.export_jobs``): built by a Celery task, kept
    for ``EXPORT_KEEP_HOURS`` and then deleted with its file, seen and downloaded by the person who asked only.

    ``kind`` names the list (a key of ``settings.STAFF_EXPORTS``) and ``query`` its filters as the page had them, so
    the worker lists exactly the rows the page would, in the asker's scope."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("导出内容"), max_length=60)
    query = models.TextField(_("筛选条件"), blank=True)
    back_url = models.CharField(_("返回页面"), max_length=2000, blank=True)
    rows = models.PositiveIntegerField(_("行数"), default=0)
    status = models.CharField(
        _("状态"), max_length=10, choices=ExportJobStatus.choices, default=ExportJobStatus.BUILDING
    )
    task_id = models.CharField(max_length=64, blank=True)
    file = models.FileField(_("文件"), upload_to="exports/", blank=True, storage=PrivateStorage())
    filename = models.CharField(_("文件名"), max_length=255, blank=True)
    error = models.TextField(_("失败原因"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("导出任务")
        verbose_name_plural = _("导出任务")

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def back_link(self) -> str:
        """The list the export came from, with its filters (the query is kept whole; the page's path apart)."""
        return f"{self.back_url}?{self.query}" if self.query else self.back_url
