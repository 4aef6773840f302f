"""`locus collaboration check` says in its exit status whether the consortium passes (0), fails the
rules (1) or could not be checked (2); `export-network` never writes into the bundled data/ folder
unless told to; the consortium file and the grouping's cohort file are read by the same reader."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from locus.cli import app

runner = CliRunner()
REPO = Path(__file__).resolve().parents[2]

PASSING = {"participants": [
    {"name": "Acme Ltd", "role": "lead", "organisation_type": "business", "size": "small",
     "country": "GB", "eligible_costs": 70},
    {"name": "Uni", "role": "partner", "organisation_type": "research", "country": "GB",
     "eligible_costs": 30}]}
# valid input that breaks Innovate UK's rules: one organisation, a university leading it
FAILING = {"participants": [{"name": "Uni", "role": "lead", "organisation_type": "research",
                             "country": "GB", "eligible_costs": 100}]}


def _check(tmp_path, body, *args):
    path = tmp_path / "consortium.json"
    path.write_text(json.dumps(body) if not isinstance(body, str) else body, encoding="utf-8")
    return runner.invoke(app, ["collaboration", "check", str(path), *args])


def test_check_exits_0_when_the_consortium_passes(tmp_path):
    result = _check(tmp_path, PASSING, "--rule-set", "innovate-uk-crd")
    assert result.exit_code == 0, result.output
    assert "passes" in result.output and "FAIL " not in result.output


def test_check_exits_1_when_the_consortium_fails_and_still_prints_the_whole_report(tmp_path):
    result = _check(tmp_path, FAILING, "--rule-set", "innovate-uk-crd")
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit) and "Traceback" not in result.output
    text = " ".join(result.output.split())
    assert "Innovate UK collaborative research and development" in text and "fails" in text
    assert "FAIL At least two organisations: Has 1 organisation" in text
    assert "FAIL Business lead" in text and "Error:" not in text


def test_check_against_all_rule_sets_exits_1_when_any_fails_after_printing_every_report(tmp_path):
    from locus.collaboration.rules.model import rule_set_list

    result = _check(tmp_path, FAILING)
    assert result.exit_code == 1, result.output
    verdicts = [line for line in result.output.splitlines() if line.endswith(("passes", "fails"))]
    assert len(verdicts) == len(rule_set_list())


@pytest.mark.parametrize(("args", "body", "words"), [
    (["--rule-set", "no-such-rules"], PASSING, "unknown rule set 'no-such-rules'"),
    (["--rule-set", "innovate-uk-crd"], '{"participants": [', "not valid JSON"),
    (["--rule-set", "innovate-uk-crd"], {"participants": [{"name": "A", "role": "lead", "country": "ZZ"}]},
     "participants[0]"),
])
def test_check_exits_2_for_input_it_cannot_check_and_prints_no_report(tmp_path, args, body, words):
    result = _check(tmp_path, body, *args)
    assert result.exit_code == 2, result.output
    assert words in " ".join(result.output.split()) and "passes" not in result.output
    assert "fails" not in result.output and len(result.output.strip().splitlines()) == 1


def test_check_exits_2_for_a_missing_file(tmp_path):
    result = runner.invoke(app, ["collaboration", "check", str(tmp_path / "none.json")])
    assert result.exit_code == 2 and "does not exist" in result.output


def test_check_help_gives_the_exit_statuses():
    text = " ".join(runner.invoke(app, ["collaboration", "check", "--help"]).output.split())
    assert "0 when it worked" in text and "1 when the consortium fails a required check" in text
    assert "2 when the input is wrong" in text


# --- export-network ---------------------------------------------------------------------------------

@pytest.mark.django_db
def test_export_network_writes_under_the_data_dir_by_default(tmp_path, settings):
    bundled = REPO / "data" / "collaboration" / "network_indicators.csv"
    before = bundled.read_bytes()
    settings.LOCUS_DATA_DIR = tmp_path / "var"
    result = runner.invoke(app, ["collaboration", "export-network"])
    assert result.exit_code == 0, result.output
    written = tmp_path / "var" / "collaboration" / "network_indicators.csv"
    assert written.is_file() and f"to {written}" in " ".join(result.output.split())
    assert written.read_text(encoding="utf-8").startswith("area_code,area_level,indicator")
    assert bundled.read_bytes() == before


def test_export_network_help_shows_the_data_dir_default_not_data():
    text = runner.invoke(app, ["collaboration", "export-network", "--help"]).output
    assert "<LOCUS_DATA_DIR>/collaboration/network_indicators.csv" in " ".join(text.split())
    assert "[default: data/" not in text and "--overwrite-bundled" in text


@pytest.mark.django_db
@pytest.mark.parametrize("out", [
    REPO / "data" / "collaboration" / "network_indicators.csv",  # the bundled file itself
    REPO / "data" / "atlas" / "new.csv",  # anywhere in data/
    REPO / "var" / ".." / "data" / "collaboration" / "x.parquet",  # resolved, not compared as text
])
def test_export_network_refuses_an_out_inside_the_bundled_data_folder(out, monkeypatch):
    bundled = REPO / "data" / "collaboration" / "network_indicators.csv"
    before = bundled.read_bytes()
    monkeypatch.chdir(REPO)
    result = runner.invoke(app, ["collaboration", "export-network", "--out", str(out)])
    assert result.exit_code == 2, result.output
    text = " ".join(result.output.split())
    assert "inside the repository's bundled data folder" in text and "--overwrite-bundled" in text
    assert bundled.read_bytes() == before and not (REPO / "data" / "atlas" / "new.csv").exists()


@pytest.mark.django_db
def test_export_network_refuses_the_relative_default_of_old(monkeypatch):
    """`--out data/collaboration/network_indicators.csv` run from the checkout (the old default)."""
    monkeypatch.chdir(REPO)
    before = (REPO / "data" / "collaboration" / "network_indicators.csv").read_bytes()
    result = runner.invoke(app, ["collaboration", "export-network", "--out",
                                 "data/collaboration/network_indicators.csv"])
    assert result.exit_code == 2, result.output
    assert (REPO / "data" / "collaboration" / "network_indicators.csv").read_bytes() == before


@pytest.mark.django_db
def test_export_network_overwrites_the_bundled_file_only_with_the_flag(tmp_path, settings):
    """The maintainer's way to regenerate data/collaboration/network_indicators.csv (SOURCES.md),
    tried on a stand-in data folder so that the test leaves the real one alone."""
    settings.LOCUS_BUNDLED_DATA = tmp_path / "data"
    target = tmp_path / "data" / "collaboration" / "network_indicators.csv"
    target.parent.mkdir(parents=True)
    target.write_text("old\n", encoding="utf-8")
    refused = runner.invoke(app, ["collaboration", "export-network", "--out", str(target)])
    assert refused.exit_code == 2 and target.read_text(encoding="utf-8") == "old\n"
    done = runner.invoke(app, ["collaboration", "export-network", "--out", str(target), "--overwrite-bundled"])
    assert done.exit_code == 0, done.output
    assert target.read_text(encoding="utf-8").startswith("area_code,area_level,indicator")


# --- one reader for the consortium file and the cohort file ------------------------------------------

_TEXT = '{"participants": [\n{"name": "Caf\u00e9", "role": "lead"}\n]}\n'


@pytest.mark.parametrize(("data", "line", "words"), [
    (_TEXT.encode("utf-16"), None, "the file is UTF-16 text, not UTF-8"),
    (_TEXT.encode("utf-32"), None, "the file is UTF-32 text, not UTF-8"),
    (_TEXT.encode("utf-16-le"), 1, "NUL bytes (UTF-16 text without a byte-order mark"),
    (_TEXT.encode("cp1252"), 2, "byte 0xe9 is not UTF-8"),
    (b"PK\x03\x04 a workbook", None, "the file is a workbook (.xlsx) or another ZIP archive, not text"),
])
def test_the_consortium_and_the_cohort_readers_say_the_same_of_the_same_file(tmp_path, data, line, words):
    """Before, `check` let UTF-16 without a byte-order mark and workbooks through to the JSON parser
    ("not valid JSON") while the cohort reader named them; now both use locus.textfile."""
    from locus.grouping.errors import GroupingInputError
    from locus.grouping.io import problem_read

    path = tmp_path / "input.csv"
    path.write_bytes(data)
    result = runner.invoke(app, ["collaboration", "check", str(path)])
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert said.startswith(f"Error: file {path}" + (f", line {line}:" if line else ":")), said
    assert words in said and "save it as UTF-8 (CSV UTF-8 in Excel" in said and "JSON" not in said
    with pytest.raises(GroupingInputError) as caught:
        problem_read(path=path)
    (error,) = caught.value.errors
    assert (error.file, error.line, error.field) == ("input.csv", line, "file")
    assert said.endswith(error.message) or words.startswith("the file is a workbook")
    assert words in error.message

