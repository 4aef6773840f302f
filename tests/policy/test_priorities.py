"""Combined Authority peer matching in stated priorities: the data file, the method, the page."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from locus.errors import DataFileError
from locus.policy.priorities import (
    Priorities,
    Source,
    Statement,
    jaccard,
    priorities_read,
    priority_peers,
)
from tests.policy.conftest import POLICY_DATA

SECTORS = {"a": "alpha", "b": "beta", "c": "gamma", "d": "delta"}
SRC = Source("Publisher", "Title", "https://example.org/", "2024-01-01")


def _priorities(sets: dict[str, set[str]]) -> Priorities:
    return Priorities(SECTORS, SRC, tuple(Statement(code, code, "Investment Zone", "x", tuple(sorted(s)), SRC,
                                                    "2026-11-28") for code, s in sets.items() if s))


sets = st.dictionaries(st.sampled_from([f"C{i}" for i in range(8)]),
                       st.sets(st.sampled_from(list(SECTORS))), min_size=2)


@settings(max_examples=100, deadline=None)
@given(sets=sets)
def test_priority_peers_match_a_brute_force_oracle(sets):
    data = _priorities(sets)
    names = {code: code for code in sets}
    for code, mine in sets.items():
        found = priority_peers(priorities=data, code=code, names=names, limit=10)
        if not mine:  # unknown priorities: never matched
            assert found == []
            continue
        expected = sorted(((len(mine & s) / len(mine | s), len(mine & s), other)
                           for other, s in sets.items() if other != code and mine & s),
                          key=lambda t: (-t[0], -t[1], t[2]))
        assert [(p.score, len(p.shared), p.code) for p in found] == [
            (pytest.approx(score), n, other) for score, n, other in expected][:10]
        assert code not in [p.code for p in found]
        for p in found:
            assert 0 < p.score <= 1 and p.reason.startswith("Both chose ")
            assert all(label in p.reason for label in p.shared)


@given(a=st.frozensets(st.sampled_from("abcd")), b=st.frozensets(st.sampled_from("abcd")))
def test_jaccard_is_symmetric_and_bounded(a, b):
    assert jaccard(a, b) == jaccard(b, a)
    assert 0 <= jaccard(a, b) <= 1
    assert (jaccard(a, b) == 1) == (bool(a) and a == b)


def test_the_reason_names_what_differs():
    data = _priorities({"X": {"a", "b"}, "Y": {"a", "c"}})
    [peer] = priority_peers(priorities=data, code="X", names={"X": "Place X", "Y": "Place Y"})
    assert peer.reason == ("Both chose alpha as Investment Zone priority sectors. Only Place X names beta; "
                           "only Place Y names gamma.")
    assert peer.score == pytest.approx(1 / 3)


def test_the_bundled_file_is_valid_and_every_statement_is_sourced():
    data = priorities_read(POLICY_DATA / "ca_priorities.yaml")
    assert set(data.sectors) == {"advanced_manufacturing", "creative_industries", "digital_and_tech",
                                 "green_industries", "life_sciences"}
    assert len({s.ca for s in data.statements}) == len(data.statements) >= 7
    for s in data.statements:
        assert s.source.url.startswith("https://") and s.source.publisher and s.source.title
        assert s.checked and s.sectors and s.ca.startswith("E47")


@pytest.mark.parametrize("change, field", [
    (("sectors: [advanced_manufacturing]", "sectors: [space]"), "statements[0].sectors"),
    (("url: https://www.gov.uk/government/publications/investment-zones-update/investment-zones\n",
      "url: www.example\n"), "statements[0].source"),
    (("    stated_as: advanced manufacturing and materials\n", ""), "statements[0].stated_as"),
])
def test_a_bad_entry_names_the_file_and_field(tmp_path: Path, change, field):
    text = (POLICY_DATA / "ca_priorities.yaml").read_text(encoding="utf-8")
    assert change[0] in text
    bad = tmp_path / "ca_priorities.yaml"
    bad.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    with pytest.raises(DataFileError) as error:
        priorities_read(bad)
    assert error.value.field == field and str(bad) in str(error.value)


@pytest.mark.django_db
def test_real_combined_authorities_and_the_page(client):
    from locus.geography.models import Area
    from locus.policy.places import ca_peers

    data = priorities_read(POLICY_DATA / "ca_priorities.yaml")
    for s in data.statements:  # every statement names a real CA by its code and name
        assert Area.objects.get(code=s.ca, level="ca").name == s.name
    gm = ca_peers(area=Area.objects.get(code="E47000001"))
    assert [p.name for p in gm.priority_peers][:1] == ["South Yorkshire"]  # both: advanced manufacturing only
    assert gm.priority_peers[0].score == 1
    assert gm.priorities_known == len(data.statements)
    page = client.get("/policy/peers/E47000001/").content.decode()
    assert "Most similar in place and pathway profile" in page and "Most similar in stated priorities" in page
    assert "Both chose advanced manufacturing as Investment Zone priority sectors." in page
    assert "https://www.gov.uk/government/publications/investment-zones-update/investment-zones" in page
    cambs = client.get("/policy/peers/E47000008/").content.decode()
    assert "Cambridgeshire and Peterborough: priorities unknown." in cambs and 'id="priority-peers"' not in cambs
    tees = ca_peers(area=Area.objects.get(code="E47000006"))  # digital and creative
    assert [(p.name, round(p.score, 3)) for p in tees.priority_peers] == [  # Jaccard: 1 shared of 3, of 5
        ("West Yorkshire", 0.333), ("West Midlands", 0.2)]


def test_the_stated_priorities_sentence_reads_as_a_list_and_separates_its_sources():
    from types import SimpleNamespace

    from django.template import engines

    other = Source("Other publisher", "Other title", "https://example.org/other", None)
    match = SimpleNamespace(area=SimpleNamespace(name="Somewhere"), priority_peers=[],
                            priorities=[Statement("X", "Somewhere", "Investment Zone",
                                                  "advanced manufacturing", ("a",), SRC, "2026-11-28"),
                                        Statement("X", "Somewhere", "Freeport",
                                                  "green industries", ("b",), other, "2026-11-28")])
    html = engines["jinja2"].from_string(
        '{% from "policy/_priority_peers.html" import priority_peers %}{{ priority_peers(m) }}'
    ).render({"m": match})
    assert ("Somewhere's stated priorities: advanced manufacturing (its Investment Zone priority "
            "sectors); green industries (its Freeport priority sectors).") in html
    assert "Sources: " in html and "checked 2026-11-28</a>; <a" in html
    assert "Other title”</a>" not in html.replace("(undated page), checked 2026-11-28", "")
