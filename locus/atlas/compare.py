"""Compare 2-6 areas: their pathways on one chart and their indicators side by side."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from locus.atlas import models as m
from locus.atlas import selectors as sel
from locus.atlas import selectors_places as sel_places
from locus.atlas.errors import AtlasNotFoundError
from locus.atlas.profile import Pathway, pathway_get
from locus.atlas.text import LEVEL_SINGULAR, SCORED_LEVELS
from locus.pathways.stages import STAGE_IDS

MIN_AREAS, MAX_AREAS = 2, 6
MAX_PARTS = 3 * MAX_AREAS  # comma-separated entries in one box: six places, each name with up to two commas


@dataclass(frozen=True)
class CompareCell:
    year: int | None
    value: float | None
    note: str = ""  # the note on this value (``sel.value_year_note``): a part year's; a defect's only where built from it


@dataclass
class Comparison:
    areas: list[m.AtlasArea]
    pathways: list[Pathway]
    rows: list[tuple[m.Indicator, int | None, list[CompareCell]]]
    medians: dict[str, float]
    provenance: dict
    level_medians: dict[str, dict[str, float]] = field(default_factory=dict)  # level -> stage -> median

    @property
    def stage_ids(self) -> list[str]:
        """Stages scored at the level of at least one compared place (districts score two: ADR 0010)."""
        return [s for s in STAGE_IDS if any(not row.note for p in self.pathways for row in p.stages
                                            if row.stage == s)] or list(STAGE_IDS)

    @property
    def labels(self) -> list[str]:
        """Each area's name (in the order of ``areas``), with its level where another compared area has the
        same name ("Manchester (ITL3 area)", "Manchester (local authority district)"), to tell them apart."""
        names = [a.name for a in self.areas]
        return [f"{a.name} ({LEVEL_SINGULAR.get(a.level, a.level)})" if names.count(a.name) > 1 else a.name
                for a in self.areas]

    def notes_for(self, cells: list[CompareCell]) -> list[tuple[str, str]]:
        """(whose, note) for a row's notes: whose is "" for a note every value carries (a part year's), else
        the names of the places whose values carry it (Birmingham's 2018 HESA defect: only the West Midlands)."""
        by_note: dict[str, list[str]] = {}
        for label, cell in zip(self.labels, cells, strict=True):
            if cell.note:
                by_note.setdefault(cell.note, []).append(label)
        with_value = sum(1 for c in cells if c.value is not None)
        return [("" if len(names) == with_value else ", ".join(names), note) for note, names in by_note.items()]

    @property
    def mixed(self) -> bool:
        """Places of more than one scored level: each is read against its own level's median."""
        return len(self.level_medians) > 1


def compare_codes_parse(*, text: str | list[str]) -> tuple[list[str], list[str]]:
    """(codes, error messages) for a comma-separated list (or several values) of area codes."""
    parts = text if isinstance(text, list) else [text]
    codes = []
    for part in parts:
        for code in (part or "").replace(" ", ",").split(","):
            code = code.strip().upper()
            if code and code not in codes:
                codes.append(code)
    errors = _count_errors(codes=codes)
    found = {code: (name, level) for code, name, level in
             m.AtlasArea.objects.filter(code__in=codes).values_list("code", "name", "level")}
    unknown = [c for c in codes if c not in found]
    if unknown:
        errors.append(f"No area in the atlas has the code{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}: "
                      "check the code or pick the area from the list.")
    unscored = [c for c in codes if c in found and found[c][1] not in SCORED_LEVELS]
    for code in unscored:
        errors.append(f"{found[code][0]} is not scored: the atlas scores ITL3 areas, Combined Authorities and "
                      "local authority districts, so compare those.")
    return codes, errors


def _count_errors(*, codes: list[str]) -> list[str]:
    """The too-few and too-many messages for these (distinct) codes."""
    errors = []
    if len(codes) < MIN_AREAS:
        errors.append(f"Choose at least {MIN_AREAS} areas to compare (you chose {len(codes)}).")
    if len(codes) > MAX_AREAS:
        errors.append(f"Choose at most {MAX_AREAS} areas to compare (you chose {len(codes)}): remove "
                      f"{len(codes) - MAX_AREAS}.")
    return errors


def _cells(series: dict[str, dict[str, dict[int, float]]], ind: str, codes: list[str],
           defects: set[tuple[str, str, int]]) -> tuple[int | None, list[CompareCell]]:
    """The common year (the latest every place has, as the profile's latest values: no part year and no
    year in which a place's value was built from a source's declared defect while another year is
    common) and each place's value; with no common year, each place's own latest such year."""
    skip = sel.part_years(indicator_id=ind)
    per = [series[c].get(ind, {}) for c in codes]

    def cell(code: str, values: dict[int, float], year: int) -> CompareCell:
        defect = (code, ind, year) in defects
        return CompareCell(year, values[year], sel.value_year_note(indicator_id=ind, year=year, source_defect=defect))

    def unscored(code: str, year: int) -> bool:
        return year in skip or (code, ind, year) in defects

    common = set(per[0]).intersection(*per[1:]) if per else set()
    if common:
        year = max((y for y in common if not any(unscored(c, y) for c in codes)), default=max(common))
        return year, [cell(c, p, year) for c, p in zip(codes, per, strict=True)]
    cells = []
    for code, p in zip(codes, per, strict=True):
        if not p:
            cells.append(CompareCell(None, None))
            continue
        cells.append(cell(code, p, max((y for y in p if not unscored(code, y)), default=max(p))))
    return None, cells


def compare_get(*, codes: list[str]) -> Comparison:
    codes, errors = compare_codes_parse(text=",".join(codes))
    if errors:
        raise AtlasNotFoundError(" ".join(errors))
    areas = [sel.area_get(code=c) for c in codes]
    pathways = [pathway_get(code=a.code, level=a.level) for a in areas]
    series = {a.code: {k: {y: v for y, v, _m in pts} for k, pts in sel.indicator_series(code=a.code, level=a.level).items()}
              for a in areas}
    defects = sel.defect_keys(codes=codes)
    rows = []
    for ind in sel.indicators_list():
        if any(series[c].get(ind.id) for c in codes):
            year, cells = _cells(series, ind.id, codes, defects)
            rows.append((ind, year, cells))
    levels = [lv for lv in dict.fromkeys(a.level for a in areas) if sel.scored(lv)]
    per_level = {lv: sel.stage_medians(level=lv) for lv in levels}
    medians = per_level[levels[0]] if len(levels) == 1 else {}
    return Comparison(areas, pathways, rows, medians, sel.score_provenance(), per_level)


_CODE = re.compile(r"^(?:[A-Z]\d{8}|TL[A-Z0-9]{1,3})$")
_PICKED = re.compile(r"^([^()]+?)\s*\(([^()]*), ([A-Za-z0-9]+)\)$")  # a suggestion: "Name (level, CODE)"


def _resolve(piece: str) -> tuple[str | None, str | None]:
    """(code, error) for one place typed or picked in the compare form."""
    found = sel_places.places_match(text=piece)  # every match: the message counts them all
    if len(found) == 1:
        return found[0][0], None
    if not found:
        return None, f"No place in the atlas matches \u201c{piece}\u201d: check the spelling or pick it from the suggestions."
    names = "; ".join(f"{n} ({LEVEL_SINGULAR.get(lv, lv)}, {c})" for c, n, lv in found[:4]) + ("; …" if len(found) > 4 else "")
    return None, (f"\u201c{piece}\u201d matches {len(found)} places ({names}): pick one from the suggestions "
                  "or type its code.")


def _parts(value: str) -> list[str]:
    """``value`` split at the commas outside brackets (a suggestion's "(level, CODE)" stays whole)."""
    parts, depth, current = [], 0, ""
    for char in value:
        depth += (char == "(") - (char == ")" and depth > 0)
        if char == "," and not depth:
            parts.append(current)
            current = ""
        else:
            current += char
    return [p.strip() for p in [*parts, current] if p.strip()]


def _pieces(value: str) -> list[tuple[str, str | None]]:
    """The places in one box as (text, code when picked from the suggestions): split at commas, except
    that the longest run of comma-separated parts that is a whole official name ("Bristol, City of",
    "Barnsley, Doncaster and Rotherham") or a picked suggestion of one stays together."""
    names = {c: n for c, n, _lv in sel_places.place_options()}
    longest = max((len(_parts(n)) for n in names.values()), default=1)  # parts in the longest name
    parts, pieces, i = _parts(value), [], 0
    while i < len(parts):
        for j in range(min(len(parts), i + longest), i, -1):  # no run longer than a name: linear, not quadratic
            text = ", ".join(parts[i:j])
            picked = _PICKED.match(text)
            code = picked.group(3).upper() if picked else ""
            if code in names and (j == i + 1 or sel_places.places_named(text=picked.group(1))):
                pieces.append((text, code))
                break
            if j > i + 1 and sel_places.places_named(text=text):
                pieces.append((text, None))
                break
        else:
            j = i + 1
            pieces.append((parts[i], None))
        i = j
    return pieces


def _codes_check(*, codes: list[str]) -> tuple[list[str], list[str]]:
    """(the codes of scored areas in the atlas, error messages about the others) for the codes in one box."""
    found = {code: (name, level) for code, name, level in
             m.AtlasArea.objects.filter(code__in=codes).values_list("code", "name", "level")}
    unknown = [c for c in dict.fromkeys(codes) if c not in found]
    errors = [f"No area in the atlas has the code{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}: "
              "check the code or pick the area from the suggestions."] if unknown else []
    unscored = [c for c in dict.fromkeys(codes) if c in found and found[c][1] not in SCORED_LEVELS]
    errors += [f"{found[c][0]} is not scored: the atlas scores ITL3 areas, Combined Authorities and "
               "local authority districts, so compare those." for c in unscored]
    return [c for c in codes if c in found and c not in unscored], errors


def compare_picks_check(*, values: list[str]) -> tuple[list[str], list[tuple[int | None, str]]]:
    """(codes, errors) from the compare form: ticked codes, comma-separated codes (shared links), or
    names typed or picked from the suggestions ("Name (level, CODE)"), several to a box separated by
    commas; an official name with commas in it ("Bristol, City of") is one place. Then the 2-6 and
    known-code checks of ``compare_codes_parse``. Each error is (index in ``values`` of the box whose
    text matched nothing or several places, or held a code of no scored place, message), or (None,
    message) for the form as a whole (too few or too many places)."""
    codes, errors, rejected = [], [], []
    for index, value in enumerate(" ".join((v or "").split()) for v in values):
        if not value:
            continue
        tokens = [t for t in re.split(r"[,\s]+", value.upper()) if t]
        if all(_CODE.match(t) for t in tokens):
            known, problems = _codes_check(codes=tokens)
            codes.extend(known)
            rejected += [t for t in tokens if t not in known]
            errors += [(index, e) for e in problems]
            continue
        if (many := len(_parts(value))) > MAX_PARTS:  # not worth looking up one by one
            errors.append((index, f"This box holds {many} entries separated by commas: compare at most {MAX_AREAS} "
                                  "places, so remove some."))
            continue
        found, problems = [], []
        for piece, code in _pieces(value):
            if code is None and _CODE.match(piece.upper()):
                code = piece.upper()
            error = None
            if code is None:
                code, error = _resolve(piece)
            found += [code] if code else []
            problems += [error] if error else []
        if problems and len(whole := sel_places.places_find(text=value)) == 1:
            found, problems = [whole[0][0]], []  # the words of one name, punctuated another way
        known, code_problems = _codes_check(codes=found)
        rejected += [c for c in found if c not in known]
        problems += code_problems
        codes += known
        errors += [(index, e) for e in dict.fromkeys(problems)]  # "foo, foo" is said once
    checked, count_errors = compare_codes_parse(text=codes)
    if rejected:  # too many counts every place asked for, the ones in error too
        count_errors = [e for e in count_errors if "at least" in e] + [
            e for e in _count_errors(codes=list(dict.fromkeys(checked + rejected))) if "at most" in e]
    return checked, errors + [(None, e) for e in count_errors if not (errors and "at least" in e)]


def compare_picks_parse(*, values: list[str]) -> tuple[list[str], list[str]]:
    """``compare_picks_check`` without saying which box each error is about."""
    codes, errors = compare_picks_check(values=values)
    return codes, [message for _index, message in errors]
