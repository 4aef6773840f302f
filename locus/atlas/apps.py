from django.apps import AppConfig


class AtlasConfig(AppConfig):
    name = "locus.atlas"
    label = "atlas"
    verbose_name = "Atlas"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from locus.atlas.hooks import register_extensions

        register_extensions()
