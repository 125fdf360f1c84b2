"""Input columns passed through to the rows (``source.keep``).

A corpus often carries fields a user wants next to each pair: the source sentence of a
machine translation, its HTER, a topic. The readers keep every field they do not map in
the document's ``meta`` (JSON); the fields named in ``source.keep`` are taken from there
(or from a document column such as ``title`` or ``url``) and written with each of the
document's rows.

Their types are read from the whole corpus before any row is written, so every shard
has the same schema: integers stay integers, a mix of integers and decimals becomes
float64, and a field whose records disagree otherwise (a number here, a word there) is
written as text (JSON for what is not already a string). The values are held as Arrow
arrays, one per column, a few bytes a document.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pyarrow as pa
from datasets import Features

from builder.core.errors import ConfigError

_BATCH = 8192
#: document columns that may be kept as they are
DOC_ATTRIBUTES = ("title", "url")


def _common_type(types: set[pa.DataType]) -> pa.DataType | None:
    """One type all the values fit, or None when only text fits."""
    types = {t for t in types if not pa.types.is_null(t)}
    if not types:
        return pa.string()
    if len(types) == 1:
        return next(iter(types))
    if all(pa.types.is_integer(t) or pa.types.is_floating(t) for t in types):
        return pa.float64()
    return None


def _as_text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


class KeptColumns:
    """The kept columns of every document, by ``doc_seq``."""

    def __init__(self, names: list[str], arrays: dict[str, pa.ChunkedArray], seqs: np.ndarray) -> None:
        self.names = names
        self.arrays = arrays
        self.position = np.full(int(seqs.max()) + 1 if len(seqs) else 0, -1, dtype=np.int64)
        self.position[seqs] = np.arange(len(seqs))

    @classmethod
    def from_documents(cls, docs: pa.Table, names: list[str], taken: tuple[str, ...]) -> KeptColumns:
        """Read the kept fields of every document. ``taken``: the row columns, which a
        kept field may not shadow."""
        clash = [n for n in names if n in taken]
        if clash:
            raise ConfigError(f"source.keep: {clash[0]!r} is already a column of every row; keep another field")
        values: dict[str, list[pa.Array]] = {n: [] for n in names}
        seen_fields: set[str] = set()
        found = dict.fromkeys(names, False)
        for offset in range(0, docs.num_rows, _BATCH):
            part = docs.slice(offset, _BATCH)
            metas = [json.loads(m) if m else {} for m in part.column("meta").to_pylist()]
            seen_fields.update(k for m in metas[:100] for k in m)
            for n in names:
                if n in DOC_ATTRIBUTES:
                    column = part.column(n).to_pylist()
                    found[n] = True
                else:
                    column = [m.get(n) for m in metas]
                    found[n] = found[n] or any(v is not None for v in column)
                values[n].append(column)
        missing = [n for n in names if not found[n]]
        if missing and docs.num_rows:
            near = ", ".join(sorted(seen_fields)[:12]) or "none"
            raise ConfigError(f"source.keep: no record has a field {missing[0]!r} (fields seen: {near})")
        arrays = {n: _typed(n, parts) for n, parts in values.items()}
        return cls(names, arrays, docs.column("doc_seq").to_numpy())

    def features(self) -> Features:
        return Features.from_arrow_schema(pa.schema([(n, a.type) for n, a in self.arrays.items()]))

    def take(self, doc_seq: pa.Array) -> dict[str, pa.Array]:
        """The kept values of each row, from its document."""
        at = self.position[np.asarray(doc_seq.to_numpy(zero_copy_only=False), dtype=np.int64)]
        return {n: a.take(pa.array(at)).combine_chunks() for n, a in self.arrays.items()}


def _typed(name: str, parts: list[list[Any]]) -> pa.ChunkedArray:
    chunks: list[pa.Array] = []
    try:
        chunks = [pa.array(p) for p in parts]
        common = _common_type({c.type for c in chunks})
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
        common = None
    if common is None:
        return pa.chunked_array([pa.array([_as_text(v) for v in p], pa.string()) for p in parts], pa.string())
    try:
        return pa.chunked_array([c.cast(common) for c in chunks], common)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as e:  # pragma: no cover - nested types that disagree
        raise ConfigError(f"source.keep: the field {name!r} has values of types that cannot be joined ({e})") from None
