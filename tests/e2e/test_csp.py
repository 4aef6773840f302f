"""The Content-Security-Policy breaks nothing in a real browser: no script, style, worker or image is
refused on the pages that use the most (MapLibre maps in a web worker, charts, the API's Swagger page),
and the maps still draw (locus/web/csp.py). This test's browser enforces the policy (bypass_csp=False);
the other browser tests bypass it for their own injected scripts (conftest.py)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e


def test_no_page_has_anything_refused_by_the_policy_and_the_maps_draw(browser, live_url):
    context = browser.new_context(bypass_csp=False)
    page = context.new_page()
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text
            or "Refused to" in m.text else None)
    page.goto(live_url + "/atlas/")
    # a function, not an expression: Playwright evaluates an expression string with eval, which the policy refuses
    page.wait_for_function("() => window.atlasMapReady === true", timeout=30000)
    assert page.evaluate("() => window.atlasMapFeatureCount") >= 179  # the map drew, in its blob worker
    assert "js-enabled" in page.evaluate("() => document.body.className")  # the nonce'd inline line ran
    for path in ("/places/E47000001/", "/atlas/areas/E47000001/", "/atlas/compare/?areas=E47000001,E47000007",
                 "/policy/cost-model/", "/collaboration/check/", "/api/v1/docs"):
        page.goto(live_url + path)
        page.wait_for_load_state("networkidle")
    assert page.locator(".opblock").count() > 20  # Swagger UI ran from Locus's own files
    context.close()
    assert refused == []
