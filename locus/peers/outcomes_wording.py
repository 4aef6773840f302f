"""The outcomes report in plain words, for programme managers: one or two sentences per measure,
made from the very figures the report's tables show (a row's ``Change`` and ``Difference``), so
the words and the table cannot disagree. Pure.

What the sentences may claim follows docs/methodology/peer-outcomes.md: a change whose 95%
confidence interval leaves out zero is called a rise or a fall "on average"; one whose interval
includes zero is reported with the hedge that it cannot be told from no change; a difference
against the comparison group is described, never called the programme's effect (that needs a
comparison group chosen at random, which the page says beneath)."""

from __future__ import annotations

from locus.peers.stats import Change, Difference

# What each measure is called in a sentence, one firm's and several firms' (the tables'
# labels carry "(0–1)").
SUBJECTS = {
    "management_score": ("management practices score", "management practices scores"),
    "continuous_improvement": ("continuous improvement score", "continuous improvement scores"),
    "kpis": ("key performance indicators score", "key performance indicators scores"),
    "targets": ("targets score", "targets scores"),
    "employment": ("employment practices score", "employment practices scores"),
    "digital_index": ("digital adoption index", "digital adoption index scores"),
}


# Who the comparison group is, by the programme's comparison setting.
COMPARISON_KINDS = {
    "waitlist": "the comparison group (firms on the waitlist, which start later)",
    "non_participants": "the comparison group (eligible firms that did not take part)",
}


def _num(x: float) -> str:
    """A size, as the table shows it: three decimals, without its sign."""
    return f"{abs(x):.3f}"


def _signed(x: float) -> str:
    """As the table's `signed` macro: +0.053, −0.020 (a true minus sign), +0.000 for zero."""
    text = f"{x:+.3f}"
    if text == "-0.000":
        return "+0.000"
    return text.replace("-", "−")


def _moved(change: float) -> str:
    """ "rose by 0.053", "fell by 0.020", "rose by less than 0.001" or "did not change"."""
    if change == 0:
        return "did not change"
    amount = _num(change) if _num(change) != "0.000" else "less than 0.001"
    return f"{'rose' if change > 0 else 'fell'} by {amount}"


# The later survey, as a sentence names it.
WAVES = {"end": "the survey at the programme’s end",
         "follow_up": "the survey six months after the end"}


def _range(low: float, high: float) -> str:
    return f"between {_signed(low)} and {_signed(high)}"


def participants_sentence(*, change: Change, subject: tuple[str, str], wave: str) -> str:
    """What happened to the participating firms' ``subject`` from the baseline to the later
    survey (``wave``: end or follow_up), with how sure the report is."""
    later = WAVES[wave]
    one, many = subject
    if change.n == 0:
        return (f"No participating firm has answered both the baseline survey and {later} "
                f"yet, so there is no change in their {many} to report.")
    if change.low is None:
        return (f"Only one participating firm has answered both surveys: its {one} "
                f"{_moved(change.change)}, but one firm is too few to tell what happened to "
                "the programme’s firms.")
    who = f"Participating firms’ {many}"
    if change.low > 0 or change.high < 0:
        rise = change.low > 0
        what = "rise" if rise else "fall"
        low, high = (change.low, change.high) if rise else (-change.high, -change.low)
        return (f"{who} {_moved(change.change)} on average between the baseline survey and "
                f"{later} (we are 95% sure the average {what} is between {_num(low)} and {_num(high)}; "
                f"{change.n} firms).")
    moved = _moved(change.change)
    if moved == "did not change":
        return (f"{who} did not change on average between the baseline survey and {later} "
                f"(we are 95% sure the average change is {_range(change.low, change.high)}; "
                f"{change.n} firms).")
    direction = "rose" if change.change > 0 else "fell"
    return (f"{who} {moved} on average between the baseline survey and {later}, but there "
            f"are too few firms, for how much their answers vary, to tell whether they really {direction}: "
            f"we are 95% sure the average change is {_range(change.low, change.high)}, which "
            f"includes no change ({change.n} firms).")


def _compared(treated: float, estimate: float) -> str:
    """How the participants' change compares with the comparison group's, in words."""
    better = estimate > 0
    if treated > 0:
        return "rose more than" if better else "rose less than"
    if treated < 0:
        return "fell less than" if better else "fell more than"
    return "did better than" if better else "did worse than"


def comparison_sentence(*, treated: Change, comparison: Change, difference: Difference,
                        subject: tuple[str, str], kind: str) -> str:
    """What happened to the comparison group's ``subject`` and how the participants' change
    compares with it (the difference in differences), with how sure the report is."""
    group = COMPARISON_KINDS.get(kind, "the comparison group")
    if comparison.n == 0:
        return (f"No firm in {group} has answered both surveys yet, so there is nothing to "
                "compare the participating firms with.")
    lead = (f"In {group}, {subject[1]} {_moved(comparison.change)} on average"
            if comparison.n > 1 else
            f"The one firm in {group} that answered both surveys: its {subject[0]} "
            f"{_moved(comparison.change)}")
    if treated.n == 0:
        return f"{lead}; there are no participating firms to compare them with yet."
    if difference.low is None:
        return (f"{lead}, but there are too few firms to compare the two groups (each needs at "
                f"least 2 firms that answered both surveys: {treated.n} participating, "
                f"{comparison.n} in the comparison group).")
    estimate = difference.estimate
    if difference.low > 0 or difference.high < 0:
        low, high = ((difference.low, difference.high) if estimate > 0
                     else (-difference.high, -difference.low))
        return (f"{lead}, so the participating firms’ scores "
                f"{_compared(treated.change, estimate)} theirs, by {_num(estimate)} on average "
                f"(we are 95% sure the difference is between {_num(low)} and {_num(high)}).")
    return (f"{lead}, but there are too few firms, for how much their answers vary, to tell "
            f"whether the participating firms did better or worse than them: we are 95% sure the "
            f"difference between the two groups’ changes is "
            f"{_range(difference.low, difference.high)}, which includes no difference.")


def outcome_sentences(*, row: dict, wave: str, comparison_kind: str | None) -> list[str]:
    """The plain-words lead for one row of `outcomes_report` (``comparison_kind`` None: the
    programme has no comparison group)."""
    label = row["label"].removesuffix(" (0–1)").lower()
    subject = SUBJECTS.get(row["key"], (label, f"{label} scores"))
    out = [participants_sentence(change=row["participants"], subject=subject,
                                 wave=wave)]
    if comparison_kind is not None:
        out.append(comparison_sentence(
            treated=row["participants"], comparison=row["comparison"],
            difference=row["difference"], subject=subject, kind=comparison_kind))
    return out
