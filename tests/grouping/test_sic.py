"""SIC 2007 codes are checked against the real list (data/grouping/sic2007.csv), and cohort files
in another encoding than UTF-8 are refused as bad input (exit code 2), not as infeasible."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from locus.grouping import GroupingInputError
from locus.grouping.cli import app
from locus.grouping.io import assignment_read, problem_read
from locus.grouping.problem import SIC_DIVISIONS, sic_normalise
from locus.grouping.sic import SIC_FILE, sic_list

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def _oracle() -> tuple[set[str], set[str]]:
    """The valid 4- and 5-digit codes, computed straight from the file's rows."""
    rows = list(csv.DictReader(SIC_FILE.open(encoding="utf-8")))
    classes = {r["code"] for r in rows if r["level"] == "class"}
    subclasses = {r["code"] for r in rows if r["level"] == "subclass"}
    divided = {s[:4] for s in subclasses}
    fives = subclasses | {c + "0" for c in classes - divided}
    return classes, fives


CLASSES, FIVES = _oracle()
SUBCLASSES = sorted(sic_list().subclasses)


def test_the_list_has_the_shape_of_sic_2007():
    sic = sic_list()
    assert (len(sic.divisions), len(sic.groups), len(sic.classes)) == (88, 272, 615)
    assert len(sic.subclasses) == 191 and set(sic.companies_house) == {"74990", "98000", "99999"}
    assert set(sic.divisions) == SIC_DIVISIONS
    assert all(c[:3] in sic.groups and c[:2] in sic.divisions for c in sic.classes)
    assert all(s[:4] in sic.classes and s[4] != "0" for s in sic.subclasses)
    assert sic.classes["6201"] == "Computer programming activities"
    assert sic.subclasses["62012"] == "Business and domestic software development"


def test_every_class_in_ons_business_counts_is_in_the_list():
    """An independent real source: the 524 classes with local units in ONS UK Business Counts 2018."""
    with (ROOT / "data" / "grouping" / "business_population.csv").open(encoding="utf-8") as fh:
        counted = {r["sic4"] for r in csv.DictReader(fh)}
    assert len(counted) == 524 and counted <= CLASSES


def test_demo_trades_are_real_codes():
    from locus.peers.synthetic import SICS

    assert all(sic_normalise(code) == code for code in SICS)


@pytest.mark.parametrize("code", sorted(CLASSES))
def test_every_class_is_accepted_in_each_written_form(code):
    forms = [code, f"{code[:2]}.{code[2:]}", f" {code[:2]}.{code[2:]} ", f"{code}.0"]
    if code.startswith("0"):
        forms.append(code[1:])                      # a spreadsheet dropped the leading zero
    if code.endswith("0"):
        forms.append(f"{code[:2]}.{code[2]}")       # a spreadsheet's 62.1 for 62.10
    assert {sic_normalise(f) for f in forms} == {code}
    if code + "0" in FIVES:                         # an undivided class, Companies House style
        assert sic_normalise(code + "0") == sic_normalise(f"{code[:2]}.{code[2:]}/0") \
            == code + "0"


@pytest.mark.parametrize("code", SUBCLASSES)
def test_every_subclass_is_accepted_in_each_written_form(code):
    for form in (code, f"{code[:2]}.{code[2:4]}/{code[4]}", f"{code[:4]}/{code[4]}"):
        assert sic_normalise(form) == code


def _codes_named(message: str, raw: str) -> set[str]:
    dotted = {m.replace(".", "") for m in re.findall(r"\b\d{2}\.\d{2}\b", message)}
    plain = set(re.findall(r"\b\d{5}\b", message))
    return (dotted | plain) - {raw, raw[:4]}   # the code itself, and its class said not to exist


@settings(max_examples=400, deadline=None)
@given(st.integers(0, 99999), st.sampled_from([4, 5]))
def test_random_codes_are_accepted_exactly_when_real(number, width):
    text = str(number).zfill(width)
    if width == 4 and number >= 10000:
        text = str(number)[:4]
    valid = CLASSES if len(text) == 4 else FIVES
    if text in valid:
        assert sic_normalise(text) == text
        return
    with pytest.raises(ValueError) as caught:
        sic_normalise(text)
    message = str(caught.value)
    assert repr(text) in message
    # A hint names only codes that exist.
    assert _codes_named(message, text) <= CLASSES | FIVES, message


def test_every_near_miss_of_a_real_subclass_is_refused():
    for cls in sorted(CLASSES):
        for last in "0123456789":
            code = cls + last
            if code in FIVES:
                continue
            with pytest.raises(ValueError, match="not a SIC 2007 code"):
                sic_normalise(code)


@pytest.mark.parametrize("text,hint", [
    ("12.34", "division 12 has 12.00 (Manufacture of tobacco products)"),
    ("99.99", "division 99 has 99.00"),
    ("62019", "divided into 62011 (Ready-made interactive leisure and entertainment software "
              "development) and 62012 (Business and domestic software development)"),
    ("62.02/5", "class 62.02 (Computer consultancy activities) has no subclasses: write 6202 or "
                "62020"),
    ("1110", "if a spreadsheet dropped its leading zero, it is 01110"),
    ("99999", "Companies House's code for 'Dormant Company', not a SIC 2007 activity"),
    ("74990", "'Non-trading company'"),
    ("00.00", "division 00 does not exist"),
])
def test_refusals_say_what_is_near(text, hint):
    with pytest.raises(ValueError) as caught:
        sic_normalise(text)
    assert hint in str(caught.value)


ROWS = "id,sic,lat,lon\n" + "".join(f"F{i},{('6201', '4321', '1020')[i % 3]},53.{i:02d},-2.1\n"
                                    for i in range(12))


def test_unknown_codes_are_row_errors_with_file_line_field_and_value(tmp_path):
    path = tmp_path / "cohort.csv"
    path.write_text(ROWS.replace("F1,4321", "F1,12.34").replace("F4,4321", "F4,62019")
                    .replace("F7,4321", "F7,99999"), encoding="utf-8")
    with pytest.raises(GroupingInputError) as caught:
        problem_read(path=path)
    found = {(e.file, e.line, e.field): e.message for e in caught.value.errors}
    assert set(found) == {("cohort.csv", 3, "sic"), ("cohort.csv", 6, "sic"),
                          ("cohort.csv", 9, "sic")}
    assert "'12.34'" in found[("cohort.csv", 3, "sic")]
    assert "'62019'" in found[("cohort.csv", 6, "sic")]
    result = runner.invoke(app, ["form", str(path), "--out", str(tmp_path / "o.csv")])
    assert result.exit_code == 2 and "cohort.csv:6 [sic] SIC code '62019'" in result.output
    assert not (tmp_path / "o.csv").exists()


def test_utf8_with_and_without_bom_is_read(tmp_path):
    for name, encoding in (("plain.csv", "utf-8"), ("bom.csv", "utf-8-sig")):
        path = tmp_path / name
        path.write_text(ROWS, encoding=encoding)
        assert [p.id for p in problem_read(path=path).participants][:2] == ["F0", "F1"]


@pytest.mark.parametrize("encoding,line,words", [
    ("utf-16", None, "the file is UTF-16 text, not UTF-8"),
    ("utf-32", None, "the file is UTF-32 text, not UTF-8"),
    ("utf-16-le", 1, "NUL bytes"),
    ("cp1252", 4, "byte 0xa3 is not UTF-8"),
])
def test_other_encodings_are_refused_with_how_to_save(tmp_path, encoding, line, words):
    path = tmp_path / "cohort.csv"
    path.write_bytes(ROWS.replace("F2,", "F2 £,").encode(encoding))
    with pytest.raises(GroupingInputError) as caught:
        problem_read(path=path)
    (error,) = caught.value.errors
    assert (error.file, error.line, error.field) == ("cohort.csv", line, "file")
    assert words in error.message and "CSV UTF-8 in Excel" in error.message
    result = runner.invoke(app, ["form", str(path), "--out", str(tmp_path / "o.csv")])
    assert result.exit_code == 2, result.output
    assert "CSV UTF-8 in Excel" in result.output and "Traceback" not in result.output


def test_a_workbook_named_csv_and_a_broken_workbook_are_refused(tmp_path):
    (tmp_path / "book.csv").write_bytes(b"PK\x03\x04 not really a zip")
    (tmp_path / "book.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    for name, words in (("book.csv", "give it the .xlsx extension"),
                        ("book.xlsx", "cannot read the workbook")):
        result = runner.invoke(app, ["form", str(tmp_path / name)])
        assert result.exit_code == 2 and words in result.output, result.output


def test_current_file_errors_exit_2(tmp_path):
    cohort = tmp_path / "cohort.csv"
    cohort.write_text(ROWS, encoding="utf-8")
    (tmp_path / "cols.csv").write_text("firm,grp\nF1,G1\n", encoding="utf-8")
    (tmp_path / "u16.csv").write_bytes("id,group\nF1,G1\n".encode("utf-16"))
    for current, words in (("missing.csv", "file not found"), ("cols.csv", "[id] missing column"),
                           ("u16.csv", "UTF-16")):
        for command in ("add", "rebalance"):
            result = runner.invoke(app, [command, str(cohort), "--current",
                                         str(tmp_path / current), "--out", str(tmp_path / "o.csv")])
            assert result.exit_code == 2 and words in result.output, result.output
    (tmp_path / "bom.csv").write_text("ID, Group \nF1,G1\nF2,\n", encoding="utf-8-sig")
    assert assignment_read(path=tmp_path / "bom.csv") == {"F1": "G1"}


def test_unwritable_outputs_exit_2_before_solving(tmp_path):
    cohort = tmp_path / "cohort.csv"
    cohort.write_text(ROWS, encoding="utf-8")
    for option, value in (("--out", tmp_path / "no" / "o.csv"), ("--report", tmp_path / "no" / "r.json"),
                          ("--out", tmp_path)):
        result = runner.invoke(app, ["form", str(cohort), option, str(value)])
        assert result.exit_code == 2 and f"cannot write {option}" in result.output, result.output
