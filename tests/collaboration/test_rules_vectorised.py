"""The simulator evaluates every project at once; it must agree with checking them one by one."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from locus.collaboration.rules.checks_entities import independent_countries
from locus.collaboration.rules.engine import evaluate
from locus.collaboration.rules.model import country_names, parameters_resolve, rule_set_list
from locus.collaboration.rules.table import table_from_columns

participant = st.fixed_dictionaries({
    "org_type": st.sampled_from(["business", "research", "rto", "public", "charity", "unknown"]),
    "size": st.sampled_from([None, "micro", "small", "medium", "large"]),
    "country": st.sampled_from(["GB", "DE", "FR", "NO", "IS", "US", "BE"]),
    "costs": st.sampled_from([0.0, 10.0, 30.0, 70.0, 100.0, 1_000_000.0, 5_000_000.0]),
    "tier": st.sampled_from([None, None, "tier1", "vehicle_manufacturer"]),
    "publishes": st.booleans(),
    "claims": st.booleans(),
    "grant": st.sampled_from([None, 0.0, 5.0, 50.0, 500_000.0, 2_500_000.0]),
    "control": st.sampled_from([None, None, "X", "Y"]),
})
project = st.lists(participant, min_size=1, max_size=6).map(
    lambda ps: [dict(p, is_lead=(i == 0)) for i, p in enumerate(ps)])


def _table(projects):
    rows = [(i, p) for i, ps in enumerate(projects) for p in ps]
    return table_from_columns(
        project=[i for i, _ in rows], org_type=[p["org_type"] for _, p in rows],
        size=[p["size"] for _, p in rows], country=[p["country"] for _, p in rows],
        costs=[p["costs"] for _, p in rows], is_lead=[p["is_lead"] for _, p in rows],
        tier=[p["tier"] for _, p in rows], publishes=[p["publishes"] for _, p in rows],
        claims=[p["claims"] for _, p in rows], grant=[p["grant"] for _, p in rows],
        control=[(i, p["control"]) if p["control"] else None for i, p in rows],
        n_projects=len(projects))


@settings(max_examples=60, deadline=None)
@given(st.lists(project, min_size=1, max_size=8))
def test_portfolio_evaluation_equals_one_by_one(projects):
    whole = _table(projects)
    for rule_set in rule_set_list():
        params = parameters_resolve(rule_set=rule_set, overrides={})
        together = evaluate(rule_set=rule_set, table=whole, params=params)
        alone = [evaluate(rule_set=rule_set, table=_table([ps]), params=params).passed[0]
                 for ps in projects]
        assert together.passed.tolist() == alone, rule_set.id
        for i, (check, outcome) in enumerate(together.outcomes):
            singles = [evaluate(rule_set=rule_set, table=_table([ps]), params=params)
                       .outcomes[i][1].passed[0] for ps in projects]
            assert outcome.passed.tolist() == singles, (rule_set.id, check.id)


def test_rule_set_country_lists_use_known_codes():
    known = country_names()
    for rule_set in rule_set_list():
        for param in rule_set.parameters.values():
            if param.kind == "countries":
                assert set(param.default) <= set(known), rule_set.id


def test_an_empty_portfolio_evaluates_to_nothing():
    table = _table([])
    for rule_set in rule_set_list():
        params = parameters_resolve(rule_set=rule_set, overrides={})
        assert evaluate(rule_set=rule_set, table=table, params=params).passed.shape == (0,)
        assert np.asarray(table.totals()).shape == (0,)


def _brute_force(rows, need, core):
    """Is there a set of ``need`` participants, pairwise in different control groups and
    different countries, one of them in ``core``? (rows: (group, country))"""
    for chosen in itertools.combinations(rows, need):
        groups = {g for g, _ in chosen}
        countries = {c for _, c in chosen}
        if len(groups) == need and len(countries) == need and countries & core:
            return True
    return False


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 4)), max_size=7),
       st.frozensets(st.integers(0, 4)), st.integers(1, 4))
def test_independent_countries_agrees_with_brute_force(rows, core, need):
    matched, with_core = independent_countries(rows, set(core))
    assert (with_core >= need) == _brute_force(rows, need, set(core))
    assert matched == max((k for k in range(len(rows) + 1)
                           if k == 0 or _brute_force(rows, k, {c for _, c in rows})), default=0)
