"""JSON files: JSON Lines, a JSON array of articles, or pretty-printed article objects.

Compression (gzip, bz2, xz) is read from the file's first bytes, not its name. A file
that breaks off (a truncated download, a read error) keeps the records read before the
break and ends with one ``unreadable_file`` reject that says where and why.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from builder.core import reasons
from builder.pipeline.readers.base import Reader, Record, describe
from builder.pipeline.readers.files import with_compression
from builder.pipeline.readers.jsonstream import JsonItem, JsonValues
from builder.pipeline.readers.ranges import RangeEnd, RangeFile, Span, range_encodings
from builder.pipeline.readers.text import MARK, READ_ERRORS, TextSource, open_text

_JSON_TYPES = {dict: "object", list: "array", str: "string", int: "number", float: "number", bool: "boolean"}


def max_value_chars(max_chars: int) -> int:
    """The longest JSON value read: two text fields at ``max_chars``, each character
    possibly escaped as \\uXXXX, plus room for the other fields."""
    return 16 * max_chars + (1 << 20)


class JsonlReader(Reader):
    kind = "jsonl"
    suffixes = with_compression((".jsonl", ".json", ".ndjson"))

    def file_records(self, path: Path, span: Span | None = None) -> Iterator[Record]:
        name = self.display_name(path)
        values: JsonValues | None = None
        compression = ""
        self.range_end = RangeEnd(clean=False, failed=True)  # until the range is read to its end
        try:
            with self._opened(path, span) as source:
                compression = source.compression
                line, arrays_open = (span.line, span.start == 0) if span else (1, True)
                limit = max_value_chars(self.cfg.max_chars)
                values = JsonValues(source.stream, limit, source.encoding, line, arrays_open)
                last_whole = False
                for item in values:
                    last_whole = not item.error and isinstance(item.value, dict)
                    yield _record(name, item)
                # the next range starts as a reader does after a record that is not an array
                self.range_end = RangeEnd(clean=last_whole and not values.in_array and not values.arrays_open)
        except READ_ERRORS as e:
            line, count = (values.line, values.count) if values else (span.line if span else 1, 0)
            yield Record(f"{name}:{line}", error=reasons.UNREADABLE_FILE, detail=stream_failure(compression, count, e))
            # range_end stays failed: the reject counts the range's records, not the file's

    def range_encodings(self, path: Path) -> tuple[str, str] | None:
        return range_encodings(path, self.cfg.encoding)

    @contextmanager
    def _opened(self, path: Path, span: Span | None) -> Iterator[TextSource]:
        """The file, or its range ``span``, as text."""
        if span is None:
            with open_text(path, self.cfg.encoding) as source:
                yield source
            return
        binary = io.BufferedReader(RangeFile(path, span.start, span.end))
        with io.TextIOWrapper(binary, encoding=span.encoding, errors=MARK) as stream:
            yield TextSource(stream, "", span.named)


def _record(name: str, item: JsonItem) -> Record:
    where = f"{name}:{item.line}"
    if item.error:
        return Record(where, error=item.error, detail=item.detail)
    if not isinstance(item.value, dict):
        kind = "null" if item.value is None else _JSON_TYPES.get(type(item.value), type(item.value).__name__)
        return Record(where, error=reasons.NOT_AN_OBJECT, detail=f"a JSON {kind}, not an object")
    return Record(where, item.value)


def stream_failure(compression: str, count: int, err: BaseException) -> str:
    """Why a file stopped being readable part-way, and how much of it was read."""
    if compression and isinstance(err, EOFError):
        what = f"truncated {compression} stream"
    elif compression:
        what = f"damaged {compression} stream"
    else:
        what = "read error"
    return f"{what} after {count} records ({describe(err)})"
