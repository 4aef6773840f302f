"""Atlas pages: the map and its table, profiles, comparisons, evidence packs, methodology."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from locus.atlas import models as m
from locus.atlas.mapdata import map_data_get

pytestmark = pytest.mark.django_db


def test_the_header_shows_atlas_once_it_resolves(client):
    page = client.get("/").content.decode()
    assert re.search(r'href="/atlas/"[^>]*>\s*Atlas', page) or ">Atlas<" in page


def test_the_map_page_table_holds_the_map_numbers(client):
    page = client.get("/atlas/?measure=ind:gva_per_hour&level=ca&year=2022").content.decode()
    data = map_data_get(measure="ind:gva_per_hour", level="ca", year=2022)
    rows = re.findall(r'<tr class="govuk-table__row" data-code="([^"]+)">.*?data-value="([^"]*)"', page, re.S)
    assert len(rows) == 15
    assert {code: float(v) for code, v in rows if v} == pytest.approx({r.code: r.value for r in data.with_data})
    assert "GVA per hour worked" in page and "Download this map" in page


def test_the_table_sorts_without_javascript(client):
    page = client.get("/atlas/?measure=stage:research&level=ca&sort=name&order=asc").content.decode()
    names = re.findall(r'data-code="E47\d+" href="/atlas/areas/E47\d+/">([^<]+)</a>', page)
    assert names == sorted(names) and len(names) == 15
    assert 'aria-sort="ascending"' in page


def test_a_level_without_data_says_no_data(client):
    page = client.get("/atlas/?measure=stage:formation&level=lad").content.decode()
    assert "No data." in page and "not for local authority districts" in page


def test_unknown_measure_is_a_404(client):
    assert client.get("/atlas/?measure=ind:nothing").status_code == 404


@pytest.mark.parametrize("code", ["E47000001", "TLD33", "E08000003"])
def test_profiles_show_every_section_with_sources(client, code):
    page = client.get(f"/atlas/areas/{code}/").content.decode()
    for anchor in ("headline", "opportunities", "indicators", "specialisation", "infrastructure", "downloads"):
        assert f'id="{anchor}"' in page
    assert page.count("locus-provenance") > 10  # every indicator has its source a click away
    if code != "E08000003":
        assert 'id="pathway-table"' in page and 'id="weak-links-table"' in page
        assert page.count('<tr class="govuk-table__row" data-stage=') == 6 + 5


def test_cases_from_registered_providers_sit_beside_weak_links_only(client, monkeypatch):
    from locus.atlas import hooks

    asked = []

    def provider(*, stage, area, limit):
        asked.append((stage, area.code))
        return [hooks.CaseLink(f"Case for {stage}", f"/policy/cases/{stage}/", "somewhere (SMS 3)")]

    monkeypatch.setattr(hooks, "STAGE_CASE_PROVIDERS", [provider])
    page = client.get("/atlas/areas/TLD33/").content.decode()
    table = page[page.index('id="weak-links-table"'):]
    weak = re.search(r'data-stage="business_rd_finance">.*?</tr>', table, re.S).group(0)
    assert "Weak link" in weak and 'href="/policy/cases/business_rd_finance/"' in weak
    stored = set(m.WeakLink.objects.filter(area_code="TLD33", level="itl3", is_weak=True).values_list("stage", flat=True))
    assert {s for s, _c in asked} == stored and all(c == "TLD33" for _s, c in asked)


def test_the_policy_rooms_cases_are_looked_up_not_imported():
    from locus.atlas import hooks

    assert hooks.POLICY_CASES in hooks._ADAPTERS
    assert hooks._ADAPTERS[hooks.POLICY_CASES] in hooks.STAGE_CASE_PROVIDERS
    source = (hooks.__file__.rsplit("/", 1)[0])
    import pathlib

    for path in pathlib.Path(source).glob("*.py"):
        text = path.read_text()
        assert "from locus.policy" not in text and "import locus.policy" not in text, path


def test_unknown_area_is_404_with_search(client):
    response = client.get("/atlas/areas/NOWHERE/")
    assert response.status_code == 404 and 'role="search"' in response.content.decode()


def test_compare_two_areas_with_a_shareable_link(client):
    page = client.get("/atlas/compare/?areas=E47000001&areas=E47000002").content.decode()
    assert "Greater Manchester, South Yorkshire" in page and "?areas=E47000001%2CE47000002" in page
    assert 'id="compare-pathway"' in page and 'id="compare-indicators"' in page


@pytest.mark.parametrize("query, words", [("areas=E47000001", "at least 2"),
                                          ("areas=" + ",".join(f"E4700000{i}" for i in range(1, 8)), "at most 6"),
                                          ("areas=E47000001,NOPE1", "NOPE1")])
def test_compare_errors_use_an_error_summary(client, query, words):
    response = client.get(f"/atlas/compare/?{query}")
    page = response.content.decode()
    assert response.status_code == 400 and "govuk-error-summary" in page and words in page
    assert "<title>Error:" in page


def test_evidence_pack_html_has_every_section(client):
    page = client.get("/atlas/areas/E47000001/evidence-pack.html").content.decode()
    for anchor in ("summary", "maps", "pathway", "weak-links", "opportunities", "indicators", "trend-charts",
                   "methodology", "sources"):
        assert f'id="{anchor}"' in page, anchor
    assert 'font-family: "Liberation Sans"' in page and "@bottom-right" in page


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_evidence_pack_pdf_renders_with_its_sections(client, tmp_path):
    response = client.get("/atlas/areas/TLD33/evidence-pack.pdf")
    assert response.status_code == 200 and response.content[:4] == b"%PDF"
    assert 'filename="locus-evidence-pack-TLD33.pdf"' in response["Content-Disposition"]
    path = tmp_path / "pack.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for heading in ("Summary", "Maps", "Pathway against its neighbours", "Weak links", "Investment opportunities",
                    "Indicators over time", "Trend charts", "Methodology", "Sources and licences", "Statistical neighbours"):
        assert heading in text, heading


def test_methodology_page_renders_the_cited_document(client):
    page = client.get("/atlas/methodology/").content.decode()
    assert 'id="6-weak-links-and-their-uncertainty"' in page and "bootstrap" in page


def test_the_place_page_carries_the_atlas_section(client):
    page = client.get("/places/TLD33/").content.decode()
    assert 'id="atlas-section"' in page and "/atlas/areas/TLD33/" in page and "weak link" in page


def test_the_data_sources_page_lists_the_atlas_inputs(client):
    page = client.get("/data-sources/").content.decode()
    assert "UK makerspaces survey 2015" in page and "HE research income" in page


def test_the_policy_room_receives_the_weak_links():
    from locus.atlas.policy_bridge import weak_links_provider
    from locus.geography.models import Area

    weak = weak_links_provider(Area.objects.get(code="TLD33"))
    stored = set(m.WeakLink.objects.filter(area_code="TLD33", level="itl3", is_weak=True).values_list("stage", flat=True))
    assert set(weak.stages) == stored and "atlas build" in weak.source
    assert weak.significant == frozenset(stored)
    assert weak_links_provider(Area.objects.get(code="E08000003")) is None  # districts are not scored


def test_the_map_page_opens_a_chosen_profile(client):
    response = client.get("/atlas/go/?area=e47000001")
    assert response.status_code == 302 and response["Location"] == "/atlas/areas/E47000001/"
    missing = client.get("/atlas/go/?area=NOPE")
    assert missing.status_code == 400 and "govuk-error-summary" in missing.content.decode()


def test_the_policy_room_gets_the_pack_section_peer_columns_and_business_counts(client):
    from locus.atlas.policy_bridge import business_count_provider, peer_features_provider
    from locus.geography.models import Area

    pack = client.get("/policy/packs/E47000001/").content.decode()
    assert "Commercialisation pathway: weak links and opportunities" in pack
    assert "Stage scores and weak links of Greater Manchester" in pack
    cas = list(Area.objects.filter(level="ca").order_by("code"))
    features, columns = peer_features_provider(cas)
    assert len(features) == 6 and all(len(columns[f.key]) == len(cas) for f in features)
    assert {"research base score", "IP and spin-outs score", "business R&D and innovation finance score"} <= {
        f.label for f in features}
    count = business_count_provider(Area.objects.get(code="E47000001"))
    assert 0 < count.count < count.national and count.vintage == "2024"
    assert client.get("/policy/peers/E47000001/").status_code == 200
