from django.contrib import admin

from locus.atlas.models import AtlasBuild, InfrastructureSite


@admin.register(AtlasBuild)
class AtlasBuildAdmin(admin.ModelAdmin):
    list_display = ("checksum", "built_at", "loaded_at", "is_live", "load_seconds")
    readonly_fields = [f.name for f in AtlasBuild._meta.fields] + ["manifest"]

    def has_add_permission(self, request):
        return False  # builds are loaded with `locus load` / `locus atlas load`


@admin.register(InfrastructureSite)
class InfrastructureSiteAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "origin", "postcode", "lad_code", "ca_code", "date_checked")
    list_filter = ("kind", "origin")
    search_fields = ("name", "postcode", "lad_code")
