"""Stage: sentence groups for every document that has a garbled side."""

from __future__ import annotations

from typing import Any

from builder.align.aligner import Aligner, AlignerParams
from builder.stages.base import DocStage


class Align(DocStage):
    name = "align"
    inputs = ("clean", "garbled", "clean_sents", "garbled_sents")
    outputs = ("groups",)

    def __init__(self, cfg: Any) -> None:
        a = cfg.align
        self.aligner = Aligner(
            AlignerParams(
                a.ngram, a.max_group, a.threshold, a.merge_cost, a.skip_cost, a.max_exact_cells, a.block, a.margin
            )
        )

    def process(self, doc: dict[str, Any]) -> dict[str, Any]:
        gs, cs = doc["garbled_sents"], doc["clean_sents"]
        if not gs:
            return {"groups": None}
        g_text = [doc["garbled"][s.start : s.end] for s in gs]
        c_text = [doc["clean"][s.start : s.end] for s in cs]
        return {"groups": self.aligner.align(g_text, c_text)}
