"""Documents garbled sentence by sentence: each sentence's garbled text and edits.

A recipe without structure noise leaves every sentence a group of its own, so a
document's pieces (``builder.noise.structure``) follow from its sentences alone. A batch
of such documents is garbled in array passes (``Recipe.apply_columns``), and each
sentence's garbled text is then cut out of its garbled document and its edits re-based
to it from the batch's edit columns: no edit is made twice and no sentence replayed,
which were most of the garbling's time. The units stage reads sentence rows straight
from ``GarbledSentences``; ``pieces`` gives the same pieces the structure path makes
for any other cut.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import numpy as np

from builder.core.edits import Edit
from builder.noise.columns import EditColumns, arrow_strings
from builder.noise.structure import Piece

_new_piece = tuple.__new__  # a Piece from all its fields, without NamedTuple's keyword handling
#: An edit's fields as the rows' ``edits`` column holds them.
EDIT_FIELDS = Edit._fields


class SentenceEdits:
    """Every sentence's edits of one garbled batch, relative to the sentence's start, kept
    as the batch's edit columns: made into ``Edit`` rows (once, for the whole batch) only
    when asked for (``of``), or straight into the Arrow list array the rows are written
    with (``arrow``: a list a sentence, in the batch's order)."""

    def __init__(self, cols: EditColumns, starts: np.ndarray, ends: np.ndarray, bounds: np.ndarray) -> None:
        self.cols, self.starts, self.ends = cols, starts, ends
        self.bounds = bounds  # sentence k's edits are bounds[k]:bounds[k + 1]
        self._rows: list[Edit] | None = None
        self._arrow: Any = None

    def of(self, first: int, stop: int) -> list[list[Edit]]:
        """The ``Edit`` rows of sentences ``first`` to ``stop``, a list a sentence."""
        if self._rows is None:
            cols = self.cols
            names, befores, afters = cols.op_names(), cols.before_strings(), cols.after_strings()
            self._rows = list(map(Edit, names, self.starts.tolist(), self.ends.tolist(), befores, afters))
        rows, bounds = self._rows, self.bounds[first : stop + 1].tolist()
        return [rows[a:b] for a, b in pairwise(bounds)]

    def arrow(self) -> Any:
        """A list array of every sentence's edits, typed as the rows' ``edits`` column."""
        if self._arrow is None:
            import pyarrow as pa

            cols = self.cols
            ops = pa.array(list(cols.names), pa.string()).take(pa.array(cols.op.astype(np.int32)))
            fields = [
                ops,
                pa.array(self.starts.astype(np.int32)),
                pa.array(self.ends.astype(np.int32)),
                arrow_strings(cols.before, cols.before_offsets),
                arrow_strings(cols.after, cols.after_offsets),
            ]
            edits = pa.StructArray.from_arrays(fields, names=list(EDIT_FIELDS))
            self._arrow = pa.ListArray.from_arrays(pa.array(self.bounds.astype(np.int32)), edits)
        return self._arrow


@dataclass(frozen=True, slots=True, eq=False)
class GarbledSentences:
    """One document: its clean text, its sentence spans, and per sentence the garbled
    text and the boilerplate tag; its edits are sentences ``first`` on of ``batch_edits``."""

    text: str
    spans: list[tuple[int, int]]
    garbled: list[str]
    tags: list[str]
    batch_edits: SentenceEdits
    first: int

    @property
    def edits(self) -> list[list[Edit]]:
        """Per sentence, its edits (relative to the sentence's start, in order)."""
        return self.batch_edits.of(self.first, self.first + len(self.spans))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, GarbledSentences):
            return NotImplemented
        mine = (self.text, self.spans, self.garbled, self.tags, self.edits)
        return mine == (other.text, other.spans, other.garbled, other.tags, other.edits)

    def clean(self) -> list[str]:
        text = self.text
        return [text[lo:hi] for lo, hi in self.spans]

    def pieces(self) -> list[Piece]:
        """The document as pieces: each sentence a group, the text between sentences
        (and after the last) unchanged separators."""
        text, garbled, edits, tags = self.text, self.garbled, self.edits, self.tags
        pieces: list[Piece] = []
        pos = 0
        for k, (lo, hi) in enumerate(self.spans):
            if lo > pos or pieces:
                sep = text[pos:lo]
                pieces.append(_new_piece(Piece, (sep, sep, [], False, (), 0, (), 1.0, "", "")))
            pieces.append(_new_piece(Piece, (text[lo:hi], garbled[k], edits[k], True, (k,), 1, (), 1.0, tags[k], "")))
            pos = hi
        if pos < len(text):
            rest = text[pos:]
            pieces.append(_new_piece(Piece, (rest, rest, [], False, (), 0, (), 1.0, "", "")))
        return pieces


def sentences_of(
    texts: Sequence[str],
    spans: Sequence[Sequence[tuple[int, int]]],
    tags: Sequence[Sequence[str]],
    garbled: Sequence[str],
    cols: EditColumns,
) -> list[GarbledSentences]:
    """Each document's sentences, from the batch's garbled documents and edit columns.

    Every edit must lie inside one sentence (an insertion between two that touch belongs
    to the first) and the spans of a document must be in order without overlap:
    ValueError otherwise, so an edit can never be lost between sentences."""
    counts = np.fromiter(map(len, spans), dtype=np.int64, count=len(spans))
    n_sents = int(counts.sum())
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    base = np.zeros(len(texts), dtype=np.int64)  # each document's place on one line: sentences sort across documents
    np.cumsum(lengths[:-1] + 1, out=base[1:])
    flat = np.fromiter((p for doc in spans for s in doc for p in s), dtype=np.int64, count=2 * n_sents).reshape(-1, 2)
    sent_doc = np.repeat(np.arange(len(texts)), counts)
    lo, hi = flat[:, 0], flat[:, 1]
    if n_sents and (
        (lo < 0).any()
        or (lo > hi).any()
        or (hi > lengths[sent_doc]).any()
        or (lo[1:] < hi[:-1])[sent_doc[1:] == sent_doc[:-1]].any()
    ):
        raise ValueError("sentence spans out of order, overlapping, or outside their text")
    first_sent = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(counts, out=first_sent[1:])

    at = _sentence_of_edits(cols, base, lo + base[sent_doc], hi + base[sent_doc], sent_doc)
    # the garbled sentence: lo and hi moved by the length change of the document's edits before each
    change = np.zeros(n_sents + 1, dtype=np.int64)
    if len(cols):
        grown = (cols.after_offsets[1:] - cols.after_offsets[:-1]) - (cols.end - cols.start)
        np.cumsum(np.bincount(at, weights=grown, minlength=n_sents).astype(np.int64), out=change[1:])
    before = change[:-1] - change[first_sent[sent_doc]]  # the change of the sentence's document before it
    g_lo, g_hi = (lo + before).tolist(), (hi + change[1:] - change[first_sent[sent_doc]]).tolist()

    bounds = np.searchsorted(at, np.arange(n_sents + 1))
    batch_edits = SentenceEdits(cols, cols.start - lo[at], cols.end - lo[at], bounds)
    out: list[GarbledSentences] = []
    for d, (first, stop) in enumerate(pairwise(first_sent.tolist())):
        doc_garbled = garbled[d]
        out.append(
            GarbledSentences(
                texts[d],
                [tuple(s) for s in spans[d]],
                [doc_garbled[a:b] for a, b in zip(g_lo[first:stop], g_hi[first:stop], strict=True)],
                list(tags[d]),
                batch_edits,
                first,
            )
        )
    return out


def _sentence_of_edits(
    cols: EditColumns, base: np.ndarray, lo: np.ndarray, hi: np.ndarray, sent_doc: np.ndarray
) -> np.ndarray:
    """The sentence (numbered across the batch) each edit lies in: the first whose end
    is at or after the edit's, which must also hold its start."""
    if not len(cols):
        return np.zeros(0, dtype=np.int64)
    start, end = cols.start + base[cols.doc], cols.end + base[cols.doc]
    at = np.searchsorted(hi, end, side="left")
    inside = at < hi.size
    inside[inside] &= (lo[at[inside]] <= start[inside]) & (sent_doc[at[inside]] == cols.doc[inside])
    if not inside.all():
        k = int(np.argmin(inside))
        raise ValueError(
            f"edit at ({int(cols.start[k])}, {int(cols.end[k])}) of document {int(cols.doc[k])} lies in no sentence"
        )
    return at
