"""The "Policy cases" section of area pages (registered in geography's AREA_PROFILE_SECTIONS).

With the atlas's weak links for the area (``hooks.WEAK_LINK_PROVIDERS``), the section lists,
for each weak stage, the cases that addressed it, best evidence and closest place first. Until
then it lists the best cases for every stage of the pathway and says the weak links are not
available yet.
"""

from __future__ import annotations

from locus.policy.hooks import weak_links_for
from locus.policy.schema import STAGE_LABELS
from locus.policy.selectors import cases_for_stage

PER_STAGE = 3


def policy_cases_section(area) -> tuple[str, str, dict] | None:
    weak = weak_links_for(area)
    stages = [s for s in weak.stages if s in STAGE_LABELS] if weak else list(STAGE_LABELS)
    rows = [(stage, STAGE_LABELS[stage], (weak.notes.get(stage, "") if weak else ""),
             cases_for_stage(stage=stage, area=area, limit=PER_STAGE if weak else 2))
            for stage in stages]
    if not any(cases for *_, cases in rows):
        return None
    return ("Policy cases", "policy/area_section.html",
            {"policy_rows": rows, "policy_weak": weak, "policy_is_ca": area.level == "ca"})
