"""The coverage rule and the district rule decide which values enter the stage scores."""

from __future__ import annotations

import duckdb

from locus.pipeline import scoring
from locus.pipeline.catalogue import INDICATORS


def _con(values: list[tuple], areas: list[tuple]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("CREATE TABLE ind_indicator_values (indicator_id VARCHAR, area_code VARCHAR, level VARCHAR, "
                "year INTEGER, value DOUBLE, partial_year BOOLEAN DEFAULT false, "
                "source_defect BOOLEAN DEFAULT false)")
    con.execute("CREATE TABLE ind_areas (code VARCHAR, level VARCHAR, itl1_code VARCHAR)")
    con.executemany("INSERT INTO ind_indicator_values (indicator_id, area_code, level, year, value) "
                    "VALUES (?, ?, ?, ?, ?)", values)
    con.executemany("INSERT INTO ind_areas VALUES (?, ?, ?)", areas)
    return con


# four ITL3 areas in four ITL1 regions; five districts in the same four regions
AREAS = [(f"T{i}", "itl3", f"R{i}") for i in range(4)] + [(f"L{i}", "lad", f"R{i % 4}") for i in range(5)]


def test_an_indicator_spread_over_all_regions_but_one_is_used_and_a_one_region_one_is_not():
    values = [("research_income_per_head", f"T{i}", "itl3", 2018, 1.0) for i in range(3)]  # 3 of 4 regions
    values += [("collab_university_business_share", "T0", "itl3", 2016, 0.5),
               ("collab_university_business_share", "L0", "lad", 2016, 0.5),
               ("collab_university_business_share", "L4", "lad", 2016, 0.2)]          # region R0 only
    use = scoring.score_use(_con(values, AREAS), ("itl3", "lad"))
    assert use["research_income_per_head"]["itl3"]["used"]
    assert use["research_income_per_head"]["itl3"]["regions"] == 3
    network = use["collab_university_business_share"]
    assert not network["itl3"]["used"] and not network["lad"]["used"]
    assert network["lad"]["reason"] == ("coverage rule: values in 1 of the 4 ITL1 regions with areas at this "
                                        "level (2 of 5 areas in 2016)")
    assert use["gva_per_head"]["itl3"] == {"used": False, "reason": "no values at this level"}


def test_districts_use_only_native_indicators_of_stages_that_have_enough_of_them():
    values = [(ind, f"L{i}", "lad", 2020, 1.0) for i in range(5)
              for ind in ("enterprise_birth_rate", "berd_per_head", "research_income_per_head")]
    use = scoring.score_use(_con(values, AREAS), ("lad",))
    assert use["enterprise_birth_rate"]["lad"]["used"]
    assert use["berd_per_head"]["lad"]["reason"].startswith("LAD rule: measured at NUTS2")
    members, used = scoring.level_indicators(use, "lad")
    assert used == ["enterprise_birth_rate"]
    # research_income_per_head and berd_per_head still count in their stages' size (the half rule)
    assert {m.indicator_id for m in members} == {"enterprise_birth_rate", "berd_per_head", "research_income_per_head"}
    stages = scoring.lad_stages()
    for stage, rule in stages.items():
        size = sum(1 for i in INDICATORS if i.stage == stage and i.direction != "context" and not i.is_given)
        assert rule["of"] == size and rule["scored"] == (len(rule["native"]) * 2 >= size > 0 and bool(rule["native"]))
