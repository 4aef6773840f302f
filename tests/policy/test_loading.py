"""The bundled loader: what it loads, that reloads are idempotent, and that a bad file changes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from locus.errors import DataFileError
from locus.policy.loaders import policy_bundled_load, stip_import
from locus.policy.models import Case, CaseLink, CaseRevision, LearningPath, LearningResource

from .conftest import POLICY_DATA

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("policy_library")]
HERE = Path(__file__).parent


def test_the_library_is_loaded(policy_library):
    # the summary of this session's load, or "up to date" when an earlier test module loaded it
    summary = policy_library.get("policy")
    cases = summary.get("cases") if isinstance(summary, dict) else None
    assert Case.objects.filter(layer="local").count() == 38
    assert Case.objects.filter(layer="local", status="published").count() == 37
    assert Case.objects.filter(layer="stip").count() == 6672
    assert LearningResource.objects.count() == 18 and LearningPath.objects.count() == 3
    assert CaseLink.objects.count() == 8
    gm = Case.objects.get(slug="creative-credits-manchester")
    assert gm.area_id == "E47000001" and gm.area.name == "Greater Manchester"
    # Reviewed on the latest date one of its sources was checked (re-checked for the 2026-11-29
    # rating review, H31 A1.3).
    assert gm.reviewed_by_name.startswith("Locus team") and gm.reviewed_at.date().isoformat() == "2026-11-29"
    # Every published case has been through the 2026-11-28 audit. On 2026-11-29 weak sources (a
    # staging copy, test hosts, encyclopaedia and document-sharing copies) were replaced by the
    # publishers' own pages or re-checked and recorded as copies, the randomised trials' ratings
    # were reviewed, NPIF was rated and the Peer Networks and Strength in Places budgets were
    # sourced again (H31 A1.1-A1.6); those cases (and the one draft) were reviewed then.
    published = Case.objects.filter(layer="local", status="published")
    reviewed = {c.slug: c.reviewed_at.date().isoformat() for c in published}
    later = {"apc-collaboration-requirements", "northern-powerhouse-investment-fund", "imec",
             "catapult-network", "smart-cymru", "connecting-capability-fund", "evolve-digital-trial",
             "growth-hubs", "help-to-grow-management", "innovate-uk-smart-grants",
             "local-innovation-partnerships-fund", "made-smarter-adoption-north-west",
             "strength-in-places-fund", "beis-peer-networks", "creative-credits-manchester",
             "cai-szeidl-business-associations"}
    assert {s: d for s, d in reviewed.items() if d != "2026-11-28"} == dict.fromkeys(later, "2026-11-29")
    assert Case.objects.get(slug="be-the-business").reviewed_at.date().isoformat() == "2026-11-29"
    assert cases is None or cases["links_missing"] == []


def test_a_second_load_is_up_to_date():
    assert policy_bundled_load(data_dir=POLICY_DATA) == {"policy": "up to date"}


def _copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "policy"
    shutil.copytree(POLICY_DATA, target)
    return target


def test_a_bad_case_file_leaves_the_library_untouched(tmp_path):
    data = _copy_data(tmp_path)
    path = data / "cases" / "imec.yaml"
    path.write_text(path.read_text().replace("geography_level: region", "geography_level: moon"))
    before = Case.objects.count(), CaseRevision.objects.count()
    with pytest.raises(DataFileError) as caught:
        policy_bundled_load(data_dir=data, force=True)
    assert "imec.yaml" in str(caught.value) and caught.value.field == "geography_level"
    assert (Case.objects.count(), CaseRevision.objects.count()) == before


def test_an_unknown_area_code_names_its_line(tmp_path):
    data = _copy_data(tmp_path)
    path = data / "cases" / "smart-cymru.yaml"
    path.write_text(path.read_text().replace("area_code: W92000004", "area_code: W99999999"))
    with pytest.raises(DataFileError) as caught:
        policy_bundled_load(data_dir=data)
    assert caught.value.field == "area_code" and caught.value.line > 1


def test_a_changed_case_is_updated_with_history_and_a_removed_case_goes(tmp_path):
    data = _copy_data(tmp_path)
    path = data / "cases" / "imec.yaml"
    path.write_text(path.read_text().replace("title: imec, Leuven", "title: imec (Leuven)", 1))
    (data / "cases" / "growth-hubs.yaml").unlink()
    summary = policy_bundled_load(data_dir=data)["policy"]
    assert "stip" not in summary  # the STIP bundle did not change
    assert summary["cases"]["updated"] == 1
    imec = Case.objects.get(slug="imec")
    assert imec.title == "imec (Leuven)"
    revision = imec.revisions.get(action="updated")
    assert revision.changes["title"] == ["imec, Leuven", "imec (Leuven)"]
    assert not Case.objects.filter(slug="growth-hubs").exists()


def test_import_stip_replaces_the_layer_and_keeps_links(tmp_path):
    summary = stip_import(extract=HERE / "fixtures" / "stip_extract_2025.csv",
                          codebook_path=POLICY_DATA / "stip_codebook.json")
    assert summary["initiatives"] == 2 and summary["edition"] == 2025
    assert set(Case.objects.filter(layer="stip").values_list("slug", flat=True)) == {
        "stip-2025-4451", "stip-2025-7000"}
    link = CaseLink.objects.get(from_case__slug="knowledge-transfer-partnerships")
    assert link.to_case.slug == "stip-2025-4451"  # matched by initiative number
    assert summary["links_kept"] == 1 and summary["links_lost"] == 7
    # A later `locus load` leaves an imported edition alone (only --force restores the bundle).
    assert policy_bundled_load(data_dir=POLICY_DATA) == {"policy": "up to date"}


def test_cli_import_stip_dry_run_and_bundle(tmp_path):
    from typer.testing import CliRunner

    from locus.cli import app

    out = tmp_path / "bundle.jsonl.gz"
    result = CliRunner().invoke(app, ["policy", "import-stip", str(HERE / "fixtures" /
                                                                   "stip_extract_2021.csv"),
                                      "--dry-run", "--bundle-out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Read 2 initiatives" in result.output and out.exists()
    bad = CliRunner().invoke(app, ["policy", "import-stip", str(tmp_path / "missing.csv"),
                                   "--dry-run"])
    assert bad.exit_code == 2 and "file not found" in bad.output


def test_cli_import_stip_says_what_it_imported_in_words(tmp_path, settings):
    from typer.testing import CliRunner

    from locus.cli import app

    result = CliRunner().invoke(app, ["policy", "import-stip", str(HERE / "fixtures" / "stip_extract_2021.csv")])
    assert result.exit_code == 0, result.output
    line = " ".join(result.output.split())
    assert "Imported 2 initiatives of the 2021 edition with" in line and "links from local cases kept" in line
    assert "{" not in result.output  # not a Python dict


def test_cli_cost_model_prints_the_default_total():
    from typer.testing import CliRunner

    from locus.cli import app

    result = CliRunner().invoke(app, ["policy", "cost-model"])
    assert result.exit_code == 0 and "Total: £11,345,000 a year (within" in result.output
    assert "e+0" not in result.output and "(500,000 to 3,000,000)" in result.output
