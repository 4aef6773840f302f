"""Pages on a phone (390 CSS px; WCAG 1.4.10 reflow): no page scrolls sideways; a table wider
than the screen scrolls inside its own box, which keyboard users can reach (a named, focusable
region) and which stays a plain box where the table fits. Every page is checked with axe-core."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import assert_accessible, assert_fits_phone

pytestmark = pytest.mark.e2e

# Pages with wide tables, long commands, a chart or free-text web addresses (each of these scrolled
# the whole page sideways on a phone before the fix).
PAGES = [
    "/", "/atlas/", "/atlas/compare/?areas=E47000001,E47000002,E47000003,E47000004",
    "/atlas/areas/E47000001/", "/atlas/areas/E47000001/evidence-pack.html", "/atlas/infrastructure/",
    "/docs/indicators.md", "/docs/", "/docs/methodology/grouping.md", "/collaboration/network/", "/collaboration/data/",
    "/collaboration/rule-sets/", "/policy/resources/", "/policy/cost-model/", "/policy/peers/E47000001/",
    "/policy/cases/stip-2021-3631/", "/policy/cases/imec/history/",
]


@pytest.mark.parametrize("path", PAGES)
def test_no_page_scrolls_sideways_on_a_phone(phone, live_url, path):
    response = phone.goto(live_url + path)
    assert response is not None and response.status == 200, path
    phone.wait_for_load_state("load")
    assert_fits_phone(phone)
    assert_accessible(phone)  # includes scrollable-region-focusable


def test_a_wide_table_scrolls_in_a_named_focusable_box(phone, browser, live_url):
    phone.goto(live_url + "/policy/resources/")
    phone.wait_for_load_state("load")
    box = phone.locator(".locus-table-scroll").first
    assert box.evaluate("b => b.scrollWidth > b.clientWidth")  # the table is wider than the phone
    assert box.get_attribute("tabindex") == "0" and box.get_attribute("role") == "region"
    assert "resources" in (box.get_attribute("aria-label") or "")
    box.focus()
    phone.keyboard.press("ArrowRight")
    phone.wait_for_function("document.querySelector('.locus-table-scroll').scrollLeft > 0")

    wide = browser.new_context(viewport={"width": 1280, "height": 900})
    desk = wide.new_page()
    desk.goto(live_url + "/policy/cases/imec/history/")
    desk.wait_for_load_state("load")
    box = desk.locator(".locus-table-scroll").first
    assert box.evaluate("b => b.scrollWidth <= b.clientWidth")
    assert box.get_attribute("tabindex") is None and box.get_attribute("role") is None  # fits: no extra tab stop
    wide.close()
