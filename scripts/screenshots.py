"""Retake the screenshots in docs/screenshots from a running Locus, so they show today's pages and figures.

    .venv/bin/locus serve --port 8000 &            # the bundled data loaded (``make run`` does it)
    .venv/bin/python scripts/screenshots.py [--url http://127.0.0.1:8000] [--only atlas-map ...]
    # the peer-network shots need the DEMO programme and its manager's password:
    .venv/bin/locus demo peers                     # prints the demo users' password
    .venv/bin/python scripts/screenshots.py --demo-password PASSWORD

Each shot is a page at a fixed window size, optionally one part of it, so a retake frames the same view.
Chromium is Debian's (/usr/bin/chromium, or LOCUS_CHROMIUM), as in the browser tests.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
MAP_READY = "() => window.atlasMapReady === true"


def _map_ready(page: Page) -> None:
    page.wait_for_function(MAP_READY, timeout=30_000)


def _south_yorkshire_focused(page: Page) -> None:
    """The keyboard journey: the infrastructure layer on, then arrow keys until South Yorkshire has focus."""
    _map_ready(page)
    page.get_by_label("Show commercialisation infrastructure", exact=False).check()
    page.wait_for_function("() => window.atlasSitesCount > 0", timeout=30_000)
    page.locator("#atlas-map").focus()
    for _ in range(20):
        page.keyboard.press("ArrowRight")
        if page.evaluate("document.getElementById('atlas-map').dataset.focusedCode") == "E47000002":
            break
    page.wait_for_timeout(500)


def _sign_in(username: str):
    def act(page: Page, base: str, password: str, path: str) -> None:
        page.goto(f"{base}/accounts/sign-in/?next={path}")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state("networkidle")
    return act


@dataclass
class Shot:
    name: str
    path: str
    width: int
    height: int
    part: str = ""  # a CSS selector: the shot is that element (its first match) instead of the window
    clip_from: str = ""  # a CSS selector: the shot is the window's size, starting at that element's top
    prepare: object = None  # a function of the page, run after it loads
    user: str = ""  # a DEMO user to sign in as first (needs --demo-password)
    demo_path: object = None  # a function of the page giving the path once signed in (a DEMO programme's own)
    max_height: int = 0  # with part: at most this tall (0: the whole element)


def _outcomes_path(page: Page, base: str) -> str:
    """The DEMO programme's outcomes page, from the manager's list of programmes."""
    page.goto(f"{base}/peers/")
    link = page.locator("a[href^='/peers/demo-']:not([href$='/register/'])").first
    if not link.count():
        raise SystemExit("no DEMO programme on /peers/: run `locus demo peers` first")
    return link.get_attribute("href") + "outcomes/"


def _attendance_path(page: Page, base: str) -> str:
    """The first meeting's attendance page on the facilitator's own page."""
    page.goto(f"{base}/peers/facilitate/")
    link = page.locator("a[href*='/attendance/']").first
    if not link.count():
        raise SystemExit("no meeting to record on /peers/facilitate/: run `locus demo peers` first")
    return link.get_attribute("href")


SHOTS = [
    Shot("combined-authority", "/places/E47000001/", 1100, 900),
    Shot("atlas-find-your-area", "/atlas/", 760, 484),
    Shot("atlas-map", "/atlas/?measure=gap%3Aip_spinouts&level=itl3", 1100, 1250, prepare=_map_ready),
    Shot("atlas-map-keyboard", "/atlas/?measure=stage%3Aresearch&level=ca", 800, 768, clip_from="#map-keys",
         prepare=_south_yorkshire_focused),
    Shot("atlas-profile", "/atlas/areas/E47000001/", 1100, 900),
    Shot("atlas-trends", "/atlas/areas/E47000001/", 800, 900, part=".locus-series-grid"),
    Shot("atlas-district-profile", "/atlas/areas/E08000003/", 800, 900, part="#pathway", max_height=1400),
    Shot("policy-place", "/policy/places/E47000001/", 1100, 900),
    Shot("collaboration-check", "/collaboration/check/", 1100, 900),
    Shot("peers-outcomes", "", 1100, 900, user="demo-manager", demo_path=_outcomes_path),
    Shot("peers-attendance-phone", "", 390, 844, user="demo-facilitator", demo_path=_attendance_path),
]


def take(base: str, shots: list[Shot], password: str) -> list[str]:
    taken = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=os.environ.get("LOCUS_CHROMIUM", "/usr/bin/chromium"), args=ARGS)
        for shot in shots:
            if shot.user and not password:
                print(f"skipped {shot.name}: needs --demo-password (locus demo peers prints it)")
                continue
            # the site's Content-Security-Policy refuses eval'd scripts, which Playwright's waits use
            context = browser.new_context(viewport={"width": shot.width, "height": shot.height}, bypass_csp=True)
            page = context.new_page()
            path = shot.path
            if shot.user:
                _sign_in(shot.user)(page, base, password, "/peers/")
                path = shot.demo_path(page, base)
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            if shot.prepare:
                shot.prepare(page)
            out = OUT / f"{shot.name}.png"
            if shot.part:  # the element with a margin round it, no taller than max_height
                box = page.locator(shot.part).first.bounding_box()
                top, left = box["y"] + page.evaluate("window.scrollY") - 16, max(box["x"] - 16, 0)
                page.screenshot(path=out, full_page=True, clip={
                    "x": left, "y": top, "width": min(box["width"] + 32, shot.width - left),
                    "height": min(box["height"] + 32, shot.max_height or 100_000)})
            elif shot.clip_from:
                box = page.locator(shot.clip_from).first.bounding_box()
                top = box["y"] + page.evaluate("window.scrollY") - 8
                page.screenshot(path=out, full_page=True,
                                clip={"x": 0, "y": top, "width": shot.width - 40, "height": shot.height})
            else:
                page.screenshot(path=out)
            context.close()
            taken.append(str(out.relative_to(OUT.parents[1])))
            print(f"took {taken[-1]} ({base}{path})")
        browser.close()
    return taken


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000", help="the running Locus")
    parser.add_argument("--only", nargs="*", default=[], help="names of the shots to retake (default: all)")
    parser.add_argument("--demo-password", default=os.environ.get("LOCUS_DEMO_PASSWORD", ""),
                        help="the DEMO users' password, for the peer-network shots")
    args = parser.parse_args(argv)
    unknown = set(args.only) - {s.name for s in SHOTS}
    if unknown:
        parser.error(f"no such shot: {', '.join(sorted(unknown))} (shots: {', '.join(s.name for s in SHOTS)})")
    shots = [s for s in SHOTS if not args.only or s.name in args.only]
    take(args.url.rstrip("/"), shots, args.demo_password)
    return 0


if __name__ == "__main__":
    sys.exit(main())
