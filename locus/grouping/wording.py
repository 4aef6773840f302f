"""The words the engine shows people, made from machine-readable codes and facts.

The engine records *why* as a code and the numbers behind it (a `Diagnosis`'s `constraint` and
`facts`, an `Unplaced`'s `code` and `facts`, a firm explanation's `facts`, a group's fields).
The sentences are made here, from those facts, so a program that stores the facts (the peers
web pages do) always shows today's wording, and every message lives in one place.

Messages are written for programme managers: they name the rule in plain words, give the
numbers, and say what can be changed. Setting names are the ones the web form uses ("smallest
group size", "distance limit for meeting in person", ...); the command line's options map onto
them one to one (--min-size, --max-km, ...).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def _n(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _names(ids: Sequence[str], limit: int = 12) -> str:
    ids = list(ids)
    if len(ids) <= limit:
        return ", ".join(ids[:-1]) + (" and " if len(ids) > 1 else "") + ids[-1] if ids else ""
    return ", ".join(ids[:limit]) + f" and {len(ids) - limit} more"


def _sizes(f: Mapping) -> str:
    return f"groups of {f['min_size']} to {f['max_size']} firms"


def _km(value) -> str:
    return f"{float(value):g} km"


def _or(options: list[str]) -> str:
    return ", ".join(options[:-1]) + ", or " + options[-1] if len(options) > 1 else options[0]


# --- why a grouping is impossible (GroupingInfeasibleError, Solution.diagnoses) ---------------

def _mode(f: Mapping) -> str:
    return (f"No grouping can place {f['firm']}: it can only meet in person, but it has no "
            "location (postcode or coordinates), so no one can tell whether the others are "
            "close enough. Add its postcode, or let it meet online.")


def _together_vs_avoid(f: Mapping) -> str:
    pair = f.get("pair")
    which = (f"{pair[0]} and {pair[1]} are " if pair else "two of them are ")
    return (f"No grouping can keep {_names(f['firms'])} in one group, as they must be: "
            f"{which}competitors (the same SIC class within {_km(f['competitor_km'])} of each "
            "other) or must be kept apart. Remove one of the keep-together links, or the "
            "keep-apart request.")


def _together_size(f: Mapping) -> str:
    return (f"No grouping can keep {_names(f['firms'])} in one group with {_sizes(f)}: they "
            f"must be kept together and there are {f['count']} of them. Raise the largest group "
            f"size to {f['count']}, or remove one of the keep-together links.")


def _together_vs_locked(f: Mapping) -> str:
    groups = f.get("groups") or []
    where = f" ({_names(groups)})" if groups else ""
    return (f"No grouping can keep {_names(f['firms'])} together, as they must be: they are "
            f"locked into different groups{where}. Lock them into the same group, or remove one "
            "of the keep-together links.")


def _together_mode(f: Mapping) -> str:
    return (f"No grouping can keep {_names(f['firms'])} together, as they must be: there is no "
            "way for all of them to meet. Online does not suit all of them, and in person does "
            f"not either (one cannot meet in person, or two are more than {_km(f['max_km'])} "
            "apart, the distance limit for meeting in person). Let them meet either way, raise "
            "the distance limit, or remove one of the keep-together links.")


def _locked_size(f: Mapping) -> str:
    extra = f["size"] - f["max_size"]
    return (f"No grouping can keep group {f['group']} within {_sizes(f)}: {f['size']} firms are "
            f"locked into it. Unlock {_n(extra, 'firm')} from group {f['group']}, or raise the "
            f"largest group size to {f['size']}.")


def _locked_conflict(f: Mapping) -> str:
    pair = f.get("pair")
    which = f"{pair[0]} and {pair[1]}" if pair else "two of the firms locked into it"
    return (f"No grouping can keep competitors apart in group {f['group']}: {which} are "
            f"locked into it but are competitors (the same SIC class within "
            f"{_km(f['competitor_km'])} of each other) or must be kept apart. Unlock one of "
            "them.")


def _locked_mode(f: Mapping) -> str:
    return (f"No grouping lets group {f['group']} meet: some firms locked into it can only "
            "meet in person while others cannot (they meet only online, or are more than "
            f"{_km(f['max_km'])} apart, the distance limit for meeting in person). Unlock one "
            "of them, or let it meet either way.")


def _cohort_size(f: Mapping) -> str:
    return (f"No grouping is possible with {_sizes(f)}: there "
            f"{'is' if f['total'] == 1 else 'are'} only {_n(f['total'], 'firm')}. Add firms, "
            f"or lower the smallest group size to {max(f['total'], 2)} or fewer.")


def _in_person_shortage(f: Mapping) -> str:
    only = f["in_person_only"]
    it = "it" if len(only) == 1 else "them"
    return (f"No grouping can place {_names(only)} in person with {_sizes(f)}: "
            f"{'it can' if len(only) == 1 else 'they can'} only meet in person, and only "
            f"{_n(f['nearby'], 'firm')} that can meet in person, {it} included, "
            f"{'is' if f['nearby'] == 1 else 'are'} within {_km(f['max_km'])} of one another "
            f"(the distance limit for meeting in person). "
            # alone within the distance limit, no smaller group size helps (QA H29)
            + (f"Let {it} meet online, raise the distance limit, or lower the smallest group size to "
               f"{max(f['nearby'], 2)}." if f["nearby"] >= 2 else
               f"Let {it} meet online or raise the distance limit."))


def _partner_shortage(f: Mapping) -> str:
    firms = f["firms"]
    names = _names(firms)
    it, its = ("it", "its") if len(firms) == 1 else ("them", "their")
    counts = {k: int(f.get(k) or 0) for k in ("competitors", "too_far", "other_mode")}
    main = max(counts, key=lambda k: counts[k]) if any(counts.values()) else ""
    lead = {
        "competitors": f"No grouping can keep {names} away from {its} competitors with "
                       f"{_sizes(f)}",
        "too_far": f"No grouping can place {names} in person within {_km(f['max_km'])} with "
                   f"{_sizes(f)}",
        "other_mode": f"No grouping can place {names} with firms that meet the way {it} "
                      f"{'does' if len(firms) == 1 else 'do'} with {_sizes(f)}",
    }.get(main, f"No grouping can place {names} with {_sizes(f)}")
    blocked = []
    if counts["competitors"]:
        blocked.append(f"{_n(counts['competitors'], 'is a competitor', 'are competitors')} "
                       f"(the same SIC class within {_km(f['competitor_km'])}) or must be kept "
                       "apart")
    if counts["too_far"]:
        blocked.append(f"{counts['too_far']} {'is' if counts['too_far'] == 1 else 'are'} more "
                       f"than {_km(f['max_km'])} away, the distance limit for meeting in person")
    if counts["other_mode"]:
        blocked.append(f"{counts['other_mode']} cannot meet the way {it} can "
                       f"({f.get('meets', 'online or in person')})")
    why = (f" Of the {_n(f['others'], 'other firm')}, " + "; ".join(blocked) + "."
           if blocked and "others" in f else "")
    fixes = []
    if counts["competitors"]:
        fixes.append("remove a keep-apart request or lower the competitor distance")
    if counts["too_far"]:
        fixes.append(f"let {it} meet online or raise the distance limit")
    if counts["other_mode"]:
        fixes.append(f"let {it} meet either way")
    if f["partners"] >= 1:  # with no possible companion, no smaller group size helps
        fixes.append(f"lower the smallest group size to {max(f['partners'] + 1, 2)}")
    if not fixes:
        fixes.append(f"add firms that could share a group with {it}")
    return (f"{lead}: only {_n(f['partners'], 'other firm')} could share a group with {it}, "
            f"and a group needs at least {f['min_size']}.{why} To place {it}, {_or(fixes)}.")


def _time_limit(f: Mapping) -> str:
    return (f"No rebalanced grouping was found within the time limit of {f['seconds']:g} "
            "seconds. Try again with a longer time limit, or form the groups again.")


def _unplaced_strict(f: Mapping) -> str:
    return (f"{f['firm']} could not be placed, and every firm had to be: "
            + unplaced_text(f.get("why", ""), f.get("why_facts", {}), reason=f.get("reason", "")))


_DIAGNOSES = {
    "mode": _mode, "together_vs_avoid": _together_vs_avoid, "together_size": _together_size,
    "together_vs_locked": _together_vs_locked, "together_mode": _together_mode,
    "locked_size": _locked_size, "locked_conflict": _locked_conflict,
    "locked_mode": _locked_mode, "cohort_size": _cohort_size,
    "in_person_shortage": _in_person_shortage, "partner_shortage": _partner_shortage,
    "time_limit": _time_limit, "unplaced": _unplaced_strict,
}
DIAGNOSIS_CODES = frozenset(_DIAGNOSES)


def diagnosis_text(code: str, facts: Mapping, *, fallback: str = "") -> str:
    """The plain-words message of a diagnosis (`fallback` when the code or a fact is unknown,
    as with a record written by an older version)."""
    try:
        return _DIAGNOSES[code](facts)
    except (KeyError, TypeError, IndexError, ValueError):
        return fallback


# --- why one firm was left out of the groups -------------------------------------------------

def _no_compatible_group(f: Mapping) -> str:
    return ("No group could take it: each one holds a competitor of it or a firm it must be "
            "kept apart from, meets in a way it cannot (online or in person), or has a member "
            f"more than {_km(f['max_km'])} away (the distance limit for meeting in person). "
            "Let it meet either way, raise the distance limit, or place it by hand.")


def _groups_full(f: Mapping) -> str:
    return (f"The {_n(f['groups'], 'group')} it could join "
            f"{'is' if f['groups'] == 1 else 'are'} full ({f['max_size']} firms, the largest "
            f"group size), and too few firms are left to start a new group of at least "
            f"{f['min_size']}. Raise the largest group size, or lower the smallest.")


def _blocked(f: Mapping) -> str:
    return (f"No group could take it without breaking a grouping rule for another firm: groups "
            f"of {f['min_size']} to {f['max_size']} firms, competitors and firms to keep apart "
            f"in different groups, and every pair meeting in person within "
            f"{_km(f['max_km'])}. Place it by hand, or relax one of those settings.")


_UNPLACED = {"no_compatible_group": _no_compatible_group, "groups_full": _groups_full,
             "blocked": _blocked}


def unplaced_text(code: str, facts: Mapping, *, reason: str = "") -> str:
    """Why a firm is unplaced: a diagnosis code (the pre-solve checks) or an unplaced code."""
    if code in _UNPLACED:
        try:
            return _UNPLACED[code](facts)
        except (KeyError, TypeError, ValueError):
            return reason
    return diagnosis_text(code, facts, fallback=reason)


# --- why a firm is in its group ----------------------------------------------------------------

_MODES = {"online": "can only meet online", "in_person": "can only meet in person",
          "either": "can meet online or in person"}


def _reason(f: Mapping) -> str:
    code = f["code"]
    if code == "locked":
        return f"locked in group {f['group']} by hand"
    if code == "together":
        return f"kept together with {_names(f['with'])}"
    if code == "mode":
        return _MODES[f["mode"]]
    if code == "themes":
        common = f" ({'; '.join(f['common'])})" if f.get("common") else ""
        return (f"shares a learning theme with {f['sharing']} of {f['mates']} "
                f"group-mates{common}")
    if code == "size":
        return (f"{f['employees']} employees; its group-mates have {f['min']} to {f['max']}")
    if code == "industry":
        return (f"the only firm from its industry (SIC division {f['division']})"
                if f["same"] == 0 else
                f"one of {f['same'] + 1} firms from its industry (SIC division {f['division']})")
    if code == "distance":
        return f"its group-mates are {f['min_km']:.1f} to {f['max_km']:.1f} km away"
    if code == "met_before":
        return f"met {_names(f['with'])} in a previous cohort"
    if code == "no_alternative":
        return ("no other group could take it without breaking a grouping rule (each other "
                "group is full, holds a competitor or a firm to keep apart, meets in a way it "
                "cannot, or is beyond the distance limit)")
    if code == "alternative":
        return (f"group {f['group']} could also take it: its mismatch would be "
                f"{f['there']:.2f} there against {f['here']:.2f} here (lower is a better match; "
                "in an online group the mismatch also counts that the firm could have met in "
                "person)")
    if code == "unplaced":
        return unplaced_text(f.get("why", ""), f.get("facts", {}), reason=f.get("reason", ""))
    raise KeyError(code)


def firm_reason_text(fact: Mapping, *, fallback: str = "") -> str:
    """One reason a firm is where it is, from its facts (`fallback` if they are unreadable)."""
    try:
        return _reason(fact)
    except (KeyError, TypeError, ValueError):
        return fallback


def firm_reasons_text(facts: Sequence[Mapping]) -> list[str]:
    return [text for text in (firm_reason_text(f) for f in facts) if text]


# --- one line per group -------------------------------------------------------------------------

def _ordinal_from_worst(rank: int, n: int) -> str:
    if rank == 1:
        return f"the least well matched of the {n} groups" if n > 1 else "the only group"
    return f"number {rank} of the {n} groups, counting from the least well matched"


def group_summary_text(g: Mapping, *, sector_cap: int, max_km: float, n_groups: int) -> str:
    """One plain-words line for a programme manager, from a group's facts (the fields of
    `GroupExplanation`; `repeat_pairs` may be a count or the list of pairs)."""
    top = "; ".join(f"{t} ({c} firms)" for t, c in list(g["shared_themes"].items())[:3])
    mode = g.get("mode_text") or ("online" if g["mode"] == "online" else "in person")
    parts = [f"{g['label']}: {g['size']} firms meeting {mode}",
             f"{g['pairs_sharing_theme']} of {g['pairs']} pairs of firms share a learning theme"
             + (f" (most shared: {top})" if top else "")]
    if g.get("employees_min") is not None:
        parts.append(f"{g['employees_min']} to {g['employees_max']} employees")
    over_cap = list(g.get("divisions_over_cap") or [])
    over = (f" (more firms than the limit of {sector_cap} from division"
            f"{'s' if len(over_cap) > 1 else ''} {', '.join(over_cap)})" if over_cap else "")
    n_div = len(g["divisions"]) if not isinstance(g["divisions"], int) else g["divisions"]
    parts.append(f"{n_div} industr{'y' if n_div == 1 else 'ies'} (SIC divisions){over}")
    if g.get("furthest_km") is not None:
        parts.append(f"the two firms furthest apart are {g['furthest_km']} km apart (the limit "
                     f"is {max_km:g} km)")
    repeats = g.get("repeat_pairs") or 0
    repeats = repeats if isinstance(repeats, int) else len(repeats)
    parts.append(f"{repeats} pair{'s' if repeats != 1 else ''} of firms met in an earlier group"
                 if repeats else "no two firms met in an earlier group")
    parts.append(f"mismatch {g['mean_pair_cost']:.2f} per pair of firms (0 = every pair shares a "
                 "theme, is of a similar size, has not met before and, meeting in person, is "
                 f"close by; higher is worse): {_ordinal_from_worst(g['fairness_rank'], n_groups)}")
    return "; ".join(parts)
