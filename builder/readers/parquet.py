"""Parquet files, read a record batch at a time so memory stays bounded."""

from __future__ import annotations

from collections.abc import Iterator

import pyarrow.parquet as pq

from builder.readers.base import Reader, Record
from builder.readers.files import expand


class ParquetReader(Reader):
    kind = "parquet"
    suffixes = (".parquet", ".pq")

    def check(self) -> None:
        expand(self.cfg.path, self.suffixes)

    def records(self) -> Iterator[Record]:
        for path in expand(self.cfg.path, self.suffixes):
            try:
                pf = pq.ParquetFile(path)
            except Exception as e:
                yield Record(path.name, error="unreadable_file", detail=f"{type(e).__name__}: {e}")
                continue
            row = 0
            for batch in pf.iter_batches(batch_size=1024):
                for data in batch.to_pylist():
                    row += 1
                    yield Record(f"{path.name}:row{row}", data)
