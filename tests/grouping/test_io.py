"""Reading cohorts: good files parse; every bad row is reported with file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from locus.errors import PostcodeError
from locus.grouping import GroupingInputError, Mode
from locus.grouping.io import assignment_read, groups_write, problem_read, problem_write
from tests.grouping.helpers import cohort

HEADER = "id,name,sic,employees,postcode,lat,lon,themes,mode,avoid,together,locked_group,previous_group\n"
POSTCODES = {"M1 1AA": (53.4808, -2.2426), "PR1 2HE": (53.7632, -2.7031)}


def geocode(text: str):
    key = " ".join(text.upper().split())
    if key == "BAD":
        raise PostcodeError("'BAD' is not a UK postcode", postcode=text, reason="malformed")
    return POSTCODES.get(key)


def _write(tmp_path: Path, body: str, name: str = "cohort.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_good_file(tmp_path):
    path = _write(tmp_path, (
        "a,Alpha Ltd,62.01,12,M1 1AA,,,Marketing; people,online,b,,,P1;P2\n"
        "b,Beta Ltd,4321,,,53.5,-2.3,,in person,,c,G9,\n"
        'c,"Gamma, Inc",56101,7,PR1 2HE,,,finance,,,,,\n'))
    problem = problem_read(path=path, geocode=geocode)
    a, b, c = problem.participants
    assert (a.sic, a.employees, a.lat, a.mode) == ("6201", 12, 53.4808, Mode.ONLINE)
    assert a.themes == {"marketing", "people"} and a.previous_groups == {"P1", "P2"}
    assert (b.mode, b.employees, b.locked_group, b.together) == (Mode.IN_PERSON, None, "G9",
                                                                 {"c"})
    assert (c.name, c.sic, c.mode, c.lon) == ("Gamma, Inc", "56101", Mode.EITHER, -2.7031)


def test_every_bad_row_is_listed(tmp_path):
    path = _write(tmp_path, (
        ",No Id,6201,5,M1 1AA,,,,,,,,\n"            # line 2: missing id
        "x,Dup One,6201,5,M1 1AA,,,,,,,,\n"         # line 3
        "x,Dup Two,6202,5,M1 1AA,,,,,,,,\n"         # line 4: duplicate id
        "y,Unknown pc,6201,5,ZZ9 9ZZ,,,,,,,,\n"     # line 5: unknown postcode
        "z,Bad SIC,04.11,5,M1 1AA,,,,,,,,\n"        # line 6: division 04 does not exist
        "w,Bad ref,6201,5,M1 1AA,,,,,q,,,\n"        # line 7: unknown avoid id
        "v,Contra,6201,5,M1 1AA,,,,,u,u,,\n"        # line 8: both avoided and together
        "u,Bad mode,6201,-3,BAD,,,,sometimes,,,,\n"))  # line 9: employees, postcode, mode
    with pytest.raises(GroupingInputError) as info:
        problem_read(path=path, geocode=geocode)
    found = {(e.line, e.field) for e in info.value.errors}
    assert found == {(2, "id"), (4, "id"), (5, "postcode"), (6, "sic"), (7, "avoid"),
                     (8, "together"), (9, "employees"), (9, "postcode"), (9, "mode")}
    assert all(e.file == "cohort.csv" for e in info.value.errors)
    messages = " ".join(e.message for e in info.value.errors)
    assert "first on line 3" in messages and "unknown id 'q'" in messages
    assert "not a UK postcode" in messages and "unknown postcode" in messages


def test_in_person_without_location_and_missing_columns(tmp_path):
    path = _write(tmp_path, "a,A,6201,5,,,,,in_person,,,,\n")
    with pytest.raises(GroupingInputError) as info:
        problem_read(path=path, geocode=geocode)
    assert [(e.line, e.field) for e in info.value.errors] == [(2, "mode")]
    bad = tmp_path / "bad.csv"
    bad.write_text("name,employees\nA,3\n", encoding="utf-8")
    with pytest.raises(GroupingInputError) as info:
        problem_read(path=bad)
    assert {e.field for e in info.value.errors} == {"id", "sic", "postcode (or lat and lon)"}


def test_postcode_without_geocoder(tmp_path):
    path = _write(tmp_path, "a,A,6201,5,M1 1AA,,,,,,,,\n")
    with pytest.raises(GroupingInputError) as info:
        problem_read(path=path, geocode=None)
    assert "no geocoder" in info.value.errors[0].message


def test_xlsx_input(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.strip().split(","))
    sheet.append(["1", "One", 6201, 12, None, 53.48, -2.24, "digital", "either"])
    sheet.append([2, "Two", "43.21", 8.0, "M1 1AA", None, None, "digital;finance", "online"])
    sheet.append([3, "Three", 111, None, None, 53.4, -2.2])
    path = tmp_path / "cohort.xlsx"
    book.save(path)
    problem = problem_read(path=path, geocode=geocode)
    one, two, three = problem.participants
    assert (one.id, one.sic, one.employees) == ("1", "6201", 12)
    assert (two.id, two.sic, two.employees, two.lat) == ("2", "4321", 8, 53.4808)
    assert three.sic == "0111"


def test_round_trip_and_outputs(tmp_path):
    problem = cohort(25, seed=4)
    path = tmp_path / "cohort.csv"
    problem_write(path=path, problem=problem)
    again = problem_read(path=path)
    assert again == problem
    out = tmp_path / "groups.csv"
    assignment = {p.id: "G01" for p in problem.participants[:20]}
    groups_write(path=out, problem=problem, assignment=assignment)
    assert assignment_read(path=out) == assignment
    assert out.read_text().splitlines()[0] == "id,group"
