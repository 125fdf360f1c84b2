"""CSV/TSV files, with or without a header row; a malformed row is a reject and the
rest of the file is still read.

Rows are parsed in csv strict mode over physical lines this module hands out, so when
a row fails (a stray or unclosed quote, a row running past a size bound, a multi-line
row with the wrong number of fields) only its first line is rejected and parsing
restarts on the next line: an unclosed quote no longer swallows the articles after
it. Quoted fields spanning lines (article text with newlines) still read as one field.
"""

from __future__ import annotations

import csv
import logging
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path
from typing import TextIO

from builder.core import reasons
from builder.pipeline.readers.base import USUAL_NAMES, Reader, Record
from builder.pipeline.readers.csv_header import guess_columns, looks_like_header, unique_names
from builder.pipeline.readers.files import with_compression
from builder.pipeline.readers.text import has_marks, marked_detail, open_text, printable

log = logging.getLogger(__name__)
# The size bound is ours (PhysicalLines), so the csv module's own field limit is lifted,
# but only while a row is parsed: it is process-wide, and other code may rely on it.
FIELD_LIMIT = min(sys.maxsize, 2**31 - 1)
SAMPLE_ROWS = 50  # rows looked at to tell a header row and name headerless columns


class RecordTooLong(Exception):
    """The row being parsed ran past the size bound: most likely an unclosed quote."""


class PhysicalLines:
    """The file's lines, numbered, for ``csv.reader``; the lines of a failed row (but its
    first) are given back and read again."""

    def __init__(self, stream: TextIO, bound: int) -> None:
        self.stream = stream
        self.bound = bound
        self.back: list[tuple[int, str | None]] = []  # a stack; None: a line over the bound
        self.next_number = 1
        self.taken: list[tuple[int, str | None]] = []
        self.taken_chars = 0

    def __iter__(self) -> PhysicalLines:
        return self

    def __next__(self) -> str:
        number, text = self.back.pop() if self.back else self._read()
        self.taken.append((number, text))
        if text is None:
            raise RecordTooLong(f"line {number} is longer than {self.bound:,} characters")
        self.taken_chars += len(text)
        if self.taken_chars > self.bound:
            raise RecordTooLong(f"the row runs past {self.bound:,} characters (lines {self.taken[0][0]}-{number})")
        return text

    def _read(self) -> tuple[int, str | None]:
        text = self.stream.readline(self.bound + 1)
        if not text:
            raise StopIteration
        number = self.next_number
        self.next_number += 1
        if len(text) > self.bound and not text.endswith(("\n", "\r")):
            while (rest := self.stream.readline(1 << 20)) and not rest.endswith(("\n", "\r")):
                pass
            return number, None
        return number, text

    def start_row(self) -> None:
        self.taken, self.taken_chars = [], 0

    def first_line(self) -> int:
        return self.taken[0][0] if self.taken else self.next_number

    def give_back_all_but_first(self) -> None:
        self.back.extend(reversed(self.taken[1:]))
        self.taken = self.taken[:1]


@dataclass
class Row:
    line: int
    values: list[str]


class RowParser:
    """Rows (or rejects) of one file, in order. ``width`` is the field count a row must
    have: the given one, else the first row's."""

    def __init__(self, lines: PhysicalLines, delimiter: str, width: int | None = None) -> None:
        self.lines = lines
        self.delimiter = delimiter
        self.width = width

    def __iter__(self) -> Iterator[Row | Record]:
        reader = self._reader()
        while True:
            self.lines.start_row()
            try:
                values = _parse_row(reader)
            except StopIteration:
                return
            except (csv.Error, RecordTooLong) as e:
                yield self._restart(_why(e))
                reader = self._reader()
                continue
            if not values:
                continue
            if self.width is None:
                self.width = len(values)
            elif len(values) != self.width:
                yield self._restart(f"{len(values)} fields where the file has {self.width}")
                continue
            yield Row(self.lines.first_line(), values)

    def _reader(self) -> Iterator[list[str]]:
        return csv.reader(self.lines, delimiter=self.delimiter, strict=True)

    def _restart(self, detail: str) -> Record:
        """Reject the failed row's first line; its other lines are parsed again."""
        line = self.lines.first_line()
        if len(self.lines.taken) > 1:
            detail += f" (lines {line}-{self.lines.taken[-1][0]}; parsing restarts at line {line + 1})"
        self.lines.give_back_all_but_first()
        return Record(str(line), error=reasons.MALFORMED_ROW, detail=detail)


def _parse_row(reader: Iterator[list[str]]) -> list[str]:
    """The next row, parsed with the csv module's field limit lifted, and restored after."""
    previous = csv.field_size_limit(FIELD_LIMIT)
    try:
        return next(reader)
    finally:
        csv.field_size_limit(previous)


def _why(err: Exception) -> str:
    text = str(err)
    if "unexpected end of data" in text:
        return "unclosed quote: the quoted field runs to the end of the file"
    if isinstance(err, RecordTooLong):
        return text if text.startswith("line") else f"unclosed quote? {text}"
    return f"stray or unclosed quote ({text})"


class CsvReader(Reader):
    kind = "csv"
    suffixes = with_compression((".csv", ".tsv"))

    def file_records(self, path: Path) -> Iterator[Record]:
        name = self.display_name(path)
        delimiter = "\t" if ".tsv" in path.name.lower() else self.cfg.delimiter
        given = list(self.cfg.columns) if self.cfg.columns else None
        with open_text(path, self.cfg.encoding, newline="") as source:
            lines = PhysicalLines(source.stream, 2 * self.cfg.max_chars + (1 << 16))
            rows = iter(RowParser(lines, delimiter, len(given) if given else None))
            ahead = list(islice(rows, SAMPLE_ROWS + 1))
            columns, skip = self._columns(ahead, given, name)
            for item in chain(ahead, rows):
                if item is skip:
                    continue
                yield self._record(item, columns or [], name, source.encoding)

    def _columns(
        self, ahead: list[Row | Record], given: list[str] | None, name: str
    ) -> tuple[list[str] | None, Row | None]:
        """The column names, and the header row to skip (None when the first row is data)."""
        rows = [r for r in ahead if isinstance(r, Row)]
        if not rows:
            return None, None
        first, below = rows[0], [r.values for r in rows[1:]]
        header = str(self.cfg.header).lower()
        if header == "true" or (header == "auto" and looks_like_header(first.values, below, self._known(given))):
            return given or unique_names(printable(c) for c in first.values), first
        if given:
            return given, None
        names = guess_columns([first.values, *below], len(first.values), name)
        log.warning("%s: no header row; columns guessed as %s (set source.columns=[...] to name them)", name, names)
        return names, None

    def _known(self, given: list[str] | None) -> set[str]:
        """Names that, in a first row, mark it as a header."""
        names = {n for names in USUAL_NAMES.values() for n in names}
        names |= {n for n in self.fields.values() if n} | set(given or [])
        return {n.lower() for n in names}

    def _record(self, item: Row | Record, columns: list[str], name: str, encoding: str) -> Record:
        if isinstance(item, Record):
            return Record(f"{name}:{item.where}", error=item.error, detail=item.detail)
        where = f"{name}:{item.line}"
        bad = next((v for v in item.values if has_marks(v)), None)
        if bad is not None:
            return Record(where, error=reasons.BAD_ENCODING, detail=marked_detail(bad, encoding))
        if len(item.values) != len(columns):
            detail = f"{len(item.values)} fields where the file has {len(columns)}"
            return Record(where, error=reasons.MALFORMED_ROW, detail=detail)
        return Record(where, dict(zip(columns, item.values, strict=True)))
