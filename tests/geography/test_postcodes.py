"""The postcode geocoder: normalisation, the table builder and lookups.

Builder tests use the synthetic fixtures in tests/geography/fixtures/; lookup
tests of real postcodes use the bundled data/geography/postcodes.parquet and
are skipped when it has not been built.
"""

from __future__ import annotations

import re
import shutil
import string
import threading
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from locus.errors import DataFileError, PostcodeError
from locus.geography import postcodes
from locus.geography.postcodes import (
    PostcodeIndex,
    build_postcode_table,
    default_index,
    default_table_path,
    normalise_postcode,
)

FIXTURES = Path(__file__).parent / "fixtures"
SIMPLE = FIXTURES / "postcodes_simple"
BOUNDARIES = FIXTURES / "lads_synthetic.geojson"
REAL_TABLE = Path(__file__).resolve().parents[2] / "data" / "geography" / "postcodes.parquet"

# An independent statement of the Government Data Standards Catalogue pattern.
VALID = re.compile(r"GIR0AA|[A-Z]([0-9]{1,2}|[A-HJ-Y][0-9]{1,2}|[0-9][A-Z]|[A-HJ-Y][0-9][A-Z])"
                   r"[0-9][A-Z]{2}")

# --- normalisation -------------------------------------------------------------------------

letter = st.sampled_from(string.ascii_uppercase)
second = st.sampled_from("ABCDEFGHJKLMNOPQRSTUVWXY")  # never I or Z
digit = st.sampled_from(string.digits)
outward = st.one_of(
    st.tuples(letter, digit), st.tuples(letter, digit, digit),
    st.tuples(letter, second, digit), st.tuples(letter, second, digit, digit),
    st.tuples(letter, digit, letter), st.tuples(letter, second, digit, letter),
).map("".join)
inward = st.tuples(digit, letter, letter).map("".join)
canonical = st.one_of(st.just("GIR 0AA"), st.builds(lambda o, i: f"{o} {i}", outward, inward))
whitespace = st.text(alphabet=" \t\n\r\u00a0\u2003", max_size=3)


@st.composite
def messy(draw: st.DrawFn) -> tuple[str, str]:
    """A canonical postcode and a rendering with random case and whitespace."""
    code = draw(canonical)
    parts = [draw(whitespace)]
    for char in code.replace(" ", ""):
        parts.append(char.lower() if draw(st.booleans()) else char)
        parts.append(draw(whitespace))
    return code, "".join(parts)


@given(messy())
def test_any_spacing_and_case_normalises_to_the_canonical_form(case: tuple[str, str]) -> None:
    code, text = case
    assert normalise_postcode(text) == code


@given(st.one_of(canonical, st.text(max_size=12)))
def test_normalisation_is_idempotent(text: str) -> None:
    try:
        once = normalise_postcode(text)
    except PostcodeError as exc:
        assert exc.reason == "malformed"
        return
    assert normalise_postcode(once) == once
    assert VALID.fullmatch(once.replace(" ", ""))
    assert once[-4] == " " and once.count(" ") == 1


@given(st.text(max_size=12).filter(
    lambda t: not VALID.fullmatch("".join(t.split()).upper()) or not t.isascii()))
def test_malformed_text_is_rejected_with_reason(text: str) -> None:
    with pytest.raises(PostcodeError) as info:
        normalise_postcode(text)
    assert info.value.reason == "malformed"
    assert info.value.postcode == text


@pytest.mark.parametrize("text, expected", [
    (" m11aa ", "M1 1AA"), ("sw1a1aa", "SW1A 1AA"), ("W1A 0AX", "W1A 0AX"),
    ("ec1a 1bb", "EC1A 1BB"), ("gir0aa", "GIR 0AA"), ("B33 8TH", "B33 8TH"),
    ("DN55\t1PT", "DN55 1PT"), ("cr2 6xh", "CR2 6XH"), ("BT1 1AA", "BT1 1AA"),
])
def test_known_forms(text: str, expected: str) -> None:
    assert normalise_postcode(text) == expected


@pytest.mark.parametrize("text", [
    "", "   ", "M1", "M1 1A", "M1 1AAA", "1M 1AA", "MI1 1AA", "MZ1 1AA", "M1-1AA", "M1 1A1",
    "SW1A1AA1", "NPT 0AD", "ＭＩ 1AA", "m1 1aſ", "ABC1 1AA",
])
def test_malformed_examples(text: str) -> None:
    with pytest.raises(PostcodeError) as info:
        normalise_postcode(text)
    assert info.value.reason == "malformed"
    assert "SW1A 1AA" in str(info.value)  # the message shows what a valid postcode looks like


# --- builder -------------------------------------------------------------------------------

@pytest.fixture
def simple_table(tmp_path: Path) -> Path:
    out = tmp_path / "postcodes.parquet"
    build_postcode_table(source_dir=SIMPLE, boundaries=BOUNDARIES, out=out)
    return out


def test_build_counts_and_layout(tmp_path: Path) -> None:
    steps: set[str] = set()
    out = tmp_path / "t.parquet"
    stats = build_postcode_table(source_dir=SIMPLE, boundaries=BOUNDARIES, out=out,
                                 progress=lambda step, done, total: steps.add(step))
    assert (stats.rows, stats.files, stats.areas) == (12, 3, 4)
    assert (stats.within, stats.nearest, stats.none, stats.no_location) == (8, 1, 3, 2)
    assert stats.skipped_legacy == 1 and stats.terminated is None
    assert steps == {"read", "assign", "write"}
    pfile = pq.ParquetFile(out)
    index = PostcodeIndex(out)
    assert index.areas == ["G", "GIR", "M", "SW"]
    assert pfile.metadata.num_row_groups == 4
    for area in index.areas:  # each area's row group holds that area only, sorted
        names = pfile.read_row_group(index._areas[area], columns=["postcode"]).column(0)
        names = names.to_pylist()
        assert names == sorted(names)
        assert {postcodes.postcode_area(n) for n in names} == {area}
    meta = index.metadata
    assert meta["locus.vintage"] == "NSPL May 2025"
    assert "Open Government Licence" in meta["locus.licence"]
    assert "Royal Mail" in meta["locus.attribution"]


def test_lookups_on_fixture(simple_table: Path) -> None:
    index = PostcodeIndex(simple_table)
    west = index.lookup("m1 1aa")
    assert (west.lat, west.lon, west.lad_code, west.lad_method) == (53.5, -2.5, "E99999901",
                                                                   "within")
    assert west.terminated is None
    assert index.lookup("M11AB").lad_code == "E99999902"
    coastal = index.lookup("M1 1AD")  # 1.3 km east of the East square
    assert (coastal.lad_code, coastal.lad_method) == ("E99999902", "nearest")
    offshore = index.lookup("M1 1AE")  # 6.6 km out: located, but no LAD
    assert offshore.has_location and offshore.lad_code is None and offshore.lad_method == "none"
    for code in ("M1 1AF", "GIR 0AA"):
        hit = index.lookup(code)
        assert (hit.lat, hit.lon, hit.lad_code, hit.lad_method) == (None, None, None, "none")
    assert index.lad_names["E99999901"] == "Synthetic West"


def test_build_is_reproducible(tmp_path: Path) -> None:
    first, second = tmp_path / "a.parquet", tmp_path / "b.parquet"
    build_postcode_table(source_dir=SIMPLE, boundaries=BOUNDARIES, out=first)
    build_postcode_table(source_dir=SIMPLE, boundaries=BOUNDARIES, out=second)
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.parametrize("bad_row, field", [
    ("M1 1AG,fifty,-2.5", "lat"),
    ("M1 1AG,53.5,", "long"),
    ("M1 1AG,53.5,40.0", "long"),
    ("M1 1XI,53.5", None),
    ("M1 1A,53.5,-2.5", "Postcode"),
    ("M1 1AA,53.6,-2.5", "postcode"),  # duplicate of line 2
])
def test_bad_row_names_file_line_field_and_keeps_old_table(
        tmp_path: Path, bad_row: str, field: str | None) -> None:
    source = tmp_path / "src"
    shutil.copytree(SIMPLE, source)
    out = tmp_path / "out" / "postcodes.parquet"
    build_postcode_table(source_dir=source, boundaries=BOUNDARIES, out=out)
    before = out.read_bytes()
    bad_file = source / "M.csv"
    line = len(bad_file.read_text().splitlines()) + 1
    with bad_file.open("a") as handle:
        handle.write(bad_row + "\n")
    with pytest.raises(DataFileError) as info:
        build_postcode_table(source_dir=source, boundaries=BOUNDARIES, out=out)
    error = info.value
    assert (Path(error.path).name, error.line, error.field) == ("M.csv", line, field)
    assert "M.csv" in str(error) and f"line {line}" in str(error)
    assert out.read_bytes() == before
    assert [p.name for p in out.parent.iterdir()] == ["postcodes.parquet"]  # no temp file left


def test_exclude_areas(tmp_path: Path) -> None:
    out = tmp_path / "t.parquet"
    stats = build_postcode_table(source_dir=SIMPLE, boundaries=BOUNDARIES, out=out,
                                 exclude_areas={"SW"})
    assert stats.rows == 9 and PostcodeIndex(out).areas == ["G", "GIR", "M"]
    with pytest.raises(PostcodeError, match="not in the postcode table"):
        PostcodeIndex(out).lookup("SW1A 1AA")


def test_unrecognised_header(tmp_path: Path) -> None:
    (tmp_path / "X.csv").write_text("pc,latitude,longitude\nM1 1AA,53.5,-2.5\n")
    with pytest.raises(DataFileError, match="unrecognised header") as info:
        build_postcode_table(source_dir=tmp_path, boundaries=BOUNDARIES, out=tmp_path / "o.pq")
    assert info.value.line == 1
    assert not (tmp_path / "o.pq").exists()


def test_full_nspl_format(tmp_path: Path) -> None:
    out = tmp_path / "nspl.parquet"
    stats = build_postcode_table(source_dir=FIXTURES / "nspl_synthetic.csv",
                                 boundaries=BOUNDARIES, out=out, vintage="synthetic")
    assert (stats.rows, stats.from_source, stats.terminated, stats.no_location) == (5, 4, 2, 1)
    index = PostcodeIndex(out)
    old = index.lookup("AB1 0AA")
    assert (old.terminated, old.lad_code, old.lad_method) == (True, "S12000033", "source")
    live = index.lookup("AB10 1AA")
    assert (live.terminated, live.lat, live.lon) == (False, 57.15, -2.1)
    # LAD from laua even where the point lies in another polygon
    assert index.lookup("M1 1AA").lad_code == "E08000003"
    assert index.lookup("M1 1AB").terminated is True
    jersey = index.lookup("JE2 3QA")  # NSPL 99.999999 = no grid ref; L99999999 pseudo-code
    assert (jersey.lat, jersey.lad_code, jersey.lad_method) == (None, None, "none")
    assert index.lad_names["S12000033"] == ""  # not in the boundary file: code without name


def test_unknown_and_malformed_on_fixture(simple_table: Path) -> None:
    index = PostcodeIndex(simple_table)
    for text in ("M1 9ZZ", "ZE1 0AA"):  # area present / area absent
        with pytest.raises(PostcodeError) as info:
            index.lookup(text)
        assert info.value.reason == "unknown"
    with pytest.raises(PostcodeError) as info:
        index.lookup("not a postcode")
    assert info.value.reason == "malformed"


def test_lookup_many(simple_table: Path) -> None:
    index = PostcodeIndex(simple_table)
    got = index.lookup_many(["sw1a1aa", "bad", "M1 9ZZ", "M11 1AA", "G1 1AA"], on_error="none")
    assert [g.postcode if g else None for g in got] == [
        "SW1A 1AA", None, None, "M11 1AA", "G1 1AA"]
    with pytest.raises(PostcodeError) as info:
        index.lookup_many(["M1 1AA", "M1 9ZZ"])
    assert info.value.reason == "unknown"


def test_missing_table_is_a_data_file_error(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="not found"):
        PostcodeIndex(tmp_path / "absent.parquet")


def test_default_index_honours_env(simple_table: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOCUS_POSTCODES_PATH", str(simple_table))
    assert default_table_path() == simple_table
    assert default_index() is default_index()
    assert default_index().lookup("G1 1AA").lad_code == "E99999901"
    monkeypatch.delenv("LOCUS_POSTCODES_PATH")
    assert default_table_path() == REAL_TABLE


# --- the bundled table -----------------------------------------------------------------------



@pytest.mark.parametrize("text, lad", [
    ("M1 1AA", "E08000003"),  # Manchester
    ("SW1A 1AA", "E09000033"),  # Westminster
    ("CF10 3AT", "W06000015"),  # Cardiff
    ("EH1 1YZ", "S12000036"),  # City of Edinburgh
])
def test_real_postcodes(text: str, lad: str) -> None:
    hit = PostcodeIndex(REAL_TABLE).lookup(text)
    assert hit.lad_code == lad and hit.lad_method == "within"
    assert 49 < hit.lat < 61 and -9 < hit.lon < 2
    assert hit.terminated is None and "NSPL" in hit.source and "May 2025" in hit.source


def test_real_table_edge_cases() -> None:
    index = PostcodeIndex(REAL_TABLE)
    jersey = index.lookup("JE2 3QA")  # in the source, without coordinates
    assert (jersey.lat, jersey.lon, jersey.lad_code, jersey.lad_method) == (
        None, None, None, "none")
    with pytest.raises(PostcodeError) as info:
        index.lookup("ZE9 9ZZ")  # well formed, not a real postcode
    assert info.value.reason == "unknown"
    with pytest.raises(PostcodeError) as info:
        index.lookup("M1 9ZZ")
    assert info.value.reason == "unknown"
    with pytest.raises(PostcodeError) as info:
        index.lookup("ZZ9 9ZZ")  # Z is never a second letter
    assert info.value.reason == "malformed"


def test_northern_ireland_postcodes_are_not_bundled_and_say_why() -> None:
    with pytest.raises(PostcodeError) as info:
        PostcodeIndex(REAL_TABLE).lookup("BT1 1AA")
    assert info.value.reason == "not_bundled"
    assert "Land & Property Services" in str(info.value)


def test_concurrent_lookups_agree() -> None:
    codes = ["M1 1AA", "SW1A 1AA", "CF10 3AT", "EH1 1YZ", "AB10 1AA", "ZE1 0AA"]
    expected = [h.lad_code for h in PostcodeIndex(REAL_TABLE).lookup_many(codes)]
    index = PostcodeIndex(REAL_TABLE)  # cold cache shared by the threads
    results: list[list[str | None]] = []

    def work() -> None:
        results.append([index.lookup(c).lad_code for c in codes])

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [expected] * 8
