"""Policy pages through the test client: content, errors, the area section, the pack and its PDF."""

from __future__ import annotations

import html
import re
import shutil
import subprocess

import pytest

from locus.policy import hooks

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("policy_library")]


@pytest.mark.parametrize("path", [
    "/policy/", "/policy/cases/", "/policy/cases/?q=peer&stage=productivity",
    "/policy/cases/evolve-digital-trial/", "/policy/cases/stip-2021-4451/",
    "/policy/cases/imec/history/", "/policy/resources/", "/policy/resources/?role=elected_member",
    "/policy/resources/paths/ca_policy_officer/", "/policy/peers/", "/policy/peers/E47000003/",
    "/policy/cost-model/", "/policy/packs/", "/policy/packs/E47000001/", "/policy/places/",
    "/policy/places/E47000001/"])
def test_pages_render_for_visitors_without_cookies(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    assert not response.cookies
    assert "<h1" in response.content.decode()


def test_header_shows_policy_learning_and_data_sources_list_policy(client):
    page = client.get("/").content.decode()
    assert 'href="/policy/"' in page and "Policy learning" in page
    sources = client.get("/data-sources/").content.decode()
    assert "STIP Compass 2021" in sources and "Locus policy case library" in sources


def test_unknown_pages_are_404(client):
    for path in ("/policy/cases/nope/", "/policy/packs/E08000003/", "/policy/resources/paths/x/"):
        assert client.get(path).status_code == 404, path


def test_case_page_shows_sources_rating_unknowns_and_links(client):
    page = client.get("/policy/cases/evolve-digital-trial/").content.decode()
    assert "Level 4 of 5 on the Maryland Scientific Methods Scale" in page
    assert "rated 4, not 5" in page  # the editor's reason is shown with the rating
    assert 'id="source-1"' in page and "Reviewed by Locus team" in page
    assert "Related cases" in page
    imec = client.get("/policy/cases/imec/").content.decode()
    assert re.search(r'<span class="locus-unknown">unknown</span>', imec)  # scale
    ktp = client.get("/policy/cases/knowledge-transfer-partnerships/").content.decode()
    assert "/policy/cases/stip-2021-4451/" in ktp and "National programme" in ktp
    stip = client.get("/policy/cases/stip-2021-4451/").content.decode()
    assert "International instruments (OECD STIP Compass)" in stip
    assert "/policy/cases/knowledge-transfer-partnerships/" in stip
    assert "not reviewed by Locus" in stip and "STIP Compass records no evidence rating" in stip


def test_each_source_says_what_it_is_and_a_copy_says_whose_document_it_is(client):
    page = client.get("/policy/cases/evolve-digital-trial/").content.decode()
    for name in ("Evaluation", "Trial registration", "Programme page", "Other secondary source"):
        assert f'locus-source-kind">{name}</strong>' in page, name
    hubs = client.get("/policy/cases/growth-hubs/").content.decode()
    assert "copy held on webcachetest.london.gov.uk, not the publisher's own page" in hubs
    assert "ADD2239 Mentoring Programme (Greater London Authority, 5 July 2018)" in hubs
    catapult = client.get("/policy/cases/catapult-network/").content.decode()
    assert "copy held on vdocuments.net" in catapult and "17 November 2017" in catapult
    # A page whose sources are all the publishers' own says nothing about copies.
    assert "copy held on" not in page
    case = client.get("/api/v1/policy/cases/growth-hubs").json()
    kinds = [s["kind"] for s in case["sources"]]
    assert kinds == ["evaluation", "press", "evaluation", "official", "press"]
    assert case["sources"][3]["mirror_of"] == {"publisher": "Greater London Authority",
                                               "title": "ADD2239 Mentoring Programme",
                                               "date": "2018-07-05"}


def test_stip_web_addresses_without_a_scheme_link_out_not_into_locus(client):
    """STIP 3631 (Norway's 21-strategies) lists bare domains, two to a field; STIP 99994342
    gives "na". Every link out is absolute; no href is relative to the case page."""
    page = client.get("/policy/cases/stip-2021-3631/").content.decode()
    assert 'href="https://www.og21.no"' in page
    assert 'href="https://www.barnunge21.no"' in page and 'href="https://www.tranport21.no"' in page
    for case in ("stip-2021-3631", "stip-2021-99994342", "stip-2021-26398"):
        html = client.get(f"/policy/cases/{case}/").content.decode()
        assert not re.search(r'href="(?!https?://|/|#|mailto:)[^"]*"', html), case


def test_search_page_facets_and_no_results(client):
    page = client.get("/policy/cases/", {"q": "peer networks", "layer": "local"}).content.decode()
    assert "Remove filter" in page and 'name="stage"' in page and "beis-peer-networks" in page
    empty = client.get("/policy/cases/", {"q": "peer learnng"}).content.decode()
    assert 'id="no-results"' in empty and "Did you mean" in empty and "peer learning" in empty


def test_cost_model_page_default_edit_and_errors(client):
    page = client.get("/policy/cost-model/").content.decode()
    assert "£11,345,000 a year" in page and "within the brief" in page
    assert 'id="tornado"' in page and "<svg" in page and "Liberation Sans" in page
    edited = client.get("/policy/cost-model/", {"pn_firms_per_year": "12000"}).content.decode()
    assert "Your scenario" in edited and "above the brief" in edited
    bad = client.get("/policy/cost-model/", {"pn_group_size": "0", "pn_firms_per_year": "-1"})
    text = bad.content.decode()
    assert "<title>Error:" in text and "Firms per peer group must be at least 2" in text
    assert "cannot be negative" in text and 'href="#id_pn_group_size"' in text
    assert 'id="total"' not in text and 'id="tornado"' not in text  # no result


def test_area_page_shows_policy_cases_section(client):
    page = client.get("/places/E47000001/").content.decode()
    assert 'id="policy-cases"' in page and "creative-credits-manchester" in page
    assert "The atlas has not been built for Greater Manchester yet" in page
    assert "/policy/packs/E47000001/" in page


def test_pack_without_the_atlas_says_so_and_sizes_by_population(client):
    page = client.get("/policy/packs/E47000001/").content.decode()
    assert "The atlas has not been built for Greater Manchester" in page
    assert "sized by population" in page and "2,848,286" in page
    assert "255 firms a year in 26 groups" in page  # round(6,000 x share), ceil(255 / 10)
    assert "8 course places a year" in page
    assert page.count("<svg") >= 3 and "within the brief" in page
    # the national numbers that are shared out, and what they are, are in the pack
    assert ("of the cost model's UK-wide defaults of 6,000 firms and 200 course places a year, "
            "both Locus assumptions") in page
    assert "CC BY 4.0), default inputs, each with its source and the place in it" in page
    assert "the reason is given under each case" in page


def test_pack_pdf(client, tmp_path):
    response = client.get("/policy/packs/E47000002/pack.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    if shutil.which("pdffonts"):  # the font named in the CSS, the SVG text and the @page boxes
        target = tmp_path / "pack.pdf"
        target.write_bytes(pdf)
        fonts = subprocess.run(["pdffonts", str(target)], capture_output=True, text=True).stdout
        assert "Liberation-Sans" in fonts and "Helvetica" not in fonts
    assert "locus-strategy-pack-E47000002.pdf" in response["Content-Disposition"]


def test_extension_points_take_the_atlas_when_it_registers(client):
    """A stand-in for the atlas: weak links, a pack section and a business count."""

    def weak(area):
        return hooks.WeakLinks(["formation", "productivity"], "Test atlas, 2026",
                               {"formation": "Few new firms for the size of the place"})

    def section(area):
        return hooks.PackSection("Opportunities", "policy/_pack_section_list.html",
                                 {"items": [("Life sciences", "Strong research, few spin-outs")]},
                                 "Test atlas opportunities, 2026")

    def businesses(area):
        return hooks.BusinessCount(100_000, 2_500_000, "Test business register", "2025")

    hooks.WEAK_LINK_PROVIDERS.append(weak)
    hooks.PACK_SECTION_PROVIDERS.append(section)
    hooks.PLACE_FACT_PROVIDERS.append(businesses)
    def broken(area):
        raise RuntimeError("a provider with a bug")

    try:
        area_page = client.get("/places/E47000001/").content.decode()
        assert "Weak links: Test atlas, 2026" in area_page
        assert "Few new firms for the size of the place" in area_page
        pack = client.get("/policy/packs/E47000001/").content.decode()
        assert "Weakest stage: Business formation and scale-up" in pack
        assert "Next weakest: Productivity outcome" in pack
        assert "Test atlas opportunities, 2026" in pack and "has not been built" not in pack
        assert "Strong research, few spin-outs" in pack
        assert "100,000 of the UK&#39;s 2,500,000 businesses" in pack
        assert "240 firms a year" in pack  # 6,000 x 4%
        hooks.PACK_SECTION_PROVIDERS.append(broken)
        pack = client.get("/policy/packs/E47000001/").content.decode()
        assert 'id="atlas-failed"' in pack and "Test atlas opportunities, 2026" in pack
        hooks.PACK_SECTION_PROVIDERS.remove(broken)
    finally:
        hooks.WEAK_LINK_PROVIDERS.remove(weak)
        hooks.PACK_SECTION_PROVIDERS.remove(section)
        hooks.PLACE_FACT_PROVIDERS.remove(businesses)


def test_a_learning_path_names_the_role_as_written(client):
    page = client.get("/policy/resources/paths/ca_policy_officer/").content.decode()
    assert "Learning path for a Combined Authority policy officer" in page


@pytest.mark.parametrize("path", ["/policy/places/", "/policy/peers/", "/policy/packs/"])
@pytest.mark.parametrize("value", [" ", "a/b", "../x"])
def test_a_blank_or_odd_authority_choice_shows_the_chooser_not_a_server_error(client, path, value):
    response = client.get(path, {"ca": value})
    assert response.status_code == 200


def test_case_pages_show_no_notes_meant_for_maintainers(client):
    """Audit notes stay in the data files; readers see the public note and what was not checked."""
    from locus.policy.models import Case

    page = client.get("/policy/cases/business-basics-programme/").content.decode()
    assert "Total budget of the fund." in page  # not_verified is shown
    assert "750 micro-businesses" not in page and "not found again" not in page  # maintainer_notes
    for slug in Case.objects.filter(origin="bundled").values_list("slug", flat=True):
        page = client.get(f"/policy/cases/{slug}/").content.decode()
        for marker in ("Audit 2026", "search tool", "stored copy", "pages corpus", "staging domain"):
            assert marker not in page, (slug, marker)
    apc = client.get("/policy/cases/apc-collaboration-requirements/").content.decode()
    assert "Title given by Locus, from the web address or page text." in apc  # public note kept
    assert "www.apcuk.co.uk/news-events/news/vehicles-of-the-future" in apc
    assert "bydesignreligion" not in apc


def test_a_budget_in_pounds_is_shown_with_the_pound_sign(client):
    """A policymaker reads £20,000,000, not 'GBP 20,000,000'; other currencies keep their code."""
    page = client.get("/policy/cases/beis-peer-networks/").content.decode()
    budget = page[page.index('id="budget"'):page.index("</dd>", page.index('id="budget"'))]
    assert "£20,000,000" in budget and "GBP" not in budget


def test_the_packs_peers_say_how_they_differ_from_the_atlas_neighbours(client):
    """Section 1 (from the atlas) names statistical neighbours and section 4 lists other peer
    authorities: the pack says why the two lists differ, and says nothing of it without section 1."""
    from locus.policy import hooks

    def section(area):
        return hooks.PackSection("Stand-in atlas section", "policy/_pack_section_list.html",
                                 {"intro": "Its statistical neighbours are A; B."}, "Test")

    without = client.get("/policy/packs/E47000001/").content.decode()
    assert "need not be the atlas's statistical neighbours" not in without
    hooks.PACK_SECTION_PROVIDERS.append(section)
    try:
        page = client.get("/policy/packs/E47000001/").content.decode()
    finally:
        hooks.PACK_SECTION_PROVIDERS.remove(section)
    assert "Stand-in atlas section" in page
    assert "need not be the atlas&#39;s statistical neighbours named in section 1" in page \
        or "need not be the atlas's statistical neighbours named in section 1" in page


def test_the_peers_page_says_why_its_peers_are_not_the_atlas_neighbours(client):
    """QA H25 polish: with the atlas's stage scores in the matching, the page says in one sentence why
    its peers differ from the statistical neighbours on the atlas profile (as the pack's section 4)."""
    from locus.policy import hooks
    from locus.policy.peers import Feature

    def features(areas):
        return ([Feature("atlas_formation", "formation score", "score (0-1)", "Test atlas, 2026")],
                {"atlas_formation": [0.1 * (i % 7) for i in range(len(areas))]})

    without = client.get("/policy/peers/E47000009/").content.decode()
    assert 'id="not-neighbours"' not in without
    hooks.PEER_FEATURE_PROVIDERS.append(features)
    try:
        page = html.unescape(client.get("/policy/peers/E47000009/").content.decode())
    finally:
        hooks.PEER_FEATURE_PROVIDERS.remove(features)
    sentence = re.search(r'id="not-neighbours">(.*?)</p>', page, re.S).group(1)
    assert "need not be the statistical neighbours" in sentence and "not as places to learn with" in sentence
    assert 'href="/atlas/areas/E47000009/"' in sentence


def test_the_case_page_gives_its_rating_in_words(client):
    page = client.get("/policy/cases/creative-credits-manchester/").content.decode()
    top = page[page.index('id="rating-tag"'):page.index('id="summary"')]
    assert "Evidence rating: 4 of 5" in top and "Maryland Scientific Methods Scale" in top and "SMS" not in top
