"""Stage: sentence groups for every document that has a garbled side.

A document whose two sides do not belong together (a scraped record holding the clean
text of another article) is rejected whole as ``unrelated_pair``: its groups would be
chance matches, and no row of it may reach the dataset. The rule and its measure are
:mod:`builder.align.relatedness`, the same that pairing uses. A long document is
aligned a window at a time (:mod:`builder.align.windows`), so memory stays that of an
ordinary article however long the document; one that fits a window is aligned whole.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from builder.align.aligner import Aligner, AlignerParams
from builder.align.relatedness import unrelated
from builder.align.windows import align_in_windows
from builder.core.reasons import UNRELATED_PAIR
from builder.pipeline.steps.base import DocStage, RejectDocument


class Align(DocStage):
    name = "align"
    inputs = ("clean", "garbled", "clean_sents", "garbled_sents")
    outputs = ("groups",)

    def __init__(self, section: Any) -> None:
        params = {f.name: getattr(section, f.name) for f in fields(AlignerParams)}
        self.aligner = Aligner(AlignerParams(**params))
        self.min_document_score = float(section.min_document_score)

    def process(self, doc: dict[str, Any]) -> dict[str, Any]:
        gs, cs = doc["garbled_sents"], doc["clean_sents"]
        if not gs:
            return {"groups": None}
        g_text = [doc["garbled"][s.start : s.end] for s in gs]
        c_text = [doc["clean"][s.start : s.end] for s in cs]
        groups = align_in_windows(self.aligner, g_text, c_text)  # memory of one window, not the document
        detail = unrelated(groups, len(g_text), len(c_text), self.min_document_score)
        if detail is not None:
            raise RejectDocument(UNRELATED_PAIR, detail)
        return {"groups": groups}
