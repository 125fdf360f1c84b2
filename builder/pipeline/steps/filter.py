"""Stage: mark rows that should not be written, each with the reason.

Identical pairs (nothing to restore) are kept at the share ``filter.keep_identical``:
a restoration model must also learn to leave correct text alone. Which ones is fixed by
the seed, the document's text hash and the row's place in it, so the choice is the same
in every run, batch and worker.
"""

from __future__ import annotations

from typing import Any

from builder.core import reasons
from builder.core.seeding import unit_interval
from builder.pipeline.steps.base import Batch, Stage, batch_len

UNALIGNED = ("1-0", "0-1")


class Filter(Stage):
    name = "filter"
    inputs = (
        "kind",
        "garbled",
        "clean",
        "align",
        "align_score",
        "boilerplate",
        "doc_hash",
        "unit_idx",
        "drop",
        "reject",
    )
    outputs = ("drop",)

    def __init__(self, section: Any, drop_boilerplate: bool = False, seed: int = 0) -> None:
        self.f = section
        self.drop_boilerplate = drop_boilerplate
        self.seed = seed

    def keeps_identical(self, row: dict[str, Any]) -> bool:
        share = self.f.keep_identical
        if share >= 1:
            return True
        return share > 0 and unit_interval(self.seed, "keep_identical", row["doc_hash"], row["unit_idx"]) < share

    def reason(self, row: dict[str, Any]) -> str:
        f = self.f
        g, c = row["garbled"], row["clean"]
        if f.drop_unaligned and row["align"] in UNALIGNED:
            return reasons.UNALIGNED
        if self.drop_boilerplate and row["boilerplate"]:
            return reasons.BOILERPLATE
        if min(len(g), len(c)) < f.min_chars:
            return reasons.TOO_SHORT
        if max(len(g), len(c)) > f.max_chars:
            return reasons.TOO_LONG
        if max(len(g), len(c)) > f.max_length_ratio * max(1, min(len(g), len(c))):
            return reasons.LENGTH_RATIO
        if g == c and not self.keeps_identical(row):
            return reasons.IDENTICAL
        if row["kind"] == "real" and row["align_score"] < f.min_align_score:
            return reasons.LOW_ALIGN_SCORE
        return ""

    def __call__(self, batch: Batch) -> Batch:
        drop = list(batch["drop"])
        for i in range(batch_len(batch)):
            if drop[i] or batch["reject"][i]:
                continue
            drop[i] = self.reason({c: batch[c][i] for c in self.inputs})
        return {**batch, "drop": drop}
