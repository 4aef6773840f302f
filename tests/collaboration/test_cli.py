"""`locus collaboration ...` commands."""

from __future__ import annotations

import csv
import json

import pytest
from typer.testing import CliRunner

from locus.cli import app
from tests.collaboration.fixtures.innovate_uk import write_workbook

runner = CliRunner()


@pytest.mark.parametrize("command", [["collaboration", "rule-sets"], ["collaboration", "check"],
                                     ["collaboration", "simulate"],
                                     ["collaboration", "export-network"],
                                     ["data", "import", "innovate-uk"], ["data", "fetch", "gtr"]])
def test_every_collaboration_command_has_help(command):
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0 and "Usage" in result.output


@pytest.mark.parametrize("old", ["import-innovate-uk", "fetch-gtr"])
def test_the_old_command_names_are_gone(old):
    result = runner.invoke(app, ["collaboration", old, "--help"])
    assert result.exit_code != 0


def test_fetch_gtr_takes_since_and_funder_and_rejects_a_bad_date():
    help_text = runner.invoke(app, ["data", "fetch", "gtr", "--help"]).output
    assert "--since" in help_text and "--funder" in help_text
    bad = runner.invoke(app, ["data", "fetch", "gtr", "--since", "last week"])
    assert bad.exit_code == 2 and "is not a date" in bad.output


def test_check_a_consortium_file(tmp_path):
    path = tmp_path / "consortium.json"
    path.write_text(json.dumps({"participants": [
        {"name": "Acme Ltd", "role": "lead", "organisation_type": "business", "size": "small",
         "country": "GB", "eligible_costs": 70},
        {"name": "Uni", "role": "partner", "organisation_type": "research", "country": "GB",
         "eligible_costs": 30}]}))
    result = runner.invoke(app, ["collaboration", "check", str(path), "--rule-set",
                                 "innovate-uk-crd"])
    assert result.exit_code == 0 and "passes" in result.output
    path.write_text(json.dumps({"participants": [{"name": "A", "role": "partner",
                                                  "organisation_type": "business",
                                                  "country": "ZZ", "eligible_costs": 1}]}))
    bad = runner.invoke(app, ["collaboration", "check", str(path)])
    assert bad.exit_code == 2 and "participants[0].country" in bad.output


@pytest.mark.parametrize(("body", "message"), [
    ('{"participants": [', "not valid JSON (line 1, column 19: Expecting value)"),
    ("[1, 2]", '(file): give an object: {"participants"'),
    ('{"participants": "Acme"}', "participants: give a list of organisations"),
    ('{"participants": [1, "Acme"]}', "participants[1]: give an organisation as an object"),
    ('{"participants": [{"name": "Acme", "role": "lead", "organisation_type": "business", "size": "small", '
     '"country": "GB", "eligible_costs": 1}], "parameters": "x"}', "parameters: give an object"),
])
def test_a_malformed_consortium_file_gets_a_one_line_error_not_a_traceback(tmp_path, body, message):
    path = tmp_path / "consortium.json"
    path.write_text(body)
    result = runner.invoke(app, ["collaboration", "check", str(path), "--rule-set", "apc"])
    assert result.exit_code == 2 and message in " ".join(result.output.split()), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.django_db
def test_import_simulate_and_export(tmp_path):
    imported = runner.invoke(app, ["data", "import", "innovate-uk",
                                   str(write_workbook(tmp_path / "iuk.xlsx"))])
    assert imported.exit_code == 0, imported.output
    out = tmp_path / "sim.csv"
    result = runner.invoke(app, ["collaboration", "simulate", "--rule-set", "innovate-uk-crd",
                                 "--out", str(out)])
    assert result.exit_code == 0 and "2 of 4 projects" in result.output
    assert out.read_text().startswith("rule_set,version")
    assert "Money basis: grant." in result.output
    written = list(csv.DictReader(out.open()))
    assert written and all(r["money_basis"] == "grant" for r in written)
    for bad in ("max_partners", "=8"):
        refused = runner.invoke(app, ["collaboration", "simulate", "--rule-set", "innovate-uk-crd", "--param", bad])
        assert refused.exit_code == 2 and "--param takes name=value" in refused.output
    unknown = runner.invoke(app, ["collaboration", "simulate", "--rule-set", "innovate-uk-crd", "--param", "colour=red"])
    assert unknown.exit_code == 2 and "colour" in unknown.output and "Traceback" not in unknown.output
    indicators = tmp_path / "net.csv"
    exported = runner.invoke(app, ["collaboration", "export-network", "--out", str(indicators)])
    assert exported.exit_code == 0, exported.output
    rows = list(csv.DictReader(indicators.open()))
    cardiff = {r["indicator"]: float(r["value"]) for r in rows
               if r["area_code"] == "W06000015" and r["area_level"] == "lad"}
    assert cardiff["collab_organisations"] == 60 and 0 < cardiff["collab_local_link_share"] < 1


@pytest.mark.django_db
def test_a_bad_workbook_fails_with_row_errors(tmp_path):
    from tests.collaboration.fixtures.innovate_uk import ROWS

    rows = [dict(r) for r in ROWS]
    rows[0]["Is Lead Participant"] = "Perhaps"
    result = runner.invoke(app, ["data", "import", "innovate-uk",
                                 str(write_workbook(tmp_path / "bad.xlsx", rows))])
    assert result.exit_code == 2 and "line 2" in result.output and "nothing was imported" in result.output


def _rule_set_ids():
    from locus.collaboration.rules.model import rule_set_list

    return [rs.id for rs in rule_set_list()]


def test_rule_sets_in_a_pipe_prints_every_id_whole_one_a_line():
    """Piped (CliRunner's output is not a terminal), the list is plain tab-separated lines, so
    `cut -f1` gives ids that --rule-set takes (QA H10 defect 4: 'ukri-collaboration-ma…')."""
    result = runner.invoke(app, ["collaboration", "rule-sets"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split("\t") == ["id", "version", "status", "title"]
    assert [line.split("\t")[0] for line in lines[1:]] == _rule_set_ids()
    assert "…" not in result.output and "ukri-collaboration-mandate" in _rule_set_ids()
    assert all(len(line.split("\t")) == 4 for line in lines)


@pytest.mark.parametrize("width", [80, 100])
def test_rule_sets_in_a_terminal_wraps_titles_never_ids(monkeypatch, width):
    import io

    from rich.console import Console

    from locus.collaboration import cli as collaboration_cli

    out = io.StringIO()
    monkeypatch.setattr(collaboration_cli, "console",
                        Console(file=out, width=width, force_terminal=True, color_system=None))
    result = runner.invoke(app, ["collaboration", "rule-sets"])
    assert result.exit_code == 0
    table = out.getvalue()
    assert "┃ id" in table and "…" not in table  # a table, nothing cut
    assert max(len(line) for line in table.splitlines()) <= width
    for rs_id in _rule_set_ids():
        assert f"│ {rs_id} " in table


def test_rule_sets_in_a_terminal_too_narrow_for_the_ids_prints_plain_lines(monkeypatch):
    import io

    from rich.console import Console

    from locus.collaboration import cli as collaboration_cli

    out = io.StringIO()
    monkeypatch.setattr(collaboration_cli, "console",
                        Console(file=out, width=40, force_terminal=True, color_system=None))
    assert runner.invoke(app, ["collaboration", "rule-sets"]).exit_code == 0
    lines = out.getvalue().splitlines()
    assert [line.split("\t")[0] for line in lines[1:]] == _rule_set_ids()


def _consortium_json() -> str:
    return json.dumps({"participants": [
        {"name": "Café Ltd", "role": "lead", "organisation_type": "business", "size": "small",
         "country": "GB", "eligible_costs": 70},
        {"name": "Uni", "role": "partner", "organisation_type": "research", "country": "GB",
         "eligible_costs": 30}]}, ensure_ascii=False)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
def test_check_reads_utf8_with_or_without_a_byte_order_mark(tmp_path, encoding):
    path = tmp_path / "consortium.json"
    path.write_text(_consortium_json(), encoding=encoding)
    result = runner.invoke(app, ["collaboration", "check", str(path), "--rule-set", "innovate-uk-crd"])
    assert result.exit_code == 0 and "passes" in result.output, result.output


@pytest.mark.parametrize(("encoding", "name"), [("utf-16", "UTF-16"), ("utf-16-be", "UTF-16"),
                                                 ("utf-32", "UTF-32")])
def test_check_names_a_file_in_another_encoding_and_says_save_it_as_utf8(tmp_path, encoding, name):
    """What PowerShell 5's `>` writes (UTF-16 with a byte-order mark): one line, exit 2 (bad input),
    no traceback (QA H10 defect 5)."""
    path = tmp_path / "consortium.json"
    data = _consortium_json().encode(encoding)
    path.write_bytes(data if data[:2] in (b"\xff\xfe", b"\xfe\xff") or encoding == "utf-32"
                     else b"\xfe\xff" + data)
    result = runner.invoke(app, ["collaboration", "check", str(path)])
    assert result.exit_code == 2 and isinstance(result.exception, (SystemExit, type(None)))
    text = " ".join(result.output.split())
    assert f"Error: file {path}: the file is {name} text, not UTF-8: save it as UTF-8" in text, text
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1


def test_check_names_the_line_of_a_byte_that_is_not_utf8(tmp_path):
    path = tmp_path / "consortium.json"
    path.write_bytes(_consortium_json().replace("{", "{\n", 2).encode("latin-1"))
    result = runner.invoke(app, ["collaboration", "check", str(path)])
    assert result.exit_code == 2 and isinstance(result.exception, (SystemExit, type(None)))
    assert f"Error: file {path}, line 3: byte 0xe9 is not UTF-8 (the file is in another encoding, such as " \
           "Windows-1252): save it as UTF-8" in " ".join(result.output.split()), result.output
