"""Exit statuses (ADR 0031 and its addendum), output paths and input files of every `locus` command:
2 for wrong input with a one-line message, never a traceback; an output path is checked before the
work starts and a missing folder is never created (QA H29 findings A1, A2, A4, A4b, A5, A8)."""

from __future__ import annotations

import csv
import gzip
import stat
import sys
from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from locus.cli import app
from locus.cli_support import EXIT_STATUSES, OutputPathError, output_path_check
from locus.textfile import TextFileError, csv_text_read, utf8_text_read

runner = CliRunner()
REPO = Path(__file__).resolve().parent.parent
STIP_FIXTURE = REPO / "tests" / "policy" / "fixtures" / "stip_extract_2021.csv"


def _one_line(result) -> str:
    return " ".join(result.output.split())


def _commands(group, prefix: tuple[str, ...] = ()):
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            yield from _commands(command, (*prefix, name))
        else:
            yield (*prefix, name), command


ALL_COMMANDS = sorted(_commands(get_command(app)))


@pytest.mark.parametrize(("path", "command"), ALL_COMMANDS, ids=[" ".join(p) for p, _ in ALL_COMMANDS])
def test_every_command_states_its_exit_statuses_in_its_help(path, command):
    help_text = " ".join((command.help or "").split())
    assert "Exit status: 0 when it worked;" in help_text, path
    assert "2 when the input is wrong (a file, a code, an option value or an output path;" in help_text
    if path in (("collaboration", "check"), ("groups", "form"), ("groups", "add"), ("groups", "rebalance")):
        assert "1 when the consortium fails" in help_text or "1 when no grouping keeps every rule" in help_text
    else:
        assert help_text.endswith(" ".join(EXIT_STATUSES.split())), path


# --- the shared output check -------------------------------------------------------------------

def test_output_check_refuses_a_missing_folder_and_does_not_create_it(tmp_path):
    target = tmp_path / "nope" / "deeper" / "x.csv"
    with pytest.raises(OutputPathError) as refused:
        output_path_check("--out", target)
    assert str(refused.value) == (f"cannot write --out {target}: the folder {target.parent} does not exist "
                                  "(Locus does not create folders: make it first, or give another path)")
    assert not (tmp_path / "nope").exists()


def test_output_check_refuses_a_folder_a_file_as_folder_and_leaves_nothing_behind(tmp_path):
    (tmp_path / "adir.csv").mkdir()
    with pytest.raises(OutputPathError, match="it is a folder; give a file name"):
        output_path_check("--out", tmp_path / "adir.csv")
    (tmp_path / "plain.csv").write_text("keep me\n")
    with pytest.raises(OutputPathError, match=r"plain\.csv is a file, not a folder"):
        output_path_check("--report", tmp_path / "plain.csv" / "r.json")
    output_path_check("--out", tmp_path / "plain.csv")  # an existing file: opened, not changed
    assert (tmp_path / "plain.csv").read_text() == "keep me\n"
    output_path_check("--out", tmp_path / "new.csv")  # probed, then removed
    assert not (tmp_path / "new.csv").exists()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc is Linux's")
def test_output_check_refuses_a_folder_that_takes_no_files():
    with pytest.raises(OutputPathError, match=r"cannot write --out /proc/h36\.csv: .*cannot create a file in /proc"):
        output_path_check("--out", Path("/proc/h36.csv"))


@pytest.mark.parametrize("args", [
    ["atlas", "export", "indicator_values", "--out", "{missing}/x.csv"],
    ["atlas", "export", "indicator_values", "--format", "geojson", "--out", "{missing}/x.geojson"],
    ["groups", "form", "{cohort}", "--out", "{missing}/g.csv"],
    ["groups", "form", "{cohort}", "--out", "{tmp}/g.csv", "--report", "{missing}/r.json"],
    ["policy", "import-stip", str(STIP_FIXTURE), "--dry-run", "--bundle-out", "{missing}/b.jsonl.gz"],
])
def test_commands_refuse_an_output_folder_that_does_not_exist_before_any_work(tmp_path, args):
    cohort = tmp_path / "firms.csv"
    cohort.write_text("id,name\n1,A\n")
    missing = tmp_path / "typo"
    args = [a.format(missing=missing, tmp=tmp_path, cohort=cohort) for a in args]
    result = runner.invoke(app, args)
    said = _one_line(result)
    assert result.exit_code == 2, result.output
    assert "Error: cannot write --" in said and f"the folder {missing} does not exist" in said
    assert "Traceback" not in result.output and not missing.exists()


@pytest.mark.django_db
def test_simulate_refuses_an_unwritable_out_before_printing_a_result(tmp_path):
    result = runner.invoke(app, ["collaboration", "simulate", "--rule-set", "innovate-uk-crd",
                                 "--out", str(tmp_path / "typo" / "s.csv")])
    assert result.exit_code == 2, result.output
    said = _one_line(result)
    assert f"Error: cannot write --out {tmp_path / 'typo' / 's.csv'}" in said
    assert "would comply" not in said and not (tmp_path / "typo").exists()


@pytest.mark.django_db
def test_import_says_what_it_imported_and_export_network_writes_a_readable_csv_where_told(tmp_path):
    from tests.collaboration.fixtures.innovate_uk import write_workbook

    imported = runner.invoke(app, ["data", "import", "innovate-uk", str(write_workbook(tmp_path / "iuk.xlsx")),
                                   "--name", "qa29"])
    said = _one_line(imported)
    assert imported.exit_code == 0, imported.output
    assert said.startswith("Imported 4 projects and ") and " participations from qa29 as \"Innovate UK funded" in said
    assert "{" not in said
    key = said.split("(dataset ")[1].split(")")[0]
    missing = runner.invoke(app, ["collaboration", "export-network", "--dataset", key,
                                  "--out", str(tmp_path / "typo" / "n.csv")])
    assert missing.exit_code == 2 and "does not exist" in _one_line(missing), missing.output
    assert not (tmp_path / "typo").exists()
    out = tmp_path / "n.csv"
    written = runner.invoke(app, ["collaboration", "export-network", "--dataset", key, "--out", str(out)])
    assert written.exit_code == 0, written.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o644  # not mkstemp's 0600
    assert next(csv.reader(out.open()))[0] == "area_code"
    unknown = runner.invoke(app, ["collaboration", "export-network", "--dataset", "nope",
                                  "--out", str(tmp_path / "m.csv")])
    assert unknown.exit_code == 2 and "nope" in unknown.output


# --- exit statuses: 2 for wrong input, 1 when Locus has nothing to work on ----------------------

def test_atlas_export_statuses(tmp_path):
    bad_format = runner.invoke(app, ["atlas", "export", "indicator_values", "--format", "xlsx",
                                     "--out", str(tmp_path / "x.xlsx")])
    assert bad_format.exit_code == 2 and "unknown --format 'xlsx': use csv, parquet or geojson" in bad_format.output
    no_build = runner.invoke(app, ["atlas", "export", "indicator_values", "--out", str(tmp_path / "x.csv"),
                                   "--atlas-dir", str(tmp_path)])
    assert no_build.exit_code == 1 and "run `locus build` first" in _one_line(no_build)
    assert not (tmp_path / "x.csv").exists()


def test_build_says_which_sibling_folders_a_copy_of_data_atlas_lacks(tmp_path):
    (tmp_path / "atlas").mkdir()
    result = runner.invoke(app, ["build", "--data-dir", str(tmp_path / "atlas"), "--out-dir", str(tmp_path / "o")])
    said = _one_line(result)
    assert result.exit_code == 2, result.output
    assert f"--data-dir {tmp_path / 'atlas'}: Locus also reads the folders" in said
    assert f"{tmp_path / 'geography'}" in said and f"{tmp_path / 'collaboration'}" in said
    assert "does not exist: copy the whole data/ folder" in said and not (tmp_path / "o").exists()
    nowhere = runner.invoke(app, ["build", "--data-dir", str(tmp_path / "none")])
    assert nowhere.exit_code == 2 and "is not a folder" in nowhere.output
    help_text = _one_line(runner.invoke(app, ["build", "--help"]))
    assert "../geography" in help_text and "../collaboration" in help_text


def test_build_accepts_the_data_root_for_its_atlas_folder():
    from locus.pipeline.cli import _data_dir_resolve

    assert _data_dir_resolve(REPO / "data") == REPO / "data" / "atlas"
    assert _data_dir_resolve(REPO / "data" / "atlas") == REPO / "data" / "atlas"


def test_build_refuses_an_out_dir_whose_folder_does_not_exist(tmp_path):
    result = runner.invoke(app, ["build", "--out-dir", str(tmp_path / "typo" / "atlas")])
    assert result.exit_code == 2 and "does not exist" in _one_line(result)
    assert not (tmp_path / "typo").exists()


# --- STIP import through the one text reader (A1) -------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize(("content", "gz", "words"), [
    (b"InitiativeID,NameEnglish\n1,Caf\xe9\n", False,
     "line 2: byte 0xe9 is not UTF-8 (the file is in another encoding, such as Windows-1252): save it as UTF-8"),
    (b"InitiativeID,NameEnglish\n1,Caf\xe9\n", True, "line 2: byte 0xe9 is not UTF-8"),
    (b"PK\x03\x04\x14\x00\x06\x00\xc7rest of a workbook", False,
     "the file is a workbook (.xlsx) or another ZIP archive, not text"),
    (b"", False, "the file is empty"),
    (b"InitiativeID;NameEnglish\n1;Cafe\n", False,
     "line 1: the first line has semicolons, not commas: save it as comma-separated CSV"),
])
def test_import_stip_refuses_a_file_it_cannot_read_with_file_line_and_what_to_do(tmp_path, content, gz, words):
    path = tmp_path / ("extract.csv.gz" if gz else "extract.csv")
    path.write_bytes(gzip.compress(content) if gz else content)
    for dry in (["--dry-run"], []):
        result = runner.invoke(app, ["policy", "import-stip", str(path), *dry])
        said = _one_line(result)
        assert result.exit_code == 2, result.output
        assert f"Error: file {path}" in said and words in said and "Traceback" not in result.output


def test_import_stip_reads_its_fixture_and_a_gzipped_copy(tmp_path):
    from locus.policy.stip import codebook_read, stip_extract_read

    codebook = codebook_read(REPO / "data" / "policy" / "stip_codebook.json")
    zipped = tmp_path / "extract.csv.gz"
    zipped.write_bytes(gzip.compress(STIP_FIXTURE.read_bytes()))
    plain, packed = (stip_extract_read(p, codebook=codebook) for p in (STIP_FIXTURE, zipped))
    assert [i.stip_id for i in plain.initiatives] == [i.stip_id for i in packed.initiatives]
    assert len(plain.initiatives) == 2


# --- the shared text reader: empty and semicolon files ---------------------------------------------

def test_text_reader_says_the_file_is_empty_or_blank(tmp_path):
    empty, blank = tmp_path / "empty.csv", tmp_path / "blank.csv"
    empty.write_bytes(b"")
    blank.write_bytes(b"\xef\xbb\xbf\r\n  \n")
    with pytest.raises(TextFileError, match="the file is empty"):
        utf8_text_read(empty)
    with pytest.raises(TextFileError, match="the file holds only blank lines"):
        utf8_text_read(blank)


def test_csv_reader_hints_at_semicolons_only_when_the_first_line_has_no_commas(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("name;type;postcode\nA;b;c\n")
    with pytest.raises(TextFileError) as refused:
        csv_text_read(path)
    assert refused.value.line == 1 and "save it as comma-separated CSV" in str(refused.value)
    path.write_text("name,notes\nA,one; two\n")
    assert csv_text_read(path).startswith("name,notes")


@pytest.mark.parametrize(("content", "words"), [
    ("", "the file is empty"),
    ("id;name;postcode\n1;A;M1 1AE\n", "the first line has semicolons, not commas"),
])
def test_groups_form_names_an_empty_or_semicolon_file(tmp_path, content, words):
    path = tmp_path / "firms.csv"
    path.write_text(content)
    result = runner.invoke(app, ["groups", "form", str(path), "--out", str(tmp_path / "g.csv")])
    assert result.exit_code == 2 and words in _one_line(result), result.output
    assert "missing column" not in result.output


@pytest.mark.django_db
@pytest.mark.parametrize(("content", "words"), [
    ("", "the file is empty"),
    ("name;type;postcode;source;date_checked\nA;incubator;M1 1AE;src;2026-01-01\n",
     "the first line has semicolons, not commas"),
])
def test_sites_import_names_an_empty_or_semicolon_file(tmp_path, content, words):
    path = tmp_path / "sites.csv"
    path.write_text(content)
    result = runner.invoke(app, ["atlas", "sites-import", str(path), "--dry-run"])
    assert result.exit_code == 2 and words in _one_line(result), result.output
    assert "missing column" not in result.output


@pytest.mark.django_db
def test_sites_import_counts_one_site_in_the_singular(tmp_path):
    path = tmp_path / "sites.csv"
    path.write_text("name,type,postcode,source,date_checked\nA,incubator,M1 1AE,src,2026-01-01\n")
    result = runner.invoke(app, ["atlas", "sites-import", str(path), "--dry-run"])
    assert result.exit_code == 0 and "Checked 1 site from" in _one_line(result), result.output


# --- smaller wording -------------------------------------------------------------------------------

def test_innovate_uk_import_is_reported_in_a_sentence_not_a_dict():
    from locus.collaboration.cli import _imported_sentence

    said = _imported_sentence({"projects": 3, "participations": 6, "file": "qa29",
                               "matches": {"identifier": 0, "exact": 2, "new": 4},
                               "withdrawn_skipped": 1, "replaced_from_earlier_imports": 0,
                               "dataset": "innovate-uk:38771650b244e495"},
                              title="Innovate UK funded projects 2019-2019 (imported copy 387716)")
    assert said == ('[green]Imported[/green] 3 projects and 6 participations from qa29 as "Innovate UK funded '
                    'projects 2019-2019 (imported copy 387716)" (dataset innovate-uk:38771650b244e495). '
                    "Organisations: 2 by exact name; 4 new to the registry. Skipped 1 withdrawn row.")
    assert "{" not in said


def test_a_firm_with_no_possible_companion_is_not_told_to_lower_the_group_size():
    from locus.grouping.wording import _partner_shortage

    base = {"firms": ["F01"], "partners": 0, "min_size": 8, "max_size": 10, "competitors": 11,
            "too_far": 0, "other_mode": 0, "others": 11, "competitor_km": 25.0, "max_km": 40.0}
    none = _partner_shortage(base)
    assert "smallest group size" not in none and "remove a keep-apart request" in none
    some = _partner_shortage({**base, "partners": 3})
    assert "lower the smallest group size to 4" in some
    alone = _partner_shortage({**base, "competitors": 0})
    assert "smallest group size" not in alone and "add firms that could share a group with it" in alone
