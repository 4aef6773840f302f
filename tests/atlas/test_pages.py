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


def test_a_stage_districts_do_not_score_says_no_data_with_the_reason(client):
    page = client.get("/atlas/?measure=stage:research&level=lad").content.decode()
    assert "No data." in page and "Not scored at district level." in page and "district rule" in page
    data = map_data_get(measure="gap:knowledge_exchange", level="lad")
    assert not data.with_data and not data.classes and data.message.startswith("Not scored at district level.")
    assert all(r.display == "no data" and r.rank is None for r in data.rows)


@pytest.mark.parametrize("measure", ["stage:formation", "stage:productivity", "gap:formation", "gap:productivity"])
def test_district_maps_show_the_scored_stages_and_their_weak_links(client, measure):
    data = map_data_get(measure=measure, level="lad")
    model = m.StageScore.objects.filter(is_latest=True) if measure.startswith("stage") else m.WeakLink.objects
    stored = {o.area_code: (o.score if measure.startswith("stage") else o.gap)
              for o in model.filter(level="lad", stage=measure.split(":")[1])}
    assert len(stored) > 300 and not data.message
    assert {r.code: r.value for r in data.with_data} == pytest.approx(stored)
    page = client.get(f"/atlas/?measure={measure}&level=lad").content.decode()
    rows = re.findall(r'<tr class="govuk-table__row" data-code="([^"]+)">.*?data-value="([^"]*)"', page, re.S)
    assert {code: float(v) for code, v in rows if v} == pytest.approx(stored) and "No data." not in page


def test_an_invalid_level_on_the_map_page_is_a_400_with_a_govuk_error(client):
    response = client.get("/atlas/?measure=stage:research&level=county")
    page = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error: " in page and "govuk-error-summary" in page
    summary = page.split("govuk-error-summary__list")[1].split("</ul>")[0]
    assert 'href="#level"' in summary and "county" in summary and "geography" in summary
    group = page.split('id="level-error"')[1].split("</select>")[0]
    assert "govuk-select--error" in group and "county" in page.split('id="level-error"')[1].split("</p>")[0]
    assert 'aria-describedby="level-error"' in page
    assert 'id="map-table"' in page  # the page still works: the map of the default level is shown


def test_an_unknown_measure_on_the_map_page_is_a_400_naming_the_field(client):
    response = client.get("/atlas/?measure=ind:nothing")
    page = response.content.decode()
    assert response.status_code == 400 and 'href="#measure"' in page and 'id="measure-error"' in page


def test_map_data_json_names_an_invalid_level_or_measure_in_a_400(client):
    response = client.get("/atlas/map-data.json?measure=stage:research&level=county")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("level: ") and "'county'" in response.json()["detail"]
    response = client.get("/atlas/map-data.json?measure=ind:nothing&level=ca")
    assert response.status_code == 400 and response.json()["detail"].startswith("measure: ")
    assert client.get("/atlas/map-data.json?measure=stage:research&level=ca").status_code == 200


@pytest.mark.parametrize("code", ["E47000001", "TLD33", "E08000003"])
def test_profiles_show_every_section_with_sources(client, code):
    page = client.get(f"/atlas/areas/{code}/").content.decode()
    for anchor in ("headline", "opportunities", "indicators", "specialisation", "infrastructure", "downloads"):
        assert f'id="{anchor}"' in page
    assert page.count("locus-provenance") > 10  # every indicator has its source a click away
    assert 'id="pathway-table"' in page and 'id="weak-links-table"' in page and 'id="neighbours-table"' in page
    if code != "E08000003":
        assert page.count('<tr class="govuk-table__row" data-stage=') == 6 + 5
        assert 'id="unscored-stages"' not in page


def test_a_district_profile_shows_its_two_scored_stages_and_says_why_the_others_are_not(client):
    from locus.atlas.profile import profile_get

    page = client.get("/atlas/areas/E08000003/").content.decode()
    scored = set(m.StageScore.objects.filter(area_code="E08000003", level="lad", is_latest=True)
                 .values_list("stage", flat=True))
    assert scored == {"formation", "productivity"}
    rows = re.findall(r'<tr class="govuk-table__row" data-stage="([a-z_]+)"', page)
    assert rows == ["formation", "productivity", "formation", "productivity"]  # pathway, then weak links
    unscored = re.findall(r'<li data-unscored-stage="([a-z_]+)"><strong>[^<]+</strong>: not scored\. ([^<]+)</li>', page)
    assert "</strong>: no data. " not in page  # the stage has indicator values; it is not scored here
    assert [s for s, _why in unscored] == ["research", "knowledge_exchange", "ip_spinouts", "business_rd_finance"]
    assert all("not scored for local authority districts" in why and "district rule" in why for _s, why in unscored)
    profile = profile_get(code="E08000003")
    links = {w.stage: w for w in m.WeakLink.objects.filter(area_code="E08000003", level="lad")}
    table = page[page.index('id="weak-links-table"'):]
    for stage, w in links.items():
        row = re.search(rf'data-stage="{stage}">.*?</tr>', table, re.S).group(0)
        assert f"{w.gap:+.2f} ({w.lo:+.2f} to {w.hi:+.2f})" in row
    stored = list(m.Neighbour.objects.filter(area_code="E08000003", level="lad").order_by("rank")
                  .values_list("neighbour_code", flat=True))
    assert [n.code for n in profile.pathway.neighbours] == stored and len(stored) == 5
    assert all(f'href="/atlas/areas/{c}/"' in page for c in stored)
    assert "number of HE providers" in page and "Not scored at this level: research base" in profile.headline.text
    assert '<svg' in page[page.index('id="pathway"'):page.index('id="pathway-table"')]


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


def test_compare_districts_beside_each_other_and_with_a_combined_authority(client):
    page = client.get("/atlas/compare/?areas=E08000003,E08000019").content.decode()
    table = page[page.index('id="compare-pathway"'):page.index('id="compare-indicators"')]
    assert re.findall(r'data-stage="([a-z_]+)"', table) == ["formation", "productivity"]
    score = m.StageScore.objects.get(area_code="E08000019", level="lad", stage="formation", is_latest=True).score
    assert f"{score:.2f}" in table and 'id="unscored-stages"' in page and "<svg" in page
    mixed = client.get("/atlas/compare/?areas=E08000003,E47000001").content.decode()
    table = mixed[mixed.index('id="compare-pathway"'):mixed.index('id="compare-indicators"')]
    assert len(re.findall(r'data-stage="([a-z_]+)"', table)) == 6 and 'id="mixed-levels"' in mixed
    assert table.count("not scored for local authority districts") == 4
    assert "Median of local authority districts" in table and "Median of Combined Authorities" in table


def test_a_district_evidence_pack_has_its_scores_maps_and_reasons(client):
    page = client.get("/atlas/areas/E08000003/evidence-pack.html").content.decode()
    for anchor in ("summary", "maps", "pathway", "weak-links", "neighbours-table", "unscored-stages", "methodology"):
        assert f'id="{anchor}"' in page, anchor
    maps = page[page.index('id="maps"'):page.index('id="pathway"')]
    assert "Business formation and scale-up score" in maps and "weak-link gap" in maps
    assert "Research base score" not in maps  # not scored for districts
    assert "measured for districts themselves" in page


@pytest.mark.parametrize("query, words", [("areas=E47000001", "at least 2"),
                                          ("areas=" + ",".join(f"E4700000{i}" for i in range(1, 8)), "at most 6"),
                                          ("areas=E47000001,NOPE1", "NOPE1"),
                                          ("areas=TLC,E47000001", "North East (England) is not scored")])
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


@pytest.mark.parametrize("code", ["TLD33", "E08000003"])
def test_evidence_pack_pdf_renders_with_its_sections(client, tmp_path, code):
    assert shutil.which("pdftotext"), "poppler-utils is needed to read the PDF (scripts/test.sh installs it)"
    response = client.get(f"/atlas/areas/{code}/evidence-pack.pdf")
    assert response.status_code == 200 and response.content[:4] == b"%PDF"
    assert f'filename="locus-evidence-pack-{code}.pdf"' in response["Content-Disposition"]
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
    # a gap says its unit: "-0.15" alone read as a share or a pound figure in the strategy pack
    assert all("points on the 0-1 stage score" in note for note in weak.notes.values())
    # districts are assessed at the two stages they are scored on (ADR 0010), and say so
    district = weak_links_provider(Area.objects.get(code="E08000003"))
    links = sorted(m.WeakLink.objects.filter(area_code="E08000003", level="lad"), key=lambda w: w.gap)
    expected = [w.stage for w in links if w.is_weak] or [w.stage for w in links if w.gap < 0][:2]
    assert district is not None and district.stages == expected
    assert set(district.stages) <= {"formation", "productivity"}
    assert district.significant == frozenset(w.stage for w in links if w.is_weak)
    assert weak_links_provider(Area.objects.get(code="TLD3")) is None  # ITL2 regions are not scored


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
    assert count.licence == "Open Government Licence v3.0"  # the pack's business count names its licence
    assert f"businesses (ONS Business demography (active enterprises), 2024, {count.licence})" in pack
    peers = client.get("/policy/peers/E47000001/").content.decode()
    for header in ("IP and spin-outs score (0 to 1)", "Business R&amp;D and innovation finance score (0 to 1)"):
        assert f'govuk-table__header--numeric">{header}</th>' in peers, header


def test_a_combined_authority_ranking_is_named_by_the_authority_not_its_code(client):
    ranked = m.Opportunity.objects.exclude(scope__in=("national", "national_ca", "national_lad")).first()
    assert ranked is not None, "the bundled build ranks opportunities within Combined Authorities"
    ca = m.AtlasArea.objects.get(code=ranked.scope, level="ca")
    page = client.get(f"/atlas/areas/{ca.code}/").content.decode()
    assert f"(rank {ranked.rank} in {ca.name})" in page
    assert f"in {ca.code})" not in page


def test_labels_inside_sentences_keep_their_acronyms(client):
    profile = client.get("/atlas/areas/E47000001/").content.decode()
    assert "university or HE providers</li>" in profile and "he provider" not in profile
    place = client.get("/policy/places/E47000001/").content.decode()
    assert "business R&amp;D and innovation finance" in place or "IP and spin-outs" in place
    assert "business r&amp;d" not in place and "ip and spin-outs" not in place


def test_a_year_without_scores_says_so_in_words_that_keep_the_acronym():
    from locus.atlas.mapdata import map_data_get

    data = map_data_get(measure="stage:ip_spinouts", level="ca", year=1990)
    assert data.message == "No IP and spin-outs: stage score for Combined Authorities in 1990."


@pytest.mark.parametrize("code, level", [("TLD", "itl1"), ("TLD3", "itl2"), ("E92000001", "nation"),
                                         ("K02000001", "uk")])
def test_a_region_nation_or_the_uk_lists_the_opportunities_of_the_itl3_areas_inside_it(client, code, level):
    area = m.AtlasArea.objects.get(code=code, level=level)
    column = {"itl2": "parent_code", "itl1": "itl1_code", "nation": "nation_code"}.get(level)
    inside = set(m.AtlasArea.objects.filter(level="itl3", **({column: code} if column else {}))
                 .values_list("code", flat=True))
    expected = [o.area_code for o in m.Opportunity.objects.filter(scope="national").order_by("rank")
                if o.area_code in inside]
    assert expected or level != "uk"  # the national ranking is not empty
    page = client.get(f"/atlas/areas/{code}/").content.decode()
    section = page[page.index('id="opportunities"'):page.index('id="indicators"')]
    if expected:
        assert "No opportunity is ranked" not in section
        listed = re.findall(r'href="/atlas/areas/([A-Z0-9]+)/"', section)
        assert listed == expected, area.name
    else:
        assert "No opportunity is ranked" in section


def test_specialisation_names_sectors_in_words_not_identifiers(client):
    from locus.atlas.text import sector_label

    assert sector_label("services_textiles") == "Textiles (services)"
    assert sector_label("services_kibs") == "Knowledge-intensive business services (services)"
    assert sector_label("services_r_&_d") == "R&D (services)"
    assert sector_label("C (10-33) Manufacturing") == "C (10-33) Manufacturing"
    page = client.get("/atlas/areas/TLD33/").content.decode()
    section = page[page.index('id="specialisation"'):]
    section = section[:section.index("</section>")]
    assert not re.search(r"\b(services|manufacture|primary|construction)_[a-z]", section)
    assert re.search(r"<td class=\"govuk-table__cell\">[A-Z][^<_]+ \((services|manufacturing|primary industries|construction)\)</td>", section)


def test_an_unscored_region_points_down_to_its_scored_itl3_areas_with_links(client):
    page = client.get("/atlas/areas/TLD/").content.decode()
    inside = m.AtlasArea.objects.filter(level="itl3", itl1_code="TLD")
    assert f"Its {inside.count()} ITL3 areas are scored: open one listed beside the map." in page
    assert "for the pathway" not in page
    assert "ITL3 areas within it (scored)" in page
    for area in inside:
        assert f'href="/atlas/areas/{area.code}/"' in page
    uk = client.get("/atlas/areas/K02000001/").content.decode()
    assert "ITL3 areas are scored: open one on the atlas map or through the search box." in uk


@pytest.mark.parametrize("code", ["E08000003", "TLD33", "E47000001"])
def test_the_summary_calls_a_stage_weakest_only_when_it_is_below_the_median(client, code):
    from locus.atlas.profile import profile_get

    profile = profile_get(code=code)
    scored = [s for s in profile.pathway.stages if s.score is not None and s.national_median is not None]
    below = [s for s in scored if s.score < s.national_median]
    text = profile.headline.text
    assert ("weakest at" in text) == bool(below and len(scored) > 1)
    if scored and not below and len(scored) > 1:
        assert "is still at or above the median" in text
    assert ("No area in the atlas" not in client.get("/api/v1/opportunities?ca=TLD33").json()["detail"])


@pytest.mark.parametrize("path", ["/atlas/areas/K02000001/", "/atlas/areas/K02000001/evidence-pack.html"])
def test_the_uk_profile_is_not_read_against_a_median_of_itself(client, path):
    """The UK is a level of one: no "UK median of the UK", no "every United Kingdom", no empty median column."""
    html = client.get(path).content.decode()
    assert "Each indicator for the United Kingdom as a whole" in html
    for words in ("UK median of the UK", "every United Kingdom", "UK median (the UK)", "data-col=\"level\""):
        assert words not in html, words
    england = client.get("/atlas/areas/E92000001/").content.decode()  # a nation still has its level's median
    assert "the UK median of nations" in england and "UK median (nations)" in england


def test_the_map_pages_opportunities_keep_their_uncertainty(client):
    """Each listed opportunity says its research rank, the weak stage against what was expected and the
    gap with its 95% interval; no reason is cut off mid-sentence."""
    from locus.atlas import selectors as sel

    html = client.get("/atlas/").content.decode()
    section = html.split("Top investment opportunities")[1].split("</ol>")[0]
    items = section.split("<li>")[1:]
    assert len(items) == 5 and "..." not in section
    for o, item in zip(sel.opportunities_list(limit=5), items, strict=True):
        n = o.numbers
        assert f"rank {n['research_rank']} of {n['n_areas']}" in item
        assert f"gap {n['gap']:+.2f} (95% interval {n['lo']:+.2f} to {n['hi']:+.2f})" in item
        assert f"against {n['expected']:.2f} expected" in item


def test_a_year_without_data_stays_chosen_in_the_year_box(client):
    """The heading says "1950" and "No data"; the year box must say the same, not "Latest available"."""
    html = client.get("/atlas/", {"year": "1950"}).content.decode()
    select = html.split('id="year"')[1].split("</select>")[0]
    assert '<option value="1950" selected>1950 (no data)</option>' in select
    assert select.count(" selected") == 1
    latest = client.get("/atlas/").content.decode().split('id="year"')[1].split("</select>")[0]
    assert "(no data)" not in latest and " selected" not in latest  # the first option, latest, is chosen
