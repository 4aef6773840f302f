from django.apps import AppConfig


class CollaborationConfig(AppConfig):
    name = "locus.collaboration"
    label = "collaboration"
    verbose_name = "Collaboration"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Register the "Collaboration" section on area pages (geography's extension point).
        from locus.collaboration.sections import collaboration_section
        from locus.geography.profile_sections import AREA_PROFILE_SECTIONS

        if collaboration_section not in AREA_PROFILE_SECTIONS:
            AREA_PROFILE_SECTIONS.append(collaboration_section)
        # Bundled data for `locus load` and the Data sources page.
        from locus.collaboration.loading import collaboration_data_sources, collaboration_loader
        from locus.loading import bundled_loader_register
        from locus.web.sources import data_source_provider_register

        bundled_loader_register(collaboration_loader)
        data_source_provider_register(collaboration_data_sources)
