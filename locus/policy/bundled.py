"""Registrations into the shell's extension points: `locus load` and the Data sources page.

Kept light (imports happen inside the functions) so the shell can import it at start-up.
"""

from __future__ import annotations

from collections.abc import Callable


def policy_loader(*, force: bool, say: Callable[[str], None]) -> dict:
    """BUNDLED_LOADERS entry: the case library, resources, learning paths and STIP layer."""
    from django.conf import settings

    from locus.policy.loaders import policy_bundled_load

    return policy_bundled_load(data_dir=settings.LOCUS_BUNDLED_DATA / "policy", force=force,
                               say=say)


def policy_data_sources() -> list:
    """DATA_SOURCE_PROVIDERS entry: the policy room's bundled datasets."""
    from locus.web.sources import DataSource

    room = "Policy learning"
    return [
        DataSource("Locus policy case library (data/policy/cases)", "Locus team",
                   "Facts checked 27 November 2026", "CC BY 4.0",
                   "Locus policy case library; each case cites its own sources",
                   "/policy/cases/?layer=local",
                   "Evidence-rated cases of local innovation policy, written in our own words "
                   "from cited public sources", room),
        DataSource("STIP Compass 2021: national STI policy initiatives",
                   "OECD and European Commission", "2021 survey", "CC BY 4.0",
                   "OECD/European Commission, STIP Compass", "https://stip.oecd.org/",
                   "The international layer of the library: all 6,672 named initiatives of the "
                   "2021 extract, decoded with the official codebook", room),
        DataSource("STIP Compass 2021 codebook (themes, target groups, instruments)",
                   "OECD and European Commission", "2021", "CC BY 4.0",
                   "OECD/European Commission, STIP Compass", "https://stip.oecd.org/",
                   "Facet labels shared by both layers of the library", room),
        DataSource("Learning resources and learning paths (data/policy)", "Locus team",
                   "Facts checked 27 November 2026", "CC BY 4.0",
                   "Locus policy case library", "/policy/resources/",
                   "Catalogue of courses, guides and toolkits; paths per role", room),
        DataSource("Combined Authority stated priorities (data/policy/ca_priorities.yaml)",
                   "Locus team, from GOV.UK and authorities' own pages", "Facts checked 28 November 2026",
                   "CC BY 4.0", "Locus policy case library; each statement cites its source",
                   "/policy/peers/", "Investment Zone priority sectors of 7 of the 15 Combined "
                   "Authorities, for peer matching in priorities", room),
        DataSource("Cost model assumptions (data/policy/cost_model.yaml)", "Locus team",
                   "Facts checked 27 November 2026", "CC BY 4.0",
                   "Locus cost model; each assumption cites its source or is marked as ours",
                   "/policy/cost-model/", "Annual cost of the brief's four measures", room),
    ]
