"""Stage: mark rows that should not be written, each with the reason.

Identical pairs (nothing to restore) are kept at the share ``filter.keep_identical``:
a restoration model must also learn to leave correct text alone. Which ones is fixed by
the seed, the document's text hash and the row's place in it, so the choice is the same
in every run, batch and worker.
"""

from __future__ import annotations

from typing import Any

from builder.core import reasons
from builder.core.seeding import unit_interval_of
from builder.pipeline.steps.base import Batch, Stage

UNALIGNED = ("1-0", "0-1")
#: The columns the rules read, in the order ``Filter._reason`` takes them.
_RULE_INPUTS = ("garbled", "clean", "align", "boilerplate", "kind", "align_score", "doc_hash", "unit_idx")


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
        self.drop_boilerplate = drop_boilerplate
        self.seed = seed
        # read once: a config lookup costs more than a row's checks
        self.drop_unaligned = bool(section.drop_unaligned)
        self.min_chars, self.max_chars = section.min_chars, section.max_chars
        self.max_length_ratio = section.max_length_ratio
        self.keep_identical = section.keep_identical
        self.min_align_score = section.min_align_score

    def keeps_identical(self, doc_hash: str, unit_idx: int) -> bool:
        share = self.keep_identical
        if share >= 1:
            return True
        return share > 0 and unit_interval_of(self.seed, "keep_identical")(doc_hash, unit_idx) < share

    def reason(self, row: dict[str, Any]) -> str:
        """Why ``row`` is not written ("" when it is), by the first rule it breaks."""
        return self._reason(*(row[c] for c in _RULE_INPUTS))

    def _reason(
        self, g: str, c: str, align: str, boilerplate: str, kind: str, score: float, doc_hash: str, unit_idx: int
    ) -> str:
        if self.drop_unaligned and align in UNALIGNED:
            return reasons.UNALIGNED
        if self.drop_boilerplate and boilerplate:
            return reasons.BOILERPLATE
        shorter, longer = (len(g), len(c)) if len(g) <= len(c) else (len(c), len(g))
        if shorter < self.min_chars:
            return reasons.TOO_SHORT
        if longer > self.max_chars:
            return reasons.TOO_LONG
        if longer > self.max_length_ratio * max(1, shorter):
            return reasons.LENGTH_RATIO
        if g == c and not self.keeps_identical(doc_hash, unit_idx):
            return reasons.IDENTICAL
        if kind == "real" and score < self.min_align_score:
            return reasons.LOW_ALIGN_SCORE
        return ""

    def __call__(self, batch: Batch) -> Batch:
        drop = list(batch["drop"])
        rule = self._reason
        columns = zip(batch["reject"], *(batch[c] for c in _RULE_INPUTS), strict=True)
        for i, (reject, *row) in enumerate(columns):
            if drop[i] or reject:
                continue
            drop[i] = rule(*row)
        return {**batch, "drop": drop}
