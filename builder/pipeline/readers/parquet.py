"""Parquet files, read a row group at a time and a record batch at a time, so memory
stays bounded and a damaged part costs only its own rows.

A corrupt page fails the batch that reads it: the rows of its row group from that
batch on become one ``unreadable_rows`` reject each (they cannot be reached past the
damage), and the next row group is read. A value Python cannot hold (a timestamp
beyond year 9999, say) is converted another way instead of failing the batch.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from builder.core import reasons
from builder.pipeline.readers.base import Reader, Record, describe

BATCH_ROWS = 1024
_OUT_OF_RANGE = re.compile(r"^<value out of range: (-?\d+)>$")
_CONVERSION_ERRORS = (pa.ArrowException, ValueError, OverflowError, TypeError, OSError)


class ParquetReader(Reader):
    kind = "parquet"
    suffixes = (".parquet", ".pq")
    unit = "row"

    def file_records(self, path: Path) -> Iterator[Record]:
        name = self.display_name(path)
        try:
            pf = pq.ParquetFile(path)
            sizes = [pf.metadata.row_group(g).num_rows for g in range(pf.metadata.num_row_groups)]
        except Exception as e:
            detail = f"not a readable Parquet file ({describe(e)})"
            yield Record(f"{name}:row1", error=reasons.UNREADABLE_FILE, detail=detail)
            return
        first = 1
        for group, rows in enumerate(sizes):
            yield from self._row_group(pf, name, group, first, rows)
            first += rows

    def _row_group(self, pf: pq.ParquetFile, name: str, group: int, first: int, rows: int) -> Iterator[Record]:
        """Rows ``first``.. of one row group; what cannot be read is one reject per row."""
        done = 0
        try:
            for batch in pf.iter_batches(batch_size=BATCH_ROWS, row_groups=[group]):
                for offset, item in enumerate(batch_rows(batch)):
                    where = f"{name}:row{first + done + offset}"
                    yield (
                        Record(where, item)
                        if isinstance(item, dict)
                        else Record(where, error=reasons.UNREADABLE_ROWS, detail=item)
                    )
                done += batch.num_rows
        except Exception as e:
            lost = f"rows {first + done}-{first + rows - 1}" if rows - done > 1 else f"row {first + done}"
            detail = f"row group {group} ({lost}) could not be read past a damaged part ({describe(e)})"
            for row in range(first + done, first + rows):
                yield Record(f"{name}:row{row}", error=reasons.UNREADABLE_ROWS, detail=detail)


def batch_rows(batch: pa.RecordBatch) -> list[dict[str, Any] | str]:
    """The rows of ``batch`` as dicts; a row holding a value that cannot be converted is
    a string saying which column and why."""
    try:
        return batch.to_pylist()
    except _CONVERSION_ERRORS:
        pass
    columns = {field.name: column_values(col) for field, col in zip(batch.schema, batch.columns, strict=True)}
    rows: list[dict[str, Any] | str] = []
    for i in range(batch.num_rows):
        row = {key: values[i] for key, values in columns.items()}
        bad = next(((k, v) for k, v in row.items() if isinstance(v, _Unconvertible)), None)
        rows.append(f"column {bad[0]!r}: {bad[1].reason}" if bad else row)
    return rows


class _Unconvertible:
    def __init__(self, reason: str) -> None:
        self.reason = reason


def column_values(col: pa.Array) -> list[Any]:
    """A column as Python values. Timestamps and dates out of Python's range become their
    text (the date reader keeps them as given); what still fails is marked per value."""
    try:
        return col.to_pylist()
    except _CONVERSION_ERRORS:
        pass
    try:
        return [_unwrap_out_of_range(v) for v in col.cast(pa.string()).to_pylist()]
    except _CONVERSION_ERRORS:
        pass
    values: list[Any] = []
    for i in range(len(col)):
        try:
            values.append(col[i].as_py())
        except _CONVERSION_ERRORS as e:
            values.append(_Unconvertible(f"{col.type} value cannot be converted ({describe(e)})"))
    return values


def _unwrap_out_of_range(text: str | None) -> str | None:
    """Arrow writes an out-of-range timestamp as ``<value out of range: N>``; keep ``N``."""
    m = _OUT_OF_RANGE.match(text) if text else None
    return m.group(1) if m else text
