from django.contrib import admin

from .models import Appeal, Evaluation, Indicator, IndicatorSet, Invitation, Rectification, RevisionRequest


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


@admin.register(IndicatorSet)
class IndicatorSetAdmin(admin.ModelAdmin):
    list_display = ("kind", "version", "is_current", "basis")
    inlines = [IndicatorInline]


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    """Read-only: evaluations change only through the services (an appeal's decision), never by hand."""

    list_display = ("submitted_at", "target", "grade", "channel", "organization", "excluded")
    list_filter = ("target", "grade", "channel", "excluded")
    list_select_related = ("organization",)
    raw_id_fields = ("case", "ticket", "window", "staff", "local_item", "organization", "division")

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


for model in (Rectification, Appeal, Invitation, RevisionRequest):
    admin.site.register(model, list_display=("pk", "__str__"))
