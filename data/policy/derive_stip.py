"""Derive data/policy/stip_compass_2021.jsonl.gz from the STIP Compass 2021 extract.

The extract (OECD/European Commission, STIP Compass 2021, CC BY 4.0, attribution
"OECD/European Commission, STIP Compass"; 4 MB, 830 columns) lives outside the repository.
We commit every one of its 6,674 initiatives in a compact form (about 2 MB): the identifying
fields, short description, objectives, responsible organisation, budget range, links,
evaluation flag and links, tags, and the decoded theme, target-group and instrument codes.
Background texts, instrument descriptions and the instrument facet columns (F##:V###) are left
out. The same code runs behind `locus policy import-stip FILE --bundle-out PATH`.

Usage:
    .venv/bin/python data/policy/derive_stip.py [path/to/df_compass_stip.csv.gz]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from locus.policy.stip import codebook_read, stip_bundle_write, stip_extract_read  # noqa: E402

DEFAULT_EXTRACT = Path("/work/shared/data/policy/df_compass_stip.csv.gz")
HERE = Path(__file__).resolve().parent
OUT = HERE / "stip_compass_2021.jsonl.gz"


def main() -> None:
    extract = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_EXTRACT
    edition = stip_extract_read(extract, codebook=codebook_read(HERE / "stip_codebook.json"))
    stats = stip_bundle_write(edition, OUT)
    print(f"wrote {OUT.name}: {stats['initiatives']} initiatives, {stats['bytes']:,} bytes")


if __name__ == "__main__":
    main()
