"""The admin keeps reference data (divisions, sectors, organizations, memberships). Catalogue items and changes are
shown read-only: they change only through the dynamic-management services, which record every change."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from catalogue.models import (
    AdjustmentTask,
    CatalogChange,
    Claim,
    Division,
    GeneralItem,
    LocalItem,
    Membership,
    Organization,
    Sector,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Division)
class DivisionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "full_name")
    list_filter = ("level",)
    search_fields = ("code", "name", "full_name")
    readonly_fields = ("province_code", "city_code", "county_code", "township_code", "full_name")
    raw_id_fields = ("parent",)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ("province", "code", "name")
    list_filter = ("province",)
    search_fields = ("code", "name")


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ("name", "uscc", "kind", "division", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "uscc", "division__name")
    raw_id_fields = ("division",)
    inlines = [MembershipInline]
    exclude = ("created_by",)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organization", "role")
    list_filter = ("role",)
    search_fields = ("user__username", "organization__name")
    raw_id_fields = ("user", "organization")


@admin.register(GeneralItem)
class GeneralItemAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ("code", "name", "item_type", "node_kind", "levels", "status")
    list_filter = ("status", "item_type", "node_kind", "province")
    search_fields = ("code", "name")


@admin.register(LocalItem)
class LocalItemAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ("code", "name", "organization", "status")
    list_filter = ("status", "item_type")
    search_fields = ("code", "name")
    list_select_related = ("organization",)


@admin.register(CatalogChange)
class CatalogChangeAdmin(ReadOnlyAdmin):
    list_display = ("kind", "document_number", "document_title", "effective_date", "created_by", "created_at")
    list_filter = ("kind",)
    search_fields = ("document_number", "document_title")


@admin.register(Claim)
class ClaimAdmin(ReadOnlyAdmin):
    list_display = ("local_item", "organization", "status", "claimed_at")
    list_filter = ("status",)


@admin.register(AdjustmentTask)
class AdjustmentTaskAdmin(ReadOnlyAdmin):
    list_display = ("local_item", "instruction", "status")
    list_filter = ("status",)
