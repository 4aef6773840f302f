"""The outcomes page leads each measure with plain words for programme managers, made from the
very figures of the report's tables (a rise, a fall, an interval that includes zero, too few
firms), with the statistics beneath in "How this was worked out"."""

from __future__ import annotations

import re
from html import unescape

import pytest

from locus.peers.models import Firm
from locus.peers.outcomes import diagnostic_submit, outcomes_report
from locus.peers.outcomes_wording import (
    comparison_sentence,
    outcome_sentences,
    participants_sentence,
)
from locus.peers.stats import paired_change, welch_difference
from tests.peers.conftest import login
from tests.peers.test_outcomes_costs import HIGH, LOW

SUBJECT = ("management practices score", "management practices scores")


def _change(diffs: list[float]):
    return paired_change(pairs=[(0.4, 0.4 + d) for d in diffs])


def test_a_rise_is_said_with_its_range():
    c = _change([0.05, 0.06, 0.04, 0.05, 0.07])
    assert c.low > 0
    text = participants_sentence(change=c, subject=SUBJECT, wave="end")
    assert text.startswith("Participating firms’ management practices scores rose by "
                           f"{c.change:.3f} on average")
    assert f"the average rise is between {c.low:.3f} and {c.high:.3f}" in text
    assert "5 firms" in text and "too few" not in text


def test_a_fall_is_said_as_a_fall_with_its_range_the_right_way_round():
    c = _change([-0.05, -0.06, -0.04, -0.05, -0.07])
    assert c.high < 0
    text = participants_sentence(change=c, subject=SUBJECT, wave="follow_up")
    assert f"fell by {-c.change:.3f} on average" in text
    assert f"the average fall is between {-c.high:.3f} and {-c.low:.3f}" in text
    assert "survey six months after the end" in text
    assert "rose" not in text and "−" not in text


def test_an_interval_spanning_zero_is_hedged():
    c = _change([0.10, -0.08, 0.05, -0.03])
    assert c.low < 0 < c.high and c.change > 0
    text = participants_sentence(change=c, subject=SUBJECT, wave="end")
    assert f"rose by {c.change:.3f} on average" in text
    assert ("too few firms, for how much their answers vary, to tell whether they really "
            "rose") in text
    assert f"between −{-c.low:.3f} and +{c.high:.3f}, which includes no change" in text
    assert "we are 95% sure the average rise" not in text


@pytest.mark.parametrize("diffs", [[], [0.2]])
def test_too_few_firms_say_so_and_claim_nothing(diffs):
    c = _change(diffs)
    text = participants_sentence(change=c, subject=SUBJECT, wave="end")
    assert "95% sure" not in text
    if diffs:
        assert "Only one participating firm" in text and "rose by 0.200" in text
        assert "too few" in text
    else:
        assert text.startswith("No participating firm has answered both")


def test_the_comparison_sentence_follows_the_difference_and_its_interval():
    treated = _change([0.05, 0.06, 0.04, 0.05, 0.07])
    flat = _change([0.01, 0.0, 0.02, 0.01, -0.01])
    d = welch_difference(treated=treated, comparison=flat)
    assert d.low > 0
    text = comparison_sentence(treated=treated, comparison=flat, difference=d,
                               subject=SUBJECT, kind="waitlist")
    assert text.startswith("In the comparison group (firms on the waitlist, which start "
                           f"later), management practices scores rose by {flat.change:.3f} on "
                           "average, so the "
                           "participating firms’ scores rose more than theirs, by "
                           f"{d.estimate:.3f} on average")
    assert f"the difference is between {d.low:.3f} and {d.high:.3f}" in text
    # the same comparison with a noisy comparison group: the difference may be chance
    noisy = _change([0.2, -0.15, 0.1, -0.05, 0.12])
    d = welch_difference(treated=treated, comparison=noisy)
    assert d.low < 0 < d.high
    text = comparison_sentence(treated=treated, comparison=noisy, difference=d,
                               subject=SUBJECT, kind="non_participants")
    assert "eligible firms that did not take part" in text
    assert "too few firms, for how much their answers vary, to tell whether the participating " \
           "firms did better or worse" in text and "includes no difference" in text
    # a participants' fall smaller than the comparison group's is "fell less", not a rise
    falling = _change([-0.01, -0.02, 0.0, -0.01, -0.01])
    steep = _change([-0.08, -0.09, -0.07, -0.08, -0.1])
    d = welch_difference(treated=falling, comparison=steep)
    assert d.low > 0
    assert "firms’ scores fell less than theirs" in comparison_sentence(
        treated=falling, comparison=steep, difference=d, subject=SUBJECT, kind="waitlist")


def test_too_few_comparison_firms_to_compare():
    treated = _change([0.05, 0.06, 0.04])
    one = _change([0.01])
    d = welch_difference(treated=treated, comparison=one)
    text = comparison_sentence(treated=treated, comparison=one, difference=d, subject=SUBJECT,
                               kind="waitlist")
    assert "The one firm in the comparison group" in text
    assert "too few firms to compare the two groups" in text and "95% sure" not in text
    none = comparison_sentence(treated=treated, comparison=_change([]),
                               difference=welch_difference(treated=treated,
                                                           comparison=_change([])),
                               subject=SUBJECT, kind="waitlist")
    assert none.startswith("No firm in the comparison group")


def test_no_comparison_group_gives_one_sentence():
    c = _change([0.05, 0.06, 0.04])
    row = {"key": "digital_index", "label": "Digital adoption index (0–1)", "participants": c,
           "comparison": _change([]), "difference": welch_difference(
               treated=c, comparison=_change([]))}
    out = outcome_sentences(row=row, wave="end", comparison_kind=None)
    assert len(out) == 1 and "digital adoption index scores" in out[0]
    assert out[0].startswith("Participating firms’ digital adoption index")


def _text(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


@pytest.mark.django_db
def test_the_page_leads_with_the_words_and_keeps_the_statistics_beneath(
        client, manager, programme, grouped, meetings):
    treated = list(Firm.objects.filter(programme=programme, group__isnull=False)[:3])
    waitlist = []
    for f in Firm.objects.filter(programme=programme).exclude(
            pk__in=[t.pk for t in treated])[:2]:
        f.group, f.grouped_at, f.arm = None, None, "comparison"
        f.save()
        waitlist.append(f)
    for i, f in enumerate(treated):
        diagnostic_submit(firm=f, wave="baseline", answers=LOW)
        diagnostic_submit(firm=f, wave="end", answers=HIGH if i < 2 else LOW,
                          today=programme.ends_on)
    for f in waitlist:
        diagnostic_submit(firm=f, wave="baseline", answers=LOW)
        diagnostic_submit(firm=f, wave="end", answers=LOW, today=programme.ends_on)
    report = outcomes_report(programme=programme)
    row = next(r for r in report["rows"] if r["key"] == "management_score")
    t = row["participants"]
    login(client, manager)
    html = client.get(f"/peers/{programme.slug}/outcomes/").content.decode()
    # the words come first, the tables in "How this was worked out" beneath
    lead = html.index('id="result-management_score"')
    details = html.index('id="worked-out"')
    assert lead < details < html.index('id="outcomes"') < html.index('id="comparison"')
    assert "How this was worked out" in html
    block = _text(html[lead:html.index("</div>", lead)])
    for sentence in row["summary"]:
        assert sentence in block
    # the sentence's numbers are the table's: the change and its interval as the table shows
    table = _text(html[html.index('id="outcomes"'):html.index("</table>",
                                                              html.index('id="outcomes"'))])
    assert f"+{t.change:.3f}" in table and f"{t.change:.3f}" in block
    assert f"{t.low:+.3f} to {t.high:+.3f}" in table
    # 3 firms, two rose by 0.2 and one did not: the interval includes no change
    assert t.low < 0 < t.high and "which includes no change" in block
    assert "waitlist was chosen at random" in html
    # the statistical terms sit only inside the details
    before = html[:details]
    for term in ("confidence interval", "paired t", "Welch"):
        assert term not in before
