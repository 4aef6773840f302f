"""The OECD/EC STIP Compass layer: read a survey extract, decode it, write and read the bundle.

Django-free. A STIP extract has one row per (initiative, instrument): the 2021 file in
``../shared/data/policy`` is comma-separated with a leading index column; the current download
(``STIP_Survey.csv``) is ``|``-separated and its first data row is a codebook row. Both are read
here. Rows are grouped by ``InitiativeID`` into one ``StipInitiative`` each; theme (TH##),
target-group (TG##) and instrument (PI0##) codes are decoded with the official codebook
(``data/policy/stip_codebook.json``) and, for codes it lacks, the extract's own labels.

The bundle ``data/policy/stip_compass_2021.jsonl.gz`` holds every initiative of the 2021 edition
(one JSON object a line after a metadata line); see data/policy/SOURCES.md.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from locus.errors import DataFileError

csv.field_size_limit(sys.maxsize)

LICENCE = "CC BY 4.0"
ATTRIBUTION = "OECD/European Commission, STIP Compass"
REQUIRED_COLUMNS = ("InitiativeID", "SurveyYear", "NameEnglish", "CountryLabel", "CountryCode")
THEME = re.compile(r"^TH\d+$")
TARGET = re.compile(r"^TG\d+$")
# STIP themes that speak to one stage of the commercialisation pathway (our mapping, documented
# in docs/methodology/policy.md). Stages of STIP initiatives are inferred from these themes only.
THEME_STAGES: dict[str, str] = {
    "TH18": "research", "TH19": "research", "TH20": "research", "TH23": "research",
    "TH24": "research", "TH26": "research",
    "TH41": "knowledge_exchange", "TH42": "knowledge_exchange", "TH44": "knowledge_exchange",
    "TH47": "knowledge_exchange",
    "TH43": "ip_spinouts", "TH46": "ip_spinouts",
    "TH34": "formation", "TH37": "formation",
    "TH31": "business_rd_finance", "TH38": "business_rd_finance",
    "TH32": "productivity", "TH35": "productivity", "TH82": "productivity",
}


@dataclass
class StipInitiative:
    stip_id: str  # "stip-<edition>-<number>", the slug in Locus
    uri: str
    edition: int
    name: str
    acronym: str | None
    country: str
    country_code: str
    start: int | None
    end: int | None
    description: str | None
    objectives: list[str]
    responsible: str | None
    budget_range: str | None
    links: list[str]
    evaluated: bool | None
    evaluation_links: list[str]
    tags: list[str]
    themes: list[str]
    target_groups: list[str]
    instruments: list[str]
    line: int = 0  # first line in the extract (for error messages)

    @property
    def geography_level(self) -> str:
        if self.country_code == "EU":
            return "international"
        return "region" if " - " in self.country else "nation"

    @property
    def stages(self) -> list[str]:
        return sorted({THEME_STAGES[t] for t in self.themes if t in THEME_STAGES})


@dataclass
class StipEdition:
    edition: int
    source: str
    initiatives: list[StipInitiative]
    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # kind -> code -> label
    skipped: list[str] = field(default_factory=list)  # initiatives without a name (empty rows)


def _open_text(path: Path) -> io.TextIOBase:
    """The file's text (a .gz decompressed) through Locus's one text reader (``locus.textfile``):
    a file in another encoding, a workbook, an empty file or a folder is refused naming the file,
    the line and how to save it as UTF-8, never with a codec traceback."""
    from locus.textfile import file_bytes_read, utf8_text_decode

    data = file_bytes_read(path)
    if path.suffix == ".gz":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise DataFileError(f"cannot decompress it ({exc}): download the .gz again, or give "
                                "the .csv", path=str(path)) from None
    return io.StringIO(utf8_text_decode(data, path), newline="")


_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"</?[a-zA-Z][^<>]{0,200}>")


def _text(value: str | None) -> str | None:
    """Trimmed text without the stray HTML (``<br/>``, ``<p>``) some survey answers carry."""
    value = _TAG.sub("", _BREAK.sub(" ", value or ""))
    value = re.sub(r"[ \t]{2,}", " ", value).strip()
    return value or None


def _year(value: str | None, *, path: Path, line: int, column: str) -> int | None:
    text = (value or "").strip()
    if not text:
        return None
    try:
        year = int(float(text))
    except ValueError:
        raise DataFileError(f"expected a year, got {text!r}", path=str(path), line=line,
                            field=column) from None
    if not 1800 <= year <= 2100:
        raise DataFileError(f"year {year} is out of range", path=str(path), line=line,
                            field=column)
    return year


_ORG = re.compile(r"^(?P<name>.*?)\s*\((?P<acronym>[^;()]*);(?P<original>[^()]*)\)\s*$")


def _organisations(value: str | None) -> str | None:
    """'UK Research and Innovation (UKRI;)¬Invest NI (;)' -> 'UK Research and Innovation (UKRI); Invest NI'."""
    names = []
    for part in (value or "").split("¬"):
        part = part.strip()
        match = _ORG.match(part)
        if match:
            acronym = match["acronym"].strip()
            part = match["name"].strip() + (f" ({acronym})" if acronym else "")
        if part:
            names.append(part)
    return "; ".join(names) or None


# A web address as STIP respondents type it: with or without a scheme, sometimes inside a
# sentence or several to a field ("www.a.no www.b.no").
_WEB_ADDRESS = re.compile(r"(?:https?://[^\s<>\"]+|(?<![@\w.-])(?:[a-z0-9-]+\.)+[a-z]{2,}(?:/[^\s<>\"]*)?)",
                          re.IGNORECASE)
_NOT_A_LINK = {"0", "-", "na", "n/a", "none", "not available", "tbc"}


@dataclass(frozen=True)
class WebLink:
    """A STIP web-link field ready to show: ``href`` is an absolute http(s) address, or None when
    the field holds words without an address (shown as text, not as a broken link)."""

    text: str
    href: str | None


def web_links(values: list[str]) -> list[WebLink]:
    """Turn STIP link fields into absolute links. A bare domain ("www.ffg.at/en") gets https://;
    a field holding only addresses gives one link each; a sentence with an address links the
    sentence to its first address; a placeholder ("0", "n/a", "not available") is dropped."""
    out: list[WebLink] = []
    for value in values:
        text = " ".join(value.split())
        if not text or text.lower().rstrip(".") in _NOT_A_LINK:
            continue
        found = [m.rstrip(".,;:)") for m in _WEB_ADDRESS.findall(text)]
        found = [m for m in found if m]
        absolute = [m if re.match(r"https?://", m, re.IGNORECASE) else f"https://{m}" for m in found]
        leftover = _WEB_ADDRESS.sub(" ", text).strip(" ,;:()-")
        if not found:
            out.append(WebLink(text, None))
        elif not leftover:
            out += [WebLink(m, a) for m, a in zip(found, absolute, strict=True)]
        else:
            out.append(WebLink(text, absolute[0]))
    return out


def _numbered(row: dict[str, str], stem: str) -> list[str]:
    out = []
    for i in range(1, 20):
        value = _text(row.get(f"{stem}{i}"))
        if value:
            out.append(value)
    return out


def _rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, row) pairs; the line is where the record ends (texts may hold line breaks)."""
    with _open_text(path) as handle:
        sample = handle.readline()
        delimiter = "|" if sample.count("|") > sample.count(",") else ","
        header = next(csv.reader([sample], delimiter=delimiter))
        missing = [c for c in REQUIRED_COLUMNS if c not in header]
        if missing and ";" in sample and not {",", "|"} & set(sample):
            raise DataFileError("the first line has semicolons, not commas: save it as comma-separated "
                                "CSV (CSV UTF-8 in Excel)", path=str(path), line=1)
        if missing:
            raise DataFileError(f"not a STIP Compass extract: no column {missing[0]!r}",
                                path=str(path), line=1, field=missing[0])
        reader = csv.DictReader(handle, fieldnames=header, delimiter=delimiter)
        for row in reader:
            yield reader.line_num + 1, row


def _flags(row: dict[str, str], pattern: re.Pattern) -> list[str]:
    return [k for k, v in row.items() if k and pattern.match(k) and (v or "").strip() in
            ("1", "1.0", "True", "true")]


def stip_extract_read(path: Path, *, codebook: dict) -> StipEdition:
    """Read a STIP Compass extract (.csv or .csv.gz, ',' or '|') into one record per initiative."""
    by_id: dict[str, StipInitiative] = {}
    skipped: set[str] = set()
    labels: dict[str, dict[str, str]] = {
        "theme": dict(codebook.get("themes", {})),
        "target_group": dict(codebook.get("target_groups", {})),
        "instrument": dict(codebook.get("instrument_types", {})),
    }
    for line, row in _rows(path):
        uri = (row.get("InitiativeID") or "").strip()
        if not uri.startswith("http"):  # the codebook row of newer downloads
            for key, value in row.items():
                if key and (THEME.match(key) or TARGET.match(key)) and _text(value):
                    kind = "theme" if key.startswith("TH") else "target_group"
                    labels[kind].setdefault(key, value.strip())
            continue
        number = uri.rstrip("/").rsplit("/", 1)[-1]
        edition = _year(row.get("SurveyYear"), path=path, line=line, column="SurveyYear")
        if edition is None or not number.isdecimal():
            raise DataFileError("cannot read the survey year and initiative number",
                                path=str(path), line=line, field="InitiativeID")
        code = _text(row.get("InstrumentTypeCode"))
        if code and code not in labels["instrument"] and _text(row.get("InstrumentTypeLabel")):
            labels["instrument"][code] = row["InstrumentTypeLabel"].strip()
        record = by_id.get(uri)
        if record is None:
            name = _text(row.get("NameEnglish")) or _text(row.get("NameOriginalLanguage"))
            if not name:  # two empty records in the 2021 extract: nothing to show
                skipped.add(f"stip-{edition}-{number}")
                continue
            evaluated = (row.get("HasBeenEvaluated") or "").strip()
            record = by_id[uri] = StipInitiative(
                stip_id=f"stip-{edition}-{number}", uri=uri, edition=edition, name=name,
                acronym=_text(row.get("Acronym")), country=row["CountryLabel"].strip(),
                country_code=row["CountryCode"].strip(),
                start=_year(row.get("StartDateYear"), path=path, line=line, column="StartDateYear"),
                end=_year(row.get("EndDateYear"), path=path, line=line, column="EndDateYear"),
                description=_text(row.get("ShortDescription")),
                objectives=_numbered(row, "Objectives"),
                responsible=_organisations(row.get("NameResponsibleOrganisation")),
                budget_range=None if _text(row.get("YearlyBudgetRange")) in (None, "Unknown")
                else _text(row.get("YearlyBudgetRange")),
                links=_numbered(row, "InternetLinks"),
                evaluated={"1": True, "0": False}.get(evaluated.split(".")[0]),
                evaluation_links=_numbered(row, "LinksEvaluations"),
                tags=[t.strip() for t in (row.get("Tags") or "").split("¬") if t.strip()],
                themes=[], target_groups=[], instruments=[], line=line)
        for kind, pattern in (("themes", THEME), ("target_groups", TARGET)):
            current = getattr(record, kind)
            current.extend(c for c in _flags(row, pattern) if c not in current)
        if code and code not in record.instruments:
            record.instruments.append(code)
    if not by_id:
        raise DataFileError("the extract has no initiatives", path=str(path))
    initiatives = sorted(by_id.values(), key=lambda r: int(r.stip_id.rsplit("-", 1)[1]))
    editions = {r.edition for r in initiatives}
    return StipEdition(edition=max(editions), source=path.name, initiatives=initiatives,
                       labels=labels, skipped=sorted(skipped))


_BUNDLE_FIELDS = [f for f in StipInitiative.__dataclass_fields__ if f != "line"]


def stip_bundle_write(edition: StipEdition, out: Path) -> dict:
    """Write the compact bundle (deterministic gzip, one initiative per line)."""
    meta = {"kind": "stip-compass-bundle", "edition": edition.edition, "source": edition.source,
            "licence": LICENCE, "attribution": ATTRIBUTION,
            "initiatives": len(edition.initiatives), "labels": edition.labels,
            "skipped_without_name": edition.skipped,
            "omitted": "Background text, instrument descriptions and instrument facet columns"}
    lines = [json.dumps(meta, ensure_ascii=False, sort_keys=True)]
    for r in edition.initiatives:
        data = {k: v for k, v in asdict(r).items() if k in _BUNDLE_FIELDS}
        lines.append(json.dumps(data, ensure_ascii=False, sort_keys=True))
    payload = ("\n".join(lines) + "\n").encode("utf-8")
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9,
                                              mtime=0, filename="") as handle:
        handle.write(payload)
    return {"initiatives": len(edition.initiatives), "bytes": out.stat().st_size}


def stip_bundle_read(path: Path) -> StipEdition:
    """Read the compact bundle; a malformed line names file, line and field."""
    with _open_text(path) as handle:
        try:
            meta = json.loads(handle.readline())
        except json.JSONDecodeError as exc:
            raise DataFileError(f"not a STIP bundle ({exc.msg})", path=str(path), line=1) from None
        if meta.get("kind") != "stip-compass-bundle":
            raise DataFileError("not a STIP bundle (no metadata line)", path=str(path), line=1,
                                field="kind")
        initiatives = []
        for number, text in enumerate(handle, start=2):
            try:
                data = json.loads(text)
            except json.JSONDecodeError as exc:
                raise DataFileError(f"not valid JSON ({exc.msg})", path=str(path),
                                    line=number) from None
            missing = [f for f in _BUNDLE_FIELDS if f not in data]
            if missing:
                raise DataFileError("missing field", path=str(path), line=number,
                                    field=missing[0])
            initiatives.append(StipInitiative(**{f: data[f] for f in _BUNDLE_FIELDS},
                                              line=number))
    if len(initiatives) != meta.get("initiatives"):
        raise DataFileError(f"truncated: {len(initiatives)} initiatives, metadata says "
                            f"{meta.get('initiatives')}", path=str(path))
    return StipEdition(edition=int(meta["edition"]), source=meta.get("source", path.name),
                       initiatives=initiatives, labels=meta.get("labels", {}),
                       skipped=meta.get("skipped_without_name", []))


def codebook_read(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise DataFileError(f"cannot read the STIP codebook ({exc})", path=str(path)) from None
