"""Guides and methodology as pages: every room's methods can be read and cited in the browser."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db
DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_the_index_lists_every_guide_and_methodology_and_each_opens(client):
    page = client.get("/docs/").content.decode()
    assert "<h1 class=\"govuk-heading-xl\">Guides and methodology</h1>" in page
    hrefs = re.findall(r'<li><a class="govuk-link" href="([^"]+)">', page)
    expected = {f"/docs/{p.relative_to(DOCS).as_posix()}" for folder in ("methodology", "guide", "adr")
                for p in (DOCS / folder).glob("*.md")} - {"/docs/methodology/atlas.md"}
    expected |= {"/atlas/methodology/", "/docs/indicators.md", "/docs/cli.md"}
    assert set(hrefs) == expected
    for href in hrefs:
        response = client.get(href)
        assert response.status_code == 200, href
    assert "Peer networks: scores, outcomes, funnel and unit costs" in page  # titled by the document


def test_a_methodology_page_says_how_to_cite_it_and_links_to_its_neighbours(client):
    page = client.get("/docs/methodology/peer-outcomes.md").content.decode()
    assert "<title>Peer networks: scores, outcomes, funnel and unit costs" in page
    assert 'id="management-practices-score-ons-mes-approach"' in page
    assert "Cite it as: Locus, Peer networks: scores, outcomes, funnel and unit costs, section N" in page
    assert 'href="/docs/"' in page  # the breadcrumb back to the index
    guide = client.get("/docs/guide/peer-networks.md").content.decode()
    assert "Cite it as" not in guide


@pytest.mark.parametrize("path, target", [
    ("/peers/", "/docs/methodology/peer-outcomes.md"),
    ("/collaboration/", "/docs/methodology/collaboration.md"),
    ("/policy/cost-model/", "/docs/methodology/policy.md#cost-model"),
    ("/places/E47000001/", "/docs/methodology/geography.md"),
    ("/", "/docs/"),
])
def test_each_room_links_to_its_methodology(client, path, target):
    page = client.get(path, follow=True).content.decode()
    assert f'href="{target}"' in page, path


def test_only_documents_inside_docs_are_served(client):
    for bad in ("/docs/../README.md", "/docs/nothing.md", "/docs/adr/../../pyproject.md", "/docs/methodology/"):
        assert client.get(bad).status_code == 404, bad
