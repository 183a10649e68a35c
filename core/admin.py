from django.contrib import admin

from core.models import AuditEvent


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
