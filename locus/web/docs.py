"""The documents under docs/ as pages of the site: user guides, methodology, the indicator catalogue,
the CLI reference and the decision records, rendered from the Markdown shipped with this version.

Only Markdown files and images inside docs/ are served (``doc_file``); a relative link between
documents becomes a link to the other page, and a link out of docs/ (to source code, say) is shown
as its words. The atlas methodology keeps its own page (``/atlas/methodology/``), which the atlas
cites; every other document is at ``/docs/<path>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

DOCS_ROOT = Path(settings.BASE_DIR) / "docs"
ATLAS_METHODOLOGY = "methodology/atlas.md"
ATLAS_METHODOLOGY_URL = "/atlas/methodology/"
DOC_IMAGE_TYPES = {".png": "image/png", ".svg": "image/svg+xml", ".jpg": "image/jpeg"}
SECTIONS = (  # (folder or file under docs/, heading on the index page, what the documents are for)
    ("methodology", "Methodology", "How each figure and recommendation is worked out, for citing in a "
                                   "strategy or an evaluation."),
    ("guide", "User guides", "How to use each part of Locus, step by step."),
    ("indicators.md", "Reference", "Every atlas indicator, and every command of the command line."),
    ("cli.md", "Reference", ""),
    ("adr", "Decision records", "Why Locus is built the way it is: the choices made and what they cost."),
)


def slug(title: str) -> str:
    """A GitHub-style anchor for a heading."""
    return "-".join("".join(ch if ch.isalnum() or ch == " " else " " for ch in title.lower()).split())


def doc_file(path: str, *, doc: str = "", suffixes=(".md",)) -> str | None:
    """``path`` (relative to the document ``doc``, or to docs/ when ``doc`` is empty) as a path
    under docs/, if it names an existing file there with one of ``suffixes``; else None (outside
    docs/, another kind of file, or missing)."""
    target = (DOCS_ROOT / doc).parent.joinpath(path).resolve() if doc else (DOCS_ROOT / path).resolve()
    try:
        rel = target.relative_to(DOCS_ROOT.resolve()).as_posix()
    except ValueError:
        return None
    return rel if target.suffix.lower() in suffixes and target.is_file() else None


def doc_url(rel: str) -> str:
    """The page of a document under docs/ (``rel`` as ``doc_file`` returns it)."""
    return ATLAS_METHODOLOGY_URL if rel == ATLAS_METHODOLOGY else f"/docs/{rel}"


def doc_href(href: str, *, doc: str) -> str | None:
    """Where a link in the Markdown document ``doc`` (a path under docs/) goes on this site:
    absolute and in-page links unchanged; a relative link to a Markdown file under docs/ to its web
    page (``doc_url``), keeping the anchor; None for anything else (a file outside docs/ or not
    Markdown), which is then shown as text."""
    if not href or href.startswith(("#", "/", "http://", "https://", "mailto:")):
        return href
    path, _, anchor = href.partition("#")
    rel = doc_file(path, doc=doc)
    if rel is None:
        return None
    return doc_url(rel) + (f"#{anchor}" if anchor else "")


def doc_image_src(src: str, *, doc: str) -> str | None:
    """Where an image of the Markdown document ``doc`` is served: a relative path to an image file
    under docs/ becomes /docs/<path>; anything else (remote, outside docs/, missing) None."""
    if not src or src.startswith(("/", "http://", "https://", "data:")):
        return None
    rel = doc_file(src, doc=doc, suffixes=tuple(DOC_IMAGE_TYPES))
    return None if rel is None else f"/docs/{rel}"


@lru_cache(maxsize=32)
def _markdown_html(doc: str, mtime: float) -> tuple[str, list[tuple[str, str]]]:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    tokens = md.parse((DOCS_ROOT / doc).read_text(encoding="utf-8"))
    toc = []
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open" and tok.tag in ("h2", "h3"):
            title = tokens[i + 1].content
            tok.attrSet("id", slug(title))
            if tok.tag == "h2":
                toc.append((slug(title), title))
        if tok.type == "table_open":
            tok.attrSet("class", "govuk-table")
        for j, child in enumerate(tok.children or []):
            if child.type == "image":  # screenshots under docs/ are served beside the page; others become their words
                src = doc_image_src(str(child.attrGet("src") or ""), doc=doc)
                if src is None:
                    tok.children[j] = Token("text", "", 0, content=child.content)
                else:
                    child.attrSet("src", src)
                    child.attrSet("class", "locus-doc-image")
            elif child.type == "link_open":
                href = doc_href(str(child.attrGet("href") or ""), doc=doc)
                if href is None:  # not a page of this site: keep the words, drop the link
                    close = next(k for k in range(j + 1, len(tok.children)) if tok.children[k].type == "link_close")
                    tok.children[j] = tok.children[close] = Token("html_inline", "", 0, content="")
                else:
                    child.attrSet("href", href)
                    child.attrSet("class", "govuk-link")
    html = md.renderer.render(tokens, md.options, {})
    html = html.replace('<table class="govuk-table">', '<div class="locus-table-scroll"><table class="govuk-table">')
    return html.replace("</table>", "</table></div>"), toc


def markdown_html(doc: str) -> tuple[str, list[tuple[str, str]]]:
    """A document under docs/ as HTML: GOV.UK table classes, ids on h2/h3 (GitHub-style slugs) and
    relative links rewritten to this site's pages (``doc_href``); its table of contents (h2).
    Cached until the file changes."""
    return _markdown_html(doc, (DOCS_ROOT / doc).stat().st_mtime)


def doc_title(rel: str) -> str:
    """The document's first level-1 heading (its path if it has none)."""
    with (DOCS_ROOT / rel).open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("# "):
                return line[2:].strip()
    return rel


@dataclass(frozen=True)
class DocSection:
    title: str
    purpose: str
    documents: list[tuple[str, str]]  # (title, url)


def doc_sections() -> list[DocSection]:
    """The documents of the index page, by section, in the order of ``SECTIONS``."""
    sections: dict[str, DocSection] = {}
    for where, title, purpose in SECTIONS:
        target = DOCS_ROOT / where
        paths = sorted(target.glob("*.md")) if target.is_dir() else [target] if target.is_file() else []
        section = sections.setdefault(title, DocSection(title, purpose, []))
        section.documents.extend((_listed_title(p.relative_to(DOCS_ROOT).as_posix()),
                                  doc_url(p.relative_to(DOCS_ROOT).as_posix())) for p in paths)
    return [s for s in sections.values() if s.documents]


def _listed_title(rel: str) -> str:
    """A document's title as the index lists it: no Markdown code marks, guides without their
    'User guide:' prefix, decision records numbered one way ('ADR 3: ...')."""
    title = doc_title(rel).replace("`", "")
    if rel.startswith("guide/"):
        title = re.sub(r"^User guide:\s*", "", title)
        return title[:1].upper() + title[1:]
    if rel.startswith("adr/"):
        number = int(Path(rel).name.split("-", 1)[0])
        return f"ADR {number}: " + re.sub(r"^(ADR\s*\d+:|\d+\.)\s*", "", title)
    return title


@require_GET
def docs_index(request: HttpRequest) -> HttpResponse:
    return render(request, "web/docs_index.html", {"sections": doc_sections()})


@require_GET
def doc_page(request: HttpRequest, path: str) -> HttpResponse:
    """A document under docs/, rendered as a page of the site."""
    rel = doc_file(path)
    if rel is None:
        raise Http404("No such document.")
    if rel == ATLAS_METHODOLOGY:
        return redirect(ATLAS_METHODOLOGY_URL)
    html, toc = markdown_html(rel)
    return render(request, "web/doc.html", {"body": html, "toc": toc, "title": doc_title(rel), "path": rel,
                                            "is_methodology": rel.startswith("methodology/")})


@require_GET
def doc_image(request: HttpRequest, path: str) -> HttpResponse:
    """A screenshot or figure under docs/ that a rendered document shows."""
    rel = doc_file(path, suffixes=tuple(DOC_IMAGE_TYPES))
    if rel is None:
        raise Http404("No such image.")
    target = DOCS_ROOT / rel
    response = HttpResponse(target.read_bytes(), content_type=DOC_IMAGE_TYPES[target.suffix.lower()])
    response["Cache-Control"] = "public, max-age=3600"
    return response


def old_atlas_doc(request: HttpRequest, path: str) -> HttpResponse:
    """Documents and images were served under /atlas/docs/ before every room had them."""
    return redirect(f"/docs/{path}", permanent=True)
