"""Compare 2-6 areas: their pathways on one chart and their indicators side by side."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from locus.atlas import models as m
from locus.atlas import selectors as sel
from locus.atlas import selectors_places as sel_places
from locus.atlas.errors import AtlasNotFoundError
from locus.atlas.profile import Pathway, pathway_get
from locus.atlas.text import SCORED_LEVELS
from locus.pathways.stages import STAGE_IDS

MIN_AREAS, MAX_AREAS = 2, 6


@dataclass(frozen=True)
class CompareCell:
    year: int | None
    value: float | None


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
    errors = []
    if len(codes) < MIN_AREAS:
        errors.append(f"Choose at least {MIN_AREAS} areas to compare (you chose {len(codes)}).")
    if len(codes) > MAX_AREAS:
        errors.append(f"Choose at most {MAX_AREAS} areas to compare (you chose {len(codes)}): remove "
                      f"{len(codes) - MAX_AREAS}.")
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


def _cells(series: dict[str, dict[str, dict[int, float]]], ind: str, codes: list[str]) -> tuple[int | None, list[CompareCell]]:
    per = [series[c].get(ind, {}) for c in codes]
    common = set(per[0]).intersection(*per[1:]) if per else set()
    if common:
        year = max(common)
        return year, [CompareCell(year, p[year]) for p in per]
    return None, [CompareCell(max(p), p[max(p)]) if p else CompareCell(None, None) for p in per]


def compare_get(*, codes: list[str]) -> Comparison:
    codes, errors = compare_codes_parse(text=",".join(codes))
    if errors:
        raise AtlasNotFoundError(" ".join(errors))
    areas = [sel.area_get(code=c) for c in codes]
    pathways = [pathway_get(code=a.code, level=a.level) for a in areas]
    series = {a.code: {k: {y: v for y, v, _m in pts} for k, pts in sel.indicator_series(code=a.code, level=a.level).items()}
              for a in areas}
    rows = []
    for ind in sel.indicators_list():
        if any(series[c].get(ind.id) for c in codes):
            year, cells = _cells(series, ind.id, codes)
            rows.append((ind, year, cells))
    levels = [lv for lv in dict.fromkeys(a.level for a in areas) if sel.scored(lv)]
    per_level = {lv: sel.stage_medians(level=lv) for lv in levels}
    medians = per_level[levels[0]] if len(levels) == 1 else {}
    return Comparison(areas, pathways, rows, medians, sel.score_provenance(), per_level)


_CODE = re.compile(r"^(?:[A-Z]\d{8}|TL[A-Z0-9]{1,3})$")
_SUGGESTION = re.compile(r"\(([^()]*), ([A-Za-z0-9]+)\)\s*$")


def _resolve(piece: str) -> tuple[str | None, str | None]:
    """(code, error) for one place typed or picked in the compare form."""
    found = sel_places.places_match(text=piece)  # every match: the message counts them all
    if len(found) == 1:
        return found[0][0], None
    if not found:
        return None, f"No place in the atlas matches \u201c{piece}\u201d: check the spelling or pick it from the suggestions."
    names = "; ".join(f"{n} ({c})" for c, n, _l in found[:4]) + ("; …" if len(found) > 4 else "")
    return None, (f"\u201c{piece}\u201d matches {len(found)} places ({names}): pick one from the suggestions "
                  "or type its code.")


def compare_picks_parse(*, values: list[str]) -> tuple[list[str], list[str]]:
    """(codes, errors) from the compare form: ticked codes, comma-separated codes (shared links), or
    names typed or picked from the suggestions ("Name (level, CODE)"); then the 2-6 and known-code
    checks of ``compare_codes_parse``."""
    codes, errors = [], []
    for value in (" ".join((v or "").split()) for v in values):
        if not value:
            continue
        picked = _SUGGESTION.search(value)
        tokens = [t for t in re.split(r"[,\s]+", value.upper()) if t]
        if picked:
            codes.append(picked.group(2).upper())
        elif all(_CODE.match(t) for t in tokens):
            codes.extend(tokens)
        elif len(whole := sel_places.places_find(text=value)) == 1:
            codes.append(whole[0][0])
        else:
            for piece in (p.strip() for p in value.split(",") if p.strip()):
                code, error = (piece.upper(), None) if _CODE.match(piece.upper()) else _resolve(piece)
                codes += [code] if code else []
                errors += [error] if error else []
    checked, count_errors = compare_codes_parse(text=codes)
    return checked, errors + [e for e in count_errors if not (errors and "at least" in e)]
