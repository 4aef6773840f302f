"""Bad input stops the build naming the file, line and field; previous output is unchanged."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from locus.errors import DataFileError, PipelineError
from locus.pipeline import atlas_build

IP = "beis/hebci/ip_revenue.nuts3.csv"


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


def test_malformed_value_names_file_line_and_field(data_copy, tmp_path):
    path = data_copy / IP
    lines = _lines(path)
    lines[4] = lines[4].rsplit(",", 1)[0] + ",12x4\n"
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        atlas_build(data_dir=data_copy, out_dir=tmp_path / "out")
    assert err.value.path.endswith(IP) and err.value.line == 5 and err.value.field == "ip_revenue"
    assert "line 5" in str(err.value) and "ip_revenue.nuts3.csv" in str(err.value)


@pytest.mark.parametrize("bad,why", [("-1200.0", "a negative value"), ("nan", "not a finite number"),
                                     ("inf", "not a finite number"), ("", "no value (blank)")])
def test_an_impossible_value_names_file_line_and_field(data_copy, tmp_path, bad, why):
    """A negative amount of money, NaN, infinity or a blank in a file that never has one stop the build
    at the row (they used to surface later as a failed model check or silently fewer rows)."""
    path = data_copy / IP
    lines = _lines(path)
    lines[6] = lines[6].rsplit(",", 1)[0] + f",{bad}\n"
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        atlas_build(data_dir=data_copy, out_dir=tmp_path / "out")
    assert err.value.path.endswith(IP) and err.value.line == 7 and err.value.field == "ip_revenue"
    assert why in str(err.value)


def test_a_renamed_value_column_is_refused(data_copy, tmp_path):
    path = data_copy / IP
    lines = _lines(path)
    lines[0] = "year,nuts_id,nuts_year_spec,spinoff_revenue\n"
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(DataFileError, match="expected the value column 'ip_revenue'") as err:
        atlas_build(data_dir=data_copy, out_dir=tmp_path / "out")
    assert err.value.line == 1 and err.value.path.endswith(IP)


def test_blanks_and_negatives_stay_allowed_where_the_publisher_has_them(data_copy, tmp_path):
    """Eurostat's EPO file publishes blanks (not available) and Nesta's complexity index is a z-score."""
    atlas_build(data_dir=data_copy, out_dir=tmp_path / "out")  # the bundled files as published build


def test_truncated_mid_line_names_the_last_line(data_copy, tmp_path):
    path = data_copy / IP
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: len(text) // 2].rstrip("\n").rsplit(",", 1)[0], encoding="utf-8")
    n_lines = len(_lines(path))
    with pytest.raises(DataFileError) as err:
        atlas_build(data_dir=data_copy, out_dir=tmp_path / "out")
    assert err.value.line == n_lines and err.value.path.endswith(IP)


def test_truncated_at_a_line_boundary_fails_the_coverage_check(data_copy, tmp_path):
    path = data_copy / IP
    path.write_text("".join(_lines(path)[:40]), encoding="utf-8")
    with pytest.raises(PipelineError, match=r"coverage.*ip_revenue.*ip_revenue\.nuts3\.csv"):
        atlas_build(data_dir=data_copy, out_dir=tmp_path / "out")


def test_missing_file_and_wrong_header(data_copy, tmp_path):
    (data_copy / IP).unlink()
    with pytest.raises(DataFileError, match="missing") as err:
        atlas_build(data_dir=data_copy, out_dir=tmp_path / "out")
    assert err.value.path.endswith(IP)
    (data_copy / IP).write_text("year,nuts,nuts_year_spec,ip_revenue\n2014,UKC12,2013,0\n", encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        atlas_build(data_dir=data_copy, out_dir=tmp_path / "out")
    assert err.value.line == 1


def test_corrupt_workbook_and_bad_cell(data_copy, tmp_path):
    book = data_copy / "ons/businessdemographyexceltables2024.xlsx"
    book.write_bytes(book.read_bytes()[:50_000])
    with pytest.raises(DataFileError) as err:
        atlas_build(data_dir=data_copy, out_dir=tmp_path / "out")
    assert err.value.path.endswith("businessdemographyexceltables2024.xlsx")


def test_failed_build_leaves_previous_output_unchanged(built_atlas, data_copy, tmp_path):
    good_out, _ = built_atlas
    out = tmp_path / "atlas"
    atlas_build(data_dir=data_copy, out_dir=out)
    before = _digest(out)
    path = data_copy / IP
    lines = _lines(path)
    lines[7] = "2014,UKC99,2013,not-a-number\n"
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(DataFileError):
        atlas_build(data_dir=data_copy, out_dir=out)
    assert _digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".atlas")) == []


NETWORK = "../collaboration/network_indicators.csv"


@pytest.mark.parametrize(("line_no", "column", "bad", "field"), [
    (3, 3, "12x4", "value"),                     # not a number
    (4, 2, "collab_hugs", "indicator"),          # not in the catalogue
    (5, 1, "parish", "area_level"),              # not a level
    (6, 8, "sometime", "vintage"),               # not a year range
])
def test_bad_network_row_names_file_line_and_field(data_copy, tmp_path, line_no, column, bad, field):
    import csv
    import io

    path = data_copy / NETWORK
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    rows[line_no - 1][column] = bad
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        atlas_build(data_dir=data_copy, out_dir=tmp_path / "out")
    assert err.value.path.endswith("network_indicators.csv")
    assert (err.value.line, err.value.field) == (line_no, field)
    assert f"line {line_no}" in str(err.value) and repr(field) in str(err.value)


def test_missing_network_file_stops_the_build(data_copy, tmp_path):
    (data_copy / NETWORK).unlink()
    with pytest.raises(DataFileError, match="missing") as err:
        atlas_build(data_dir=data_copy, out_dir=tmp_path / "out")
    assert err.value.path.endswith("network_indicators.csv")
