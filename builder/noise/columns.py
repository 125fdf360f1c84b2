"""Edits as columns: the provenance of a garbled batch without a Python object per edit.

An operation's edits over a batch (``OpEdits``) are arrays of start, end and the code
points of the replacement text; a recipe's (``EditColumns``) add the document and the
operation of each edit and the replaced text. ``assemble`` builds the garbled texts from
the clean code points and the edits in a few array passes; ``EditColumns.edits`` turns
the columns into ``Edit`` rows (one Python object per edit, for callers that want them)
and ``EditColumns.to_arrow`` into Arrow arrays built straight from the buffers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import numpy as np

from builder.core.edits import Edit
from builder.noise.ops.arrays import codepoints, decode, expand, narrowest

_EMPTY_I = np.zeros(0, dtype=np.int64)
_EMPTY_C = np.zeros(0, dtype=np.uint32)


def _strings(cp: np.ndarray, offsets: np.ndarray) -> list[str]:
    """The strings ``cp[offsets[k]:offsets[k + 1]]``."""
    if not cp.size:
        return [""] * (offsets.size - 1)
    text = decode(cp.astype(narrowest(int(cp.max())), copy=False))
    return [text[a:b] for a, b in pairwise(offsets.tolist())]


@dataclass(frozen=True)
class OpEdits:
    """One operation's edits over a batch, in the joined text's coordinates: edit ``k``
    replaces ``[start[k], end[k])`` with the next ``after_len[k]`` code points of ``after``."""

    start: np.ndarray
    end: np.ndarray
    after: np.ndarray
    after_len: np.ndarray

    def __len__(self) -> int:
        return int(self.start.size)

    @staticmethod
    def empty() -> OpEdits:
        return OpEdits(_EMPTY_I, _EMPTY_I, _EMPTY_C, _EMPTY_I)

    @staticmethod
    def fixed(start: np.ndarray, end: np.ndarray, after: np.ndarray, after_len: np.ndarray | int) -> OpEdits:
        """From replacement code points per edit: one each (``after`` of shape (n,)), or up
        to two (shape (n, 2), row ``k`` holding ``after_len[k]``)."""
        start = np.asarray(start, dtype=np.int64)
        end = np.asarray(end, dtype=np.int64)
        after = np.asarray(after, dtype=np.uint32)
        if after.ndim == 1:
            return OpEdits(start, end, after, np.ones(start.size, dtype=np.int64))
        if np.ndim(after_len) == 0:  # one length for all: no mask needed
            width = int(after_len)
            flat = after[:, :width].ravel() if width else _EMPTY_C
            return OpEdits(start, end, flat, np.full(start.size, width, dtype=np.int64))
        lens = np.asarray(after_len, dtype=np.int64)
        first = np.cumsum(lens)
        first -= lens
        flat = np.empty(int(lens.sum()), dtype=np.uint32)
        one = np.flatnonzero(lens > 0)
        flat[first[one]] = after[one, 0]
        two = np.flatnonzero(lens > 1)
        flat[first[two] + 1] = after[two, 1]
        return OpEdits(start, end, flat, lens)

    @staticmethod
    def from_edits(edits: Sequence[Edit]) -> OpEdits:
        if not edits:
            return OpEdits.empty()
        n = len(edits)
        start = np.fromiter((e.start for e in edits), dtype=np.int64, count=n)
        end = np.fromiter((e.end for e in edits), dtype=np.int64, count=n)
        lens = np.fromiter((len(e.after) for e in edits), dtype=np.int64, count=n)
        after = codepoints("".join(e.after for e in edits)).astype(np.uint32)
        return OpEdits(start, end, after, lens)

    def edits(self, text: str, name: str) -> list[Edit]:
        """As ``Edit`` rows of ``text`` (the joined text), in order."""
        offsets = np.zeros(len(self) + 1, dtype=np.int64)
        np.cumsum(self.after_len, out=offsets[1:])
        afters = _strings(self.after, offsets)
        return [
            Edit(name, s, e, text[s:e], a)
            for s, e, a in zip(self.start.tolist(), self.end.tolist(), afters, strict=True)
        ]


@dataclass(frozen=True)
class EditColumns:
    """Every edit of a batch: document, start and end (document coordinates), operation
    (``op`` indexes ``names``), and the replaced and replacing text as code points with
    offsets (edit ``k``'s ``before`` is ``before[before_offsets[k]:before_offsets[k + 1]]``).
    Sorted by document, then start and end; within a document edits never overlap."""

    names: tuple[str, ...]
    n_docs: int
    doc: np.ndarray
    start: np.ndarray
    end: np.ndarray
    op: np.ndarray
    before: np.ndarray
    before_offsets: np.ndarray
    after: np.ndarray
    after_offsets: np.ndarray

    def __len__(self) -> int:
        return int(self.start.size)

    @staticmethod
    def empty(names: Sequence[str], n_docs: int) -> EditColumns:
        zero = np.zeros(1, dtype=np.int64)
        return EditColumns(
            tuple(names), n_docs, _EMPTY_I, _EMPTY_I, _EMPTY_I, np.zeros(0, np.int16), _EMPTY_C, zero, _EMPTY_C, zero
        )

    def doc_bounds(self) -> np.ndarray:
        """Per document, where its edits begin (and, last, where all end): ``n_docs + 1`` offsets."""
        return np.searchsorted(self.doc, np.arange(self.n_docs + 1))

    def op_names(self) -> list[str]:
        names = self.names
        return [names[k] for k in self.op.tolist()]

    def before_strings(self) -> list[str]:
        return _strings(self.before, self.before_offsets)

    def after_strings(self) -> list[str]:
        return _strings(self.after, self.after_offsets)

    def edits(self) -> list[list[Edit]]:
        """Per document, its edits as ``Edit`` rows."""
        out: list[list[Edit]] = [[] for _ in range(self.n_docs)]
        if not len(self):
            return out
        rows = list(
            map(
                Edit,
                self.op_names(),
                self.start.tolist(),
                self.end.tolist(),
                self.before_strings(),
                self.after_strings(),
            )
        )
        bounds = self.doc_bounds().tolist()
        for d in np.unique(self.doc).tolist():
            out[d] = rows[bounds[d] : bounds[d + 1]]
        return out

    def rows(self) -> list[list[dict[str, Any]]]:
        """Per document, its edits as the dicts an ``edits`` column stores."""
        out: list[list[dict[str, Any]]] = [[] for _ in range(self.n_docs)]
        if not len(self):
            return out
        rows = [
            {"op": o, "start": s, "end": e, "before": b, "after": a}
            for o, s, e, b, a in zip(
                self.op_names(),
                self.start.tolist(),
                self.end.tolist(),
                self.before_strings(),
                self.after_strings(),
                strict=True,
            )
        ]
        bounds = self.doc_bounds().tolist()
        for d in np.unique(self.doc).tolist():
            out[d] = rows[bounds[d] : bounds[d + 1]]
        return out

    @staticmethod
    def from_edits(edits: Sequence[Sequence[Edit]], names: Sequence[str]) -> EditColumns:
        """Columns of per-document ``Edit`` rows (each sorted), ``names`` the operations' names."""
        flat = [e for doc in edits for e in doc]
        if not flat:
            return EditColumns.empty(names, len(edits))
        code = {}
        for k, name in enumerate(names):
            code.setdefault(name, k)
        n = len(flat)
        counts = np.fromiter(map(len, edits), dtype=np.int64, count=len(edits))

        def offsets(lengths) -> np.ndarray:
            out = np.zeros(n + 1, dtype=np.int64)
            np.cumsum(np.fromiter(lengths, dtype=np.int64, count=n), out=out[1:])
            return out

        return EditColumns(
            tuple(names),
            len(edits),
            np.repeat(np.arange(len(edits)), counts),
            np.fromiter((e.start for e in flat), dtype=np.int64, count=n),
            np.fromiter((e.end for e in flat), dtype=np.int64, count=n),
            np.fromiter((code[e.op] for e in flat), dtype=np.int16, count=n),
            codepoints("".join(e.before for e in flat)).astype(np.uint32),
            offsets(len(e.before) for e in flat),
            codepoints("".join(e.after for e in flat)).astype(np.uint32),
            offsets(len(e.after) for e in flat),
        )

    def to_arrow(self) -> Any:
        """The columns as a ``pyarrow.Table`` (doc, op, start, end, before, after); the two
        text columns are built from their buffers (UTF-8 offsets computed as arrays)."""
        import pyarrow as pa

        return pa.table(
            {
                "doc": pa.array(self.doc.astype(np.int32)),
                "op": pa.DictionaryArray.from_arrays(pa.array(self.op.astype(np.int32)), pa.array(list(self.names))),
                "start": pa.array(self.start),
                "end": pa.array(self.end),
                "before": arrow_strings(self.before, self.before_offsets),
                "after": arrow_strings(self.after, self.after_offsets),
            }
        )


def arrow_strings(cp: np.ndarray, offsets: np.ndarray) -> Any:
    """The strings ``cp[offsets[k]:offsets[k + 1]]`` (code points) as an Arrow string
    array, built from buffers: UTF-8 offsets computed as arrays, one decode for all."""
    import pyarrow as pa

    n = offsets.size - 1
    if not cp.size:
        return pa.StringArray.from_buffers(n, pa.py_buffer(np.zeros(n + 1, dtype=np.int32)), pa.py_buffer(b""))
    width = 1 + (cp >= 0x80).astype(np.int32) + (cp >= 0x800) + (cp >= 0x10000)
    byte_at = np.zeros(cp.size + 1, dtype=np.int32)
    np.cumsum(width, dtype=np.int32, out=byte_at[1:])
    data = decode(cp.astype(narrowest(int(cp.max())), copy=False)).encode("utf-8", "surrogatepass")
    return pa.StringArray.from_buffers(n, pa.py_buffer(byte_at[offsets]), pa.py_buffer(data))


def merge(parts: Sequence[tuple[int, OpEdits]]) -> tuple[OpEdits, np.ndarray]:
    """The edits of several operations (each with its code) in one set, sorted by start
    and end (ties kept in the operations' order), and each edit's code."""
    parts = [(code, e) for code, e in parts if len(e)]
    if not parts:
        return OpEdits.empty(), np.zeros(0, dtype=np.int16)
    start = np.concatenate([e.start for _, e in parts])
    end = np.concatenate([e.end for _, e in parts])
    lens = np.concatenate([e.after_len for _, e in parts])
    codes = np.concatenate([np.full(len(e), code, dtype=np.int16) for code, e in parts])
    order = np.argsort(start * 2 + (end > start), kind="stable")
    first = np.zeros(lens.size + 1, dtype=np.int64)
    np.cumsum(lens, out=first[1:])
    flat = np.concatenate([e.after for _, e in parts])
    idx = expand(first[:-1][order], lens[order])
    return OpEdits(start[order], end[order], flat[idx], lens[order]), codes[order]


def columns(
    edits: OpEdits, codes: np.ndarray, names: Sequence[str], chars: np.ndarray, doc_starts: np.ndarray
) -> EditColumns:
    """Sorted edits of the joined text (``chars``) as ``EditColumns`` in each document's coordinates."""
    n_docs = int(doc_starts.size)
    if not len(edits):
        return EditColumns.empty(names, n_docs)
    doc = np.searchsorted(doc_starts, edits.start, side="right") - 1
    base = doc_starts[doc]
    span = edits.end - edits.start
    before_offsets = np.zeros(span.size + 1, dtype=np.int64)
    np.cumsum(span, out=before_offsets[1:])
    after_offsets = np.zeros(span.size + 1, dtype=np.int64)
    np.cumsum(edits.after_len, out=after_offsets[1:])
    idx = expand(edits.start, span)
    return EditColumns(
        tuple(names),
        n_docs,
        doc,
        edits.start - base,
        edits.end - base,
        codes,
        chars[idx].astype(np.uint32),
        before_offsets,
        edits.after,
        after_offsets,
    )


def assemble(chars: np.ndarray, edits: OpEdits, doc_starts: np.ndarray, doc_lengths: np.ndarray) -> list[str]:
    """The garbled documents: ``chars`` (the joined clean text) with the sorted,
    non-overlapping ``edits`` made, cut back into documents.

    Replacements of the same length are written in place; then one pass drops the
    characters the other edits remove and places the text they insert.
    """
    top = int(edits.after.max()) if edits.after.size else 0
    wide = np.dtype(narrowest(top))
    out = chars.astype(wide) if wide.itemsize > chars.dtype.itemsize else chars.copy()
    span = edits.end - edits.start
    alen = edits.after_len
    offsets = np.cumsum(alen)
    offsets -= alen
    same = np.flatnonzero(span == alen)
    if same.size:
        at, src, width = edits.start[same], offsets[same], span[same]
        out[at] = edits.after[src]
        for j in range(1, int(width.max())):
            more = np.flatnonzero(width > j)
            out[at[more] + j] = edits.after[src[more] + j]
    moving = np.flatnonzero(span != alen)
    doc_ends = doc_starts + doc_lengths
    begin, end = doc_starts, doc_ends
    if moving.size:
        start, dlen, ilen = edits.start[moving], span[moving], alen[moving]
        gone = expand(start, dlen)
        if gone.size:
            keep = np.ones(out.size, dtype=bool)
            keep[gone] = False
            out = out[keep]
        if ilen.any():
            shift = np.cumsum(ilen - dlen)
            shift -= ilen - dlen
            placed = expand(start + shift, ilen)  # where the inserted text lands in the result
            final = np.empty(out.size + placed.size, dtype=out.dtype)
            inserted = np.zeros(final.size, dtype=bool)
            inserted[placed] = True
            final[placed] = edits.after[expand(offsets[moving], ilen)]
            final[~inserted] = out
            out = final
        change = np.zeros(start.size + 1, dtype=np.int64)
        np.cumsum(ilen - dlen, out=change[1:])
        begin = doc_starts + change[np.searchsorted(start, doc_starts, side="left")]
        end = doc_ends + change[np.searchsorted(start, doc_ends, side="right")]
    text = decode(out)
    return [text[b:e] for b, e in zip(begin.tolist(), end.tolist(), strict=True)]
