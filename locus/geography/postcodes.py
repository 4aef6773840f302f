"""UK postcode normalisation and lookup against the bundled postcode table.

Django-free. The table is one Parquet file (``data/geography/postcodes.parquet``)
built by :func:`build_postcode_table` (see ``locus.geography.postcodes_build``):

* columns ``postcode`` (canonical, e.g. ``"M1 1AA"``), ``lat``/``lon`` (int32,
  degrees x 1e5, null = no location), ``lad`` (int16 index into the LAD code
  list in the file metadata, null = none), ``lad_method`` (int8, see
  :data:`LAD_METHODS`) and ``terminated`` (bool, null = unknown);
* sorted by postcode, one row group per postcode area (the leading letters:
  ``"M"``, ``"SW"``, ``"BT"``), the area -> row group map in the file's
  key-value metadata, so a lookup reads one row group only.

A postcode that is in the table but has no coordinates (Channel Islands, Isle
of Man and some postcodes without a grid reference) is returned with
``lat``/``lon``/``lad_code`` set to None and ``lad_method == "none"``: it is a
real postcode, so it is not an error; the caller decides what to do with it.
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from locus.errors import DataFileError, PostcodeError

if TYPE_CHECKING:
    from locus.geography.postcodes_build import BuildStats, ProgressFn

__all__ = [
    "LAD_METHODS",
    "PostcodeIndex",
    "PostcodeLocation",
    "build_postcode_table",
    "default_index",
    "default_table_path",
    "normalise_postcode",
    "postcode_area",
]

ENV_PATH = "LOCUS_POSTCODES_PATH"
TABLE_FORMAT = "locus-postcodes/1"
COORD_SCALE = 100_000
META_PREFIX = "locus."
#: ``lad_method`` codes stored in the table. 3 is only produced from a full
#: ONS NSPL file, whose ``laua`` column gives the LAD directly.
LAD_METHODS: dict[int, str] = {0: "within", 1: "nearest", 2: "none", 3: "source"}
LadMethod = Literal["within", "nearest", "none", "source"]

# UK Government Data Standards Catalogue postcode pattern (BS 7666), applied to
# the upper-cased postcode with all whitespace removed. Outward code forms:
# A9, A99, AA9, AA99, A9A, AA9A (second letter never I or Z); inward code:
# a digit and two letters. GIR 0AA (Girobank) is the one historic exception.
_OUTWARD = r"(?:[A-Z][0-9]{1,2}|[A-Z][A-HJ-Y][0-9]{1,2}|[A-Z][0-9][A-Z]|[A-Z][A-HJ-Y][0-9][A-Z])"
_POSTCODE_RE = re.compile(rf"GIR0AA|{_OUTWARD}[0-9][A-Z]{{2}}")
_AREA_RE = re.compile(r"[A-Z]+")
_VALID_HINT = (
    "a UK postcode is an outward code (A9, A99, AA9, AA99, A9A or AA9A, e.g. M1, B33, "
    "SW1A, W1A) followed by an inward code (a digit and two letters, e.g. 1AA), "
    "such as 'SW1A 1AA' or 'M1 1AA'"
)
_MISSING = np.iinfo(np.int32).min


def normalise_postcode(text: str) -> str:
    """Return the canonical form of a UK postcode: upper case, one space before the inward code.

    >>> normalise_postcode(" m11aa ")
    'M1 1AA'

    Raises PostcodeError(reason="malformed") if the text is not a UK postcode.
    """
    if not isinstance(text, str):
        raise PostcodeError(f"{text!r} is not text; {_VALID_HINT}.",
                            postcode=repr(text), reason="malformed")
    compact = "".join(text.split())
    if not compact.isascii() or not _POSTCODE_RE.fullmatch(compact.upper()):
        shown = text.strip() or text
        raise PostcodeError(f"{shown!r} is not a valid UK postcode: {_VALID_HINT}.",
                            postcode=text, reason="malformed")
    compact = compact.upper()
    return f"{compact[:-3]} {compact[-3:]}"


def postcode_area(postcode: str) -> str:
    """The postcode area (leading letters) of a canonical postcode: "SW1A 1AA" -> "SW"."""
    match = _AREA_RE.match(postcode)
    return match.group(0) if match else ""


# Northern Ireland postcode data is not under the OGL: ONS's NSPL user guide allows re-use "not
# including ... Northern Ireland data", which Land & Property Services licenses separately.
NOT_BUNDLED_AREAS = frozenset({"BT"})
NOT_BUNDLED_MESSAGE = (
    "{postcode} is a Northern Ireland postcode. Locus does not bundle Northern Ireland postcodes "
    "because ONS publishes them under a separate licence (Land & Property Services), not the Open "
    "Government Licence. An operator who holds that licence can add them with "
    "'locus data postcodes --source NSPL.csv --include-northern-ireland'."
)


@dataclass(frozen=True, slots=True)
class PostcodeLocation:
    """One postcode from the table.

    lat/lon are WGS84 degrees (5 decimal places, about 1 m) or None when the
    source has no grid reference for the postcode. lad_code is the Local
    Authority District (December 2023) GSS code or None. lad_method says how it
    was assigned: "within" (point in an LAD polygon), "nearest" (coastal point
    within 2 km of the nearest polygon), "source" (taken from NSPL ``laua``) or
    "none" (no location, or too far from every polygon). terminated is None
    when the source does not say (the bundled table).
    """

    postcode: str
    lat: float | None
    lon: float | None
    lad_code: str | None
    lad_method: LadMethod
    terminated: bool | None
    source: str

    @property
    def has_location(self) -> bool:
        return self.lat is not None and self.lon is not None


@dataclass(frozen=True, slots=True)
class _Area:
    keys: np.ndarray  # S8, sorted
    lat: np.ndarray  # int32, _MISSING = none
    lon: np.ndarray
    lad: np.ndarray  # int16, -1 = none
    method: np.ndarray  # int8
    terminated: np.ndarray  # int8, -1 = unknown


def _metadata(path: Path) -> tuple[Any, dict[str, str]]:
    import pyarrow.parquet as pq

    if not path.is_file():
        raise DataFileError(
            "postcode table not found; build it from the ONS postcode files with "
            "locus.geography.postcodes.build_postcode_table", path=str(path))
    try:
        pfile = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several types for corrupt files
        raise DataFileError(f"not a readable Parquet file ({exc})", path=str(path)) from exc
    raw = pfile.schema_arrow.metadata or {}
    meta = {k.decode(): v.decode() for k, v in raw.items()
            if k.decode().startswith(META_PREFIX)}
    if meta.get("locus.format") != TABLE_FORMAT:
        raise DataFileError(f"not a Locus postcode table (expected format {TABLE_FORMAT!r}, "
                            f"found {meta.get('locus.format')!r})", path=str(path))
    return pfile, meta


class PostcodeIndex:
    """Postcode lookups against a postcode table, loading one area at a time.

    Thread-safe: row groups are read under a lock and cached as numpy arrays
    (about 20 bytes per postcode, 55 MB if every area is loaded).
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._file, meta = _metadata(self.path)
        self._areas: dict[str, int] = json.loads(meta["locus.areas"])
        self._lad_codes: list[str] = json.loads(meta["locus.lad_codes"])
        self._lad_names: list[str] = json.loads(meta["locus.lad_names"])
        self.metadata: Mapping[str, str] = meta
        self.source: str = meta["locus.source"]
        self._cache: dict[str, _Area] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"PostcodeIndex({str(self.path)!r}, areas={len(self._areas)})"

    @property
    def areas(self) -> list[str]:
        return sorted(self._areas)

    @property
    def lad_names(self) -> dict[str, str]:
        """LAD code -> name, for every LAD code the table can return."""
        return dict(zip(self._lad_codes, self._lad_names, strict=True))

    def lookup(self, text: str) -> PostcodeLocation:
        """Look up one postcode (any spacing or case).

        Raises PostcodeError with reason "malformed" or "unknown".
        """
        postcode = normalise_postcode(text)
        area = self._area(postcode_area(postcode))
        if area is not None:
            key = postcode.encode("ascii")
            i = int(np.searchsorted(area.keys, key))
            if i < len(area.keys) and area.keys[i] == key:
                return self._location(postcode, area, i)
        if area is None and postcode_area(postcode) in NOT_BUNDLED_AREAS:
            raise PostcodeError(NOT_BUNDLED_MESSAGE.format(postcode=postcode),
                                postcode=postcode, reason="not_bundled")
        raise PostcodeError(
            f"{postcode!r} is not in the postcode table ({self.source}); it may be new "
            "since that release or mistyped", postcode=postcode, reason="unknown")

    def lookup_many(self, texts: Iterable[str], *,
                    on_error: Literal["raise", "none"] = "raise") -> list[PostcodeLocation | None]:
        """Look up many postcodes, in input order, one vectorised search per area.

        on_error="raise" raises the first PostcodeError (malformed before unknown);
        on_error="none" puts None in place of malformed or unknown postcodes.
        """
        texts = list(texts)
        results: list[PostcodeLocation | None] = [None] * len(texts)
        by_area: dict[str, list[tuple[int, str]]] = {}
        for pos, text in enumerate(texts):
            try:
                postcode = normalise_postcode(text)
            except PostcodeError:
                if on_error == "raise":
                    raise
                continue
            by_area.setdefault(postcode_area(postcode), []).append((pos, postcode))
        for area_name, items in by_area.items():
            area = self._area(area_name)
            if area is None:
                continue
            keys = np.array([pc for _, pc in items], dtype="S8")
            found = np.searchsorted(area.keys, keys)
            clipped = np.minimum(found, len(area.keys) - 1)
            hit = area.keys[clipped] == keys
            for (pos, postcode), i, ok in zip(items, clipped.tolist(), hit.tolist(), strict=True):
                if ok:
                    results[pos] = self._location(postcode, area, i)
        if on_error == "raise":
            for pos, result in enumerate(results):
                if result is None:
                    self.lookup(texts[pos])  # raises the precise "unknown" error
        return results

    def _location(self, postcode: str, area: _Area, i: int) -> PostcodeLocation:
        lat, lon = int(area.lat[i]), int(area.lon[i])
        located = lat != _MISSING and lon != _MISSING
        lad = int(area.lad[i])
        term = int(area.terminated[i])
        return PostcodeLocation(
            postcode=postcode,
            lat=lat / COORD_SCALE if located else None,
            lon=lon / COORD_SCALE if located else None,
            lad_code=self._lad_codes[lad] if lad >= 0 else None,
            lad_method=LAD_METHODS[int(area.method[i])],  # type: ignore[arg-type]
            terminated=None if term < 0 else bool(term),
            source=self.source,
        )

    def _area(self, name: str) -> _Area | None:
        cached = self._cache.get(name)
        if cached is not None or name not in self._areas:
            return cached
        with self._lock:
            cached = self._cache.get(name)
            if cached is None:
                cached = self._load(self._areas[name])
                self._cache[name] = cached
        return cached

    def _load(self, row_group: int) -> _Area:
        table = self._file.read_row_group(row_group)

        def ints(column: str, missing: int, dtype: str) -> np.ndarray:
            values = table.column(column).cast(dtype)
            return values.fill_null(missing).to_numpy().astype(dtype)  # numpy-owned copy

        return _Area(
            keys=_fixed_width(table.column("postcode").combine_chunks()),
            lat=ints("lat", _MISSING, "int32"),
            lon=ints("lon", _MISSING, "int32"),
            lad=ints("lad", -1, "int16"),
            method=ints("lad_method", 2, "int8"),
            terminated=ints("terminated", -1, "int8"),
        )


def _fixed_width(strings: Any, width: int = 8) -> np.ndarray:
    """An Arrow string array of ASCII postcodes as a numpy ``S8`` array, without Python strs."""
    if strings.null_count:
        strings = strings.fill_null("")
    _, offsets_buf, data_buf = strings.buffers()
    offsets = np.frombuffer(offsets_buf, dtype=np.int32)[
        strings.offset:strings.offset + len(strings) + 1]
    data = np.frombuffer(data_buf, dtype=np.uint8)
    starts, lengths = offsets[:-1], np.diff(offsets)
    out = np.zeros((len(strings), width), dtype=np.uint8)
    for j in range(width):
        has = lengths > j
        out[has, j] = data[starts[has] + j]
    return out.view(f"S{width}").ravel()


_DEFAULT: dict[Path, PostcodeIndex] = {}
_DEFAULT_LOCK = threading.Lock()


def default_table_path() -> Path:
    """``$LOCUS_POSTCODES_PATH`` if set, else ``<repo>/data/geography/postcodes.parquet``."""
    override = os.environ.get(ENV_PATH)
    if override:
        return Path(override).expanduser()
    import locus

    repo_root = Path(locus.__file__).resolve().parent.parent
    return repo_root / "data" / "geography" / "postcodes.parquet"


def default_index() -> PostcodeIndex:
    """The shared index over :func:`default_table_path` (one per path, opened once)."""
    path = default_table_path().resolve()
    with _DEFAULT_LOCK:
        index = _DEFAULT.get(path)
        if index is None:
            index = _DEFAULT[path] = PostcodeIndex(path)
    return index


def build_postcode_table(*, source_dir: Path, boundaries: Path, out: Path,
                         progress: ProgressFn | None = None, **options: Any) -> BuildStats:
    """Build the postcode table; see ``locus.geography.postcodes_build.build_postcode_table``.

    Imported lazily so that lookups do not load shapely or pyproj.
    """
    from locus.geography.postcodes_build import build_postcode_table as build

    return build(source_dir=source_dir, boundaries=boundaries, out=out,
                 progress=progress, **options)
