"""Administration of work plans: the administrator creates plans and their milestones, and records filings."""

from __future__ import annotations

from django.contrib import admin

from .models import Milestone, MilestoneFiling, WorkPlan


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ("position", "title", "level", "kind", "item_type", "own_items_only", "due_on")
    ordering = ("due_on", "position")
    show_change_link = True


class MilestoneFilingInline(admin.TabularInline):
    model = MilestoneFiling
    extra = 0
    fields = ("division", "filed_on", "note")
    autocomplete_fields = ("division",)


@admin.register(WorkPlan)
class WorkPlanAdmin(admin.ModelAdmin):
    list_display = ("title", "province", "document_number", "issued_on")
    list_filter = ("province",)
    search_fields = ("title", "document_number")
    inlines = (MilestoneInline,)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ("title", "plan", "level", "kind", "item_type", "due_on")
    list_filter = ("plan", "level", "kind")
    search_fields = ("title",)
    inlines = (MilestoneFilingInline,)

    def get_inlines(self, request, obj):
        # Filings belong to filing milestones only.
        return self.inlines if obj is not None and not obj.counts_items else ()
