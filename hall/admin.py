from django.contrib import admin

from hall.models import (
    Booking,
    Consultation,
    ConsultationHandoff,
    Hall,
    ServiceGroup,
    Ticket,
    TicketEvent,
    Window,
    WindowStaff,
)


class WindowStaffInline(admin.TabularInline):
    model = WindowStaff
    extra = 0
    raw_id_fields = ("user", "backup_for")


@admin.register(Hall)
class HallAdmin(admin.ModelAdmin):
    list_display = ("name", "organization", "division", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "organization__name")
    raw_id_fields = ("organization", "division", "parent")


@admin.register(Window)
class WindowAdmin(admin.ModelAdmin):
    list_display = ("number", "name", "hall", "kind", "department", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("number", "name", "hall__name")
    raw_id_fields = ("hall", "department")
    filter_horizontal = ("items",)
    inlines = [WindowStaffInline]


@admin.register(WindowStaff)
class WindowStaffAdmin(admin.ModelAdmin):
    list_display = ("window", "user", "role", "backup_for", "is_active")
    list_filter = ("role", "is_active")
    raw_id_fields = ("window", "user", "backup_for")


@admin.register(ServiceGroup)
class ServiceGroupAdmin(admin.ModelAdmin):
    list_display = ("prefix", "name", "hall", "minutes_per_visit", "is_bookable", "is_active")
    list_filter = ("is_bookable", "is_active")
    search_fields = ("name", "prefix", "hall__name")
    raw_id_fields = ("hall",)
    filter_horizontal = ("items", "windows")


class TicketEventInline(admin.TabularInline):
    model = TicketEvent
    extra = 0
    can_delete = False
    readonly_fields = ("kind", "at", "window", "user", "note")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    """Read-only: numbers change only through ``hall.services.queue``, which records every step."""

    list_display = ("number", "hall", "day", "priority", "status", "window", "taken_at", "called_at")
    list_filter = ("status", "priority", "day")
    search_fields = ("number", "hall__name")
    inlines = [TicketEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ("code", "group", "day", "half_day", "name", "status")
    list_filter = ("status", "half_day")
    search_fields = ("code", "name", "phone")
    raw_id_fields = ("group", "local_item")


class ConsultationHandoffInline(admin.TabularInline):
    model = ConsultationHandoff
    extra = 0
    raw_id_fields = ("from_user", "to_user", "to_organization")


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ("question", "channel", "organization", "owner", "status", "due_date")
    list_filter = ("channel", "status")
    search_fields = ("question", "asker_name")
    raw_id_fields = ("hall", "local_item", "organization", "owner", "answered_by", "faq_approved_by", "faq_standard")
    inlines = [ConsultationHandoffInline]
