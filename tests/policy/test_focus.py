"""A Combined Authority's starting page: its weakest stage from the atlas (a stand-in here) and the
rated cases for that stage, best evidence first, then the closest place."""

from __future__ import annotations

import re

import pytest

from locus.policy import hooks
from locus.policy.focus import SIMILARITY_WORDS, similarity_words

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("policy_library")]
ROW = re.compile(r'<tr class="govuk-table__row" data-rating="(\d)" data-similarity="([0-9.]+)">\s*'
                 r'<td class="govuk-table__cell"><a class="govuk-link" href="/policy/cases/([a-z0-9-]+)/">')


@pytest.fixture
def stand_in_atlas():
    def weak(area):
        return hooks.WeakLinks(["business_rd_finance", "ip_spinouts"], "Test atlas, 2026",
                               {"business_rd_finance": "No weak link; the largest shortfall: gap -0.15"})

    hooks.WEAK_LINK_PROVIDERS.append(weak)
    yield
    hooks.WEAK_LINK_PROVIDERS.remove(weak)


def test_the_weakest_stage_and_its_cases_in_order(client, stand_in_atlas):
    from locus.policy.models import Case, Layer, Status, TagKind

    page = client.get("/policy/places/E47000001/").content.decode()
    assert re.search(r'id="weakest-stage">Business R&amp;D and innovation finance<', page)
    assert "No weak link; the largest shortfall: gap -0.15." in page and "Test atlas, 2026" in page
    assert "Weakest stage: Business R&amp;D and innovation finance" in page
    assert "Next weakest: IP and spin-outs" in page
    table = page[page.index('id="cases-business_rd_finance"'):page.index('id="stage-ip_spinouts"')]
    rows = [(int(r), float(s), slug) for r, s, slug in ROW.findall(table)]
    assert rows, "no case rows"
    assert [r[:2] for r in rows] == sorted([r[:2] for r in rows], key=lambda k: (-k[0], -k[1]))
    # Oracle: no published local case for this stage that is left out has a better rating than the
    # worst one shown.
    tagged = Case.objects.filter(status=Status.PUBLISHED, layer=Layer.LOCAL, tags__kind=TagKind.STAGE,
                                 tags__code="business_rd_finance").distinct()
    shown = {slug for *_, slug in rows}
    assert shown <= set(tagged.values_list("slug", flat=True))
    worst = rows[-1][0]
    assert all((c.sms_rating or 0) <= worst for c in tagged if c.slug not in shown)
    assert 'href="/policy/packs/E47000001/pack.pdf"' in page and "Download the strategy evidence pack (PDF)" in page


def test_a_provider_may_say_which_stages_are_significant(client):
    def weak(area):
        return hooks.WeakLinks(["formation"], "Test atlas, 2026", {}, significant=frozenset({"formation"}))

    hooks.WEAK_LINK_PROVIDERS.append(weak)
    try:
        page = client.get("/policy/places/E47000001/").content.decode()
        assert 'id="weakest-kind"' in page and ">Weak link<" in page
    finally:
        hooks.WEAK_LINK_PROVIDERS.remove(weak)
    page = client.get("/policy/places/E47000001/").content.decode()
    assert 'id="weakest-kind"' not in page  # no provider: no weakest stage at all


def test_without_the_atlas_the_page_says_so_and_guesses_nothing(client):
    page = client.get("/policy/places/E47000004/").content.decode()
    assert 'id="atlas-missing"' in page and 'id="weakest"' not in page
    assert "cannot say which stage of its pathway is weakest" in page


def test_choosing_a_place_from_the_policy_home(client):
    home = client.get("/policy/").content.decode()
    assert 'action="/policy/places/"' in home and "Show weak links and cases" in home
    response = client.get("/policy/places/", {"ca": "e47000001"})
    assert response.status_code == 302 and response["Location"] == "/policy/places/E47000001/"
    assert client.get("/policy/places/E08000003/").status_code == 404  # a district, not a CA


@pytest.mark.parametrize("score", [1.0, 0.95, 0.9, 0.8, 0.6, 0.5, 0.3, 0.2, 0.0])
def test_similarity_words_cover_every_score(score):
    words = similarity_words(score)
    assert words in {w for _, w in SIMILARITY_WORDS}
    floors = [f for f, _ in SIMILARITY_WORDS if score >= f]
    assert words == dict(SIMILARITY_WORDS)[max(floors)]
