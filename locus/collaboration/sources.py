"""The bundled collaboration datasets: what each covers, who published it and under which licence."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BundledSource:
    key: str
    filename: str
    title: str
    covers: str
    publisher: str
    url: str
    licence: str
    attribution: str
    vintage: str
    used_for: str
    no_dates: str = ""  # why the projects have no year, when the file gives none


def no_dates_reason(key: str) -> str:
    """Why a dataset's projects have no year ('' when it gives them or is not bundled)."""
    return next((s.no_dates for s in BUNDLED_SOURCES if s.key == key), "")


BUNDLED_SOURCES: tuple[BundledSource, ...] = (
    BundledSource(
        "he-providers", "learning-providers-plus.csv", "UK higher education providers",
        "166 UK higher education providers with UKPRN, GtR organisation id and postcode "
        "(vintage about 2013/14: some names have changed and a few newer providers are missing).",
        "learning-provider.data.ac.uk (via odileeds/learning-provider-website-emissions)",
        "https://github.com/odileeds/learning-provider-website-emissions",
        "Open data (UKRLP/ONS-derived); repository MIT", "learning-provider.data.ac.uk",
        "2013/14", "Types universities and places them (postcode -> district)."),
    BundledSource(
        "gtr-ahrc-2021", "gtr_ahrc_projects_2021.csv",
        "Gateway to Research: AHRC projects (export of 28 January 2021)",
        "8,297 Arts and Humanities Research Council projects with their lead research "
        "organisation, category, status and award. Lead organisation only: no partners and no "
        "costs per partner, so the simulator cannot use it. Start and end dates were dropped "
        "because the source had them corrupted. For AHRC projects with their dates and partners, "
        "fetch them from the GtR API: locus data fetch gtr --funder AHRC.",
        "UK Research and Innovation (via SimonHettrick/gateway-to-research-playing-about)",
        "https://gtr.ukri.org/", "Open Government Licence v2.0",
        "UK Research and Innovation, Gateway to Research", "January 2021",
        "Organisation profiles (projects led) and topic text for partner recommendations.",
        no_dates="The export has no start or end dates: they were corrupted in the copy Locus "
                 "bundles and were removed. Each title links to the project's page on Gateway to "
                 "Research, which gives its dates."),
    BundledSource(
        "ukri-funding-decisions", "ukri.csv",
        "UKRI competitive funding decisions by research organisation, 2015-16 to 2019-20",
        "4,851 rows: applications, awards and amounts applied for and awarded (GBP thousands) by "
        "research organisation, council, year and grant category; 149 organisations. "
        "Organisation-level totals, not projects.",
        "UK Research and Innovation (via jamesrak/UKRI_Funding_Visualisation)",
        "https://www.ukri.org/what-we-do/what-we-have-funded/", "Open Government Licence v3.0",
        "UK Research and Innovation", "2015-16 to 2019-20",
        "Organisation profiles (success rates by council)."),
    BundledSource(
        "wales-network-2017", "node_metadata.csv",
        "Research collaboration network of Wales (Nesta for the Welsh Government's Arloesiadur)",
        "255 organisations in Wales that took part in Research Council projects 2006-2016, "
        "with principal area, topics and Nesta's own recommended partners, and 536 weighted "
        "co-participation links (19_5_2017_revised_edge_list.csv). Wales only; no sizes.",
        "Nesta / Welsh Government (Arloesiadur), from UKRI Gateway to Research",
        "https://github.com/nestauk/arloesiadur_analysis_data",
        "No licence stated by the repository; underlying GtR data Open Government Licence",
        "Nesta / Welsh Government Arloesiadur, from UKRI Gateway to Research", "2006-2016",
        "Network metrics per place, the network view and the recommender evaluation."),
)


def bundled_source(key: str) -> BundledSource:
    return next(s for s in BUNDLED_SOURCES if s.key == key)
