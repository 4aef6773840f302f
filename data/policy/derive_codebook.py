"""Derive data/policy/stip_codebook.json from the STIP Compass 2021 codebook.

The codebook (OECD/European Commission, "STIP_Survey_Codebook_2021.xlsx", CC BY 4.0,
attribution "OECD/European Commission, STIP Compass") lives outside the repository,
so we commit only a small derived JSON with the theme (TH##), target-group (TG##)
and policy-instrument (PI0##) codes and their labels.

Usage:
    python data/policy/derive_codebook.py [path/to/STIP_Survey_Codebook_2021.xlsx]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from python_calamine import CalamineWorkbook

DEFAULT_XLSX = Path("/work/shared/data/policy/STIP_Survey_Codebook_2021.xlsx")
OUT = Path(__file__).with_name("stip_codebook.json")


def _codes(workbook: CalamineWorkbook, sheet: str, prefix: str) -> dict[str, str]:
    rows = workbook.get_sheet_by_name(sheet).to_python()
    out: dict[str, str] = {}
    for row in rows[1:]:
        code = str(row[0]).strip()
        if code.startswith(prefix) and len(row) > 1 and row[1]:
            out[code] = str(row[1]).strip()
    return out


def derive(xlsx: Path) -> dict:
    wb = CalamineWorkbook.from_path(str(xlsx))
    return {
        "source": "OECD/European Commission, STIP Compass: STIP_Survey_Codebook_2021.xlsx",
        "licence": "CC BY 4.0 (attribution: OECD/European Commission, STIP Compass)",
        "note": "Labels are 'ParentLabel|Label' exactly as in the codebook.",
        "themes": _codes(wb, "Themes", "TH"),
        "target_groups": _codes(wb, "TargetGroups", "TG"),
        "instrument_types": _codes(wb, "PolicyInstruments", "PI"),
    }


def main() -> None:
    xlsx = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_XLSX
    data = derive(xlsx)
    OUT.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(
        f"wrote {OUT} ({len(data['themes'])} themes, {len(data['target_groups'])} "
        f"target groups, {len(data['instrument_types'])} instrument types)"
    )


if __name__ == "__main__":
    main()
