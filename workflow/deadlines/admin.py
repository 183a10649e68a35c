"""Administration of work plans: the administrator creates plans and their milestones, and records filings."""

from __future__ import annotations

from django.contrib import admin

from standards.permissions import can_manage_work_plans

from .models import Milestone, MilestoneFiling, WorkPlan


class WorkPlanRule:
    """The plans' pages open on the same predicate as the work-progress page's 维护计划 link."""

    def has_module_permission(self, request):
        return can_manage_work_plans(request.user)

    def has_view_permission(self, request, obj=None):
        return can_manage_work_plans(request.user)

    def has_add_permission(self, request, *args):
        return can_manage_work_plans(request.user)

    def has_change_permission(self, request, obj=None):
        return can_manage_work_plans(request.user)

    def has_delete_permission(self, request, obj=None):
        return can_manage_work_plans(request.user)


class MilestoneInline(WorkPlanRule, admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ("position", "title", "level", "kind", "item_type", "own_items_only", "due_on")
    ordering = ("due_on", "position")
    show_change_link = True


class MilestoneFilingInline(WorkPlanRule, admin.TabularInline):
    model = MilestoneFiling
    extra = 0
    fields = ("division", "filed_on", "note")
    autocomplete_fields = ("division",)


@admin.register(WorkPlan)
class WorkPlanAdmin(WorkPlanRule, admin.ModelAdmin):
    list_display = ("title", "province", "document_number", "issued_on")
    list_filter = ("province",)
    search_fields = ("title", "document_number")
    inlines = (MilestoneInline,)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Milestone)
class MilestoneAdmin(WorkPlanRule, admin.ModelAdmin):
    list_display = ("title", "plan", "level", "kind", "item_type", "due_on")
    list_filter = ("plan", "level", "kind")
    search_fields = ("title",)
    inlines = (MilestoneFilingInline,)

    def get_inlines(self, request, obj):
        # Filings belong to filing milestones only.
        return self.inlines if obj is not None and not obj.counts_items else ()
