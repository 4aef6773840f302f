from django.contrib import admin
from django.db import models

from locus.atlas.infrastructure import site_removed, site_saved
from locus.atlas.models import AtlasBuild, InfrastructureSite, InfrastructureSiteChange


@admin.register(AtlasBuild)
class AtlasBuildAdmin(admin.ModelAdmin):
    list_display = ("checksum", "built_at", "loaded_at", "is_live", "load_seconds")
    readonly_fields = [f.name for f in AtlasBuild._meta.fields] + ["manifest"]

    def has_add_permission(self, request):
        return False  # builds are loaded with `locus load` / `locus atlas load`


class _ReadOnly:
    """History is written by the registry's services only: nobody adds, edits or deletes it here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class InfrastructureSiteChangeInline(_ReadOnly, admin.TabularInline):
    model = InfrastructureSiteChange
    fields = ("at", "action", "username", "changes")
    readonly_fields = fields
    extra = 0


@admin.register(InfrastructureSiteChange)
class InfrastructureSiteChangeAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ("at", "action", "site_name", "site_ref", "username")
    list_filter = ("action",)
    search_fields = ("site_name", "username")
    readonly_fields = ("site", "site_ref", "site_name", "action", "changes", "user", "username", "at")
    date_hierarchy = "at"


@admin.register(InfrastructureSite)
class InfrastructureSiteAdmin(admin.ModelAdmin):
    inlines = [InfrastructureSiteChangeInline]
    list_display = ("name", "kind", "origin", "postcode", "lad_code", "ca_code", "date_checked")
    list_filter = ("kind", "origin")
    search_fields = ("name", "postcode", "lad_code")
    # A website typed without a scheme is read as https:// (Django 6's default, chosen now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request, obj, form, change):
        site_saved(site=obj, user=request.user)  # saves and records the history

    def delete_model(self, request, obj):
        site_removed(site=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for site in queryset:
            site_removed(site=site, user=request.user)
