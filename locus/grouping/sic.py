"""The UK SIC 2007 code list (data/grouping/sic2007.csv) and the check of one written code.

`sic_code(text)` turns a written code into 4 digits (a class) or 5 digits (a UK subclass, or
an undivided class written with a trailing 0 as Companies House does, 62020), and raises
ValueError with a hint made from the real list when the code does not exist. Written forms:
62.01, 6201, 62012, 62.01/2, 62.1 (a spreadsheet's 62.10), 6201.0, and 111 (a class whose
leading zero a spreadsheet dropped, 01.11).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SIC_FILE = Path(__file__).resolve().parents[2] / "data" / "grouping" / "sic2007.csv"
MAX_LISTED = 10
_SIC_CLEAN = re.compile(r"[\s./]")


@dataclass(frozen=True)
class SicList:
    """Titles by code for each level of SIC 2007 (codes without dots)."""

    divisions: dict[str, str]
    groups: dict[str, str]
    classes: dict[str, str]
    subclasses: dict[str, str]
    companies_house: dict[str, str]

    def subclasses_of(self, cls: str) -> list[str]:
        return sorted(c for c in self.subclasses if c[:4] == cls)


@cache
def sic_list(path: Path = SIC_FILE) -> SicList:
    """Read the code list once (about 1,200 rows)."""
    levels: dict[str, dict[str, str]] = {
        lv: {} for lv in ("division", "group", "class", "subclass", "companies_house")}
    with Path(path).open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            levels[row["level"]][row["code"]] = row["title"]
    return SicList(divisions=levels["division"], groups=levels["group"],
                   classes=levels["class"], subclasses=levels["subclass"],
                   companies_house=levels["companies_house"])


def sic_dotted(code: str) -> str:
    """6201 -> 62.01; 62012 -> 62.01/2; 620 -> 62.0."""
    if len(code) == 3:
        return f"{code[:2]}.{code[2]}"
    if len(code) == 5:
        return f"{code[:2]}.{code[2:4]}/{code[4]}"
    return f"{code[:2]}.{code[2:]}"


def _digits(raw: str) -> str:
    left, dot, right = raw.partition(".")
    if dot and left.isdecimal() and len(left) <= 2:
        right = right.replace("/", "")
        return left.zfill(2) + (right + "0" if len(right) == 1 else right)
    if dot and left.isdecimal() and set(right) <= {"0"}:
        return left
    return _SIC_CLEAN.sub("", raw)


def sic_code(text: str) -> str:
    """Return the checked code (4 or 5 digits) or raise ValueError naming what is wrong."""
    raw = str(text).strip()
    digits = _digits(raw)
    if not digits.isdecimal():
        raise ValueError(f"SIC code {raw!r} is not a number like 62.01 or 62012")
    if len(digits) == 3:
        digits = "0" + digits
    if len(digits) not in (4, 5):
        raise ValueError(f"SIC code {raw!r} must have 4 (class) or 5 (subclass) digits")
    sic = sic_list()
    if digits[:2] not in sic.divisions:
        raise ValueError(f"SIC code {raw!r}: division {digits[:2]} does not exist in SIC 2007")
    if len(digits) == 4:
        if digits in sic.classes:
            return digits
        raise ValueError(_unknown_class(raw, digits, sic))
    if digits in sic.subclasses:
        return digits
    cls = digits[:4]
    if cls in sic.classes and digits[4] == "0" and not sic.subclasses_of(cls):
        return digits
    raise ValueError(_unknown_subclass(raw, digits, sic))


def _head(raw: str, read_as: str, what: str) -> str:
    if read_as == raw:
        return f"SIC code {raw!r} is not a SIC 2007 {what}"
    return f"SIC code {raw!r}: {read_as} is not a SIC 2007 {what}"


def _named(code: str, title: str) -> str:
    return f"{code if len(code) == 5 else sic_dotted(code)} ({title})"


def _listing(codes: list[str], titles: dict[str, str]) -> str:
    names = [_named(c, titles[c]) for c in codes]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _unknown_class(raw: str, digits: str, sic: SicList) -> str:
    head = _head(raw, sic_dotted(digits), "class")
    padded = "0" + digits
    if padded in sic.subclasses or (padded[:4] in sic.classes and padded[4] == "0"
                                    and not sic.subclasses_of(padded[:4])):
        title = sic.subclasses.get(padded) or sic.classes[padded[:4]]
        return (f"{head}; if a spreadsheet dropped its leading zero, it is {padded} "
                f"({title})")
    return head + "; " + _nearby(digits, sic)


def _nearby(digits: str, sic: SicList) -> str:
    """The real classes next to a code: of its group, else of its division."""
    in_group = sorted(c for c in sic.classes if c[:3] == digits[:3])
    if 0 < len(in_group) <= MAX_LISTED:
        return f"group {sic_dotted(digits[:3])} has {_listing(in_group, sic.classes)}"
    division = digits[:2]
    in_division = sorted(c for c in sic.classes if c[:2] == division)
    if len(in_division) <= MAX_LISTED:
        return f"division {division} has {_listing(in_division, sic.classes)}"
    groups = sorted(g for g in sic.groups if g[:2] == division)
    return (f"division {division} ({sic.divisions[division]}) has {len(in_division)} "
            f"classes in the groups {', '.join(sic_dotted(g) for g in groups)}")


def _unknown_subclass(raw: str, digits: str, sic: SicList) -> str:
    cls = digits[:4]
    if digits in sic.companies_house:
        return (f"SIC code {raw!r} is Companies House's code for "
                f"'{sic.companies_house[digits]}', not a SIC 2007 activity; give the code of "
                "what the firm does")
    head = _head(raw, digits, "code")
    if cls not in sic.classes:
        return f"{head}; class {sic_dotted(cls)} does not exist and {_nearby(cls, sic)}"
    subs = sic.subclasses_of(cls)
    if subs:
        return (f"{head}; class {_named(cls, sic.classes[cls])} is divided into "
                f"{_listing(subs, sic.subclasses)}: give one of them, or the class {cls}")
    return (f"{head}; class {_named(cls, sic.classes[cls])} has no subclasses: write {cls} "
            f"or {cls}0")
