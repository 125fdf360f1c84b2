"""Readers by ``source.kind``."""

from __future__ import annotations

from typing import Any

from builder.readers.base import Reader
from builder.readers.csv import CsvReader
from builder.readers.hf import HfReader
from builder.readers.jsonl import JsonlReader
from builder.readers.parquet import ParquetReader
from builder.readers.sample import SampleReader
from builder.readers.textdir import TextDirReader

READERS: dict[str, type[Reader]] = {
    r.kind: r for r in (SampleReader, JsonlReader, ParquetReader, CsvReader, TextDirReader, HfReader)
}


def make_reader(cfg: Any) -> Reader:
    return READERS[cfg.kind](cfg)
