"""Reading source files: their encoding, CSV dialect and rows, streamed a row at a time.

- Encoding: UTF-8 (with or without a byte-order mark), else Windows-1252, else Latin-1 (which
  reads any bytes); found by one pass over the file in blocks, so a huge file is never held
  in memory. A file that is not UTF-8 gets a note saying how it was read.
- CSV: the delimiter (comma, semicolon or tab) is sniffed from the first block; header names
  are trimmed; each row is a dict of its cells by header name, with the line it starts on.
- Cells: "null", "NaN", "None" and blanks are all "no value" (`blank`); a NUL character,
  which no database stores, is shown as its visible picture (U+2400) instead; the quote a
  CSV export puts before a would-be formula ('=, '+, '-, '@) is taken off.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Iterator
from pathlib import Path

from msgspec import Struct

from desk.transfer.records import Place, Problem

BLOCK = 1 << 16
"""Bytes read at a time while finding the encoding, and the sample the CSV dialect is sniffed
from."""
MAX_CELL = 16 << 20
"""The largest CSV cell read, in characters; a larger one stops the file with a problem."""
BLANKS = frozenset({"", "null", "nan", "none", "n/a", "undefined"})
"""Cell texts that mean "no value" (compared case-insensitively after trimming)."""
FORMULA_STARTS = ("=", "+", "-", "@")
"""What a spreadsheet would run as a formula."""
HEADER_SEARCH = 10
"""Rows looked at for the header (some exports start with a few lines of notes)."""
BLANK_LENGTH = 20
"""Cells longer than this are never blank (the blank words padded with spaces are shorter)."""
BLANK_STARTS = frozenset(first for word in BLANKS if word
                         for first in (word[0].lower(), word[0].upper()))
"""The first letters of the blank words: a cell starting otherwise (and not with a space)
is not blank, which `blank` sees without trimming it."""
DELIMITERS = ",;\t"

csv.field_size_limit(MAX_CELL)


class Source(Struct, frozen=True):
    """A file opened for reading: its name as the problems show it, and its encoding."""

    path: Path
    encoding: str

    @property
    def name(self) -> str:
        """The file name problems are reported with."""
        return str(self.path)

    def open(self) -> io.TextIOWrapper:
        """The file as text in its encoding (newlines kept for the csv module)."""
        return open(self.path, encoding=self.encoding, newline="")


def open_source(path: Path, notes: list[Problem]) -> Source:
    """The file at `path` with its encoding; a note in `notes` when it is not UTF-8.
    OSError when it cannot be read."""
    path = Path(path)
    with open(path, "rb") as stream:
        head = stream.read(3)
    if head == codecs.BOM_UTF8:
        encoding = "utf-8-sig"
    elif _decodes(path, "utf-8"):
        encoding = "utf-8"
    elif _decodes(path, "cp1252"):
        encoding = "cp1252"
        notes.append(Problem(Place(str(path)), "not UTF-8; read as Windows-1252 (cp1252)"))
    else:
        encoding = "latin-1"
        notes.append(Problem(Place(str(path)),
                             "neither UTF-8 nor Windows-1252; read as Latin-1"))
    return Source(path, encoding)


def _decodes(path: Path, encoding: str) -> bool:
    """Whether the whole file decodes in `encoding`, read a block at a time."""
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with open(path, "rb") as stream:
            while block := stream.read(BLOCK):
                decoder.decode(block)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


class Row(Struct, frozen=True):
    """One CSV record: the line it starts on and its cells by header name (trimmed, lower
    case), and the header names as the file spells them, by their lower-case form."""

    line: int
    cells: dict[str, str]
    spelling: dict[str, str]

    def column(self, name: str) -> Place:
        """Where column `name` of this row is, for a problem."""
        return Place(self.source, self.line, self.spelling.get(name, name))

    source: str = ""


def csv_rows(source: Source, problems: list[Problem],
             is_header: Callable[[list[str]], bool]) -> Iterator[Row]:
    """The rows of a CSV file, streamed; `is_header(names)` says whether the first row is a
    header this importer understands. A file without one, a broken row or a cell too large
    is a problem (the file stops at a cell too large: the rest cannot be told apart)."""
    with source.open() as stream:
        sample = stream.read(BLOCK)
        stream.seek(0)
        reader = csv.reader(stream, dialect=_dialect(sample))
        header, names = None, []
        try:
            for _ in range(HEADER_SEARCH):  # exports may start with notes (LinkedIn's)
                header = next(reader, None)
                if header is None:
                    break
                names = [clean(name).strip() for name in header]
                if is_header(names):
                    break
                header = None
        except csv.Error as error:
            problems.append(Problem(Place(source.name, reader.line_num or 1),
                                    f"unreadable header: {error}", refused=True))
            return
        if header is None:
            problems.append(Problem(Place(source.name, 1),
                                    "no header row this import understands; nothing read",
                                    refused=True))
            return
        keys = [name.lower() for name in names]
        spelling = dict(zip(keys, names, strict=True))
        start = reader.line_num + 1
        while True:
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                problems.append(Problem(Place(source.name, start),
                                        f"unreadable row, the rest of the file is not read: "
                                        f"{error}", refused=True))
                return
            line, start = start, reader.line_num + 1
            if not any(value.strip() for value in values):
                continue
            if len(values) > len(names):
                problems.append(Problem(Place(source.name, line),
                                        f"{len(values)} cells for {len(names)} columns; "
                                        "the extra cells are left out"))
            yield Row(line, _cells(keys, values), spelling, source.name)


def _cells(keys: list[str], values: list[str]) -> dict[str, str]:
    """A row's cells by header name, each `clean` and `unguarded` (a row without a NUL or a
    quote, most rows, is taken as it is)."""
    joined = "".join(values)
    if "\x00" not in joined and "'" not in joined:
        return dict(zip(keys, values, strict=False))
    return {key: unguarded(clean(value)) for key, value in zip(keys, values, strict=False)}


def _dialect(sample: str) -> type[csv.Dialect]:
    """The CSV dialect of a file from its first block: the delimiter among comma, semicolon
    and tab that the sniffer finds, else a comma."""
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS)
    except csv.Error:
        first = sample.split("\n", 1)[0]
        counts = {delimiter: first.count(delimiter) for delimiter in DELIMITERS}
        best = max(counts, key=counts.get)
        dialect = csv.excel_tab if best == "\t" else csv.excel
        if best == ";" and counts[";"]:
            class Semicolon(csv.excel):
                delimiter = ";"
            return Semicolon
        return dialect


def clean(text: str) -> str:
    """A cell's text with NUL shown as its picture (no database stores a NUL)."""
    return text.replace("\x00", "\u2400") if "\x00" in text else text


def unguarded(text: str) -> str:
    """A CSV cell without the quote that guards a formula from spreadsheets ('=1+2, '+49...),
    as desk's own CSV exports and `desk ls --format csv` write it."""
    return text[1:] if text[:1] == "'" and text[1:2] in FORMULA_STARTS else text


def blank(value: object) -> bool:
    """Whether a cell or JSON value means "no value": None, blank, null, NaN..."""
    if isinstance(value, str):  # nearly every value, first
        if not value:
            return True
        if value[0] not in BLANK_STARTS and not value[0].isspace():  # most cells: no
            return False
        return len(value) <= BLANK_LENGTH and value.strip().lower() in BLANKS
    if value is None:
        return True
    return isinstance(value, float) and value != value  # NaN


def text(value: object) -> str:
    """A value as stripped text, "" for no value."""
    return "" if blank(value) else str(value).strip()


def pick(cells: dict[str, str], *names: str) -> str:
    """The first of the named columns (lower-case names) that has a value, stripped."""
    for name in names:
        value = cells.get(name)
        if value and not blank(value):
            return value.strip()
    return ""
