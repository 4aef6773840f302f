"""Evidence pack PDFs (7-12 s of WeasyPrint each) are made once per content and kept under the data
directory; the bulk zip once per build. The file cache itself: atomic, locked, damaged files made again."""

from __future__ import annotations

import contextlib
import threading
import time
import zipfile
from pathlib import Path

import pytest

from locus import file_cache
from locus.atlas import models as m
from locus.atlas import packs
from locus.atlas.exports import bulk_zip_path, zip_valid
from locus.atlas.selectors import cache_clear
from locus.file_cache import cached_bytes, cached_file, pdf_valid
from tests.pdf_stub import pdf_stub, renderer_recorded

pytestmark = pytest.mark.django_db
URL = "/atlas/areas/TLD33/evidence-pack.pdf"


_pdf = pdf_stub


# --- the file cache ------------------------------------------------------------------------------

def test_a_second_request_is_served_from_the_file_without_making_it_again(tmp_path):
    calls = []

    def make():
        calls.append(1)
        return _pdf("one")

    path = tmp_path / "packs" / "A-1.pdf"
    assert cached_bytes(path, make=make, valid=pdf_valid) == (_pdf("one"), False)
    assert cached_bytes(path, make=make, valid=pdf_valid) == (_pdf("one"), True)
    assert len(calls) == 1 and path.read_bytes() == _pdf("one")
    assert not list(path.parent.glob("*.tmp"))


@pytest.mark.parametrize("damage", [b"", b"%PDF-1.7\nhalf of a", b"<html>not a pdf</html>%%EOF"])
def test_a_damaged_cached_file_is_ignored_and_made_again(tmp_path, damage):
    path = tmp_path / "A-1.pdf"
    path.write_bytes(damage)
    data, hit = cached_bytes(path, make=lambda: _pdf("fresh"), valid=pdf_valid)
    assert (data, hit) == (_pdf("fresh"), False) and path.read_bytes() == _pdf("fresh")


def test_concurrent_requests_make_the_file_once_and_all_read_it_whole(tmp_path):
    """Eight requests at once for a missing file: one makes it (slowly, in pieces), the others wait for
    its lock and read the finished file; nobody reads a half-written file or makes a second one."""
    path = tmp_path / "A-1.pdf"
    calls, results, errors = [], [], []

    def make():
        calls.append(threading.get_ident())
        time.sleep(0.3)
        return _pdf(f"made by {threading.get_ident()}")

    def request():
        try:
            results.append(cached_bytes(path, make=make, valid=pdf_valid))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=request) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(calls) == 1
    assert {data for data, _hit in results} == {path.read_bytes()} and pdf_valid(path)
    assert sorted(hit for _data, hit in results) == [False] + [True] * 7


def test_writers_of_different_contents_never_mix_their_bytes(tmp_path, monkeypatch):
    """Writers racing on the same name (the lock taken away) each write a temporary file and rename it:
    the file is always one writer's whole content, never a mixture or a truncated one."""
    monkeypatch.setattr(file_cache, "_locked", lambda _path: contextlib.nullcontext())
    path = tmp_path / "A-1.pdf"
    contents = [_pdf(str(i) * 50_000) for i in range(6)]

    def write_slowly(content):
        def write(out):
            for i in range(0, len(content), 4096):
                out.write(content[i:i + 4096])
                time.sleep(0.001)
        return write

    threads = [threading.Thread(target=cached_file, args=(path,),
                                kwargs={"write": write_slowly(c), "valid": lambda _p: False}) for c in contents]
    seen = []
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):
        if path.exists():
            seen.append(path.read_bytes())
    for t in threads:
        t.join()
    assert path.read_bytes() in contents and all(s in contents for s in seen)
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_failed_render_leaves_no_file_and_raises(tmp_path):
    path = tmp_path / "A-1.pdf"

    def make():
        raise ValueError("WeasyPrint failed")

    with pytest.raises(ValueError, match="WeasyPrint failed"):
        cached_bytes(path, make=make, valid=pdf_valid)
    assert not path.exists() and not list(tmp_path.glob(".*.tmp"))


def test_a_cache_that_cannot_be_written_still_answers(tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be")
    data, hit = cached_bytes(blocked / "A-1.pdf", make=lambda: _pdf("made"), valid=pdf_valid)
    assert (data, hit) == (_pdf("made"), False)


# --- evidence packs -------------------------------------------------------------------------------

@pytest.fixture
def renders(settings, tmp_path, monkeypatch):
    """The pack's PDF renderer replaced by a quick one that records the HTML it was given."""
    return renderer_recorded(module=packs, settings=settings, tmp_path=tmp_path, monkeypatch=monkeypatch)


def _cached(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache" / "evidence-packs").glob("*/*.pdf"))


def test_the_second_pack_request_is_served_from_the_cache(client, renders, tmp_path):
    first = client.get(URL)
    assert first.status_code == 200 and len(renders) == 1
    second = client.get(URL)
    assert second.status_code == 200 and second.content == first.content and len(renders) == 1
    assert second["Content-Disposition"] == 'attachment; filename="locus-evidence-pack-TLD33.pdf"'
    [kept] = _cached(tmp_path)
    assert kept.read_bytes() == first.content and kept.name.startswith("TLD33-")
    # the PDF is dated when it is made; the key is the content without the day
    assert packs.GENERATED_MARK not in renders[0] and time.strftime("%-d %B %Y") in renders[0]
    assert client.get(URL.replace("TLD33", "E08000003")).status_code == 200 and len(renders) == 2
    page = client.get("/atlas/areas/TLD33/evidence-pack.html").content.decode()
    assert packs.GENERATED_MARK not in page and time.strftime("%-d %B %Y") in page


def test_a_new_atlas_build_gives_a_new_pdf_and_drops_the_old_ones(client, renders, tmp_path):
    client.get(URL)
    [old] = _cached(tmp_path)
    live = m.AtlasBuild.objects.get(is_live=True)
    m.AtlasBuild.objects.filter(pk=live.pk).update(is_live=False)
    new = m.AtlasBuild.objects.create(checksum="f" * 64, code_version=live.code_version, built_at=live.built_at,
                                      source_dir=live.source_dir, snapshot_dir=live.snapshot_dir,
                                      manifest=live.manifest, rows=live.rows, is_live=True)
    cache_clear()
    response = client.get(URL)
    assert len(renders) == 2 and response.content == _pdf("render 2")
    assert "f" * 12 in renders[1] and live.checksum[:12] not in renders[1].split("Sources and licences")[0]
    [kept] = _cached(tmp_path)
    assert kept.parent.name == packs.pack_cache_folder(new) and not old.exists()
    packs.pack_cache_prune(build=None)  # what a load does after it commits (every build but the new one)
    assert not _cached(tmp_path)
    cache_clear()


def test_a_change_the_pack_shows_gives_a_new_pdf(client, renders, tmp_path):
    """The key is the pack's whole content: an edit to what it shows (here an infrastructure entry's
    name) is a new PDF, and the earlier PDF of the area is removed."""
    client.get(URL)
    site = m.InfrastructureSite.objects.filter(itl3_code="TLD33").first()
    assert site is not None
    site.name = site.name + " (renamed)"
    site.save()
    cache_clear()
    client.get(URL)
    assert len(renders) == 2 and "(renamed)" in renders[1]
    assert len(_cached(tmp_path)) == 1


def test_a_broken_cached_pack_is_rebuilt(client, renders, tmp_path):
    client.get(URL)
    [kept] = _cached(tmp_path)
    kept.write_bytes(kept.read_bytes()[:100])  # cut short, as by a full disk
    response = client.get(URL)
    assert len(renders) == 2 and response.content == _pdf("render 2") and pdf_valid(kept)


def test_a_real_pack_pdf_is_rendered_once(client, settings, tmp_path, monkeypatch):
    settings.LOCUS_DATA_DIR = tmp_path
    first = client.get(URL)
    assert first.status_code == 200 and first.content[:5] == b"%PDF-" and pdf_valid(_cached(tmp_path)[0])

    def refuse(html, base_url):
        raise AssertionError("rendered again")

    monkeypatch.setattr(packs, "pack_pdf_render", refuse)
    assert client.get(URL).content == first.content


# --- the bulk zip ----------------------------------------------------------------------------------

def test_the_bulk_zip_is_made_once_and_a_damaged_one_again(atlas_loaded, tmp_path, monkeypatch):
    snapshot = tmp_path / "snapshot"
    snapshot.mkdir()
    for path in Path(atlas_loaded.snapshot_dir).iterdir():
        if path.suffix in (".parquet", ".json"):
            (snapshot / path.name).write_bytes(path.read_bytes())
    made = bulk_zip_path(snapshot_dir=snapshot, checksum=atlas_loaded.checksum, manifest=atlas_loaded.manifest)
    assert zip_valid(made) and "manifest.json" in zipfile.ZipFile(made).namelist()
    stamp = made.stat().st_mtime_ns
    assert bulk_zip_path(snapshot_dir=snapshot, checksum=atlas_loaded.checksum,
                         manifest=atlas_loaded.manifest).stat().st_mtime_ns == stamp  # not made again
    made.write_bytes(made.read_bytes()[:5000])
    assert not zip_valid(made)
    again = bulk_zip_path(snapshot_dir=snapshot, checksum=atlas_loaded.checksum, manifest=atlas_loaded.manifest)
    assert zip_valid(again) and not list(snapshot.glob(".*.tmp"))


def test_the_pack_link_says_format_and_wait_then_size_and_pages_once_made(client, renders, tmp_path, monkeypatch):
    """GOV.UK attachment style (QA H25 F10): before the first download the link warns of the wait; once the
    pack is in the cache it gives the file's size and page count, read from the file."""
    page = client.get("/atlas/areas/TLD33/").content.decode()
    assert "Evidence pack (PDF, may take up to 15 seconds the first time)</a>" in page
    three_pages = b"%PDF-1.7\n" + b"<< /Type /Pages /Count 3 >>\n" + b"<< /Type /Page >>\n" * 3 + b"x" * 2900 + b"\n%%EOF\n"
    monkeypatch.setattr(packs, "pack_pdf_render", lambda html, base_url: three_pages)
    assert client.get(URL).status_code == 200
    page = client.get("/atlas/areas/TLD33/").content.decode()
    assert "Evidence pack (PDF, 3 KB, 3 pages)</a>" in page
    assert "may take up to 15 seconds" in client.get("/atlas/areas/E08000003/").content.decode()  # not made yet


def test_pages_are_counted_in_a_real_weasyprint_pdf():
    from weasyprint import HTML

    html = "<p>one</p>" + "".join(f'<p style="page-break-before: always">{n}</p>' for n in ("two", "three"))
    assert packs.pdf_page_count(HTML(string=html).write_pdf()) == 3


# --- how many new packs one client may have made (locus/web/pdf_budget.py) -------------------------

def test_new_packs_over_the_clients_budget_are_a_429_that_points_to_the_online_pack(client, renders, monkeypatch):
    """Each new pack is seconds of a web worker: one network can have at most the budget made an hour. Packs
    already made stay free, another network has its own budget, and the refusal says when to try again."""
    from locus.web import pdf_budget

    monkeypatch.setattr(pdf_budget, "ANONYMOUS_PER_HOUR", 2)
    codes = ["TLD33", "TLD34", "TLD35"]
    assert [client.get(f"/atlas/areas/{c}/evidence-pack.pdf").status_code for c in codes[:2]] == [200, 200]
    refused = client.get(f"/atlas/areas/{codes[2]}/evidence-pack.pdf")
    assert refused.status_code == 429 and len(renders) == 2  # refused before WeasyPrint was called
    assert 0 < int(refused["Retry-After"]) <= 3600
    page = refused.content.decode()
    assert "Too many new PDFs for now" in page and 'href="/atlas/areas/TLD35/evidence-pack.html"' in page
    assert client.get(f"/atlas/areas/{codes[0]}/evidence-pack.pdf").status_code == 200  # cached: not counted
    assert client.get(f"/atlas/areas/{codes[2]}/evidence-pack.html").status_code == 200  # online: free
    other = client.get(f"/atlas/areas/{codes[2]}/evidence-pack.pdf", REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200 and len(renders) == 3


def test_a_signed_in_user_draws_on_their_own_larger_budget(client, renders, monkeypatch, user_with_role):
    from locus.web import pdf_budget

    monkeypatch.setattr(pdf_budget, "ANONYMOUS_PER_HOUR", 1)
    monkeypatch.setattr(pdf_budget, "SIGNED_IN_PER_HOUR", 3)
    assert client.get("/atlas/areas/TLD33/evidence-pack.pdf").status_code == 200
    assert client.get("/atlas/areas/TLD34/evidence-pack.pdf").status_code == 429
    client.force_login(user_with_role("analyst"))
    assert [client.get(f"/atlas/areas/{c}/evidence-pack.pdf").status_code
            for c in ("TLD34", "TLD35", "TLD36", "TLD37")] == [200, 200, 200, 429]
