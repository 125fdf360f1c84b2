"""Parquet shards in the layout ``datasets`` detects on its own.

``data/<split>-00000-of-00002.parquet``: each shard is written a batch at a time
with the schema declared in ``builder.schema`` (never inferred from the rows).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from builder.schema import ROW_COLUMNS, row_schema


def shard_names(split: str, n_shards: int) -> list[str]:
    return [f"{split}-{k:05d}-of-{n_shards:05d}.parquet" for k in range(n_shards)]


def write_split(
    work: pa.Table,
    indices: np.ndarray,
    split: str,
    out_dir: Path,
    max_rows: int,
    compression: str,
    batch_size: int = 2000,
) -> tuple[list[str], int]:
    """Write the rows ``indices`` of ``work`` (memory-mapped) as shards of one split;
    return the file names and the size of the rows in Arrow memory (for the card)."""
    n_shards = max(1, math.ceil(len(indices) / max_rows))
    schema = row_schema()
    names = shard_names(split, n_shards)
    out_dir.mkdir(parents=True, exist_ok=True)
    nbytes = 0
    for k, name in enumerate(names):
        part = indices[k * max_rows : (k + 1) * max_rows]
        with pq.ParquetWriter(out_dir / name, schema, compression=None if compression == "none" else compression) as w:
            for start in range(0, len(part), batch_size):
                table = work.take(pa.array(part[start : start + batch_size])).select(list(ROW_COLUMNS))
                table = table.cast(schema)
                nbytes += table.nbytes
                w.write_table(table)
    return names, nbytes


def write_table_rows(
    work: pa.Table,
    indices: np.ndarray,
    path: Path,
    schema: pa.Schema,
    extra: dict[str, np.ndarray],
    batch_size: int = 2000,
) -> None:
    """Rows ``indices`` with all their columns, ``extra`` columns replacing same-named ones."""
    with pq.ParquetWriter(path, schema, compression="zstd") as w:
        for start in range(0, len(indices), batch_size):
            part = indices[start : start + batch_size]
            table = work.take(pa.array(part))
            for name, values in extra.items():
                table = table.set_column(table.schema.get_field_index(name), name, pa.array(values[part], pa.string()))
            w.write_table(table.select(schema.names).cast(schema))
