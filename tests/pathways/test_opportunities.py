"""Opportunities: top-quintile research base x significant weak link, ranked with reasons."""

from locus.pathways.opportunities import (
    Evidence,
    Opportunity,
    opportunities_rank,
    opportunity_candidates,
    percentile_ranks,
    reason_text,
    value_text,
)
from locus.pathways.weak_links import WeakLink


def _link(code, stage, gap, weak=True):
    return WeakLink(code, stage, 0.5, 0.5 + gap, gap, gap - 0.1, gap + 0.05 if not weak else -0.01,
                    weak, False, ("research",), ("N1", "N2"))


def test_only_top_quintile_areas_with_weak_links_qualify():
    research = {f"A{i}": i / 10 for i in range(10)}  # A8, A9 are the top fifth
    links = [_link("A9", "ke", -0.2), _link("A8", "ip", -0.1, weak=False), _link("A1", "ke", -0.4)]
    got = opportunity_candidates(research=research, links=links, scope_of={"A9": ["national", "CA1"]})
    assert [(s, link.area_code) for s, link, _p, _r in got] == [("national", "A9"), ("CA1", "A9")]
    assert percentile_ranks(research)["A8"] == 0.9


def test_ranking_by_priority_within_each_scope():
    opps = [Opportunity("national", 0, "B", "B", "itl3", "ke", 0.1, "r"),
            Opportunity("national", 0, "A", "A", "itl3", "ip", 0.3, "r"),
            Opportunity("CA1", 0, "B", "B", "itl3", "ke", 0.1, "r")]
    ranked = opportunities_rank(candidates=opps)
    assert [(o.scope, o.rank, o.area_code) for o in ranked] == [("CA1", 1, "B"), ("national", 1, "A"),
                                                                 ("national", 2, "B")]


def test_reason_states_numbers_and_comparison_places():
    link = _link("A9", "ip_spinouts", -0.25)
    text = reason_text(name="Somewhere", level_label="ITL3 areas", research=0.81, research_rank=3, n_areas=179,
                       stage_title="IP and spin-outs", link=link, neighbour_names=[("Elsewhere", 0.52), ("Far", None)],
                       evidence=[Evidence("ip_income_share", "IP income per GBP 100 of research income",
                                          "GBP per GBP 100", 2018, 0.5, 1.9)])
    for part in ("Somewhere", "0.81", "rank 3 of 179", "IP and spin-outs score of 0.25", "gap -0.25",
                 "Elsewhere (0.52)", "Far", "£0.50 per £100 of research income", "£1.90"):
        assert part in text


def test_value_text_units():
    assert value_text(36.2, "GBP per hour") == "£36.20 per hour"
    assert value_text(23450, "GBP per head") == "£23,450 per head"
    assert value_text(9.87, "percent") == "9.9%"
    assert value_text(None, "count") == "n/a"
    assert value_text(256.4, "EUR per head") == "€256 per head"  # as the atlas pages write it
    assert value_text(-3.5, "GBP per head") == "-£3.50 per head"


def test_a_title_mid_sentence_keeps_acronyms_and_names():
    from locus.pathways.opportunities import lower_first

    assert lower_first("Business R&D and innovation finance") == "business R&D and innovation finance"
    assert lower_first("Innovate UK funding per head") == "Innovate UK funding per head"
    assert lower_first("Horizon 2020 funding per head") == "Horizon 2020 funding per head"
    assert lower_first("UKRI funding per head") == "UKRI funding per head"
    assert lower_first("Research base") == "research base"
