"""How big a workbook's sheets are, found without letting the spreadsheet reader build them.

python-calamine builds a sheet as one dense block from A1 to its last cell as soon as the sheet is
asked for (``get_sheet_by_name``), before any of its size can be checked. A 1.5 KB .xlsx with one
value in A1 and one in XFD1048576 then asks for 512 GB and the process aborts (a Rust allocation
failure is not a Python MemoryError). So an .xlsx is measured here first, from its zipped XML:
every member is inflated in a stream, counting the bytes actually produced (not the sizes the zip
declares), and every worksheet is parsed with expat for the row and column of its last cell with
a value, stopping as soon as a limit is passed. Memory stays at a few chunks whatever the file.

An .xls (Excel 97-2003) has at most 65,536 rows by 256 columns, but calamine builds that whole
block too (16.8 million cells, about 540 MB) for a few-KB file with one value in A1 and one in
IV65536. So an .xls is measured first as well (``xls_extents``): its Workbook stream is taken out
of the OLE2 compound file with ``olefile`` and its BIFF records are walked, taking the row and
column of every record that places a cell, filled or blank, without building any sheet (ADR 28,
addendum).

calamine also gives every cell its own copy of its text, and a shared string of 32,767 characters
is stored once however many cells show it: 2.5 MB of .xlsx asked for 32 GB. So both measures add
up the characters each sheet's cells would hold (``SheetExtent.text``: a shared or SST string once
for every cell showing it) and refuse a sheet past MAX_TEXT_CHARS (ADR 28, second addendum).
No Django here.
"""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ET
import zipfile
import zlib
from array import array
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from xml.parsers import expat

# Innovate UK's funded-projects workbook has 27 columns and tens of thousands of rows. These
# limits leave generous headroom: 200 columns, and 10 million cells counted from A1 to the last
# cell with a value (27 columns x 370,000 rows). Beyond them the reader would need gigabytes.
MAX_COLUMNS = 200
MAX_CELLS = 10_000_000
MAX_UNZIPPED_MB = 1000  # every member of the .xlsx inflated, together
MAX_UNZIPPED_BYTES = MAX_UNZIPPED_MB * 1024 * 1024
LIMITS_TEXT = (f"at most {MAX_COLUMNS} columns and {MAX_CELLS:,} cells, counted from A1 to the "
               "last cell used, in each sheet")
# The text a sheet's cells hold once each is written out. calamine gives every cell its own copy of
# the text it shows, and a shared string (.xlsx) or SST string (.xls) of up to 32,767 characters is
# stored once however many cells show it: 2.5 MB of .xlsx can ask for 32 GB (QA H30, finding 1).
# So the characters of every text cell are added up before calamine is asked for the sheet: each
# shared string as often as cells show it, inline text as it stands. 400 million characters is
# about 0.9 GB once calamine and Python each hold a copy (2.2 bytes a character, measured), and
# holds a sheet of the published workbook's shape as large as the cell limit allows (ADR 28,
# second addendum).
MAX_TEXT_CHARS = 400_000_000
MAX_SHARED_STRINGS = MAX_CELLS  # distinct texts a workbook may list (4 bytes each while measured)

_CHUNK = 1 << 20
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
# a cell's start tag, and its reference where the tag has one (b"", b"" where it has none)
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c(?=[\s/>])"
                   rb"(?:[^<>]*?\sr\s*=\s*[\"']\$?([A-Za-z]{1,3})\$?(\d{1,7})[\"'])?")
_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")
_PREFIX = rb"(?:[A-Za-z_][\w.-]*:)?"
# a cell showing a shared string and what it holds up to </c> (a self-closing cell holds nothing);
# from the type attribute on, so that the search starts at a literal (twice as fast): only a cell
# has t= in a sheet's data, and any other match would only add to the count
_SHARED_CELL = re.compile(rb"t\s*=\s*[\"']s[\"'][^<>]*(?<!/)>([^<]*(?:<(?!/" + _PREFIX
                          + rb"c\s*>)[^<]*)*)</" + _PREFIX + rb"c\s*>")
# what any value or inline string holds: calamine takes an <is>'s text whatever the cell's type
_BODY = re.compile(rb"<" + _PREFIX + rb"(?:v|is)(?:\s[^<>]*)?(?<!/)>([^<]*(?:<(?!/" + _PREFIX
                   + rb"(?:v|is)\s*>)[^<]*)*)</" + _PREFIX + rb"(?:v|is)\s*>")
_VALUE = re.compile(rb"<" + _PREFIX + rb"v(?:\s[^<>]*)?>\s*(\d{1,10})\s*<")
# where the last cell of a chunk starts: the chunk is cut there, so every cell before is whole
_LAST_CELL = re.compile(rb"(?s).*(<" + _PREFIX + rb"c[\s/>])")
_CELL_CLOSE = re.compile(rb"</" + _PREFIX + rb"c\s*>")


class WorkbookTooBig(ValueError):
    """The workbook is over a limit; the message says which and by how much, in lower case."""


@dataclass(frozen=True)
class SheetExtent:
    rows: int      # the last row with a value (1-based; 0 for an empty sheet)
    columns: int   # the last column with a value (1-based)
    # the characters of text its cells hold, a shared string once for each cell showing it (an
    # upper bound: inline text counts with its markup); not compared
    text: int = field(default=0, compare=False)

    @property
    def cells(self) -> int:
        return self.rows * self.columns


def column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_number(letters: str | bytes) -> int:
    number = 0
    for ch in (letters.decode("ascii") if isinstance(letters, bytes) else letters).upper():
        number = number * 26 + ord(ch) - 64
    return number


def _inflate(path: str, info: zipfile.ZipInfo, budget: list[int]) -> Iterator[bytes]:
    """The member's bytes as they inflate, counted against budget[0] (bytes still allowed)."""
    with open(path, "rb") as handle:
        handle.seek(info.header_offset)
        header = handle.read(30)
        if len(header) != 30 or header[:4] != b"PK\x03\x04":
            raise zipfile.BadZipFile(f"bad local header for {info.filename}")
        name_length, extra_length = struct.unpack("<HH", header[26:30])
        handle.seek(name_length + extra_length, 1)
        if info.compress_type == zipfile.ZIP_STORED:
            inflater = None
        elif info.compress_type == zipfile.ZIP_DEFLATED:
            inflater = zlib.decompressobj(-15)
        else:  # Excel writes only these two; anything else is refused as damaged by the caller
            raise zipfile.BadZipFile(f"unsupported compression for {info.filename}")
        left = info.compress_size
        while left > 0 or (inflater is not None and inflater.unconsumed_tail):
            if inflater is not None and inflater.unconsumed_tail:
                data = inflater.decompress(inflater.unconsumed_tail, _CHUNK)
            else:
                raw = handle.read(min(_CHUNK, left))
                if not raw:
                    break
                left -= len(raw)
                data = raw if inflater is None else inflater.decompress(raw, _CHUNK)
            budget[0] -= len(data)
            if budget[0] < 0:
                raise WorkbookTooBig(f"it unpacks to more than {MAX_UNZIPPED_MB:,} MB, the most "
                                     "that is read")
            if data:
                yield data


class _SheetScan:
    """Expat handlers that track the last row and column holding a value, and the characters of
    text the cells hold (a shared string's length each time a cell shows it)."""

    def __init__(self, sheet: str, shared: array | None = None) -> None:
        self.sheet, self.rows, self.columns = sheet, 0, 0
        self.row, self.column, self.cell, self.filled = 0, 0, None, False
        self.shared = shared if shared is not None else array("I")
        self.kind, self.inside, self.index, self.text = "", 0, "", 0

    def start(self, name: str, attrs: dict) -> None:
        local = name.rsplit(" ", 1)[-1]
        if local == "row":
            ref = attrs.get("r", "")
            self.row = int(ref) if ref.isdecimal() else self.row + 1
            self.column = 0
        elif local == "c":
            match = _REF.match(attrs.get("r", ""))
            if match:
                self.column, self.row = _column_number(match.group(1)), int(match.group(2))
            else:
                self.column += 1
            self.cell, self.filled = (self.row, self.column), False
            self.kind, self.index = attrs.get("t", ""), ""
        elif local in ("v", "is", "f") and self.cell is not None:
            self.filled = True
            if local != "f":
                self.inside += 1

    def characters(self, data: str) -> None:
        if not self.inside:
            return
        self.text += len(data)  # any value or inline string (an index too: an upper bound)
        if self.kind == "s":
            self.index += data

    def end(self, name: str) -> None:
        local = name.rsplit(" ", 1)[-1]
        if local in ("v", "is") and self.inside:
            self.inside -= 1
        if local == "c" and self.cell is not None:
            row, column = self.cell
            self.cell, self.inside = None, 0
            index = self.index.strip()
            if self.kind == "s" and index.isdecimal() and int(index) < len(self.shared):
                self.text += self.shared[int(index)]
            if self.text > MAX_TEXT_CHARS:
                raise WorkbookTooBig(text_too_big(self.sheet))
            if self.filled:
                self.rows, self.columns = max(self.rows, row), max(self.columns, column)
                if self.columns > MAX_COLUMNS or self.rows * self.columns > MAX_CELLS:
                    raise WorkbookTooBig(sheet_too_big(self.sheet, self.rows, self.columns))


def sheet_too_big(sheet: str, rows: int, columns: int) -> str:
    return (f"sheet '{sheet}' uses cell {column_letters(columns)}{rows}, so it spans {rows:,} rows "
            f"by {columns:,} columns; a workbook can have {LIMITS_TEXT} (delete the rows and "
            "columns beyond the data, even empty formatted ones, and save it again)")


def text_too_big(sheet: str) -> str:
    return (f"the cells of sheet '{sheet}' hold more than {MAX_TEXT_CHARS:,} characters of text "
            "(a text shown in many cells counts once for each cell); a workbook can have at most "
            f"{MAX_TEXT_CHARS:,} characters of text in each sheet (keep only the funded-projects "
            "rows and columns, or split the sheet, and save it again)")


def _shared_lengths(path: str, infos: list[zipfile.ZipInfo], budget: list[int]) -> array:
    """The length in characters of every shared string, in order. Every member called
    sharedStrings.xml (in any case) is measured, and each string counts at its longest."""
    lengths = array("I")
    for info in infos:
        scan = _SharedStringScan()
        _expat_feed(path, info, budget, scan)
        if len(scan.lengths) > len(lengths):
            lengths.extend(scan.lengths[len(lengths):])
        for number, length in enumerate(scan.lengths[:len(lengths)]):
            lengths[number] = max(lengths[number], length)
    return lengths


class _SharedStringScan:
    """Expat handlers: the characters of each <si>, its runs' and phonetic runs' <t> together."""

    def __init__(self) -> None:
        self.lengths, self.current, self.inside = array("I"), 0, 0

    def start(self, name: str, attrs: dict) -> None:
        local = name.rsplit(" ", 1)[-1]
        if local == "si":
            self.current = 0
        elif local == "t":
            self.inside += 1

    def characters(self, data: str) -> None:
        if self.inside:
            self.current += len(data)

    def end(self, name: str) -> None:
        local = name.rsplit(" ", 1)[-1]
        if local == "t":
            self.inside = max(self.inside - 1, 0)
        elif local == "si":
            if len(self.lengths) >= MAX_SHARED_STRINGS:
                raise WorkbookTooBig(f"it lists more than {MAX_SHARED_STRINGS:,} different texts, "
                                     "the most that is read")
            self.lengths.append(min(self.current, MAX_TEXT_CHARS + 1))


def _cut(data: bytes) -> int:
    """Where to cut a chunk of a worksheet so that every cell before the cut is whole and no tag
    is split: before the last cell if the chunk does not finish it, else after that cell or
    before the last tag, whichever is later (-1: no tag at all)."""
    last = _LAST_CELL.match(data)
    if last is None:
        return data.rfind(b"<")
    start = last.start(1)
    close = data.find(b">", start)
    if close < 0:
        return start
    if data[close - 1:close] == b"/":
        end = close + 1
    else:
        closing = _CELL_CLOSE.search(data, close)
        if closing is None:
            return start
        end = closing.end()
    return max(end, data.rfind(b"<"))


def _text_chars(data: bytes, shared: array) -> int:
    """The characters of text the whole cells in data hold: a shared string's length for each cell
    that shows it, and what every value and inline string holds (an upper bound: numbers, a shared
    string's index and an inline string's markup count too). Shared strings are counted per
    distinct cell, in C."""
    total = sum(map(len, _BODY.findall(data)))
    for body, count in Counter(_SHARED_CELL.findall(data)).items():
        value = _VALUE.search(body)
        if value is not None and int(value.group(1)) < len(shared):
            total += count * shared[int(value.group(1))]
    return total


def _sheet_names(book: zipfile.ZipFile, path: str, budget: list[int]) -> dict[str, str]:
    """Worksheet member name -> sheet name, from xl/workbook.xml and its relationships."""
    def read(name: str) -> bytes:
        return b"".join(_inflate(path, book.getinfo(name), budget))

    names: dict[str, str] = {}
    try:
        workbook = ET.fromstring(read("xl/workbook.xml"))
        rels = ET.fromstring(read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ET.ParseError):
        return names
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    rid = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    for sheet in workbook.iter(f"{{{_MAIN}}}sheet"):
        target = targets.get(sheet.get(rid), "")
        member = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        names[member] = sheet.get("name", member)
    return names


def _sheet_extent(path: str, info: zipfile.ZipInfo, sheet: str, budget: list[int],
                  shared: array) -> SheetExtent:
    """The last row and column that hold a cell, filled or only formatted (an upper bound on what
    the reader builds: it leaves out cells without a value), from every cell's reference, matched in C by one regular expression. Cells
    without a reference (rare; Excel always writes one) are placed by expat, one by one. The text
    the cells hold is added up as it goes (``_text_chars``), over whole cells only."""
    columns, rows, tail, text = set(), set(), b"", 0
    chunks = _inflate(path, info, budget)
    for data in _with_end(chunks):
        if data is None:  # the end: the last cell, kept back as the tail, is whole now
            data, tail = tail, b""
        else:
            data = tail + data
            cut = _cut(data)
            data, tail = (data[:cut], data[cut:]) if cut >= 0 else (data, b"")
        for column, row in _CELL.findall(data):
            columns.add(column)
            rows.add(row)
        if b"" in columns:
            return _sheet_extent_by_expat(path, info, sheet, budget, shared)
        last_row = max(map(int, rows), default=0)
        last_column = max(map(_column_number, columns), default=0)
        if last_column > MAX_COLUMNS or last_row * last_column > MAX_CELLS:
            raise WorkbookTooBig(sheet_too_big(sheet, last_row, last_column))
        text += _text_chars(data, shared)
        if text > MAX_TEXT_CHARS:
            raise WorkbookTooBig(text_too_big(sheet))
        if len(tail) > _CHUNK:  # a cell cannot be this long
            raise zipfile.BadZipFile(f"{info.filename} is not a worksheet")
    return SheetExtent(max(map(int, rows), default=0), max(map(_column_number, columns), default=0),
                       text)


def _with_end(chunks: Iterator[bytes]) -> Iterator[bytes | None]:
    yield from chunks
    yield None


def _sheet_extent_by_expat(path: str, info: zipfile.ZipInfo, sheet: str,
                           budget: list[int], shared: array) -> SheetExtent:
    scan = _SheetScan(sheet, shared)
    _expat_feed(path, info, budget, scan)
    return SheetExtent(scan.rows, scan.columns, scan.text)


def _expat_feed(path: str, info: zipfile.ZipInfo, budget: list[int], scan) -> None:
    """Stream one zip member through expat into ``scan`` (its start, end and characters handlers),
    inflating it piece by piece against the ``budget``."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.StartElementHandler, parser.EndElementHandler = scan.start, scan.end
    parser.CharacterDataHandler = scan.characters
    for data in _inflate(path, info, budget):
        parser.Parse(data, False)
    parser.Parse(b"", True)


def xlsx_extents(path: str) -> dict[str, SheetExtent]:
    """Every worksheet's extent, by sheet name. Raises WorkbookTooBig past a limit (without reading
    further), zipfile.BadZipFile or expat.ExpatError for a damaged file."""
    budget = [MAX_UNZIPPED_BYTES]
    with zipfile.ZipFile(path) as book:
        declared = sum(i.file_size for i in book.infolist())
        if declared > MAX_UNZIPPED_BYTES:
            raise WorkbookTooBig(f"it unpacks to {declared / 1024 / 1024:,.0f} MB, more than the "
                                 f"{MAX_UNZIPPED_MB:,} MB that is read")
        names = _sheet_names(book, path, budget)
        strings = [i for i in book.infolist()
                   if PurePosixPath(i.filename).name.lower() == "sharedstrings.xml"]
        shared = _shared_lengths(path, strings, budget)  # before the sheets that show them
        extents: dict[str, SheetExtent] = {}
        for info in book.infolist():
            if info.is_dir() or info in strings:
                continue
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                sheet = names.get(info.filename, PurePosixPath(info.filename).stem)
                extents[sheet] = _sheet_extent(path, info, sheet, budget, shared)
            else:  # shared strings, styles...: counted, since the reader inflates them too
                for _ in _inflate(path, info, budget):
                    pass
    return extents


# BIFF5/BIFF8 records that place one cell, with its row and column as two little-endian uint16 at
# the start of their data: FORMULA, BLANK, NUMBER, LABEL, BOOLERR, RK, LABELSST, RSTRING, and the
# FORMULA of BIFF3 and BIFF4. MULRK and MULBLANK place a run along a row: row, first column, ...,
# last column in their last two bytes. Blank cells are counted, as the .xlsx scan counts cells
# that are only formatted: an upper bound on what calamine builds.
_XLS_CELL = frozenset({0x0006, 0x0201, 0x0203, 0x0204, 0x0205, 0x027E, 0x00FD, 0x00D6, 0x0206,
                       0x0406})
_XLS_RUN = frozenset({0x00BD, 0x00BE})
_XLS_BOF = frozenset({0x0009, 0x0209, 0x0409, 0x0809})
_XLS_EOF = 0x000A
_XLS_BOUNDSHEET = 0x0085
_XLS_GLOBALS = "the workbook's own records"  # the first substream, before any sheet
# text: the shared strings (SST, then CONTINUE records), a cell showing one of them (LABELSST,
# whose index is the uint32 after row, column and format), and cells holding their own text
# (LABEL, RSTRING: the character count is the uint16 after row, column and format)
_XLS_SST, _XLS_CONTINUE, _XLS_LABELSST = 0x00FC, 0x003C, 0x00FD
_XLS_OWN_TEXT = frozenset({0x0204, 0x00D6})


class _Continued:
    """A record's data and its CONTINUE records' data, read as one run of bytes; a run of
    characters split between two records starts again with an option byte (wide or not)."""

    def __init__(self, data: bytes, segments: list[tuple[int, int]]) -> None:
        self.data, self.segments, self.index, self.pos = data, segments, 0, segments[0][0]

    def _next(self) -> None:
        self.index += 1
        if self.index >= len(self.segments):
            raise EOFError
        self.pos = self.segments[self.index][0]

    def read(self, size: int) -> bytes:
        out = b""
        while len(out) < size:
            end = self.segments[self.index][1]
            if self.pos >= end:
                self._next()
                continue
            take = min(size - len(out), end - self.pos)
            out += self.data[self.pos:self.pos + take]
            self.pos += take
        return out

    def skip(self, size: int) -> None:
        while size > 0:
            end = self.segments[self.index][1]
            if self.pos >= end:
                self._next()
                continue
            take = min(size, end - self.pos)
            self.pos, size = self.pos + take, size - take

    def skip_characters(self, count: int, wide: bool) -> None:
        while count > 0:
            end = self.segments[self.index][1]
            if self.pos >= end:
                self._next()
                wide = bool(self.read(1)[0] & 1)
                continue
            take = min(count, (end - self.pos) // (2 if wide else 1))
            if take == 0:  # half a character left: the file is damaged; calamine refuses it
                raise EOFError
            self.pos, count = self.pos + take * (2 if wide else 1), count - take


def _xls_shared_lengths(data: bytes, pos: int) -> array:
    """The length in characters of every string in the SST record at pos (BIFF8), in order."""
    size = struct.unpack_from("<H", data, pos + 2)[0]
    segments, after = [(pos + 12, pos + 4 + size)], pos + 4 + size
    while after + 4 <= len(data):
        code, size = struct.unpack_from("<HH", data, after)
        if code != _XLS_CONTINUE or after + 4 + size > len(data):
            break
        segments.append((after + 4, after + 4 + size))
        after += 4 + size
    lengths = array("I")
    if size < 8 or segments[0][0] > segments[0][1]:
        return lengths
    unique = struct.unpack_from("<I", data, pos + 8)[0]
    run = _Continued(data, segments)
    try:
        while len(lengths) < unique:
            count, flags = struct.unpack("<HB", run.read(3))
            runs = struct.unpack("<H", run.read(2))[0] if flags & 0x08 else 0
            extra = struct.unpack("<I", run.read(4))[0] if flags & 0x04 else 0
            run.skip_characters(count, bool(flags & 0x01))
            run.skip(4 * runs + extra)
            if len(lengths) >= MAX_SHARED_STRINGS:
                raise WorkbookTooBig(f"it lists more than {MAX_SHARED_STRINGS:,} different "
                                     "texts, the most that is read")
            lengths.append(count)
    except EOFError:  # a cut table: what was read is counted; calamine reads no more
        pass
    return lengths


def _xls_sheet_name(data: bytes, start: int, size: int, biff8: bool) -> str:
    """The name in a BOUNDSHEET record: after its stream offset (4 bytes) and state and type
    (1 byte each), a length byte, then (BIFF8) a flag byte for two-byte characters."""
    if size < 7:
        return ""
    length = data[start + 6]
    if biff8 and size >= 8:
        wide = data[start + 7] & 1
        raw = data[start + 8:start + min(size, 8 + length * (2 if wide else 1))]
        return raw.decode("utf-16-le" if wide else "latin-1", errors="replace")
    return data[start + 7:start + min(size, 7 + length)].decode("latin-1", errors="replace")


def xls_extents(path: str) -> dict[str, SheetExtent]:
    """Every sheet's extent, by sheet name (a sheet no BOUNDSHEET names is called by its place in
    the stream). Raises WorkbookTooBig past a limit (without reading further), or OSError for a
    file that is not an OLE2 workbook; olefile may raise other errors for a damaged one."""
    import olefile

    if not olefile.isOleFile(path):
        raise OSError("not an OLE2 compound file")
    with olefile.OleFileIO(path) as ole:
        stream = next((name for name in ("Workbook", "Book") if ole.exists(name)), None)
        if stream is None:
            raise OSError("no Workbook stream")
        data = ole.openstream(stream).read()  # at most the file's size (uploads: 80 MB)
    unpack, end = struct.unpack_from, len(data)
    names: dict[int, str] = {}
    extents: dict[str, SheetExtent] = {}
    biff8, depth, sheet, rows, columns, pos = True, 0, "", 0, 0, 0
    shared, text = array("I"), 0
    while pos + 4 <= end:
        code, size = unpack("<HH", data, pos)
        start = pos + 4
        if start + size > end:
            break  # a cut record: calamine refuses the file, or reads no further
        last = -1
        if code in _XLS_CELL and size >= 4:
            row, last = unpack("<HH", data, start)
        elif code in _XLS_RUN and size >= 6:
            row = unpack("<H", data, start)[0]
            last = unpack("<H", data, start + size - 2)[0]
        elif code in _XLS_BOF:
            if depth == 0:
                if pos == 0 and size >= 2:
                    biff8 = unpack("<H", data, start)[0] >= 0x0600
                if sheet:
                    extents[sheet] = SheetExtent(rows, columns, text)
                sheet = _XLS_GLOBALS if pos == 0 else names.get(pos) or f"sheet {len(extents)}"
                rows, columns, text = 0, 0, 0
            depth += 1
        elif code == _XLS_EOF:
            depth = max(depth - 1, 0)
        elif code == _XLS_BOUNDSHEET and size >= 4:
            names[unpack("<I", data, start)[0]] = _xls_sheet_name(data, start, size, biff8)
        elif code == _XLS_SST and size >= 8:
            shared = _xls_shared_lengths(data, pos)
        if code == _XLS_LABELSST and size >= 10:
            index = unpack("<I", data, start + 6)[0]
            text += shared[index] if index < len(shared) else 0
        elif code in _XLS_OWN_TEXT and size >= 8:
            text += unpack("<H", data, start + 6)[0]
        if text > MAX_TEXT_CHARS:
            raise WorkbookTooBig(text_too_big(sheet))
        if last >= 0:
            rows, columns = max(rows, row + 1), max(columns, last + 1)
            if columns > MAX_COLUMNS or rows * columns > MAX_CELLS:
                raise WorkbookTooBig(sheet_too_big(sheet, rows, columns))
        pos = start + size
    if sheet:
        extents[sheet] = SheetExtent(rows, columns, text)
    extents.pop(_XLS_GLOBALS, None)
    return extents
