"""CSV/TSV files with a header row; a malformed row is a reject, the rest of the file is read."""

from __future__ import annotations

import csv
import gzip
import re
import sys
from collections.abc import Iterator

from builder.readers.base import Reader, Record
from builder.readers.files import expand

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
_UNDECODABLE = re.compile("[\udc80-\udcff]")  # bytes that were not UTF-8, kept by surrogateescape


class CsvReader(Reader):
    kind = "csv"
    suffixes = (".csv", ".tsv", ".csv.gz", ".tsv.gz")

    def check(self) -> None:
        expand(self.cfg.path, self.suffixes)

    def records(self) -> Iterator[Record]:
        for path in expand(self.cfg.path, self.suffixes):
            delimiter = "\t" if ".tsv" in path.name else self.cfg.delimiter
            opener = gzip.open if path.name.endswith(".gz") else open
            with opener(path, "rt", encoding="utf-8", errors="surrogateescape", newline="") as fh:
                reader = csv.reader(fh, delimiter=delimiter)
                try:
                    header = next(reader)
                except StopIteration:
                    continue
                while True:
                    where = f"{path.name}:{reader.line_num + 1}"
                    try:
                        values = next(reader)
                    except StopIteration:
                        break
                    except csv.Error as e:
                        yield Record(where, error="malformed_row", detail=str(e))
                        continue
                    if not values:
                        continue
                    if any(_UNDECODABLE.search(v) for v in values):
                        yield Record(where, error="bad_encoding", detail="bytes that are not UTF-8")
                    elif len(values) != len(header):
                        detail = f"{len(values)} fields where the header has {len(header)}"
                        yield Record(where, error="malformed_row", detail=detail)
                    else:
                        yield Record(where, dict(zip(header, values, strict=True)))
