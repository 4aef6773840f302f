"""Every table can scroll inside its own box on a phone (see locus.css and tables.js); the browser
check is tests/e2e/test_phone.py."""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "locus" / "templates"


def test_every_template_table_sits_in_a_scroll_box():
    unwrapped = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<table\b", html):
            if not html[:match.start()].endswith('<div class="locus-table-scroll">'):
                unwrapped.append(f"{path.relative_to(TEMPLATES)}:{html.count(chr(10), 0, match.start()) + 1}")
        assert html.count("<table") == html.count("</table></div>"), path
    assert not unwrapped, f"wrap these tables in <div class=\"locus-table-scroll\">: {unwrapped}"


def test_tables_in_rendered_documents_sit_in_a_scroll_box():
    from locus.web.docs import markdown_html

    html, _toc = markdown_html("indicators.md")
    assert html.count('<div class="locus-table-scroll"><table class="govuk-table">') == html.count("<table") >= 1
    assert html.count("</table></div>") == html.count("<table")
