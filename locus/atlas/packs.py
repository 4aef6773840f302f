"""Evidence pack PDFs, kept on disk under the data directory (``LOCUS_DATA_DIR/cache/evidence-packs``):
WeasyPrint takes 7-12 s a pack, so each is made once per content and served from the file after that."""

from __future__ import annotations

import re
import zlib
from importlib.metadata import version
from pathlib import Path

from django.conf import settings

from locus.file_cache import cached_bytes, content_key, folders_prune, pdf_valid
from locus.web.pdf_budget import PdfBudget, with_admit

# The PDF's HTML is rendered with this in place of the date, so that its cache key is the content without the
# day it was asked for; the date is put in only when the PDF is made (a cached pack says when it was made).
GENERATED_MARK = "LOCUSPACKGENERATEDDATE"


def pack_cache_root() -> Path:
    return Path(settings.LOCUS_DATA_DIR) / "cache" / "evidence-packs"


def pack_pdf_render(html: str, base_url: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url).write_pdf()


def pack_pdf_cached(*, code: str, build, html: str, base_url: str, generated: str,
                    budget: PdfBudget | None = None) -> tuple[bytes, bool]:
    """An evidence pack's PDF, from the cache when the same HTML (everything the pack shows: the live build,
    the policy cases, the infrastructure registry, the site's address, the templates) was made into a PDF
    by the same WeasyPrint before; otherwise rendered (7-12 s) and kept. (bytes, served from the cache.)
    One folder per live build: a reload leaves the earlier builds' packs behind and they are removed. A new
    render is counted against ``budget`` first (``RenderRefused`` when over it); a cached pack is not."""
    folder = pack_cache_folder(build)
    root = pack_cache_root()
    folders_prune(root, keep=folder)
    key = content_key(html, base_url, version("weasyprint"))
    return cached_bytes(root / folder / f"{code}-{key}.pdf", valid=pdf_valid, siblings=f"{code}-*.pdf",
                        make=with_admit(lambda: pack_pdf_render(html.replace(GENERATED_MARK, generated), base_url),
                                        budget))


PACK_WAIT = "PDF, may take up to 15 seconds the first time"
_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")
_OBJECT_STREAM = re.compile(rb"/Type\s*/ObjStm[^>]*>>\s*stream\r?\n")


def pack_link_label(*, code: str, build) -> str:
    """The words in brackets after "Evidence pack" (GOV.UK's attachment style): "PDF, 412 KB, 22 pages" when
    the live build's pack of this area is in the cache (its size and pages read from the file; a pack made
    again for a changed policy case differs by a little at most), else that the first download can take
    up to 15 seconds (WeasyPrint takes 4-12 s a pack)."""
    folder = pack_cache_root() / pack_cache_folder(build)
    try:
        found = max(folder.glob(f"{code}-*.pdf"), key=lambda p: p.stat().st_mtime, default=None)
        if found is None:
            return PACK_WAIT
        data = found.read_bytes()
    except OSError:
        return PACK_WAIT
    pages = pdf_page_count(data)
    size = len(data)
    size_text = f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{max(1, round(size / 1000))} KB"
    return f"PDF, {size_text}" + (f", {pages} page{'s' if pages != 1 else ''}" if pages else "")


def pdf_page_count(data: bytes) -> int:
    """The pages of a PDF, counted from its page objects: plain ones and those in compressed object streams
    (WeasyPrint puts them there); 0 when none is found."""
    count = len(_PAGE.findall(data))
    for found in _OBJECT_STREAM.finditer(data):
        end = data.find(b"endstream", found.end())
        try:
            count += len(_PAGE.findall(zlib.decompressobj().decompress(data[found.end():end])))
        except zlib.error:
            continue
    return count


def pack_cache_folder(build) -> str:
    return f"build-{build.id}-{build.checksum[:12]}"


def pack_cache_prune(*, build=None) -> None:
    """Remove the cached packs of every build but ``build`` (all of them when None): a load calls it."""
    folders_prune(pack_cache_root(), keep=pack_cache_folder(build) if build is not None else "")
