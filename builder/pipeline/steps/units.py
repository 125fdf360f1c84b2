"""Stage: documents become rows, one per unit (or one marker row when none is left).

Every document leaves at least one row, so the ledger can account for it: a
rejected document leaves a row carrying its reject reason, and a document that
yields no unit leaves a row already marked as dropped.
"""

from __future__ import annotations

from operator import itemgetter
from typing import Any

from builder.core import reasons
from builder.core.schema import WORK_COLUMNS
from builder.core.seeding import stable_hex
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

    def _units(self, doc: dict[str, Any]) -> list[tuple[str, str, Unit]]:
        """(kind, recipe, unit) for each unit of one document."""
        out = []
        if doc.get("groups"):
            pieces = real_pieces(doc["groups"], doc["garbled"], doc["clean"], doc["garbled_sents"], doc["clean_sents"])
            out += [("real", "", u) for u in cut(pieces, self.level, self.max_chars, self.isolate)]
        if doc.get("noise_pieces") is not None:
            units = cut(doc["noise_pieces"], self.level, self.max_chars, self.isolate)
            out += [("synthetic", self.recipe, u) for u in units]
        return out

    def __call__(self, batch: Batch) -> Batch:
        out: list[tuple] = []  # rows as tuples in WORK_COLUMNS order, turned into columns at the end
        for i in range(batch_len(batch)):
            doc = {c: batch[c][i] if c in batch else None for c in (*self.inputs, *self.optional_inputs)}
            base = {c: doc[c] for c in DOC_CARRY}
            base["doc_hash"] = stable_hex(" ".join((doc["clean"] or "").lower().split()))
            units: list[tuple[str, str, Unit]] = []
            if not doc["reject"]:
                try:
                    units = self._units(doc)
                except Exception as exc:
                    base["reject"], base["reject_detail"] = reasons.STAGE_ERROR, error_detail(self.name, exc)
            if base["reject"]:
                base["split"] = ""  # a rejected document is in no split
            if not units:
                drop = "" if base["reject"] else reasons.NO_UNITS
                out.append(_ROW({**base, **_marker(doc["doc_id"]), "drop": drop}))
                continue
            # the document's row once, then each unit's fields set in place (a dict a row cost a third of the stage)
            template = _ROW({**base, **_marker(doc["doc_id"]), "drop": ""})
            for k, (kind, recipe, u) in enumerate(units):
                row = list(template)
                row[_ID] = f"{doc['doc_id']}/{recipe or kind}/{k:04d}"
                row[_KIND], row[_RECIPE], row[_UNIT_IDX] = kind, recipe, k
                row[_GARBLED], row[_CLEAN], row[_ALIGN] = u.garbled, u.clean, u.align
                row[_ALIGN_SCORE] = round(float(u.align_score), 6)
                row[_EDITS] = u.edits  # Edit tuples: Arrow reads a tuple as a struct, field by field
                row[_BOILERPLATE] = u.boilerplate
                out.append(row)
        columns = zip(*out, strict=True) if out else ([] for _ in WORK_COLUMNS)
        return dict(zip(WORK_COLUMNS, map(list, columns), strict=True))


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


#: A row (a dict) as a tuple in WORK_COLUMNS order.
_ROW = itemgetter(*WORK_COLUMNS)
_ID, _KIND, _RECIPE, _UNIT_IDX, _GARBLED, _CLEAN, _ALIGN, _ALIGN_SCORE, _EDITS, _BOILERPLATE = map(
    WORK_COLUMNS.index,
    ("id", "kind", "recipe", "unit_idx", "garbled", "clean", "align", "align_score", "edits", "boilerplate"),
)
