"""A stand-in for WeasyPrint in the PDF cache tests of the atlas and policy packs: a small valid-looking
PDF per call, and a renderer that records the HTML it was given."""

from __future__ import annotations


def pdf_stub(tag: str) -> bytes:
    """Bytes that pass ``locus.file_cache.pdf_valid``, different per ``tag``."""
    return b"%PDF-1.7\n" + tag.encode() + b"\n" + b"x" * 2000 + b"\n%%EOF\n"


def renderer_recorded(*, module, settings, tmp_path, monkeypatch) -> list[str]:
    """Replace ``module.pack_pdf_render`` by a quick renderer; return the list of HTML it is given.
    The data directory (where the cache keeps PDFs) is ``tmp_path``."""
    settings.LOCUS_DATA_DIR = tmp_path
    calls: list[str] = []

    def render(html: str, base_url: str) -> bytes:
        calls.append(html)
        return pdf_stub(f"render {len(calls)}")

    monkeypatch.setattr(module, "pack_pdf_render", render)
    return calls
