"""Stage: mark rows that should not be written, each with the reason."""

from __future__ import annotations

from typing import Any

from builder.pipeline.steps.base import Batch, Stage, batch_len

UNALIGNED = ("1-0", "0-1")


class Filter(Stage):
    name = "filter"
    inputs = ("kind", "garbled", "clean", "align", "align_score", "boilerplate", "drop", "reject")
    outputs = ("drop",)

    def __init__(self, section: Any, drop_boilerplate: bool = False) -> None:
        self.f = section
        self.drop_boilerplate = drop_boilerplate

    def reason(self, row: dict[str, Any]) -> str:
        f = self.f
        g, c = row["garbled"], row["clean"]
        if f.drop_unaligned and row["align"] in UNALIGNED:
            return "unaligned"
        if self.drop_boilerplate and row["boilerplate"]:
            return "boilerplate"
        if min(len(g), len(c)) < f.min_chars:
            return "too_short"
        if max(len(g), len(c)) > f.max_chars:
            return "too_long"
        if max(len(g), len(c)) > f.max_length_ratio * max(1, min(len(g), len(c))):
            return "length_ratio"
        if f.drop_identical and g == c:
            return "identical"
        if row["kind"] == "real" and row["align_score"] < f.min_align_score:
            return "low_align_score"
        return ""

    def __call__(self, batch: Batch) -> Batch:
        drop = list(batch["drop"])
        for i in range(batch_len(batch)):
            if drop[i] or batch["reject"][i]:
                continue
            drop[i] = self.reason({c: batch[c][i] for c in self.inputs})
        return {**batch, "drop": drop}
