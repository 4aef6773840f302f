"""Reading the policy files strictly (file, line, field) and the STIP Compass layer (no Django)."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest

from locus.errors import DataFileError
from locus.policy import files
from locus.policy.schema import STAGE_LABELS
from locus.policy.stip import (
    THEME_STAGES,
    codebook_read,
    stip_bundle_read,
    stip_bundle_write,
    stip_extract_read,
    web_links,
)

HERE = Path(__file__).parent
REPO = HERE.parents[1]
POLICY = REPO / "data" / "policy"
CODEBOOK = codebook_read(POLICY / "stip_codebook.json")


def _copy_case(tmp_path: Path, slug: str = "imec") -> Path:
    target = tmp_path / f"{slug}.yaml"
    target.write_text((POLICY / "cases" / f"{slug}.yaml").read_text(encoding="utf-8"))
    return target


def test_a_bad_value_names_file_line_and_field(tmp_path):
    path = _copy_case(tmp_path)
    lines = path.read_text().splitlines()
    number = next(i for i, line in enumerate(lines) if line.startswith("geography_level:"))
    lines[number] = "geography_level: galaxy"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataFileError) as caught:
        files.case_read(path)
    err = caught.value
    assert err.path == str(path) and err.line == number + 1 and err.field == "geography_level"
    assert f"line {number + 1}" in str(err)


def test_a_nested_error_points_at_the_nested_line(tmp_path):
    path = _copy_case(tmp_path)
    text = path.read_text()
    first_url = text.index("  url:")
    path.write_text(text[:first_url] + "  url: not-a-web-address\n" + text[first_url:].split("\n", 1)[1])
    with pytest.raises(DataFileError) as caught:
        files.case_read(path)
    assert caught.value.field == "sources.0.url"
    assert caught.value.line == text[:first_url].count("\n") + 1


def test_rating_without_justification_is_refused_with_its_line(tmp_path):
    path = _copy_case(tmp_path)
    text = path.read_text().replace("sms_rating: null", "sms_rating: 4").replace(
        "sms_justification:", "old_justification:")
    path.write_text(text)
    with pytest.raises(DataFileError) as caught:
        files.case_read(path)
    assert "file" in str(caught.value) and "line" in str(caught.value)


def test_broken_yaml_and_wrong_slug(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("slug: broken\ntitle: [unclosed\n")
    with pytest.raises(DataFileError) as caught:
        files.case_read(path)
    assert caught.value.line == 3 and "not valid YAML" in str(caught.value)
    renamed = tmp_path / "other-name.yaml"
    renamed.write_text((POLICY / "cases" / "imec.yaml").read_text())
    with pytest.raises(DataFileError) as caught:
        files.case_read(renamed)
    assert caught.value.field == "slug" and caught.value.line == 1


def test_every_bundled_file_reads():
    cases = files.cases_read(POLICY / "cases")
    resources = files.resources_read(POLICY / "resources.yaml")
    paths = files.learning_paths_read(POLICY / "learning_paths.yaml", resource_slugs={
        r.slug for r in resources if r.status == "published"})
    assert len(cases) == 38 and {p.role for p in paths} == {
        "ca_policy_officer", "programme_manager", "elected_member"}
    assert all(s in STAGE_LABELS for c in cases for s in c.pathway_stages)


def test_a_learning_path_must_use_published_resources(tmp_path):
    path = tmp_path / "paths.yaml"
    path.write_text((POLICY / "learning_paths.yaml").read_text())
    with pytest.raises(DataFileError) as caught:
        files.learning_paths_read(path, resource_slugs={"hmt-green-book"})
    assert caught.value.field.startswith("paths.0.steps.0") and caught.value.line


def test_stage_ids_match_the_atlas_engine():
    stages = pytest.importorskip("locus.pathways.stages")
    assert tuple(STAGE_LABELS) == stages.STAGE_IDS
    assert set(THEME_STAGES.values()) <= set(STAGE_LABELS)


# --- STIP -------------------------------------------------------------------------------------

def test_extract_rows_are_grouped_and_decoded():
    edition = stip_extract_read(HERE / "fixtures" / "stip_extract_2021.csv", codebook=CODEBOOK)
    assert edition.edition == 2021 and edition.skipped == ["stip-2021-100"]
    vouchers, ktp = edition.initiatives  # sorted by initiative number
    assert ktp.stip_id == "stip-2021-4451" and ktp.instruments == ["PI008", "PI021"]
    assert ktp.themes == ["TH42", "TH31"] and ktp.target_groups == ["TG31", "TG20"]
    assert ktp.responsible == "UK Research and Innovation (UKRI); Invest NI"
    assert ktp.start == 2003 and ktp.end is None and ktp.evaluated is False
    assert ktp.stages == ["business_rd_finance", "knowledge_exchange"]
    assert vouchers.name == "DIGITAL VOUCHERS\nFOR SMES" and vouchers.geography_level == "region"
    assert vouchers.budget_range is None and vouchers.evaluated is True
    assert vouchers.stages == ["productivity"]


def test_a_newer_pipe_separated_download_with_a_codebook_row():
    edition = stip_extract_read(HERE / "fixtures" / "stip_extract_2025.csv", codebook=CODEBOOK)
    assert edition.edition == 2025 and [i.stip_id for i in edition.initiatives] == [
        "stip-2025-4451", "stip-2025-7000"]
    assert edition.labels["instrument"]["PI099"] == "A new instrument type"
    assert edition.labels["theme"]["TH42"] == CODEBOOK["themes"]["TH42"]  # codebook wins


def test_a_bad_year_names_its_line(tmp_path):
    bad = tmp_path / "bad.csv"
    text = (HERE / "fixtures" / "stip_extract_2021.csv").read_text(encoding="utf-8")
    bad.write_text(text.replace("2003.0", "MMIII", 1), encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        stip_extract_read(bad, codebook=CODEBOOK)
    assert caught.value.line == 2 and caught.value.field == "StartDateYear"


def test_a_file_that_is_not_an_extract(tmp_path):
    bad = tmp_path / "x.csv"
    bad.write_text("a,b\n1,2\n")
    with pytest.raises(DataFileError, match="InitiativeID"):
        stip_extract_read(bad, codebook=CODEBOOK)


def test_bundle_round_trip_is_deterministic(tmp_path):
    edition = stip_extract_read(HERE / "fixtures" / "stip_extract_2021.csv", codebook=CODEBOOK)
    a, b = tmp_path / "a.jsonl.gz", tmp_path / "b.jsonl.gz"
    stip_bundle_write(edition, a)
    stip_bundle_write(edition, b)
    assert a.read_bytes() == b.read_bytes()
    back = stip_bundle_read(a)
    assert [i.stip_id for i in back.initiatives] == [i.stip_id for i in edition.initiatives]
    assert back.initiatives[0].themes == edition.initiatives[0].themes


def test_a_truncated_bundle_is_refused(tmp_path):
    path = tmp_path / "t.jsonl.gz"
    lines = gzip.decompress((POLICY / "stip_compass_2021.jsonl.gz").read_bytes()).splitlines()[:5]
    path.write_bytes(gzip.compress(b"\n".join(lines) + b"\n"))
    with pytest.raises(DataFileError, match="truncated"):
        stip_bundle_read(path)


def test_the_bundled_layer_is_complete():
    edition = stip_bundle_read(POLICY / "stip_compass_2021.jsonl.gz")
    assert len(edition.initiatives) == 6672 and len(edition.skipped) == 2
    uk = [i for i in edition.initiatives if i.country_code == "GBR"]
    assert len(uk) == 200
    assert (POLICY / "stip_compass_2021.jsonl.gz").stat().st_size < 3_000_000
    meta = json.loads(gzip.open(POLICY / "stip_compass_2021.jsonl.gz", "rt").readline())
    assert meta["licence"] == "CC BY 4.0" and "OECD" in meta["attribution"]


def test_bundle_matches_the_shared_extract_when_available(tmp_path):
    extract = Path("/work/shared/data/policy/df_compass_stip.csv.gz")
    if not extract.exists():
        pytest.skip("the original STIP extract is not on this machine")
    out = tmp_path / "again.jsonl.gz"
    stip_bundle_write(stip_extract_read(extract, codebook=CODEBOOK), out)
    assert out.read_bytes() == (POLICY / "stip_compass_2021.jsonl.gz").read_bytes()


@pytest.mark.parametrize("module", ["locus.policy.schema", "locus.policy.files",
                                    "locus.policy.stip", "locus.policy.costs",
                                    "locus.policy.peers", "locus.policy.charts"])
def test_policy_cores_import_without_django(module):
    code = (f"import importlib, sys; importlib.import_module({module!r}); "
            "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'));"
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=str(REPO), env={"PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(("raw", "expected"), [
    (["https://www.ukri.org/a.pdf"], [("https://www.ukri.org/a.pdf", "https://www.ukri.org/a.pdf")]),
    (["www.og21.no"], [("www.og21.no", "https://www.og21.no")]),
    (["www.barnunge21.no www.tranport21.no"],
     [("www.barnunge21.no", "https://www.barnunge21.no"), ("www.tranport21.no", "https://www.tranport21.no")]),
    (["Review due in 2021: https://taxboard.gov.au/review."],
     [("Review due in 2021: https://taxboard.gov.au/review.", "https://taxboard.gov.au/review")]),
    (["Various monitoring activities are carried out"], [("Various monitoring activities are carried out", None)]),
    (["write to info@ukri.org"], [("write to info@ukri.org", None)]),
    (["0", "na", "N/A", "not available.", "  "], []),
])
def test_stip_web_links_become_absolute_or_plain_text(raw, expected):
    assert [(w.text, w.href) for w in web_links(raw)] == expected


def test_every_bundled_stip_link_is_absolute_or_shown_as_text():
    """The 2021 bundle has bare domains ("www.ffg.at"), sentences with an address and "0":
    none may become a relative link on a case page."""
    with gzip.open(POLICY / "stip_compass_2021.jsonl.gz", "rt", encoding="utf-8") as handle:
        next(handle)
        records = [json.loads(line) for line in handle]
    shown = [w for r in records for field in ("links", "evaluation_links") for w in web_links(r.get(field) or [])]
    assert len(shown) > 6900
    assert all(w.href is None or w.href.startswith(("https://", "http://")) for w in shown)
    assert sum(w.href is None for w in shown) < 60  # words without an address stay visible as text
