from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from axes.utils import reset as axes_reset
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.models import User
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from core import audit, passwords
from core.models import AuditEvent, Notification, WorkdayOverride


class _SetByAdministratorForm(AdminPasswordChangeForm):
    def save(self, commit=True):
        user = super().save(commit=commit)
        passwords.require_change(user)
        return user


class PortalUserAdmin(UserAdmin):
    """An account created, or a password set, by an administrator is changed by its owner at the next sign-in."""

    change_password_form = _SetByAdministratorForm

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if not change:
            passwords.require_change(obj)


admin.site.unregister(User)
admin.site.register(User, PortalUserAdmin)


class _ReadOnly:
    """Sign-in records are evidence: read and searched in the admin, never edited or removed by hand."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class AccessLogReadOnlyAdmin(_ReadOnly, axes_admin.AccessLogAdmin):
    pass


class AccessFailureLogReadOnlyAdmin(_ReadOnly, axes_admin.AccessFailureLogAdmin):
    pass


class AccessAttemptReadOnlyAdmin(_ReadOnly, axes_admin.AccessAttemptAdmin):
    """Attempts are read-only too; an account is unlocked by the action below, which goes through django-axes and
    leaves an audit record of who unlocked whom."""

    actions = ["unlock"]

    @admin.action(description=_("解除所选记录的登录锁定"), permissions=["view"])
    def unlock(self, request, queryset) -> None:
        pairs = set(queryset.values_list("username", "ip_address"))
        for username, ip_address in pairs:
            axes_reset(username=username, ip=ip_address)
            audit.record(
                audit.Kind.UNLOCK,
                request=request,
                user=request.user,
                detail=f"username={username} ip={ip_address}",
            )
        self.message_user(request, _("已解除 %(count)s 条登录锁定。") % {"count": len(pairs)})


for _model, _admin in (
    (AccessLog, AccessLogReadOnlyAdmin),
    (AccessFailureLog, AccessFailureLogReadOnlyAdmin),
    (AccessAttempt, AccessAttemptReadOnlyAdmin),
):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, _admin)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit trail can be read and searched, never added to, changed or deleted by hand."""

    list_display = ("created_at", "kind", "username", "user", "ip_address", "path")
    list_filter = ("kind",)
    search_fields = ("username", "user__username", "user__first_name", "user__last_name", "kind", "ip_address", "path")
    date_hierarchy = "created_at"
    list_select_related = ("user",)
    readonly_fields = ("created_at", "kind", "user", "username", "ip_address", "path", "detail")
    fields = readonly_fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """For support: what was sent to whom and whether it was read or e-mailed. Messages are written by the portal."""

    list_display = ("created_at", "recipient", "kind", "title", "read_at", "emailed_at")
    list_filter = ("kind",)
    search_fields = ("recipient__username", "recipient__first_name", "title", "key")
    date_hierarchy = "created_at"
    list_select_related = ("recipient",)
    readonly_fields = ("created_at", "recipient", "kind", "key", "title", "body", "url", "read_at", "emailed_at")
    fields = readonly_fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(admin.ModelAdmin):
    """Where the State Council's holiday notice is entered, day by day, for a year the calendar package lacks or
    corrects: due dates are counted from these rows first."""

    list_display = ("date", "weekday", "is_workday", "note", "notice")
    list_filter = ("is_workday",)
    search_fields = ("notice", "note")
    date_hierarchy = "date"
    fields = ("date", "is_workday", "note", "notice")

    @admin.display(description=_("星期"), ordering="date")
    def weekday(self, obj: WorkdayOverride) -> str:
        return str(WEEKDAYS[obj.date.weekday()])
