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
