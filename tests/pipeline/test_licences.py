"""Each input's licence is named against that input, and each licence is the one SOURCES.md records."""

from __future__ import annotations

from locus.pipeline.catalogue import INDICATORS, indicator_get
from locus.pipeline.sources import SOURCES, source_get

from .conftest import REPO


def test_an_indicator_from_inputs_of_different_licences_names_each_licence_beside_its_input():
    """HE research income per head once said "CC BY 4.0 (HESA); MIT (Nesta 2021); underlying data as
    stated by the publisher; Open Government Licence v3.0": which licence covered which input?"""
    per_head = indicator_get(indicator_id="research_income_per_head")
    assert per_head.licence == (
        "HE research income: CC BY 4.0 (HESA); processed by Nesta, repository MIT (Nesta 2021). "
        "Regional GVA(B) per head and income components (Tables 1, 6, 17): Open Government Licence v3.0.")
    mixed = [i for i in INDICATORS if len({source_get(source_id=s).licence for s in i.sources}) > 1]
    assert len(mixed) >= 10
    for ind in mixed:
        first = source_get(source_id=ind.sources[0])
        assert ind.licence.startswith(f"{first.title}: "), ind.id  # never a licence without its input
        for source_id in ind.sources:
            source = source_get(source_id=source_id)
            assert f"{source.title}: {source.licence}." in ind.licence, ind.id


def test_inputs_that_share_a_licence_give_it_once_without_titles():
    shared = indicator_get(indicator_id="contract_research_share")  # four HESA files, one licence
    assert len(shared.sources) == 4
    assert shared.licence == source_get(source_id="beis_research_income").licence
    assert indicator_get(indicator_id="gva_per_hour").licence == "Open Government Licence v3.0"


def test_each_nesta_files_licence_is_the_one_data_atlas_sources_md_records():
    """The REF files were labelled "OGL-compatible", which neither SOURCES.md nor Nesta's schemas say."""
    recorded = " ".join((REPO / "data" / "atlas" / "SOURCES.md").read_text(encoding="utf-8").split())
    says = {  # the publisher's licence in the catalogue -> what data/atlas/SOURCES.md says of it
        "CC BY 4.0 (HESA)": "HESA / HE-BCI (CC BY 4.0)",
        "Open Government Licence v3.0 (UKRI)": "UKRI Gateway to Research and Innovate UK (OGL v3.0)",
        "Open Government Licence v3.0 (Innovate UK)": "UKRI Gateway to Research and Innovate UK (OGL v3.0)",
        "CC BY 4.0 (Eurostat)": "Eurostat and CORDIS (CC BY 4.0",
        "CC BY 4.0 (EU)": "Eurostat and CORDIS (CC BY 4.0",
        "Open Government Licence v3.0 (ONS)": "ONS APS and BRES via Nomis (OGL v3.0)",
        "No licence stated (REF 2014 results, published by the UK funding bodies)":
            "REF 2014 (results published by the UK funding bodies)",
    }
    nesta = [s for s in SOURCES if s.path.startswith("beis/") or s.id == "nomis_bres_2018"]
    assert len(nesta) == 28
    for source in nesta:
        publishers, nesta_part = source.licence.split("; ")
        assert publishers in says and says[publishers] in recorded, source.id
        assert nesta_part == "processed by Nesta, repository MIT (Nesta 2021)"
        assert "repository MIT (Nesta 2021)" in recorded
    assert all("compatible" not in s.licence for s in SOURCES)
    ons = [s for s in SOURCES if s.path.startswith("ons/")]
    assert len(ons) == 3 and all(s.licence == "Open Government Licence v3.0" for s in ons)
    assert "All three: licence Open Government Licence v3.0" in recorded
