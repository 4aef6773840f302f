"""Plain-language explanation of one peer group: who is in it and how well it meets the
programme's goals (sector mix, size similarity, distance, shared themes). Pure.

What is stored on a group is the facts (numbers, ids, the settings used); the sentences are
made from them each time they are shown, so a wording change reaches every saved group."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from locus.grouping.geo import haversine_km
from locus.grouping.problem import Weights
from locus.grouping.wording import (
    diagnosis_text,
    firm_reason_text,
    firm_reasons_text,
    unplaced_text,
)


@dataclass(frozen=True)
class Member:
    id: str
    sic: str
    employees: int | None
    lat: float | None
    lon: float | None
    themes: frozenset[str]
    locked: bool = False


def _distances(members: list[Member]) -> list[float]:
    located = [m for m in members if m.lat is not None and m.lon is not None]
    return [haversine_km(lat1=a.lat, lon1=a.lon, lat2=b.lat, lon2=b.lon)
            for i, a in enumerate(located) for b in located[i + 1:]]


FACTS_VERSION = 2  # explanations stored as facts; version 1 stored the sentences ("lines")


def group_explain(*, members: list[Member], mode: str, sector_cap: int, max_km: float,
                  competitor_km: float) -> dict:
    """The facts a manager can check about one group, JSON-serialisable. The sentences are made
    from them when shown (`explanation_lines`), so stored groups read in today's words."""
    n = len(members)
    divisions: dict[str, int] = {}
    for m in members:
        divisions[m.sic[:2]] = divisions.get(m.sic[:2], 0) + 1
    classes = [m.sic[:4] for m in members]
    dists = _distances(members)
    heads = [m.employees for m in members if m.employees is not None]
    theme_count: dict[str, int] = {}
    for m in members:
        for t in m.themes:
            theme_count[t] = theme_count.get(t, 0) + 1
    shared = sorted((t for t, c in theme_count.items() if c >= 2),
                    key=lambda t: (-theme_count[t], t))
    pairs = n * (n - 1) // 2
    no_common = sum(1 for i, a in enumerate(members) for b in members[i + 1:]
                    if a.themes and b.themes and not a.themes & b.themes)
    over_cap = {d: c for d, c in divisions.items() if c > sector_cap}
    return {"version": FACTS_VERSION, "size": n, "mode": mode, "divisions": len(divisions),
            "over_cap": over_cap, "shared_classes": len(set(classes)) < len(classes),
            "max_km": None if not dists else round(max(dists), 1),
            "mean_km": None if not dists else round(sum(dists) / len(dists), 1),
            "employees": [min(heads), max(heads)] if heads else None,
            "shared_themes": shared, "theme_counts": {t: theme_count[t] for t in shared},
            "pairs_sharing_theme": pairs - no_common, "pairs": pairs,
            "locked": sum(m.locked for m in members),
            "settings": {"sector_cap": sector_cap, "max_km": max_km,
                         "competitor_km": competitor_km}}


def _lines(f: dict) -> list[str]:
    s = f["settings"]
    lines = [f"{f['size']} firm{'s' if f['size'] != 1 else ''} from {f['divisions']} "
             f"industr{'y' if f['divisions'] == 1 else 'ies'} (SIC 2007 divisions)."]
    over = f["over_cap"]
    lines.append(f"No industry has more than {s['sector_cap']} firms in the group."
                 if not over else
                 f"Industries with more than {s['sector_cap']} firms in the group: "
                 + ", ".join(f"division {d} ({c} firms)" for d, c in sorted(over.items())) + ".")
    if f["size"] > 1:
        lines.append(f"Firms in the same trade (SIC class) are more than "
                     f"{s['competitor_km']:g} km apart, so they are not treated as local "
                     "competitors." if f["shared_classes"] else
                     "No two firms are in the same trade (SIC class), so none are likely "
                     "competitors.")
    if f["employees"]:
        low, high = f["employees"]
        lines.append(f"Sizes range from {low} to {high} employees." if low != high else
                     f"Every firm has {low} employees.")
    if f["max_km"] is not None:
        lines.append(f"Firms are at most {f['max_km']:.0f} km apart ({f['mean_km']:.0f} km on "
                     "average)"
                     + (f"; the limit for meeting in person is {s['max_km']:g} km."
                        if f["mode"] != "online" else "; the group meets online."))
    if f["shared_themes"]:
        lines.append("Learning themes shared by two or more firms: " + "; ".join(
            f"{t} ({f['theme_counts'][t]} firms)" for t in f["shared_themes"][:4]) + ".")
    if f["pairs"]:
        lines.append(f"{f['pairs_sharing_theme']} of {f['pairs']} pairs of firms share at least "
                     "one theme.")
    if f["locked"]:
        lines.append(f"{f['locked']} firm{'s were' if f['locked'] != 1 else ' was'} placed in "
                     "this group by hand and kept there.")
    return lines


def explanation_lines(explanation: dict | None) -> list[str]:
    """The sentences about a group, in today's words, from its stored facts; a group stored
    before the facts were kept (version 1) shows the sentences stored then."""
    explanation = explanation or {}
    if explanation.get("version") == FACTS_VERSION:
        try:
            return _lines(explanation)
        except (KeyError, TypeError, ValueError):
            pass
    return list(explanation.get("lines") or [])


def explanation_is_stale(explanation: dict | None) -> bool:
    """True for a stored explanation written before its facts were kept: sentences about the
    group (version 1), or the engine's part held as sentences (a "summary" and "reasons") rather
    than facts. Such a group is shown from facts worked out again from its members when it is
    read (`locus.peers.selectors.group_explanations_get`); nothing is saved then."""
    if not explanation:
        return False
    engine = explanation.get("engine")
    return explanation.get("version") != FACTS_VERSION or (bool(engine) and "facts" not in engine)


ID_KEYS = frozenset({"firm", "firms", "pair", "in_person_only", "with"})


def named(value, names: dict[str, str], key: str = ""):
    """The engine's facts with participant ids (firm pks as text) replaced by firm names."""
    if isinstance(value, dict):
        return {k: named(v, names, k) for k, v in value.items()}
    if key in ID_KEYS:
        if isinstance(value, str):
            return names.get(value, value)
        if isinstance(value, list | tuple):
            return [names.get(str(v), str(v)) for v in value]
    return value


def _alternative_plain(fact: dict, group: str = "") -> str:
    """Another group could take the firm, in words without the engine's mismatch figures."""
    which = f"group {group}" if group else "another group"
    return (f"{which} could also have taken it, but the firm matches this group better"
            if float(fact["there"]) >= float(fact["here"]) else
            f"{which} could also have taken it; placing it here matched the firms best across "
            "all the groups")


def _firm_reasons(facts: list, names: dict[str, str], figures: bool) -> list[str]:
    if figures:
        return firm_reasons_text(named(facts, names))
    out = []
    for fact in named(facts, names):
        try:
            text = (_alternative_plain(fact, str(fact["group"]))
                    if fact.get("code") == "alternative" else firm_reason_text(fact))
        except (KeyError, TypeError, ValueError):
            continue
        if text:
            out.append(text)
    return out


def engine_firm_reasons(explanation: dict | None, names: dict[str, str],
                        figures: bool = True) -> dict[str, list[str]]:
    """Why each firm is in its group, in today's words, from the engine's stored facts: {firm pk
    as text: [reason, ...]}. `figures` False leaves out the engine's mismatch figures (they are
    explained to programme managers, `engine_match`). The engine's one-line summary of a group is
    not made here: on the group pages it repeated the bullet list of facts and the mismatch
    explanation (ADR 21)."""
    engine = (explanation or {}).get("engine") or {}
    if "facts" in engine:
        return {pid: _firm_reasons(why.get("facts") or [], names, figures)
                for pid, why in (engine.get("firms") or {}).items() if why}
    return {pid: list(why.get("reasons") or [])
            for pid, why in (engine.get("firms") or {}).items() if why}


def diagnosis_message(diagnosis: dict, names: dict[str, str]) -> str:
    """Why a formation was impossible, in today's words, from a stored diagnosis ({"code",
    "facts", "message"}); firms named, not numbered."""
    return diagnosis_text(diagnosis.get("code", ""), named(diagnosis.get("facts") or {}, names),
                          fallback=diagnosis.get("message", ""))


# The sentences the engine wrote for unplaced firms before their codes and facts were kept
# (runs stored before version 2): read back into a code and facts, so they show today's words.
_LEGACY_UNPLACED = (
    (re.compile(r"every group holds a competitor or avoided firm, meets in another mode, or is "
                r"beyond [\d.]+ km$"), "no_compatible_group", ()),
    (re.compile(r"the (?P<groups>\d+) group\(s\) it could join are full \(\d+\) and too few "
                r"firms remain to open a new group of \d+$"), "groups_full", ("groups",)),
    (re.compile(r"no group could take it without breaking a hard constraint for someone else$"),
     "blocked", ()),
    (re.compile(r"(?P<nearby>\d+) in-person firm\(s\) within [\d.]+ km of each other cannot "
                r"form a group of at least \d+; in-person-only: (?P<in_person_only>.+)$"),
     "in_person_shortage", ("nearby", "in_person_only")),
    (re.compile(r"(?P<firms>.+?) can share a group with only (?P<partners>-?\d+) other firm\(s\) "
                r"\(after .*\); a group needs at least \d+$"), "partner_shortage",
     ("firms", "partners")),
)


def _legacy_unplaced(reason: str) -> tuple[str, dict] | None:
    for pattern, code, keys in _LEGACY_UNPLACED:
        found = pattern.match(reason.strip())
        if found:
            facts = {}
            for key in keys:
                value = found.group(key)
                facts[key] = ([v.strip() for v in value.split(",")] if key in ID_KEYS
                              else int(value))
            return code, facts
    return None


def unplaced_message(unplaced: dict, settings: dict, names: dict[str, str]) -> str:
    """Why a firm was left out of the groups in a formation run, in today's words: from the
    stored code and facts, or (for a run stored before they were kept) from its old sentence
    read back with the run's settings; an unreadable old sentence is shown as it was."""
    reason = unplaced.get("reason", "")
    code, facts = unplaced.get("code"), unplaced.get("facts")
    if not code:
        legacy = _legacy_unplaced(reason)
        if legacy is None:
            return reason
        code, facts = legacy
        facts = {**{k: settings.get(k) for k in ("min_size", "max_size", "max_km",
                                                   "competitor_km") if k in settings}, **facts}
    return unplaced_text(code, named(facts or {}, names), reason=reason)


# --- for programme managers: the engine's mismatch figure, in words --------------------------

def _rank_text(rank: int, n_groups: int) -> str:
    if n_groups <= 1:
        return "It is the programme’s only group."
    if rank == 1:
        return f"Of the programme’s {n_groups} groups, it is the least well matched."
    if rank == n_groups:
        return f"Of the programme’s {n_groups} groups, it is the best matched."
    return (f"Of the programme’s {n_groups} groups, it is number {rank} counting from the least "
            "well matched.")


def engine_match(explanation: dict | None) -> dict | None:
    """The engine's mismatch figure for one group, with what it measures, for programme
    managers: {"figure": "0.64", "text": [sentence, ...]}. The figure is the mean over every pair
    of firms in the group of the engine's pair cost (docs/methodology/grouping.md, "Objective"):
    no shared learning theme, the difference in size, distance apart for a group meeting in
    person, and having met in an earlier group, each with the engine's weight. None without the
    engine's facts (a group saved before they were kept)."""
    facts = ((explanation or {}).get("engine") or {}).get("facts") or {}
    try:
        mismatch = float(facts["mean_pair_cost"])
        rank, n_groups = int(facts["fairness_rank"]), int(facts["n_groups"])
    except (KeyError, TypeError, ValueError):
        return None
    w = Weights()  # the weights the peers room forms groups with (grouping_settings)
    parts = [f"{w.themes:g} if they share no learning theme ({w.themes / 2:g} if either chose "
             "none)",
             f"up to {w.size:g} for a difference in size (0 for the same number of employees, "
             f"{w.size:g} when one has about ten times as many as the other, or more)"]
    if facts.get("mode") != "online":
        parts.append(f"how far apart they are as a share of the distance limit for meeting in "
                     f"person ({w.travel:g} for a pair {float(facts.get('limit_km') or 0):g} km "
                     "apart)")
    repeats = facts.get("repeat_pairs") or 0
    repeats = repeats if isinstance(repeats, int) else len(repeats)
    if repeats:
        parts.append(f"{w.repeat:g} for each pair that were in an earlier group together "
                     f"({repeats} pair{'s' if repeats != 1 else ''} here)")
    return {"figure": f"{mismatch:.2f}", "text": [
        f"The engine’s mismatch score for this group is {mismatch:.2f} per pair of firms. It "
        "measures how poorly the firms match, averaged over every pair of firms in the group: "
        "for each pair it adds " + "; ".join(parts[:-1]) + "; and " + parts[-1] + ". 0 would be a perfect match, and higher "
        f"is worse: a pair that shares no learning theme but is otherwise alike scores "
        f"{w.themes:g}.",
        _rank_text(rank, n_groups)]}


# --- for a firm member: why their own business is in its group --------------------------------

_OWN_CODES = frozenset({"locked", "together", "mode", "themes", "size", "industry",
                        "met_before", "no_alternative"})


def _own_reason(fact: dict, names: dict[str, str], limit_km) -> str:
    code = fact.get("code")
    if code == "distance":
        # only how far the furthest group-mate is, in whole km: the nearest firm's distance to a
        # tenth of a km would say more about where a group-mate is than the group page does
        return (f"all its group-mates are within {math.ceil(float(fact['max_km']))} km"
                + (f" (the limit for meeting in person is {float(limit_km):g} km)"
                   if limit_km else ""))
    if code == "alternative":
        # another group's label and the mismatch figures are for the programme team
        return _alternative_plain(fact).replace("the firm matches", "the business matches")
    if code not in _OWN_CODES:
        return ""
    if code in ("together", "met_before"):
        known = [names[str(i)] for i in fact.get("with") or [] if str(i) in names]
        if not known:
            return ""
        fact = {**fact, "with": known}
    if code == "themes":
        # how many group-mates share a theme, not which themes: a group-mate's interests are not
        # shown to firm members
        fact = {**fact, "common": []}
    return firm_reason_text(fact)


def own_placement_reasons(explanation: dict | None, firm_pk: int,
                          names: dict[str, str]) -> list[str]:
    """Why a firm is in its group, in plain words, for the firm's own members: from the same
    stored facts as the group page's reasons, leaving out what a firm member may not see of its
    group (the group-mates' learning themes, how near the nearest one is, other groups and the
    mismatch figures). ``names``: the group's members by pk, which members see on the group
    page. Empty when the group's facts are not kept (a group saved before they were)."""
    engine = (explanation or {}).get("engine") or {}
    why = (engine.get("firms") or {}).get(str(firm_pk)) or {}
    if "facts" not in engine or not why.get("facts"):
        return []
    limit = (engine.get("facts") or {}).get("limit_km")
    out = []
    for fact in why["facts"]:
        try:
            text = _own_reason(dict(fact), names, limit)
        except (KeyError, TypeError, ValueError):
            continue
        if text:
            out.append(text[0].upper() + text[1:])
    return out
