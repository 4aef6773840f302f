from django.contrib import admin

from locus.geography.models import Area, CodeChange, LoadRecord, NutsLad2018


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent", "population")
    list_filter = ("level",)
    search_fields = ("code", "name")
    exclude = ("boundary",)
    readonly_fields = [f.name for f in Area._meta.fields if f.name != "boundary"]

    def has_add_permission(self, request):
        return False  # areas come from the bundled ONS files: `locus load`


@admin.register(CodeChange)
class CodeChangeAdmin(admin.ModelAdmin):
    list_display = ("old_code", "old_name", "new_code", "new_name", "change_type", "year")
    search_fields = ("old_code", "old_name", "new_code", "new_name")


@admin.register(NutsLad2018)
class NutsLad2018Admin(admin.ModelAdmin):
    list_display = ("lad18_code", "lad18_name", "nuts3_code", "nuts2_code", "nuts1_code")
    search_fields = ("lad18_code", "lad18_name", "nuts3_code")


@admin.register(LoadRecord)
class LoadRecordAdmin(admin.ModelAdmin):
    list_display = ("dataset", "loaded_at", "checksum")
