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

import numpy as np

from builder.core.edits import Edit
from builder.noise.columns import EditColumns
from builder.noise.structure import Piece

_new_piece = tuple.__new__  # a Piece from all its fields, without NamedTuple's keyword handling


@dataclass(frozen=True, slots=True)
class GarbledSentences:
    """One document: its clean text, its sentence spans, and per sentence the garbled
    text, the edits (relative to the sentence's start, in order) and the boilerplate tag."""

    text: str
    spans: list[tuple[int, int]]
    garbled: list[str]
    edits: list[list[Edit]]
    tags: list[str]

    def clean(self) -> list[str]:
        text = self.text
        return [text[lo:hi] for lo, hi in self.spans]

    def pieces(self) -> list[Piece]:
        """The document as pieces: each sentence a group, the text between sentences
        (and after the last) unchanged separators."""
        text = self.text
        pieces: list[Piece] = []
        pos = 0
        for k, (lo, hi) in enumerate(self.spans):
            if lo > pos or pieces:
                sep = text[pos:lo]
                pieces.append(_new_piece(Piece, (sep, sep, [], False, (), 0, (), 1.0, "", "")))
            fields = (text[lo:hi], self.garbled[k], self.edits[k], True, (k,), 1, (), 1.0, self.tags[k], "")
            pieces.append(_new_piece(Piece, fields))
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

    edit_rows = _edit_rows(cols, (cols.start - lo[at]).tolist(), (cols.end - lo[at]).tolist()) if len(cols) else []
    bounds = np.searchsorted(at, np.arange(n_sents + 1)).tolist() if len(cols) else [0] * (n_sents + 1)
    out: list[GarbledSentences] = []
    for d, (first, stop) in enumerate(pairwise(first_sent.tolist())):
        doc_garbled = garbled[d]
        out.append(
            GarbledSentences(
                texts[d],
                [tuple(s) for s in spans[d]],
                [doc_garbled[a:b] for a, b in zip(g_lo[first:stop], g_hi[first:stop], strict=True)],
                [edit_rows[a:b] for a, b in pairwise(bounds[first : stop + 1])],
                list(tags[d]),
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


def _edit_rows(cols: EditColumns, starts: list[int], ends: list[int]) -> list[Edit]:
    """The edits as ``Edit`` rows with the given (sentence) coordinates."""
    return list(map(Edit, cols.op_names(), starts, ends, cols.before_strings(), cols.after_strings()))
