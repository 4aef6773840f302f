"""Atlas journeys in a real browser: map, table, profile, comparison, evidence pack, downloads."""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import AXE, assert_accessible

pytestmark = pytest.mark.e2e
HIT = """() => {
  const map = window.atlasMap, box = map.getCanvas().getBoundingClientRect();
  for (let y = 40; y < box.height - 40; y += 12) for (let x = 40; x < box.width - 60; x += 12) {
    const f = map.queryRenderedFeatures([x, y], {layers: ["areas-fill"]});
    if (f.length) return {x: x, y: y, code: f[0].properties.code};
  }
  return null;
}"""


def _table_values(page: Page) -> dict[str, str]:
    return page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('#map-table tbody tr')]
        .map(tr => [tr.dataset.code, tr.querySelector('[data-value]').dataset.value]))""")


def test_map_switch_indicator_and_level_read_the_table_and_open_a_profile(page: Page, live_url):
    page.goto(live_url + "/")
    page.get_by_role("link", name="Atlas", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Where research turns into firms")
    page.wait_for_function("window.atlasMapReady === true", timeout=30000)
    assert page.evaluate("window.atlasMapFeatureCount") >= 179
    expect(page.locator("#map-table tbody tr")).to_have_count(179)
    assert_accessible(page)

    page.get_by_label("What to map").select_option(label="GVA per hour worked")
    page.get_by_label("Geography").select_option(label="Combined Authorities")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"measure=ind%3Agva_per_hour.*level=ca|level=ca.*measure=ind%3Agva_per_hour"))
    page.wait_for_function("window.atlasMapReady === true", timeout=30000)
    expect(page.locator("#map-table tbody tr")).to_have_count(15)
    # The table alternative holds the same numbers as the map's data.
    data = page.evaluate("window.atlasMapData")
    table = _table_values(page)
    assert set(table) == set(data["values"])
    for code, text in table.items():
        value = data["values"][code]["value"]
        assert (text == "" and value is None) or float(text) == pytest.approx(value)
    expect(page.locator("#map-legend")).to_contain_text("No data")
    assert_accessible(page)

    page.get_by_role("link", name="Area", exact=True).click()  # sort the table by name
    names = page.locator("#map-table tbody tr td:nth-child(2) a").all_inner_texts()
    assert names == sorted(names)

    page.wait_for_function("window.atlasMapReady === true", timeout=30000)
    page.locator("#atlas-map").scroll_into_view_if_needed()
    hit = page.evaluate(HIT)
    assert hit, "no area under the map"
    box = page.locator("#atlas-map canvas").bounding_box()
    page.mouse.move(box["x"] + hit["x"], box["y"] + hit["y"])
    expect(page.locator("#map-info")).to_contain_text("Rank")
    page.mouse.click(box["x"] + hit["x"], box["y"] + hit["y"])
    expect(page).to_have_url(re.compile(rf"/atlas/areas/{hit['code']}/$"))
    expect(page.locator("#headline")).to_contain_text("In short")
    expect(page.locator("#pathway-table tbody tr")).to_have_count(6)
    assert_accessible(page)


def test_compare_two_combined_authorities_and_an_itl3_area(page: Page, live_url):
    page.goto(live_url + "/atlas/compare/")
    page.get_by_role("button", name="Compare").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("at least 2")
    assert_accessible(page)
    page.get_by_label("Greater Manchester").check()
    page.get_by_label("West Yorkshire").check()
    page.get_by_label("Place 1").fill("Sheffield (ITL3 area, TLE32)")  # as picked from the suggestions
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("heading", level=2, name=re.compile("Greater Manchester, West Yorkshire, Sheffield"))).to_be_visible()
    expect(page.locator("#compare-pathway thead th")).to_have_count(6)  # stage + 3 places + each level's median
    expect(page.locator("#mixed-levels")).to_contain_text("median of its own level")
    options = page.evaluate("document.querySelectorAll('#atlas-places option').length")
    assert options > 500  # every CA, ITL3 area and district is suggested
    assert_accessible(page)
    share = page.locator("#share-link").get_attribute("href")
    page.goto(live_url + share)
    expect(page.locator("#compare-indicators")).to_contain_text("GVA per hour worked")
    assert_accessible(page)


def test_from_the_home_page_to_a_ca_evidence_pack_pdf(page: Page, live_url, tmp_path):
    """The "done when" journey: a new CA analyst, clicking only what the pages show."""
    started = time.monotonic()
    page.goto(live_url + "/")
    assert_accessible(page)
    page.get_by_role("link", name="Find your area in the atlas and download its evidence pack").click()
    expect(page.get_by_role("heading", name="Find your area: profile and evidence pack")).to_be_visible()
    assert_accessible(page)
    page.locator("#ca-list").get_by_role("link", name="Greater Manchester", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Greater Manchester")
    assert_accessible(page)
    with page.expect_download(timeout=60000) as download:
        # GOV.UK attachment style: the link says its format and, before the first download, the wait
        page.get_by_role("link", name=re.compile(r"^Evidence pack \(PDF, (may take up to 15 seconds the first time"
                                                 r"|[\d.]+ [KM]B, \d+ pages)\)$")).click()
    assert download.value.suggested_filename == "locus-evidence-pack-E47000001.pdf"
    pdf = Path(download.value.path())
    assert pdf.read_bytes()[:4] == b"%PDF"
    assert time.monotonic() - started < 60  # a new user, home page to PDF, in under a minute
    assert shutil.which("pdftoppm") and shutil.which("pdftotext"), "poppler-utils is needed to check the PDF"
    for number in (1, 3):
        subprocess.run(["pdftoppm", "-r", "30", "-gray", "-f", str(number), "-l", str(number), str(pdf),
                        str(tmp_path / f"p{number}")], check=True)
        pgm = next(tmp_path.glob(f"p{number}*.pgm")).read_bytes()
        pixels = pgm[pgm.index(b"255\n") + 4:]
        assert sum(1 for b in pixels if b < 200) > len(pixels) * 0.01, f"page {number} of the pack is blank"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for heading in ("Greater Manchester", "Contents", "Summary", "Maps", "Pathway against its neighbours",
                    "Weak links", "Opportunities", "Indicators over time", "Specialisation", "Universities and",
                    "Methodology", "Sources and licences"):
        assert heading in text, heading
    page.goto(live_url + "/atlas/areas/E47000001/evidence-pack.html")
    expect(page.locator("#sources")).to_contain_text("Open Government Licence")
    assert_accessible(page)


def test_find_your_area_by_typing_its_name(page: Page, live_url):
    page.goto(live_url + "/atlas/")
    page.get_by_label("Name or code of a Combined Authority").fill("Sheffield")
    page.get_by_role("button", name="Find area").click()
    expect(page.locator("#find-results")).to_contain_text("Sheffield")  # the ITL3 area and the district
    page.locator("#find-results").get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sheffield")
    page.goto(live_url + "/atlas/")
    page.get_by_role("button", name="Find area").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the name, code or postcode")
    assert_accessible(page)


def test_the_map_is_usable_with_the_keyboard(page: Page, live_url):
    page.goto(live_url + "/atlas/?measure=stage%3Aresearch&level=ca")
    page.wait_for_function("window.atlasMapReady === true", timeout=30000)
    data = page.evaluate("window.atlasMapData")
    ranked = sorted((v["rank"], code) for code, v in data["values"].items() if v["rank"] is not None)
    page.locator("#show-map").focus()
    for _ in range(40):  # Tab from the form's button until the map has focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "atlas-map":
            break
    assert page.evaluate("document.activeElement.id") == "atlas-map"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # a visible focus style
    expect(page.locator("#map-keys")).to_be_visible()

    def focused_state(code):
        return page.evaluate(f"window.atlasMap.getFeatureState({{source: 'areas', id: '{code}'}}).focused === true")

    page.keyboard.press("ArrowRight")
    first = ranked[0][1]
    name = data["values"][first]["name"]
    expect(page.locator("#map-announce")).to_contain_text(f"{name}: ")
    expect(page.locator("#map-announce")).to_contain_text(f"rank 1 of {data['n_with_data']}")
    expect(page.locator("#map-announce")).to_contain_text("Source: ")
    assert focused_state(first)
    page.keyboard.press("ArrowRight")
    second = ranked[1][1]
    expect(page.locator("#map-announce")).to_contain_text(f"{data['values'][second]['name']}: ")
    assert focused_state(second) and not focused_state(first)
    page.keyboard.press("End")
    page.keyboard.press("Home")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowRight")  # wraps round and back to the first
    expect(page.locator("#map-info")).to_contain_text(name)
    assert_accessible(page)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/atlas/areas/{first}/$"))


def test_a_map_of_survey_estimates_reads_bands_not_exact_ranks(page: Page, live_url):
    """APS, BRES, BERD and GVA values have no interval shown: the map says nearby ranks may not differ, the
    keyboard announcement and the info box give the place's band, and the table has a Band column."""
    page.goto(live_url + "/atlas/?measure=ind%3Anvq4_share&level=itl3")
    page.wait_for_function("window.atlasMapReady === true", timeout=30000)
    data = page.evaluate("window.atlasMapData")
    assert data["rank_caution"]
    first = min((v["rank"], code) for code, v in data["values"].items() if v["rank"] is not None)[1]
    band = data["values"][first]["band"]
    assert band.startswith("1 of 5: ")
    expect(page.locator("#rank-caution")).to_contain_text("places a few ranks apart may not really differ")
    expect(page.locator("#table-rank-caution")).to_contain_text("Ranks are not exact.")
    expect(page.get_by_role("columnheader", name="Band")).to_be_visible()
    page.locator("#atlas-map").focus()
    page.keyboard.press("ArrowRight")
    expect(page.locator("#map-announce")).to_contain_text(f"band {band}; places a few ranks apart may not really differ")
    expect(page.locator("#map-info")).to_contain_text(f"Band {band}.")
    announced = page.locator("#map-announce").inner_text()
    assert "Source" in announced and ".." not in announced  # QA H25 polish: "... (Nesta 2021).. Area 1" had two
    assert announced.endswith("Press Enter to open its profile.")
    assert_accessible(page)


def test_download_the_map_as_csv_and_check_its_rows(page: Page, live_url):
    page.goto(live_url + "/atlas/?measure=stage%3Aresearch&level=ca")
    rows = page.locator("#map-table tbody tr").count()
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV of this map's values").click()
    with open(download.value.path(), encoding="utf-8") as handle:
        data = list(csv.DictReader(handle))
    assert len(data) == rows == 15
    assert all(r["licence"] for r in data)
    table = _table_values(page)
    for r in data:
        assert (r["value"] == "" and table[r["area_code"]] == "") or float(r["value"]) == pytest.approx(float(table[r["area_code"]]))


def test_other_atlas_pages_are_accessible(page: Page, live_url):
    for path, heading in (("/atlas/infrastructure/", "Commercialisation infrastructure"),
                          ("/atlas/downloads/", "Atlas downloads"), ("/atlas/methodology/", "Atlas methodology"),
                          ("/docs/indicators.md", "indicator catalogue"), ("/atlas/go/?area=york", "Find an area"),
                          ("/atlas/areas/E08000003/", "Manchester")):
        page.goto(live_url + path)
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        assert_accessible(page)
    page.goto(live_url + "/atlas/?measure=stage%3Aresearch&level=lad")  # no data at this level: drawn as such
    page.wait_for_function("window.atlasMapReady === true", timeout=30000)
    expect(page.locator("#map-message")).to_contain_text("No data")
    expect(page.locator("#map-message")).to_contain_text("Not scored at district level")
    assert page.evaluate("window.atlasMapFeatureCount") >= 361
    page.goto(live_url + "/atlas/?measure=stage%3Aformation&level=lad")  # scored for districts (ADR 0010)
    page.wait_for_function("window.atlasMapReady === true", timeout=30000)
    expect(page.locator("#map-message")).to_have_count(0)
    expect(page.locator('tr[data-code="E08000003"]')).to_contain_text("Manchester")
    assert_accessible(page)
    page.goto(live_url + "/atlas/?measure=stage%3Aresearch")
    page.wait_for_function("window.atlasMapReady === true", timeout=30000)
    expect(page.locator("#sites-legend-table")).not_to_be_visible()  # the legend opens with the layer
    page.get_by_label("Show commercialisation infrastructure").check()
    page.wait_for_function("window.atlasSitesCount > 100", timeout=20000)
    expect(page.locator("#sites-legend-table")).to_be_visible()
    expect(page.locator("#sites-legend-table")).to_contain_text("University or HE provider")
    expect(page.locator("#sites-overlay-key")).to_be_visible()  # the key over the map
    expect(page.locator("#sites-overlay-key")).to_contain_text("Makerspace")
    assert_accessible(page)
    page.get_by_label("Show commercialisation infrastructure").uncheck()
    expect(page.locator("#sites-legend-table")).not_to_be_visible()
    expect(page.locator("#sites-overlay-key")).to_be_hidden()
    assert_accessible(page)


def test_the_map_page_reads_without_javascript(browser, live_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_url + "/atlas/?measure=gap%3Aformation&level=ca")
    expect(page.locator("#map-table tbody tr")).to_have_count(15)
    expect(page.locator("#map-legend")).to_contain_text("Weak link")
    page.get_by_text("Infrastructure layer: what each symbol means").click()  # details open without JS
    expect(page.locator("#sites-legend-table")).to_contain_text("Makerspace")
    page.get_by_label("Name or code of a Combined Authority").fill("West Yorkshire")
    page.get_by_role("button", name="Find area").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("West Yorkshire")
    page.goto(live_url + "/atlas/compare/")  # the compare picker without JavaScript
    page.get_by_label("Greater Manchester").check()
    page.get_by_label("Place 1").fill("sheffield (ITL3 area, TLE32)")
    page.get_by_label("Place 2").fill("Cardiff")
    page.get_by_role("button", name="Compare").click()
    expect(page.locator("#compare-heading")).to_have_text("Greater Manchester, Sheffield, Cardiff")
    expect(page.locator("#mixed-levels")).to_contain_text("median of all ITL3 areas")
    context.close()


# Every chart drawn on the page (display:none ones have no box): its rendered width, and each text's
# rendered font size (font-size in the drawing's units times the drawing's scale) and box.
CHART_TEXT = """() => [...document.querySelectorAll('svg.locus-chart')]
  .filter(s => s.getBoundingClientRect().width > 0).map(s => {
    const box = s.getBoundingClientRect(), k = box.width / s.viewBox.baseVal.width;
    return {name: s.getAttribute('aria-label'), cls: s.getAttribute('class'), right: box.right,
            texts: [...s.querySelectorAll('text')].map(t => {
              const r = t.getBoundingClientRect();
              return {px: parseFloat(t.getAttribute('font-size')) * k, label: t.textContent,
                      cls: t.getAttribute('class') || '', box: [r.left, r.top, r.right, r.bottom]};
            })};
  })"""


def _overlap(a, b) -> bool:
    return a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5


@pytest.mark.parametrize("path, tables", [
    ("/atlas/areas/TLD33/", ["#pathway-table", "#weak-links-table"]),
    ("/atlas/areas/E08000003/", ["#pathway-table"]),
    ("/atlas/compare/?areas=E47000001,E47000002,E47000003,E47000004", ["table"]),
    ("/atlas/areas/TLD33/evidence-pack.html", ["#pathway-table", "#weak-links-table"]),
    ("/atlas/areas/E47000001/evidence-pack.html", ["#pathway-table"]),
])
def test_atlas_charts_are_readable_on_a_375_px_phone(browser, live_url, path, tables):
    context = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(live_url + path)
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing scrolls sideways
    charts = page.evaluate(CHART_TEXT)
    assert any("Pathway stage scores" in c["name"] for c in charts)
    for chart in charts:
        assert chart["right"] <= 375 + 0.5, chart["name"]
        small = [(t["label"], round(t["px"], 1)) for t in chart["texts"] if t["px"] < 12]
        assert not small, f"{chart['name']}: text under 12 px on a phone: {small[:5]}"
        labels = [t for t in chart["texts"] if t["cls"] in ("stage-label", "sector-label")]
        clashes = [(a["label"], b["label"]) for i, a in enumerate(labels) for b in labels[i + 1:]
                   if _overlap(a["box"], b["box"])]
        assert not clashes, f"{chart['name']}: labels overlap: {clashes[:3]}"
    for table in tables:  # the numbers stay in a table under each chart
        expect(page.locator(table).first).to_be_attached()
        assert page.locator(table).first.locator("tbody tr").count() >= 2
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 900})  # a wide screen gets the wide drawing back
    wide = page.evaluate(CHART_TEXT)
    assert wide and all("locus-chart--narrow" not in c["cls"] for c in wide)
    assert any("locus-chart--wide" in c["cls"] for c in wide)
    context.close()


# Every text on the page as drawn: a chart's text at its computed font size times the drawing's scale,
# any other text at its computed font size; both times the page's zoom (a page wider than the screen is
# shown zoomed out on a phone, shrinking everything on it).
RENDERED_TEXT = """() => {
  const zoom = window.visualViewport ? window.visualViewport.scale : 1, out = {charts: [], small: []};
  for (const s of document.querySelectorAll('svg.locus-chart')) {
    const box = s.getBoundingClientRect();
    if (!box.width) continue;  // not drawn at this width (display: none)
    const k = box.width / s.viewBox.baseVal.width;
    out.charts.push({name: s.getAttribute('aria-label'), cls: s.getAttribute('class'), width: box.width,
      texts: [...s.querySelectorAll('text')].map(t => ({label: t.textContent,
        px: parseFloat(getComputedStyle(t).fontSize) * k * zoom, right: t.getBoundingClientRect().right - box.right}))});
  }
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('svg') || el.closest('.govuk-visually-hidden')) continue;
    if (![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
    const r = el.getBoundingClientRect(), style = getComputedStyle(el);
    if (!r.width || !r.height || style.visibility === 'hidden') continue;
    const px = parseFloat(style.fontSize) * zoom;
    if (px < 12) out.small.push([el.tagName + '.' + el.className, el.textContent.trim().slice(0, 40), px]);
  }
  const h1 = document.querySelector('h1');
  out.h1 = h1.getBoundingClientRect().top + window.scrollY;
  out.zoom = zoom;
  out.width = document.documentElement.scrollWidth;
  return out;
}"""


@pytest.mark.parametrize("path", [
    "/atlas/areas/E47000007/", "/atlas/areas/E08000003/", "/atlas/compare/?areas=E47000001,E47000007",
    "/atlas/areas/E47000007/evidence-pack.html", "/atlas/areas/TLD33/evidence-pack.html",
])
def test_no_text_is_under_12_px_on_a_320_px_screen(browser, live_url, path):
    """WCAG's reflow width (320 CSS px): the phone drawings were 340 units wide, shown 290 px wide on the
    profile and compare pages (their 12-unit text read at 10.2 px) and 304 px on the pack's page (10.7
    px); the pack's own small print was 8.5pt (11.3 px) and its cover kept 40 mm of print margin above
    the title. Now every chart text and every other text is at least 12 px as drawn, and the pack's
    title is near the top."""
    context = browser.new_context(viewport={"width": 320, "height": 700}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(live_url + path)
    page.wait_for_load_state("load")
    found = page.evaluate(RENDERED_TEXT)
    assert found["width"] <= 320 and found["zoom"] == 1, (found["width"], found["zoom"])
    narrow = [c for c in found["charts"] if "locus-chart--narrow" in c["cls"]]
    assert narrow and any("Pathway stage scores" in c["name"] for c in narrow)
    assert not [c["name"] for c in found["charts"] if "locus-chart--wide" in c["cls"]]
    for chart in found["charts"]:
        small = [(t["label"], round(t["px"], 1)) for t in chart["texts"] if t["px"] < 12]
        assert not small, f"{chart['name']}: text under 12 px at 320 px: {small[:5]}"
        outside = [t["label"] for t in chart["texts"] if t["right"] > 0.5]
        assert not outside, f"{chart['name']}: text runs past the drawing: {outside[:3]}"
    assert not found["small"], f"{path}: text under 12 px at 320 px: {found['small'][:5]}"
    if "evidence-pack" in path:
        assert found["h1"] < 120, f"the pack's title starts {found['h1']:.0f} px down the page"
    context.close()


CAPTIONS = """() => [...document.querySelectorAll('.locus-table-scroll')]
  .filter(box => box.scrollWidth > box.clientWidth + 1 && box.querySelector(':scope > table > caption'))
  .map(box => {
    const cap = box.querySelector(':scope > table > caption');
    if (cap.classList.contains('govuk-visually-hidden') || !cap.getClientRects().length) return null;
    const edges = () => {
      const range = document.createRange(); range.selectNodeContents(cap);
      const rects = [...range.getClientRects()].filter(r => r.width > 0), b = box.getBoundingClientRect();
      return {left: Math.min(...rects.map(r => r.left)) - b.left, right: Math.max(...rects.map(r => r.right)) - b.right};
    };
    const start = edges();
    box.scrollLeft = box.scrollWidth;  // scrolled to the table's far end, the caption stays in view
    const end = edges();
    box.scrollLeft = 0;
    return {caption: cap.textContent.trim(), start: start, end: end};
  }).filter(c => c)"""


@pytest.mark.parametrize("path", ["/atlas/", "/atlas/areas/E47000001/", "/atlas/areas/E47000001/evidence-pack.html",
                                  "/atlas/compare/?areas=E47000001,E47000002,E47000003,E47000004"])
def test_a_scrolling_tables_caption_is_readable_in_full_on_a_375_px_phone(browser, live_url, path):
    """A table wider than the phone scrolls in its box, but its caption wraps inside the box's visible
    width and stays in view while the table scrolls, instead of running off the right edge."""
    context = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(live_url + path)
    page.wait_for_load_state("load")
    captions = page.evaluate(CAPTIONS)
    assert captions, f"{path}: no scrolling table with a visible caption to check"
    cut = [(c["caption"][:50], c["start"], c["end"]) for c in captions
           if c["start"]["right"] > 0.5 or c["end"]["right"] > 0.5 or c["end"]["left"] < -0.5]
    assert not cut, f"{path}: captions run past the edge of their scrolling box: {cut[:3]}"
    context.close()


@pytest.mark.parametrize("width", [375, 800, 1280])
def test_the_map_forms_boxes_stay_inside_the_page_with_a_year_error(browser, live_url, width):
    """GOV.UK's minimum select width is wider than the year box's quarter column: the box (with the
    error's border) ran past the right edge of the page's content."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    response = page.goto(live_url + "/atlas/?year=abc")
    assert response is not None and response.status == 400
    expect(page.locator("#year-error")).to_contain_text("is not a year")
    edges = page.evaluate("""() => [document.querySelector('.govuk-width-container').getBoundingClientRect().right,
        ...[...document.querySelectorAll('#map-form select')].map(s => s.getBoundingClientRect().right)]""")
    assert all(right <= edges[0] + 0.5 for right in edges[1:]), edges
    context.close()


@pytest.mark.parametrize("width", [375, 1280])
def test_the_evidence_pack_page_has_a_main_landmark_and_distinct_table_regions(browser, live_url, width):
    """Every axe rule, moderate ones too: the pack is a page of its own (no site layout), so it needs its
    own <main>; each table that scrolls sideways is a region named after its caption or heading."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(live_url + "/atlas/areas/E47000001/evidence-pack.html")
    page.wait_for_load_state("load")
    expect(page.locator("main")).to_have_count(1)
    regions = page.evaluate("[...document.querySelectorAll('[role=region]')].map(e => e.getAttribute('aria-label'))")
    assert len(regions) == len(set(regions)) and not any(r.startswith("Table ") for r in regions), regions
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    assert not [(v["id"], v["impact"]) for v in result["violations"]], result["violations"][:2]
    context.close()


@pytest.mark.parametrize("path", ["/atlas/areas/TLD33/", "/atlas/areas/TLM81/"])
def test_trend_chart_text_is_at_least_12_px_on_a_1280_px_screen(browser, live_url, path):
    """Three trend charts to a row on a wide screen: every tick, year and legend line at least 12 px,
    inside its chart and clear of the others (TLM81's name is long enough to need two lines)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_url + path)
    page.wait_for_load_state("load")
    trends = [c for c in page.evaluate(CHART_TEXT) if "locus-trend" in c["cls"]]
    assert len(trends) > 10
    for chart in trends:
        small = [(t["label"], round(t["px"], 1)) for t in chart["texts"] if t["px"] < 12]
        assert not small, f"{chart['name']}: text under 12 px at 1280 px: {small[:5]}"
        texts = chart["texts"]
        clashes = [(a["label"], b["label"]) for i, a in enumerate(texts) for b in texts[i + 1:]
                   if _overlap(a["box"], b["box"])]
        assert not clashes, f"{chart['name']}: text overlaps: {clashes[:3]}"
        assert all(t["box"][2] <= chart["right"] + 0.5 for t in texts), chart["name"]
    context.close()


NAME_KEYS = Path(__file__).resolve().parents[1] / "geography" / "fixtures" / "name_keys.json"


@pytest.mark.parametrize("typed, wanted", [
    ("St Helens", ["St. Helens (local authority district, E08000013)"]),
    ("Stoke on Trent", ["Stoke-on-Trent (ITL3 area, TLG23)", "Stoke-on-Trent (local authority district, E06000021)"]),
])
def test_find_your_area_suggests_names_spelled_another_way(page: Page, live_url, typed, wanted):
    """The suggestions follow the server's spelling rule: what Find area finds is suggested too."""
    page.goto(live_url + "/atlas/")
    box = page.get_by_label("Name or code of a Combined Authority")
    box.press_sequentially(typed)
    suggestions = page.get_by_role("listbox")
    for name in wanted:
        expect(suggestions.get_by_role("option", name=name)).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    assert_accessible(page)
    box.press("ArrowDown")
    box.press("Enter")  # the first suggestion fills the box; Find area opens it
    expect(box).to_have_value(wanted[0])
    page.get_by_role("button", name="Find area").click()
    code = wanted[0].rsplit(", ", 1)[1].rstrip(")")
    expect(page).to_have_url(re.compile(f"/atlas/areas/{code}/$"))


def test_compare_boxes_suggest_names_spelled_another_way(page: Page, live_url):
    page.goto(live_url + "/atlas/compare/")
    page.get_by_label("Place 1").press_sequentially("City of Bristol")
    page.get_by_role("option", name="Bristol, City of (local authority district, E06000023)").click()
    expect(page.get_by_label("Place 1")).to_have_value("Bristol, City of (local authority district, E06000023)")
    page.get_by_label("Place 2").press_sequentially("saint helens")
    page.get_by_role("option", name="St. Helens (local authority district, E08000013)").click()
    page.get_by_role("button", name="Compare").click()
    expect(page.locator("#compare-heading")).to_have_text("Bristol, City of, St. Helens")


def test_compare_a_typed_place_error_moves_focus_to_its_box(page: Page, live_url):
    """GOV.UK error summary: the link to a typed place's error focuses the box that holds it."""
    page.goto(live_url + "/atlas/compare/")
    page.get_by_label("Greater Manchester").check()
    page.get_by_label("Place 1").fill("St Helens")
    page.get_by_label("Place 2").fill("Nowhereville")
    page.get_by_role("button", name="Compare").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Nowhereville")
    expect(summary.get_by_role("link")).to_have_attribute("href", "#pick-2")
    box = page.get_by_label("Place 2")
    expect(box).to_have_value("Nowhereville")
    expect(box).to_have_attribute("aria-describedby", "pick-2-error")
    expect(page.locator("#pick-2-error")).to_contain_text("Nowhereville")
    assert_accessible(page)
    summary.get_by_role("link").click()
    expect(box).to_be_focused()


def test_compare_a_tick_box_error_moves_focus_to_the_first_tick_box(page: Page, live_url):
    """GOV.UK error summary: the link to an error about the tick boxes focuses the first tick box."""
    page.goto(live_url + "/atlas/compare/")
    page.get_by_label("Greater Manchester").check()
    page.get_by_role("button", name="Compare").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("at least 2")
    first = page.locator("#areas input[type=checkbox]").first
    expect(summary.get_by_role("link")).to_have_attribute("href", "#" + first.get_attribute("id"))
    assert_accessible(page)
    summary.get_by_role("link").click()
    expect(first).to_be_focused()


def test_the_browser_spells_names_as_the_server_does(page: Page, live_url):
    """The same table as tests/geography/test_name_key_table.py, through the browser's normaliser."""
    page.goto(live_url + "/atlas/")
    table = json.loads(NAME_KEYS.read_text())
    got = page.evaluate("""async (table) => {
      const src = document.querySelector('script[src*="place-suggest"]').src;
      const {nameKey} = await import(src);
      return table.map(([typed]) => nameKey(typed));
    }""", table)
    assert got == [key for _typed, key in table]


def test_a_bad_places_level_on_a_375_px_phone_links_to_browse_by_level_at_the_top(browser, live_url):
    """/places/?level=zz: the error summary's link lands on "Browse by level", which now follows the
    search box instead of sitting below the list of places, and the page fits the phone's width."""
    context = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True)
    page = context.new_page()
    response = page.goto(live_url + "/places/?level=zz")
    assert response is not None and response.status == 400
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing scrolls sideways
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()  # GOV.UK Frontend focuses the summary on load
    link = summary.get_by_role("link")
    expect(link).to_have_attribute("href", "#level")
    group = page.locator("#level")
    expect(group.locator("#level-error")).to_contain_text("is not a level")
    # the field comes before the places listed, so it is near the top: within two screens, not six
    order = page.evaluate("""() => [document.querySelector('#level').getBoundingClientRect().top + window.scrollY,
        document.querySelector('#results-heading').getBoundingClientRect().top + window.scrollY]""")
    assert order[0] < order[1] and order[0] < 2 * 812, order
    assert_accessible(page)
    link.click()
    expect(group).to_be_focused()
    box = group.bounding_box()
    assert box is not None and 0 <= box["y"] < 812, box  # in view after the jump
    # its level links are usable: one of them browses that level without an error
    group.get_by_role("link", name="Local authority district", exact=True).click()
    expect(page.locator("#results-heading")).to_have_text("Local authority districts")
    expect(page.locator("#level-error")).to_have_count(0)
    context.close()


def test_a_bad_map_sort_links_to_the_tables_first_heading(page: Page, live_url):
    response = page.goto(live_url + "/atlas/?level=ca&sort=zz")
    assert response is not None and response.status == 400
    summary = page.locator(".govuk-error-summary")
    link = summary.get_by_role("link")
    expect(link).to_have_attribute("href", "#sort")
    expect(page.locator("#sort-error")).to_contain_text("is not a column")
    assert_accessible(page)
    link.click()
    expect(page.locator("#sort")).to_be_focused()


def test_the_maps_info_box_gives_each_inputs_vintage_beside_its_title(page: Page, live_url):
    """HE research income per head: the info box read "(2015-2018; 1998-2022; ...)" without saying
    which input each range belongs to."""
    page.goto(live_url + "/atlas/?measure=ind%3Aresearch_income_per_head&level=ca")
    page.wait_for_function("window.atlasMapReady === true", timeout=30000)
    page.locator("#atlas-map").focus()
    page.keyboard.press("ArrowRight")
    info = page.locator("#map-info .locus-source")
    expect(info).to_contain_text("Sources: HE research income (")
    text = info.inner_text()
    hesa, ons = text.split("HE research income (")[1], text.split("Regional GVA(B)")[1]
    assert hesa.split(". ")[0].count("2015-2018") == 1 and "1998-2022" not in hesa.split("Regional GVA(B)")[0]
    assert "1998-2022" in ons and "Open Government Licence v3.0" in ons
    expect(page.locator("#map-announce")).to_contain_text("Sources: HE research income (")


def test_a_value_built_from_a_source_defect_points_to_its_note_from_the_info_box(page: Page, live_url):
    """Birmingham's 2018 HE research income lacks its main university (a declared defect of the source): the note
    under the map names Birmingham, and the info box for Birmingham, not for its neighbours, links to that note."""
    page.goto(live_url + "/atlas/?measure=ind%3Aresearch_income_per_head&level=itl3&year=2018")
    page.wait_for_function("window.atlasMapReady === true", timeout=30000)
    note = page.locator("[data-row-note]")
    expect(note).to_have_count(1)
    expect(note).to_contain_text("Only for Birmingham: ")
    page.locator("#map-table a[data-code='TLG31']").focus()
    cue = page.locator("#map-info .locus-caution", has_text="A note applies to this value")
    expect(cue).to_be_visible()
    href = cue.get_by_role("link", name="read it below").get_attribute("href")
    assert href == "#" + note.get_attribute("id")
    assert_accessible(page)
    page.locator("#map-table a[data-code='TLG33']").focus()  # Coventry: no note of its own
    expect(page.locator("#map-info")).to_contain_text("Coventry")
    expect(page.locator("#map-info")).not_to_contain_text("A note applies")


def test_a_combined_authority_map_on_a_375_px_phone_shows_the_country_and_no_open_attribution(browser, live_url):
    """At 375 px MapLibre's attribution opened over the south of the map (Devon and Torbay), and the Combined
    Authorities floated on grey without the country around them."""
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(live_url + "/atlas/?measure=stage%3Aresearch&level=ca")
    page.wait_for_function("window.atlasMapReady === true", timeout=30000)
    nations = page.evaluate("window.atlasMap.querySourceFeatures('outline').map(f => f.properties.name)")
    assert {"England", "Wales", "Scotland"} <= set(nations)
    assert page.evaluate("window.atlasMap.getLayer('outline-fill') !== undefined")
    attrib = page.locator("#atlas-map .maplibregl-ctrl-attrib")
    expect(attrib).not_to_have_class(re.compile(r"maplibregl-compact-show"))
    expect(page.locator("#atlas-map .maplibregl-ctrl-attrib-inner")).to_be_hidden()
    expect(page.locator("#map-outline-note")).to_contain_text("outside the 15 Combined Authorities")
    attrib.locator(".maplibregl-ctrl-attrib-button").click()  # the notice is one tap away
    expect(page.locator("#atlas-map .maplibregl-ctrl-attrib-inner")).to_contain_text("Crown copyright")
    page.goto(live_url + "/atlas/?measure=stage%3Aresearch&level=itl3")
    page.wait_for_function("window.atlasMapReady === true", timeout=30000)
    assert page.evaluate("window.atlasMap.querySourceFeatures('outline').length") == 0  # ITL3 areas cover the UK
    context.close()
