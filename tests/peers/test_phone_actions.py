"""On a phone the row's action comes first (QA H20 F11): the firm's survey table and the cost
ledger put their action column off-screen at 375 px. Each row now starts with the action (shown
only on narrow screens) and the action column is hidden there; on wider screens it is the other
way round, so the link is offered once at any width."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.peers.conftest import login
from tests.peers.test_costs import _record

pytestmark = pytest.mark.django_db
CSS = Path(__file__).resolve().parents[2] / "locus/peers/static/peers/peers.css"


def _first_cells(html: str, table_id: str) -> list[str]:
    start = html.index(f'id="{table_id}"')
    body = html[html.index("<tbody", start):html.index("</tbody>", start)]
    return [row.split("</td>")[0] for row in body.split('<tr class="govuk-table__row">')[1:]]


def test_the_css_swaps_the_copies_at_the_govuk_tablet_breakpoint():
    css = CSS.read_text()
    narrow = css[css.index("@media (max-width: 40.0525em) {\n  .peers-narrow-only"):]
    assert ".peers-narrow-only { display: block; }" in narrow
    assert ".peers-wide-only { display: none; }" in narrow
    assert ".peers-narrow-only { display: none; }" in css


def test_the_surveys_action_starts_its_row_on_a_phone(client, member):
    html = login(client, member).get("/peers/my/").content.decode()
    first = _first_cells(html, "surveys")
    assert first[0].split("<td", 1)[1].split(">", 1)[1].startswith(
        '<span class="peers-narrow-only peers-row-actions"><a class="govuk-link" '
        'href="/peers/my/diagnostic/?wave=baseline">Fill in')
    assert html.count('<th scope="col" class="govuk-table__header peers-wide-only">') == 1


def test_the_ledgers_actions_start_their_row_on_a_phone(client, programme, manager):
    entry = _record(programme)
    html = login(client, manager).get(f"/peers/{programme.slug}/costs/").content.decode()
    first = _first_cells(html, "ledger")[0]
    assert first.index("peers-narrow-only") < first.index(entry.incurred_on.strftime("%-d %b %Y"))
    assert f"/costs/{entry.pk}/correct/" in first and f"/costs/{entry.pk}/remove/" in first
