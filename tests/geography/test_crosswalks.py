"""Placing NUTS 2018 and old LAD codes in today's geography."""

from __future__ import annotations

import csv

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from locus.errors import GeographyError
from locus.geography.build import derive_geography
from locus.geography.crosswalks import (
    current_lad,
    lads_to_parents,
    nuts_to_lads,
    successor_map,
)
from tests.conftest import GEO_DIR


def _rows(name):
    with open(GEO_DIR / name, encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def world():
    geo = derive_geography(data_dir=GEO_DIR)
    changes = [(r["oldcd"], r["newcd"]) for r in _rows("lad_changes.csv")
               if r["type"] in {"merger", "new_geo"} and r["newcd"][:3] in {"E06", "E07", "S12"}]
    successors = successor_map(changes)
    nuts = _rows("lad18_nuts_2018.csv")
    pop = {r["gss-code"]: float(r["pop-2020"]) for r in _rows("mysociety_local_authorities.csv")
           if r["gss-code"] and r["pop-2020"]}
    current = {c for c, a in geo.areas.items() if a.level == "lad"}
    members = {}
    for m in geo.memberships:
        members.setdefault(m.child, {})[m.parent] = m.share
    return {"successors": successors, "current": current, "pop": pop, "members": members,
            "nuts3": [(r["LAD18CD"], r["NUTS318CD"]) for r in nuts],
            "nuts2": [(r["LAD18CD"], r["NUTS218CD"]) for r in nuts]}


def _place(world, code, level="nuts3"):
    return nuts_to_lads(code, nuts_rows=world[level], successors=world["successors"],
                        population=world["pop"], current=world["current"])


def test_successor_chains_reach_the_2023_code(world):
    assert current_lad("E07000026", successors=world["successors"],
                       current=world["current"]) == "E06000063"  # Allerdale -> Cumberland
    assert current_lad("E07000004", successors=world["successors"],
                       current=world["current"]) == "E06000060"  # Aylesbury Vale -> Bucks
    with pytest.raises(GeographyError):
        current_lad("E07999999", successors=world["successors"], current=world["current"])


def test_loop_in_change_list_is_an_error():
    with pytest.raises(GeographyError, match="loops"):
        successor_map([("A", "B"), ("B", "A")])


def test_single_district_nuts3_maps_whole(world):
    placements = _place(world, "UKD33")  # Manchester
    assert [(p.code, p.share) for p in placements] == [("E08000003", 1.0)]


def test_dorset_cc_is_split_between_bcp_and_dorset(world):
    placements = {p.code: p for p in _place(world, "UKK22")}
    assert set(placements) == {"E06000058", "E06000059"}
    assert abs(sum(p.share for p in placements.values()) - 1) < 1e-9
    assert placements["E06000059"].share > placements["E06000058"].share


def test_nuts3_to_ca_carries_shares(world):
    lads = _place(world, "UKD3", level="nuts2")  # Greater Manchester NUTS2
    parents = {p.code: p.share for p in lads_to_parents(lads, memberships=world["members"])}
    assert abs(parents["E47000001"] - 1) < 1e-9


def test_unknown_nuts_code_is_an_error(world):
    with pytest.raises(GeographyError, match="not a NUTS 2018 code"):
        _place(world, "UKZ99")


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_shares_of_every_nuts3_sum_to_one(world, data):
    code = data.draw(st.sampled_from(sorted({n for _, n in world["nuts3"]})))
    placements = _place(world, code)
    assert abs(sum(p.share for p in placements) - 1) < 1e-9
    assert all(0 < p.share <= 1 and p.code in world["current"] for p in placements)
