"""Stage: mark rows that should not be written, each with the reason.

Identical pairs (nothing to restore) are kept at the share ``filter.keep_identical``:
a restoration model must also learn to leave correct text alone. Which ones is fixed by
the seed, the document's text hash and the row's place in it, so the choice is the same
in every run, batch and worker.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from builder.core import reasons
from builder.core.seeding import unit_interval_of
from builder.pipeline.steps.base import Batch, Stage, batch_len

UNALIGNED = ("1-0", "0-1")
#: The columns the rules read.
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
        one = {c: [row[c]] for c in _RULE_INPUTS}
        return self({**one, "drop": [""], "reject": [""]})["drop"][0]

    def __call__(self, batch: Batch) -> Batch:
        """Each rule checked for every row at once, the first rule a row breaks naming
        its reason: a Python call a row cost more than all the rules' array passes."""
        n = batch_len(batch)
        drop = batch["drop"]
        if not n:
            return {**batch, "drop": list(drop)}
        garbled, clean = batch["garbled"], batch["clean"]
        g_len = np.fromiter(map(len, garbled), dtype=np.int64, count=n)
        c_len = np.fromiter(map(len, clean), dtype=np.int64, count=n)
        shorter, longer = np.minimum(g_len, c_len), np.maximum(g_len, c_len)
        rules: list[tuple[str, np.ndarray]] = []
        if self.drop_unaligned:
            rules.append((reasons.UNALIGNED, _flags(map(UNALIGNED.__contains__, batch["align"]), n)))
        if self.drop_boilerplate:
            rules.append((reasons.BOILERPLATE, _flags(batch["boilerplate"], n)))
        rules += [
            (reasons.TOO_SHORT, shorter < self.min_chars),
            (reasons.TOO_LONG, longer > self.max_chars),
            (reasons.LENGTH_RATIO, longer > self.max_length_ratio * np.maximum(1, shorter)),
            (reasons.IDENTICAL, self._identical_dropped(batch, _flags(map(str.__eq__, garbled, clean), n))),
        ]
        real = np.flatnonzero(_flags(map("real".__eq__, batch["kind"]), n))
        if real.size:
            low = np.zeros(n, dtype=bool)
            low[real] = [batch["align_score"][i] < self.min_align_score for i in real.tolist()]
            rules.append((reasons.LOW_ALIGN_SCORE, low))
        code = np.zeros(n, dtype=np.int64)  # 0: kept; k: the k-th rule, the first broken
        for k in range(len(rules), 0, -1):
            code[rules[k - 1][1]] = k
        names = ["", *(name for name, _ in rules)]
        out = list(drop)
        for i in np.flatnonzero(code).tolist():
            if not out[i] and not batch["reject"][i]:
                out[i] = names[code[i]]
        return {**batch, "drop": out}

    def _identical_dropped(self, batch: Batch, identical: np.ndarray) -> np.ndarray:
        """Which identical rows are not kept (``keep_identical``)."""
        if self.keep_identical >= 1 or not identical.any():
            return np.zeros(identical.size, dtype=bool)
        out = identical.copy()
        hashes, places = batch["doc_hash"], batch["unit_idx"]
        for i in np.flatnonzero(identical).tolist():
            out[i] = not self.keeps_identical(hashes[i], places[i])
        return out


def _flags(values: Any, n: int) -> np.ndarray:
    """Each value's truth, as a boolean array."""
    return np.fromiter(map(bool, values), dtype=bool, count=n)
