from django.contrib import admin

from .models import ExternalSystem, PostHolder


@admin.register(PostHolder)
class PostHolderAdmin(admin.ModelAdmin):
    list_display = ("organization", "post", "user", "backup_for", "is_active")
    list_filter = ("is_active",)
    search_fields = ("post", "user__username", "organization__name")
    raw_id_fields = ("organization", "user", "backup_for")


@admin.register(ExternalSystem)
class ExternalSystemAdmin(admin.ModelAdmin):
    list_display = ("name", "division", "token_hint", "is_active", "created_at")
    raw_id_fields = ("division",)
