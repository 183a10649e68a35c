"""Read-only views of the stored figures: snapshots and reports change only through ``reporting.services``."""

from django.contrib import admin

from .models import ProgressReport, RateSnapshot


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RateSnapshot)
class RateSnapshotAdmin(ReadOnly):
    list_display = ("date", "kind", "division", "organization", "active", "submitted", "passed", "overdue")
    list_filter = ("kind", "date")
    search_fields = ("scope_key", "division__name", "organization__name")
    list_select_related = ("division", "organization")


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnly):
    list_display = ("division", "period_start", "period_end", "status", "generated_at", "sent_at", "sent_by")
    list_filter = ("status",)
    list_select_related = ("division", "sent_by")
    exclude = ("figures",)
