"""Stage: sentence groups for every document that has a garbled side."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from builder.align.aligner import Aligner, AlignerParams
from builder.stages.base import DocStage


class Align(DocStage):
    name = "align"
    inputs = ("clean", "garbled", "clean_sents", "garbled_sents")
    outputs = ("groups",)

    def __init__(self, cfg: Any) -> None:
        params = {f.name: getattr(cfg.align, f.name) for f in fields(AlignerParams)}
        self.aligner = Aligner(AlignerParams(**params))

    def process(self, doc: dict[str, Any]) -> dict[str, Any]:
        gs, cs = doc["garbled_sents"], doc["clean_sents"]
        if not gs:
            return {"groups": None}
        g_text = [doc["garbled"][s.start : s.end] for s in gs]
        c_text = [doc["clean"][s.start : s.end] for s in cs]
        return {"groups": self.aligner.align(g_text, c_text)}
