from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ReturnComment, ReturnReason, ReviewTask


@admin.register(ReturnReason)
class ReturnReasonAdmin(SimpleHistoryAdmin):
    """The reasons catalogue: wording, order and whether reviewers may still choose a reason. Reasons are never
    deleted (returns refer to them); deactivate instead."""

    list_display = ("code", "category", "text", "active", "order")
    list_editable = ("text", "active", "order")
    list_filter = ("category", "active")
    search_fields = ("code", "text")

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj is not None else ()

    def has_delete_permission(self, request, obj=None):
        return False


class ReturnCommentInline(admin.TabularInline):
    model = ReturnComment
    fields = ("reason", "field_path", "text", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ReviewTask)
class ReviewTaskAdmin(admin.ModelAdmin):
    """Tasks are opened and closed by the workflow; the admin only releases a claim (an absent reviewer)."""

    list_display = (
        "standard",
        "stage",
        "organization",
        "round",
        "opened_at",
        "due_at",
        "claimed_by",
        "closed_at",
        "decision",
    )
    list_filter = ("stage", "decision", ("closed_at", admin.EmptyFieldListFilter))
    search_fields = ("standard__local_item__name", "standard__local_item__code", "organization__name")
    date_hierarchy = "opened_at"
    list_select_related = ("standard__local_item", "organization", "claimed_by")
    inlines = [ReturnCommentInline]
    fields = (
        "standard",
        "stage",
        "organization",
        "division",
        "round",
        "opened_at",
        "due_at",
        "claimed_by",
        "claimed_at",
        "closed_at",
        "decision",
        "decided_by",
        "note",
        "reasons",
        "finding_count",
        "citations_changed",
        "opening_transition",
        "closing_transition",
    )
    raw_id_fields = ("claimed_by",)

    def get_readonly_fields(self, request, obj=None):
        return [f for f in self.fields if f not in ("claimed_by", "claimed_at")]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
