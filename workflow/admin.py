from django.contrib import admin

from .models import StateTransition


@admin.register(StateTransition)
class StateTransitionAdmin(admin.ModelAdmin):
    """The log is read-only everywhere, the admin included."""

    list_display = ("standard", "action", "from_state", "to_state", "actor", "organization", "at", "round")
    list_filter = ("action", "to_state")
    search_fields = ("standard__local_item__name", "actor__username")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


from .deadlines import admin as deadlines_admin  # noqa: E402,F401
