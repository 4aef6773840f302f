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
