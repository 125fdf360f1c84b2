"""Readers by ``source.kind``."""

from __future__ import annotations

from typing import Any

from builder.pipeline.readers.base import Reader
from builder.pipeline.readers.csv import CsvReader
from builder.pipeline.readers.hf import HfReader
from builder.pipeline.readers.jsonl import JsonlReader
from builder.pipeline.readers.parquet import ParquetReader
from builder.pipeline.readers.sample import SampleReader
from builder.pipeline.readers.textdir import TextDirReader

READERS: dict[str, type[Reader]] = {
    r.kind: r for r in (SampleReader, JsonlReader, ParquetReader, CsvReader, TextDirReader, HfReader)
}


def make_reader(cfg: Any, pairing: bool = False) -> Reader:
    """The reader of a ``source`` section; ``pairing``: keep garbled records that lack
    their clean text, for the ``pair`` step (else they are rejected as no_clean_reference)."""
    return READERS[cfg.kind](cfg, pairing=pairing)
