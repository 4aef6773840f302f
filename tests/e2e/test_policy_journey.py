"""The issue's "done when" journey, as a new user would try it: a Combined Authority policy officer
starts at the home page, clicks only visible links, finds the CA's weakest pathway stage (from the
loaded atlas: `locus serve` builds and loads it, see tests/e2e/conftest.py), sees the rated cases
for that stage in order of evidence and closeness of place, and downloads the strategy evidence
pack as a PDF holding the atlas section, those cases and the costed measures."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.e2e
CA, CA_NAME = "E47000001", "Greater Manchester"


def _weakest_stage_from_the_atlas(page: Page, live_url: str) -> tuple[str, str]:
    """The oracle, from the atlas API: the weak link with the largest shortfall, or, where no
    stage is a significant weak link, the stage furthest below expected."""
    response = page.request.get(f"{live_url}/api/v1/areas/{CA}/pathway")
    assert response.ok, response.text()
    stages = [s for s in response.json()["stages"] if s["weak_link"]]
    assert stages, "the atlas is not loaded in the live server"
    weak = [s for s in stages if s["weak_link"]["is_weak"]] or [s for s in stages if s["weak_link"]["gap"] < 0]
    first = min(weak, key=lambda s: s["weak_link"]["gap"])
    return first["stage"], first["title"]


def _pdf_text_and_ink(pdf: Path, tmp_path: Path) -> tuple[str, float]:
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    subprocess.run(["pdftoppm", "-r", "30", "-gray", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")], check=True)
    pgm = next(tmp_path.glob("p*.pgm")).read_bytes()
    pixels = pgm[pgm.index(b"255\n") + 4:]
    return text, sum(1 for b in pixels if b < 200) / len(pixels)


def test_a_policy_officer_finds_the_weakest_stage_rated_cases_and_downloads_the_pack(page: Page, live_url, tmp_path):
    stage, stage_title = _weakest_stage_from_the_atlas(page, live_url)

    page.goto(live_url + "/")
    page.get_by_role("link", name="Policy learning").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Policy learning")
    assert_accessible(page)
    page.get_by_label("Your Combined Authority", exact=True).select_option(label=CA_NAME)
    page.get_by_role("button", name="Show weak links and cases").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(CA_NAME)
    expect(page.locator("#weakest-stage")).to_have_text(stage_title)
    expect(page.locator("#weakest-note")).to_contain_text("gap")
    expect(page.locator("#weakest")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name=f"Weakest stage: {stage_title}")).to_be_visible()
    assert_accessible(page)

    rows = page.locator(f"#cases-{stage} tbody tr")
    expect(rows.first).to_be_visible()
    keys = [(int(r.get_attribute("data-rating")), float(r.get_attribute("data-similarity"))) for r in rows.all()]
    assert keys == sorted(keys, key=lambda k: (-k[0], -k[1])), "cases not ordered by rating, then place"
    assert keys[0][0] >= 1, "no rated case for the weakest stage"
    expect(rows.first.locator(".govuk-tag")).to_have_text(f"SMS {keys[0][0]}")
    first_case = rows.first.get_by_role("link").inner_text()

    with page.expect_download(timeout=90000) as download:
        page.get_by_role("link", name="Download the strategy evidence pack (PDF)").click()
    assert download.value.suggested_filename == f"locus-strategy-pack-{CA}.pdf"
    pdf = Path(download.value.path())
    assert pdf.read_bytes()[:4] == b"%PDF"
    assert shutil.which("pdftotext") and shutil.which("pdftoppm"), "poppler-utils is needed to check the PDF"
    text, ink = _pdf_text_and_ink(pdf, tmp_path)
    assert ink > 0.01, "page 1 of the pack is blank"
    flat = " ".join(text.split())
    for heading in ("1. Weak links and opportunities", "Commercialisation pathway: weak links and opportunities",
                    "2. Relevant cases and the strength of their evidence", f"Weakest stage: {stage_title}",
                    f"3. Suggested measures sized to {CA_NAME}", "Local cost of measures 2 and 4",
                    "Local peer-learning networks of firms", "firms a year in", "course places a year",
                    "In stated priorities", "Source:"):
        assert heading in flat, f"{heading!r} missing from the PDF"
    assert " ".join(first_case.split()) in flat
    assert f"SMS {keys[0][0]}" in flat

    page.get_by_role("link", name="Read the pack online").click()
    expect(page.locator("#atlas-sections")).to_contain_text("weak links and opportunities")
    expect(page.locator("#cost-local")).to_contain_text("£")
    assert_accessible(page)
