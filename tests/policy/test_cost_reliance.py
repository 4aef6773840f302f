"""The cost model's verdict carries its caveat: how far the total rests on Locus's assumptions,
counted from the model (QA H19 defect 6), on the page's headline, in the API, in the strategy
pack, in the CLI and in README.md."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from locus.policy import costs
from locus.policy.files import cost_assumptions_read

REPO = Path(__file__).resolve().parents[2]
ASSUMPTIONS, _, _ = cost_assumptions_read(REPO / "data" / "policy" / "cost_model.yaml")
DEFAULT = costs.breakdown(costs.defaults(ASSUMPTIONS))


def _expected():
    """The caveat's figures worked out here from the file, independently of ``costs.reliance``."""
    assumed = {k for k, a in ASSUMPTIONS.items() if a.basis == "assumption"}
    uncited = {k for k in assumed if not ASSUMPTIONS[k].sources}
    # every line item except the coordination hub (derived) uses at least one assumed input
    share = sum(i.amount for i in DEFAULT.items if i.label != "Coordination and lesson-sharing hub")
    return assumed, uncited, share / DEFAULT.total


def test_reliance_counts_assumed_and_uncited_inputs_and_their_share_of_the_total():
    r = costs.reliance(ASSUMPTIONS, DEFAULT)
    assumed, uncited, share = _expected()
    assert set(r.assumed) == assumed and set(r.uncited) == uncited
    assert r.inputs == len(ASSUMPTIONS) == 16
    assert r.assumed_share == pytest.approx(share)
    assert (r.low, r.high) == costs.bounds(ASSUMPTIONS)
    assert r.mostly  # the default total rests mostly on assumptions


def test_the_share_follows_the_basis_of_each_input():
    """With only the brokerage service assumed, only its line counts as resting on assumptions."""
    sourced = {k: a.model_copy(update={"basis": "source"}) for k, a in ASSUMPTIONS.items()}
    sourced["collab_brokerage_service"] = ASSUMPTIONS["collab_brokerage_service"]
    r = costs.reliance(sourced, DEFAULT)
    assert r.assumed == ["collab_brokerage_service"] and r.uncited == ["collab_brokerage_service"]
    assert r.assumed_amount == ASSUMPTIONS["collab_brokerage_service"].value
    assert not r.mostly and r.sentence().startswith("This total rests partly on assumptions: 1 of its 16")


def test_every_line_item_names_the_inputs_it_is_worked_out_from():
    for item in DEFAULT.items:
        assert item.inputs and set(item.inputs) <= set(ASSUMPTIONS), item.label
    used = {k for i in DEFAULT.items for k in i.inputs}
    assert used == set(ASSUMPTIONS)


def _sentence_figures(r: costs.Reliance) -> list[str]:
    return [f"{len(r.assumed)} of its {r.inputs} inputs are Locus judgements",
            f"({len(r.uncited)} cite nothing at all)", f"make up {r.assumed_share:.0%} of it",
            f"£{r.low / 1e6:.1f}m to £{r.high / 1e6:.1f}m a year"]


def test_the_headline_verdict_carries_the_caveat(client):
    page = html.unescape(client.get("/policy/cost-model/").content.decode())
    panel = page[page.index('id="total"'):page.index('id="bounds"')]
    assert "within the brief's £10–15m a year" in panel
    r = costs.reliance(ASSUMPTIONS, DEFAULT)
    assert "This total rests mostly on assumptions" in panel
    for figure in _sentence_figures(r):
        assert figure in panel, figure
    assert 'href="#scenario">See which inputs</a>' in panel
    # each input that cites nothing is tagged so on the form the caveat points to
    assert page.count('locus-uncited">No source</strong>') == len(r.uncited)


def test_an_edited_scenario_keeps_the_caveat_with_its_own_share(client):
    page = html.unescape(client.get("/policy/cost-model/", {"cb_coordination_hub": "0"}).content.decode())
    r = costs.reliance(ASSUMPTIONS, costs.breakdown({**costs.defaults(ASSUMPTIONS),
                                                      "cb_coordination_hub": 0}))
    assert r.assumed_share == 1.0 and f"make up {r.assumed_share:.0%} of it" in page


def test_the_api_gives_the_caveat_with_the_verdict(client):
    body = client.get("/api/v1/policy/cost-model").json()
    r = costs.reliance(ASSUMPTIONS, DEFAULT)
    caveat = body["caveat"]
    assert caveat["sentence"] == r.sentence()
    assert set(caveat["assumed_inputs"]) == set(r.assumed) and len(caveat["assumed_inputs"]) == 12
    assert set(caveat["uncited_inputs"]) == set(r.uncited)
    assert caveat["assumed_share"] == pytest.approx(r.assumed_share, abs=1e-4)
    assert caveat["assumed_amount"] == pytest.approx(r.assumed_amount)
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert "quote it with the verdict" in schema["CostModelOut"]["properties"]["caveat"]["description"]


def test_the_strategy_pack_quotes_the_caveat_with_the_verdict(client, db):
    page = html.unescape(client.get("/policy/packs/E47000001/").content.decode())
    sentence = page[page.index('id="pack-reliance"'):]
    sentence = sentence[:sentence.index("</span>")]
    for figure in _sentence_figures(costs.reliance(ASSUMPTIONS, DEFAULT)):
        assert figure in sentence, figure


def test_the_cli_prints_the_caveat():
    from typer.testing import CliRunner

    from locus.cli import app

    result = CliRunner().invoke(app, ["policy", "cost-model"])
    assert result.exit_code == 0, result.output
    assert costs.reliance(ASSUMPTIONS, DEFAULT).sentence() in result.output.replace("\n  ", " ")


def test_readme_states_the_default_scenario_with_the_caveat_from_the_model():
    readme = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())
    r = costs.reliance(ASSUMPTIONS, DEFAULT)
    m = re.search(r"default scenario (£[\d.]+m) a year, inside the brief's £10–15m, but resting "
                  r"mostly on assumptions: (\d+) of its (\d+) inputs are Locus judgements \((\d+) "
                  r"citing nothing at all\), behind (\d+)% of the total, which across their "
                  r"plausible ranges runs from (£[\d.]+m) to (£[\d.]+m)", readme)
    assert m, "README's cost-model sentence lost its caveat"
    assert m.groups() == (f"£{DEFAULT.total / 1e6:.2f}m", str(len(r.assumed)), str(r.inputs),
                          str(len(r.uncited)), f"{r.assumed_share * 100:.0f}",
                          f"£{r.low / 1e6:.1f}m", f"£{r.high / 1e6:.1f}m")


def test_the_ukri_project_count_says_plainly_that_it_is_unchecked():
    a = ASSUMPTIONS["collab_projects_per_year"]
    assert a.basis == "assumption" and a.reason.startswith("Unchecked:")
    assert any("2,400 projects were live" in (s.section or "") for s in a.sources)


def test_the_caveat_is_said_once_on_the_page(client):
    page = html.unescape(client.get("/policy/cost-model/").content.decode())
    assert page.count("are Locus judgements") == 1 and page.count("Locus assumptions, not figures") == 0
    assert 'id="assumption-share"' not in page


def test_a_scenario_counts_only_the_assumptions_the_user_left_in_place(client):
    """Replacing an assumption makes it the user's value: the caveat counts the others (QA H25 F9).
    A value typed equal to the default is still Locus's."""
    assumed = [k for k, a in ASSUMPTIONS.items() if a.basis == "assumption"]
    first, second = assumed[0], assumed[1]
    changed = {first: ASSUMPTIONS[first].high, second: ASSUMPTIONS[second].low,
               assumed[2]: ASSUMPTIONS[assumed[2]].value}
    page = html.unescape(client.get("/policy/cost-model/", {k: f"{v:g}" for k, v in changed.items()})
                         .content.decode())
    reliance = page[page.index('id="reliance"'):page.index('id="bounds"')]
    assert f"{len(assumed) - 2} of its {len(ASSUMPTIONS)} inputs are Locus judgements left in place" in reliance
    assert "you replaced 2 with your own values" in reliance
    r = costs.reliance(ASSUMPTIONS, costs.breakdown({**costs.defaults(ASSUMPTIONS), **changed}),
                       {**costs.defaults(ASSUMPTIONS), **changed})
    assert set(r.replaced) == {first, second} and first not in r.assumed and assumed[2] in r.assumed
    default = html.unescape(client.get("/policy/cost-model/").content.decode())
    assert f"{len(assumed)} of its {len(ASSUMPTIONS)} inputs are Locus judgements, not" in default
