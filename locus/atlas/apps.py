from django.apps import AppConfig


class AtlasConfig(AppConfig):
    name = "locus.atlas"
    label = "atlas"
    verbose_name = "Atlas"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from locus.atlas.bundled import atlas_data_sources, atlas_loader
        from locus.atlas.hooks import register_extensions
        from locus.loading import bundled_loader_register
        from locus.web.sources import data_source_provider_register

        register_extensions()
        bundled_loader_register(atlas_loader)
        data_source_provider_register(atlas_data_sources)
