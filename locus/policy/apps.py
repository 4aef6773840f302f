from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "locus.policy"
    label = "policy"
    verbose_name = "Policy learning"

    def ready(self) -> None:
        # Register the "Policy cases" section on area pages (geography's extension point).
        from locus.geography.profile_sections import AREA_PROFILE_SECTIONS
        from locus.policy.sections import policy_cases_section

        if policy_cases_section not in AREA_PROFILE_SECTIONS:
            AREA_PROFILE_SECTIONS.append(policy_cases_section)
        # Bundled data for `locus load` and the Data sources page.
        from locus.loading import bundled_loader_register
        from locus.policy.bundled import policy_data_sources, policy_loader
        from locus.web.sources import data_source_provider_register

        bundled_loader_register(policy_loader)
        data_source_provider_register(policy_data_sources)
