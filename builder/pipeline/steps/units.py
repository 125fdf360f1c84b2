"""Stage: documents become rows, one per unit (or one marker row when none is left).

Every document leaves at least one row, so the ledger can account for it: a
rejected document leaves a row carrying its reject reason, and a document that
yields no unit leaves a row already marked as dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain, repeat
from typing import Any

import numpy as np
import pyarrow as pa

from builder.core import reasons
from builder.core.edits import Edit, EditsColumn
from builder.core.schema import WORK_COLUMNS
from builder.core.seeding import stable_hex
from builder.noise.sentences import GarbledSentences, SentenceEdits
from builder.pipeline.steps.base import Batch, Stage, batch_len, error_detail
from builder.pipeline.units import Unit, cut, real_pieces

DOC_CARRY = ("doc_seq", "doc_id", "origin", "source", "lang", "date", "split", "reject", "reject_detail")


class Units(Stage):
    name = "units"
    inputs = (*DOC_CARRY, "clean", "garbled", "clean_sents", "garbled_sents")
    optional_inputs = ("groups", "noise_pieces")  # present when align / noise ran
    outputs = WORK_COLUMNS
    replaces_columns = True

    def __init__(self, section: Any, isolate_boilerplate: bool = False, recipe_name: str = "") -> None:
        """``isolate_boilerplate``: boilerplate sentences become units of their own (so the
        filter can drop them); ``recipe_name`` is recorded in synthetic rows."""
        self.level = section.level
        self.max_chars = section.max_chars
        self.isolate = isolate_boilerplate
        self.recipe = recipe_name

    def _units(self, doc: dict[str, Any], rows: _UnitRows) -> int:
        """Add the rows of one document's units to ``rows``; how many."""
        n = 0
        if doc.get("groups"):
            pieces = real_pieces(doc["groups"], doc["garbled"], doc["clean"], doc["garbled_sents"], doc["clean_sents"])
            n += rows.add_units(doc["doc_id"], "real", "", cut(pieces, self.level, self.max_chars, self.isolate), n)
        noise = doc.get("noise_pieces")
        if isinstance(noise, GarbledSentences) and self.level == "sentence":
            n += rows.add_sentences(doc["doc_id"], self.recipe, noise, n)
        elif noise is not None:
            pieces = noise.pieces() if isinstance(noise, GarbledSentences) else noise
            n += rows.add_units(
                doc["doc_id"], "synthetic", self.recipe, cut(pieces, self.level, self.max_chars, self.isolate), n
            )
        return n

    def __call__(self, batch: Batch) -> Batch:
        """The rows of every document, built column by column: a document's own values
        once, repeated over its rows (a dict or list a row cost a third of the stage)."""
        n = batch_len(batch)
        columns = {c: batch[c] if c in batch else [None] * n for c in (*self.inputs, *self.optional_inputs)}
        carried = {c: list(columns[c]) for c in DOC_CARRY}
        doc_hash: list[str] = []
        counts: list[int] = []
        rows = _UnitRows()
        for i in range(n):
            doc = {c: v[i] for c, v in columns.items()}
            doc_hash.append(stable_hex(" ".join((doc["clean"] or "").lower().split())))
            made = 0
            if not doc["reject"]:
                try:
                    made = self._units(doc, rows)
                except Exception as exc:
                    rows.cut_back(sum(counts))  # the rows of this document made before it failed
                    made = 0
                    carried["reject"][i] = reasons.STAGE_ERROR
                    carried["reject_detail"][i] = error_detail(self.name, exc)
            if carried["reject"][i]:
                carried["split"][i] = ""  # a rejected document is in no split
            if not made:
                rows.add_marker(doc["doc_id"], "" if carried["reject"][i] else reasons.NO_UNITS)
                made = 1
            counts.append(made)
        out = {c: _repeated(carried[c], counts) for c in DOC_CARRY}
        out["doc_hash"] = _repeated(doc_hash, counts)
        out.update(rows.columns())
        return {c: out[c] for c in WORK_COLUMNS}


def _repeated(values: list, counts: list[int]) -> list:
    """Each value as many times as its count, in order."""
    return list(chain.from_iterable(map(repeat, values, counts)))


class _UnitRows:
    """The row columns of the units made so far (those that differ from row to row)."""

    def __init__(self) -> None:
        self.id: list[str] = []
        self.kind: list[str] = []
        self.recipe: list[str] = []
        self.unit_idx: list[int] = []
        self.garbled: list[str] = []
        self.clean: list[str] = []
        self.align: list[str] = []
        self.align_score: list[float] = []
        self.edits: list[list[Edit] | None] = []
        self.boilerplate: list[str] = []
        self.drop: list[str] = []
        #: rows whose edits are still a garbled batch's columns (None in ``edits``):
        #: (first row, the batch's edits, first sentence, rows)
        self.from_columns: list[tuple[int, SentenceEdits, int, int]] = []

    def add_units(self, doc_id: str, kind: str, recipe: str, units: list[Unit], first: int) -> int:
        """Rows of ``units``, numbered from ``first`` in their document."""
        if not units:
            return 0
        m = len(units)
        label = recipe or kind
        self.id += _ids(f"{doc_id}/{label}/", first, m)
        self.kind += [kind] * m
        self.recipe += [recipe] * m
        self.unit_idx += range(first, first + m)
        garbled, clean, align, score, edits, tag = zip(*units, strict=True)
        self.garbled += garbled
        self.clean += clean
        self.align += align
        self.align_score += [round(float(x), 6) for x in score]
        self.edits += edits  # Edit tuples: Arrow reads a tuple as a struct, field by field
        self.boilerplate += tag
        self.drop += [""] * m
        return m

    def add_sentences(self, doc_id: str, recipe: str, doc: GarbledSentences, first: int) -> int:
        """Rows of a document garbled sentence by sentence, a sentence a row: each its
        own group, so aligned one to one with a score of 1."""
        m = len(doc.spans)
        if not m:
            return 0
        self.id += _ids(f"{doc_id}/{recipe or 'synthetic'}/", first, m)
        self.kind += ["synthetic"] * m
        self.recipe += [recipe] * m
        self.unit_idx += range(first, first + m)
        self.garbled += doc.garbled
        self.clean += doc.clean()
        self.align += ["1-1"] * m
        self.align_score += [1.0] * m
        self.from_columns.append((len(self.edits), doc.batch_edits, doc.first, m))
        self.edits += [None] * m
        self.boilerplate += doc.tags
        self.drop += [""] * m
        return m

    def add_marker(self, doc_id: str, drop: str) -> None:
        """The one row of a document that leaves no unit."""
        marker = _marker(doc_id)
        for c in _UNIT_COLUMNS:
            getattr(self, c).append(marker[c])
        self.drop.append(drop)

    def cut_back(self, rows: int) -> None:
        """Forget every row after the first ``rows``."""
        for c in (*_UNIT_COLUMNS, "drop"):
            del getattr(self, c)[rows:]
        self.from_columns = [part for part in self.from_columns if part[0] < rows]

    def columns(self) -> dict[str, Any]:
        n = len(self.id)
        out = {c: getattr(self, c) for c in (*_UNIT_COLUMNS, "drop")}
        out["edits"] = self._edits()
        return {**out, "cer": [None] * n, "wer": [None] * n}

    def _edits(self) -> Sequence:
        """The edits column: when every sentence row's edits are one garbled batch's and
        the other rows have none, taken from that batch's Arrow array in one ``take``
        (no ``Edit`` made a row); else ``Edit`` rows for all."""
        edits = self.edits
        batches = {id(batch): batch for _, batch, _, _ in self.from_columns}
        covered = sum(m for _, _, _, m in self.from_columns)
        if len(batches) == 1 and sum(map(bool, edits)) == 0 and edits.count(None) == covered:
            (batch,) = batches.values()
            array = batch.arrow()
            empty = len(array)  # the place of an empty list, appended for the other rows
            at = np.full(len(edits), empty, dtype=np.int64)
            for row, _, first, m in self.from_columns:
                at[row : row + m] = np.arange(first, first + m)
            with_empty = pa.concat_arrays([array, pa.array([[]], array.type)])
            return EditsColumn(with_empty.take(pa.array(at)))
        for row, batch, first, m in self.from_columns:
            edits[row : row + m] = batch.of(first, first + m)
        return edits


#: A row's place in its document as its id writes it (4 digits, more when it takes more).
_PLACES = [f"{k:04d}" for k in range(10000)]


def _ids(prefix: str, first: int, m: int) -> list[str]:
    """The ids of ``m`` rows of a document from place ``first``: ``prefix`` and the place."""
    if first + m <= len(_PLACES):
        return [prefix + place for place in _PLACES[first : first + m]]
    return [f"{prefix}{k:04d}" for k in range(first, first + m)]


#: The columns a unit sets (``drop`` and the rates aside).
_UNIT_COLUMNS = ("id", "kind", "recipe", "unit_idx", "garbled", "clean", "align", "align_score", "edits", "boilerplate")


def _marker(doc_id: str) -> dict[str, Any]:
    return {
        "id": f"{doc_id}/-/0000",
        "kind": "",
        "recipe": "",
        "unit_idx": 0,
        "garbled": "",
        "clean": "",
        "align": "",
        "align_score": 0.0,
        "edits": [],
        "boilerplate": "",
        "cer": None,
        "wer": None,
    }


def reject_row(doc: dict[str, Any], reason: str, detail: str) -> dict[str, Any]:
    """The one row a document leaves when it cannot be processed: it carries the reason."""
    return {
        **{c: doc.get(c) or "" for c in DOC_CARRY},
        "doc_seq": doc["doc_seq"],
        **_marker(doc["doc_id"]),
        "doc_hash": "",
        "split": "",
        "drop": "",
        "reject": reason,
        "reject_detail": detail,
    }
