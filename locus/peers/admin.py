"""Peer networks in the admin site (administrators only)."""

from django.contrib import admin

from locus.peers import models


@admin.register(models.Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("name", "starts_on", "ends_on", "is_demo", "registration_open")
    filter_horizontal = ("managers",)
    search_fields = ("name",)


@admin.register(models.Firm)
class FirmAdmin(admin.ModelAdmin):
    list_display = ("name", "programme", "postcode", "eligible", "arm", "group")
    list_filter = ("programme", "eligible", "arm")
    search_fields = ("name", "company_number", "postcode")
    raw_id_fields = ("group", "avoid")


@admin.register(models.CostEntry)
class CostEntryAdmin(admin.ModelAdmin):
    """Read-only (ADR 16): a cost is recorded, corrected or removed on the programme's ledger
    page, which checks it and keeps the old entry with who, when and why. Editing or deleting
    a row here would overwrite that history, so the admin site only shows entries."""

    list_display = ("programme", "category", "amount", "incurred_on", "description",
                    "superseded_at")
    list_filter = ("programme", "category")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


for model in (models.PeerGroup, models.Meeting, models.Venue, models.Facilitator,
              models.Contact, models.DiagnosticResponse, models.FormationRun):
    admin.site.register(model)
