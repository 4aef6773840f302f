"""The strategy pack's PDF is made once per content and kept under the data directory (ADR 27): the
key is the pack's whole HTML, so a case edit, a draft published or another atlas makes a new PDF."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess

import pytest

from locus.policy import hooks, packs
from locus.policy.models import Case, Status
from locus.policy.services import correction_apply
from tests.pdf_stub import pdf_stub, renderer_recorded

from .conftest import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("policy_library")]
CODE = "E47000001"
URL = f"/policy/packs/{CODE}/pack.pdf"


_pdf = pdf_stub


@pytest.fixture
def renders(settings, tmp_path, monkeypatch):
    """The PDF renderer replaced by a quick one that records the HTML it was given."""
    return renderer_recorded(module=packs, settings=settings, tmp_path=tmp_path, monkeypatch=monkeypatch)


def _kept(tmp_path):
    return sorted((tmp_path / "cache" / "strategy-packs").glob("*.pdf"))


def _first_case() -> Case:
    """A case the pack shows (the first of its first group)."""
    from locus.geography.models import Area

    pack = packs.strategy_pack_build(area=Area.objects.get(code=CODE))
    return pack.case_groups[0].cases[0]


def test_the_second_request_is_served_from_the_cache(client, renders, tmp_path):
    first = client.get(URL)
    assert first.status_code == 200 and first.content == _pdf("render 1") and len(renders) == 1
    second = client.get(URL)
    assert second.status_code == 200 and second.content == first.content and len(renders) == 1
    assert second["Content-Disposition"] == f'attachment; filename="locus-strategy-pack-{CODE}.pdf"'
    [kept] = _kept(tmp_path)
    assert kept.name.startswith(f"{CODE}-") and kept.read_bytes() == first.content
    # dated when made: the key is the content without the day, the PDF has the day
    today = dt.datetime.now(dt.UTC).strftime("%-d %B %Y")
    assert packs.GENERATED_MARK not in renders[0] and f"Generated {today} by Locus" in renders[0]
    assert client.get(URL.replace(CODE, "E47000002")).status_code == 200 and len(renders) == 2
    assert len(_kept(tmp_path)) == 2  # one a Combined Authority


def test_a_case_edit_makes_a_new_pdf_and_drops_the_old_one(client, renders, tmp_path, make_user):
    """An editor's accepted correction to a case the pack shows (the in-app way cases are edited)."""
    client.get(URL)
    [old] = _kept(tmp_path)
    case = _first_case()
    assert f"/policy/cases/{case.slug}/" in renders[0]
    editor = make_user("editor", "administrator")
    correction_apply(case=case, data={"field": "summary", "value": "A corrected summary, checked.",
                                      "source": {"publisher": "Test", "title": "Evaluation",
                                                 "url": "https://example.org/evaluation"}},
                     reviewer=editor)
    response = client.get(URL)
    assert len(renders) == 2 and response.content == _pdf("render 2")
    assert "A corrected summary, checked." in renders[1] and "A corrected summary" not in renders[0]
    [new] = _kept(tmp_path)
    assert new != old and not old.exists()
    assert client.get(URL).content == _pdf("render 2") and len(renders) == 2


def test_a_rating_change_reorders_the_pack_and_makes_a_new_pdf(client, renders):
    client.get(URL)
    case = _first_case()
    Case.objects.filter(pk=case.pk).update(sms_rating=None, sms_justification="")  # as a bundled reload would
    client.get(URL)
    assert len(renders) == 2 and renders[0] != renders[1]


def test_a_draft_is_in_no_ones_pdf_and_publishing_it_makes_a_new_one(client, renders, make_user):
    """The pack shows published cases only, whoever asks: an editor (who may see drafts elsewhere)
    and a visitor get the same PDF, without the draft; once published, a new PDF has it."""
    leader = _first_case()
    draft = Case.objects.get(pk=leader.pk)
    draft.pk, draft.slug, draft.title = None, "draft-test-case", "A draft test case, not yet reviewed"
    draft.status, draft.sms_rating, draft.area_id = Status.DRAFT, 5, CODE  # first in its group once published
    draft.save()
    draft.tags.set([])
    for tag in leader.tags.all():
        draft.tags.create(kind=tag.kind, code=tag.code)
    editor = make_user("editor", "administrator")
    assert client.login(username=editor.username, password=PASSWORD)
    as_editor = client.get(URL)
    assert as_editor.status_code == 200 and len(renders) == 1 and draft.title not in renders[0]
    client.logout()
    as_visitor = client.get(URL)
    assert as_visitor.content == as_editor.content and len(renders) == 1
    Case.objects.filter(pk=draft.pk).update(status=Status.PUBLISHED)
    client.get(URL)
    assert len(renders) == 2 and draft.title in renders[1]


def test_another_atlas_answer_makes_a_new_pdf(client, renders):
    client.get(URL)
    hooks.WEAK_LINK_PROVIDERS.append(lambda area: hooks.WeakLinks(["formation"], "Test atlas build abc, 2026"))
    client.get(URL)
    assert len(renders) == 2 and "Test atlas build abc, 2026" in renders[1]
    hooks.WEAK_LINK_PROVIDERS[:] = [lambda area: hooks.WeakLinks(["formation"], "Test atlas build def, 2026")]
    client.get(URL)
    assert len(renders) == 3 and "Test atlas build def, 2026" in renders[2]


def test_another_site_address_makes_a_new_pdf(client, renders):
    """The PDF's links are absolute: a pack asked for on another host name has its own."""
    client.get(URL)
    client.get(URL, HTTP_HOST="127.0.0.1")
    assert len(renders) == 2 and "http://127.0.0.1/policy/packs/" in renders[1]


def test_a_damaged_cached_pdf_is_made_again(client, renders, tmp_path):
    client.get(URL)
    [kept] = _kept(tmp_path)
    kept.write_bytes(kept.read_bytes()[:100])
    assert client.get(URL).content == _pdf("render 2") and len(renders) == 2


def test_a_real_pdf_is_rendered_once_and_dated(client, settings, tmp_path, monkeypatch):
    settings.LOCUS_DATA_DIR = tmp_path
    first = client.get(URL)
    assert first.content.startswith(b"%PDF-") and len(_kept(tmp_path)) == 1

    def refuse(html, base_url):
        raise AssertionError("rendered again")

    monkeypatch.setattr(packs, "pack_pdf_render", refuse)
    assert client.get(URL).content == first.content
    if shutil.which("pdftotext"):
        target = tmp_path / "pack.pdf"
        target.write_bytes(first.content)
        text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True).stdout
        assert packs.GENERATED_MARK not in text and re.search(r"Generated \d{1,2} [A-Z][a-z]+ \d{4}", text)


def test_new_strategy_pack_pdfs_over_the_clients_budget_are_a_429_with_the_online_pack(client, renders, monkeypatch):
    from locus.web import pdf_budget

    monkeypatch.setattr(pdf_budget, "ANONYMOUS_PER_HOUR", 1)
    assert client.get(URL).status_code == 200
    refused = client.get(URL.replace(CODE, "E47000002"))
    assert refused.status_code == 429 and len(renders) == 1 and refused["Retry-After"]
    assert 'href="/policy/packs/E47000002/"' in refused.content.decode()
    assert client.get(URL).status_code == 200 and len(renders) == 1  # already made: free
