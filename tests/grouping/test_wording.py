"""Every reason the engine gives for an impossible grouping, or for leaving a firm out, is in
plain words: it names the rule, the numbers and what the user can change, and keeps a
machine-readable code and the facts it was made from."""

from __future__ import annotations

import numpy as np
import pytest

from locus.grouping import GroupingInfeasibleError, Mode, Problem, Settings, groups_form
from locus.grouping.feasibility import unplaced_reason
from locus.grouping.instance import instance_build
from locus.grouping.wording import (
    DIAGNOSIS_CODES,
    diagnosis_text,
    firm_reason_text,
    unplaced_text,
)
from tests.grouping.helpers import cluster, firm

JARGON = ("hard constraint", "infeasible", "max_size", "min_size", "max_km", "constraint",
          "avoided", "unit", "[")


def _plain(message: str) -> str:
    for word in JARGON:
        assert word not in message, f"{word!r} in {message!r}"
    assert message.startswith(("No grouping", "The ")) or message[0].isupper(), message
    return message


def _infeasible(parts, **settings) -> list:
    with pytest.raises(GroupingInfeasibleError) as info:
        groups_form(problem=Problem(participants=tuple(parts)),
                    settings=Settings(time_limit=1, **settings))
    for d in info.value.diagnoses:
        _plain(d.message)
        assert d.constraint in DIAGNOSIS_CODES and d.code == d.constraint
        assert d.message == diagnosis_text(d.constraint, d.facts)  # made from the facts
    assert "hard constraint" not in str(info.value)
    return list(info.value.diagnoses)


def _one(diagnoses, code: str):
    (d,) = [d for d in diagnoses if d.constraint == code]
    return d


def test_too_few_firms_names_the_sizes_and_the_fix():
    d = _one(_infeasible(cluster("S", 5, lat=53.0, lon=-2.0), min_size=6, max_size=8),
             "cohort_size")
    assert d.message == ("No grouping is possible with groups of 6 to 8 firms: there are only "
                         "5 firms. Add firms, or lower the smallest group size to 5 or fewer.")


def test_keep_together_firms_that_compete():
    parts = cluster("A", 12, lat=53.0, lon=-2.0)
    parts[0] = firm("A00", sic="6201", together=frozenset({"A01"}))
    parts[1] = firm("A01", sic="4321", together=frozenset({"A02"}))
    parts[2] = firm("A02", sic="6201")
    d = _one(_infeasible(parts), "together_vs_avoid")
    assert d.message.startswith("No grouping can keep A00, A01 and A02 in one group, as they "
                                "must be: A00 and A02 are competitors (the same SIC class "
                                "within 25 km of each other)")
    assert "Remove one of the keep-together links, or the keep-apart request." in d.message
    assert d.facts["pair"] == ["A00", "A02"]


def test_keep_together_firms_more_than_a_group_holds():
    parts = cluster("T", 12, lat=53.0, lon=-2.0)
    parts = [firm(p.id, sic=p.sic, lat=p.lat, lon=p.lon,
                  together=frozenset({"T00"}) if i else frozenset()) for i, p in
             enumerate(parts)]
    d = _one(_infeasible(parts, min_size=4, max_size=6), "together_size")
    assert "in one group with groups of 4 to 6 firms" in d.message
    assert "there are 12 of them. Raise the largest group size to 12" in d.message


def test_keep_together_firms_locked_apart():
    parts = cluster("K", 12, lat=53.0, lon=-2.0)
    parts[0] = firm("K00", sic="6201", together=frozenset({"K01"}), locked_group="X")
    parts[1] = firm("K01", sic="4321", locked_group="Y")
    d = _one(_infeasible(parts), "together_vs_locked")
    assert "No grouping can keep K00 and K01 together" in d.message
    assert "locked into different groups (X and Y)" in d.message
    assert "Lock them into the same group" in d.message


def test_keep_together_firms_with_no_way_to_meet():
    parts = cluster("M", 12, lat=53.0, lon=-2.0)
    parts[0] = firm("M00", sic="6201", mode=Mode.ONLINE, together=frozenset({"M01"}))
    parts[1] = firm("M01", sic="4321", mode=Mode.IN_PERSON)
    d = _one(_infeasible(parts), "together_mode")
    assert "No grouping can keep M00 and M01 together" in d.message
    assert "more than 40 km apart, the distance limit for meeting in person" in d.message


def test_a_locked_group_larger_than_the_largest_group():
    parts = [firm(p.id, sic=p.sic, lat=p.lat, lon=p.lon, locked_group="X")
             for p in cluster("L", 11, lat=53.0, lon=-2.0)]
    d = _one(_infeasible(parts), "locked_size")
    assert d.message == ("No grouping can keep group X within groups of 8 to 10 firms: 11 "
                         "firms are locked into it. Unlock 1 firm from group X, or raise the "
                         "largest group size to 11.")


def test_a_locked_group_holding_competitors():
    parts = cluster("C", 12, lat=53.0, lon=-2.0)
    parts[0] = firm("C00", sic="6201", locked_group="X")
    parts[1] = firm("C01", sic="6201", lat=53.01, locked_group="X")
    d = _one(_infeasible(parts), "locked_conflict")
    assert d.message.startswith("No grouping can keep competitors apart in group X: C00 and "
                                "C01 are locked into it but are competitors")
    assert d.message.endswith("Unlock one of them.")


def test_a_locked_group_whose_firms_cannot_meet_the_same_way():
    parts = cluster("L", 10, lat=53.0, lon=-2.0)
    parts[0] = firm("L00", sic="6201", mode=Mode.ONLINE, locked_group="X")
    parts[1] = firm("L01", sic="4321", mode=Mode.IN_PERSON, locked_group="X")
    d = _one(_infeasible(parts), "locked_mode")
    assert "No grouping lets group X meet" in d.message and "Unlock one of them" in d.message


def test_too_few_in_person_firms_nearby():
    city = cluster("M", 30, lat=53.48, lon=-2.24, seed=1)
    remote = cluster("P", 3, lat=50.12, lon=-5.54, seed=2, mode=Mode.IN_PERSON)
    d = _one(_infeasible(city + remote, min_size=5, max_size=8, allow_unplaced=False),
             "in_person_shortage")
    assert d.message == (
        "No grouping can place P00, P01 and P02 in person with groups of 5 to 8 firms: they can "
        "only meet in person, and only 3 firms that can meet in person, them included, are "
        "within 40 km of one another (the distance limit for meeting in person). Let them meet "
        "online, raise the distance limit, or lower the smallest group size to 3.")


def test_a_lone_in_person_firm_is_not_advised_a_smaller_group_size():
    """One in-person firm 400 km from the rest: a group of 2 cannot help it (nobody is near), so the advice
    is to meet online or raise the distance limit only."""
    city = cluster("M", 30, lat=53.48, lon=-2.24, seed=1)
    remote = cluster("P", 1, lat=50.12, lon=-5.54, seed=2, mode=Mode.IN_PERSON)
    d = _one(_infeasible(city + remote, min_size=5, max_size=8, allow_unplaced=False), "in_person_shortage")
    assert "only 1 firm that can meet in person, it included, is within 40 km" in d.message
    assert d.message.endswith("Let it meet online or raise the distance limit.")
    assert "smallest group size" not in d.message


def test_a_firm_whose_only_partners_are_competitors():
    """The brief's example: every other firm nearby is in the same trade."""
    parts = [firm(f"C{i:02d}", sic="6201", lat=53.0 + i * 0.001, mode=Mode.IN_PERSON)
             for i in range(9)]
    diagnoses = _infeasible(parts, min_size=5, max_size=8, allow_unplaced=False)
    d = diagnoses[0]
    assert d.constraint == "partner_shortage"
    assert d.message == (
        "No grouping can keep C00 away from its competitors with groups of 5 to 8 firms: only "
        "0 other firms could share a group with it, and a group needs at least 5. Of the 8 "
        "other firms, 8 are competitors (the same SIC class within 25 km) or must be kept "
        "apart. To place it, remove a keep-apart request or lower the competitor distance.")
    # with no possible companion, a smaller group size cannot help, so it is not advised (QA H29)


def test_a_firm_too_far_from_the_others():
    """FAR is within 40 km of one firm (which links it to the rest), and of no other."""
    near = cluster("N", 12, lat=53.48, lon=-2.24, mode=Mode.IN_PERSON, spread=0.005)
    parts = near + [firm("BRIDGE", sic="9602", lat=53.78, lon=-2.24, mode=Mode.IN_PERSON),
                    firm("FAR", sic="8010", lat=54.08, lon=-2.24, mode=Mode.IN_PERSON)]
    d = _one(_infeasible(parts, allow_unplaced=False), "partner_shortage")
    assert d.message.startswith("No grouping can place FAR in person within 40 km with groups "
                                "of 8 to 10 firms: only 1 other firm could share a group with "
                                "it, and a group needs at least 8. Of the 13 other firms, 12 "
                                "are more than 40 km away")
    assert "let it meet online or raise the distance limit" in d.message


def test_unplaced_firms_say_why_in_plain_words():
    parts = [firm(f"C{i:02d}", sic="6201", lat=53.0 + i * 0.001, mode=Mode.IN_PERSON)
             for i in range(12)]
    solution = groups_form(problem=Problem(participants=tuple(parts)),
                           settings=Settings(time_limit=1))
    assert {u.code for u in solution.unplaced} == {"partner_shortage"}
    for u in solution.unplaced:
        assert u.reason == unplaced_text(u.code, u.facts)
        _plain(u.reason)


def test_the_solver_reasons_for_leaving_a_firm_out():
    """After the search: no group suits it, every suitable group is full, or it would break a
    rule for another firm. Each names the numbers and what to change."""
    parts = cluster("G", 10, lat=53.0, lon=-2.0) + [firm("Z", sic="6201", lat=53.0)]
    settings = Settings(min_size=5, max_size=5, time_limit=1)
    inst = instance_build(problem=Problem(participants=tuple(parts)), settings=settings)
    z = inst.n_units - 1
    gof = np.array([0] * 5 + [1] * 5 + [-1])
    size = np.array([5, 5])
    code, facts = unplaced_reason(inst=inst, gof=gof, in_person=np.array([True, True]),
                                  size=size, u=z)
    text = _plain(unplaced_text(code, facts))
    if code == "groups_full":
        assert text.startswith("The 1 group it could join is full (5 firms, the largest group "
                               "size), and too few firms are left to start a new group of "
                               "at least 5.")
    else:
        assert code == "no_compatible_group"
    assert _plain(unplaced_text("no_compatible_group", facts)).startswith(
        "No group could take it: each one holds a competitor of it")
    blocked = _plain(unplaced_text("blocked", facts))
    assert blocked == ("No group could take it without breaking a grouping rule for another "
                       "firm: groups of 5 to 5 firms, competitors and firms to keep apart in "
                       "different groups, and every pair meeting in person within 40 km. Place "
                       "it by hand, or relax one of those settings.")


def test_the_time_limit_and_a_location_less_in_person_firm():
    assert _plain(diagnosis_text("time_limit", {"seconds": 5.0})) == (
        "No rebalanced grouping was found within the time limit of 5 seconds. Try again with a "
        "longer time limit, or form the groups again.")
    assert _plain(diagnosis_text("mode", {"firm": "F1"})).startswith(
        "No grouping can place F1: it can only meet in person, but it has no location")
    strict = diagnosis_text("unplaced", {"firm": "F2", "why": "blocked", "why_facts": {
        "min_size": 8, "max_size": 10, "max_km": 40}})
    assert _plain(strict).startswith("F2 could not be placed, and every firm had to be: No "
                                     "group could take it without breaking a grouping rule")


def test_unknown_codes_or_facts_fall_back_to_the_stored_words():
    assert diagnosis_text("new_code", {}, fallback="old words") == "old words"
    assert diagnosis_text("cohort_size", {"total": 3}, fallback="old words") == "old words"
    assert unplaced_text("blocked", {}, reason="old words") == "old words"
    assert firm_reason_text({"code": "themes"}, fallback="old") == "old"
