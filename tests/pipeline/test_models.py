"""SQL models on a tiny world with known answers: crosswalk weights, apportionment, structural
zeros, coverage, and 'a year with no data is empty, never zero'."""

import pytest

from locus.errors import PipelineError
from locus.pipeline.engine import model_run
from locus.pipeline.models import MODELS

from .tiny_world import tiny_connection

CHAIN = [m.name for m in MODELS if m.kind == "sql" and not m.name.startswith("ind_industry")]


def _build(con, upto="ind_indicator_values"):
    for name in CHAIN:
        model_run(con=con, name=name, spec={})  # structural checks are tested separately
        if name == upto:
            break
    return con


def _value(con, measure, level, area, year):
    rows = con.execute("SELECT value, method FROM int_measure_values WHERE measure_id = ? AND level = ? "
                       "AND area_code = ? AND year = ?", [measure, level, area, year]).fetchall()
    return rows[0] if rows else None


@pytest.fixture(scope="module")
def world():
    con = tiny_connection(
        beis=[("ip_revenue", 2018, "UKX11", 2016, 1000.0), ("innovate_uk_funding", 2018, "UKX11", 2016, 900.0),
              ("ip_revenue", 2016, "UKX11", 2016, 5.0), ("ip_revenue", 2016, "UKX19", 2016, 7.0),
              ("berd", 2018, "UKX1", 2016, 500.0), ("ref_mean_score", 2014, "UKX1", 2013, 3.0),
              ("research_income", 2018, "UKX21", 2013, 300.0)],
        bd=[("enterprise_births", "E06000001", 2019, 10), ("enterprise_births", "E06000002", 2019, 30),
            ("enterprise_births", "E06000003", 2019, 20),
            ("active_enterprises", "E06000001", 2018, 100), ("active_enterprises", "E07000001", 2018, 40),
            ("active_enterprises", "E07000002", 2018, 60), ("active_enterprises", "E06000003", 2018, 200)])
    return _build(con)


def test_pieces_split_the_lad_and_carry_register_population(world):
    rows = world.execute("SELECT piece_id, pop_2020, pop_method, lad_is_split FROM int_pieces ORDER BY 1").fetchall()
    assert rows == [("E06000001:TLX11", 100.0, "register_atoms", False),
                    ("E06000002:TLX11", 50.0, "register_atoms", True),
                    ("E06000002:TLX12", 150.0, "register_atoms", True),
                    ("E06000003:TLX12", 200.0, "register_atoms", False)]


def test_nuts_weights_are_population_shares_and_recodes_resolve(world):
    got = dict(world.execute("SELECT piece_id, weight FROM int_nuts_pieces WHERE nuts_code = 'UKX1'").fetchall())
    assert got == pytest.approx({"E06000001:TLX11": 0.2, "E06000002:TLX11": 0.1, "E06000002:TLX12": 0.3,
                                 "E06000003:TLX12": 0.4})
    recoded = world.execute("SELECT relation, count(*) FROM int_nuts_pieces WHERE nuts_code = 'UKX21' GROUP BY 1").fetchall()
    assert recoded == [("recode", 2)]


def test_sum_is_exact_where_nested_and_apportioned_where_split(world):
    assert _value(world, "ip_revenue", "itl3", "TLX11", 2018) == (1000.0, "exact")
    lad1 = _value(world, "innovate_uk_funding", "lad", "E06000001", 2018)  # shared by population
    assert lad1[0] == pytest.approx(900 * 100 / 150) and lad1[1] == "apportioned"
    # a university's own figure is shared by where the unit's HE providers are: the one provider is in E06000001
    assert _value(world, "ip_revenue", "lad", "E06000001", 2018) == (pytest.approx(1000.0), "apportioned")
    assert _value(world, "ip_revenue", "lad", "E06000002", 2018) == (pytest.approx(0.0), "apportioned")
    assert _value(world, "ip_revenue", "ca", "E47000099", 2018) == (pytest.approx(1000.0), "exact")
    assert _value(world, "berd", "itl3", "TLX12", 2018)[0] == pytest.approx(350.0)
    assert _value(world, "berd", "itl2", "TLX1", 2018) == (pytest.approx(500.0), "exact")


def test_absent_area_in_a_covered_year_is_a_structural_zero(world):
    assert _value(world, "ip_revenue", "itl3", "TLX12", 2018) == (0.0, "structural_zero")


def test_year_without_data_is_empty_never_zero(world):
    assert _value(world, "ip_revenue", "itl3", "TLX11", 2017) is None
    assert _value(world, "berd", "itl3", "TLX11", 2017) is None


def test_unresolved_code_blocks_structural_zeros_in_its_region(world):
    # UKX19 does not exist: its value cannot be placed, so TLX12 gets no invented zero in 2016
    assert _value(world, "ip_revenue", "itl3", "TLX12", 2016) is None
    assert _value(world, "ip_revenue", "itl3", "TLX11", 2016) == (5.0, "exact")
    unresolved = world.execute("SELECT geo_code, n_rows FROM int_unresolved_codes").fetchall()
    assert unresolved == [("UKX19", 1)]


def test_means_are_population_weighted_and_lad_codes_resolve(world):
    assert _value(world, "ref_mean_score", "itl3", "TLX11", 2014)[0] == pytest.approx(3.0)
    births = _value(world, "enterprise_births", "itl3", "TLX11", 2019)
    assert births[0] == pytest.approx(10 + 30 * 50 / 200) and births[1] == "apportioned"
    assert _value(world, "enterprise_births", "ca", "E47000099", 2019) == (pytest.approx(40.0), "exact")
    # former districts are placed in their own piece: exact for the ITL3 area
    assert _value(world, "active_enterprises", "itl3", "TLX11", 2018) == (pytest.approx(140.0), "exact")


def test_ca_lookup_maps_2025_codes_back(world):
    assert world.execute("SELECT lad23_code FROM stg_geo_lad_ca ORDER BY 1").fetchall() == [
        ("E06000001",), ("E06000002",)]


def test_indicator_values_divide_by_the_denominator_of_the_same_area(world):
    rows = world.execute("SELECT value, numerator, denominator, method FROM ind_indicator_values WHERE "
                         "indicator_id = 'enterprise_birth_rate' AND level = 'ca'").fetchall()
    assert rows == []  # births 2019, active enterprises only 2018: no cross-year division
    ip = world.execute("SELECT value, method FROM ind_indicator_values WHERE indicator_id = 'ip_income_share' "
                       "AND level = 'itl3' AND area_code = 'TLX11' AND year = 2018").fetchall()
    assert ip == [(pytest.approx(1000 / 300 * 100), "exact")]


def test_checks_stop_the_build_with_the_model_and_an_example():
    con = tiny_connection(beis=[("ip_revenue", 2018, "UKX11", 2016, 1.0), ("ip_revenue", 2018, "UKX11", 2016, 2.0)])
    for name in CHAIN[: CHAIN.index("stg_beis")]:
        model_run(con=con, name=name, spec={})
    with pytest.raises(PipelineError, match=r"stg_beis: unique\(measure_id, year, nuts_code\).*line"):
        model_run(con=con, name="stg_beis")


def test_published_network_indicators_pass_through_at_their_catalogued_levels(world):
    rows = world.execute("SELECT area_code, level, year, value, method FROM ind_indicator_values "
                         "WHERE indicator_id = 'collab_links' ORDER BY level").fetchall()
    # the itl2 row is not a catalogued level of the indicator; values are never summed to other levels
    assert rows == [("TLX11", "itl3", 2016, 6.0, "exact"), ("E06000001", "lad", 2016, 4.0, "exact")]


def test_a_network_row_for_an_unknown_area_stops_the_build_naming_the_field_and_line():
    con = tiny_connection(beis=[("ip_revenue", 2018, "UKX11", 2016, 1.0)],
                          network=[("E06000001", "lad", "collab_links", 4.0, "d", "2016"),
                                   ("W06099999", "lad", "collab_links", 2.0, "d", "2016")])
    for name in CHAIN[: CHAIN.index("stg_network_indicators")]:
        model_run(con=con, name=name, spec={})
    with pytest.raises(PipelineError, match=r"stg_network_indicators: assert area_code_known.*W06099999.*"
                                            r"file net.csv, line 3"):
        model_run(con=con, name="stg_network_indicators")


def _per_head(con, level, area):
    return dict(con.execute("SELECT year, value FROM ind_indicator_values WHERE indicator_id = "
                            "'innovate_uk_per_head' AND level = ? AND area_code = ?", [level, area]).fetchall())


def test_a_population_withheld_for_an_area_gives_no_per_head_value_that_year():
    """ONS withheld Scotland's 2022 ITL3 populations ([u] in Table 17): the area has no per-head value
    that year (the previous year's population is not used in its place), while the ITL1 region uses
    ONS's published ITL1 population; only after the last published year is an earlier one carried."""
    population = (("TLX11", 2018, 150.0), ("TLX12", 2018, 350.0), ("TLX", 2018, 500.0),
                  ("TLX12", 2019, 360.0), ("TLX", 2019, 520.0))  # TLX11's 2019 withheld
    beis = [("innovate_uk_funding", y, code, 2016, 100.0) for y in (2018, 2019, 2021) for code in ("UKX11", "UKX12")]
    con = _build(tiny_connection(beis=beis, population=population))
    assert _per_head(con, "itl3", "TLX11") == {2018: pytest.approx(100 / 150), 2021: pytest.approx(100 / 150)}
    assert _per_head(con, "itl3", "TLX12")[2019] == pytest.approx(100 / 360)
    assert _per_head(con, "itl1", "TLX") == {2018: pytest.approx(200 / 500), 2019: pytest.approx(200 / 520),
                                              2021: pytest.approx(200 / 520)}
    years = dict(con.execute("SELECT year, denominator_year FROM ind_indicator_values WHERE indicator_id = "
                             "'innovate_uk_per_head' AND level = 'itl1'").fetchall())
    assert years == {2018: 2018, 2019: 2019, 2021: 2019}
    # the ITL1 region's population itself is ONS's published figure that year, not missing
    assert _value(con, "population", "itl1", "TLX", 2019) == (pytest.approx(520.0), "exact")
    assert _value(con, "population", "itl3", "TLX11", 2019) is None


def test_a_university_figure_falls_back_to_population_where_the_unit_has_no_provider():
    """UKX12 (TLX12) holds no HE provider in the providers list: its figure is shared by population."""
    con = _build(tiny_connection(beis=[("ip_revenue", 2018, "UKX12", 2016, 700.0)]))
    lads = {code: _value(con, "ip_revenue", "lad", code, 2018) for code in ("E06000002", "E06000003")}
    assert lads["E06000002"][0] == pytest.approx(700 * 150 / 350)  # E06000002's piece of TLX12: 150 of 350
    assert lads["E06000003"][0] == pytest.approx(700 * 200 / 350)
