"""Stage: sentences (with offsets and boilerplate tags) for both sides of each document."""

from __future__ import annotations

from typing import Any

from builder.pipeline.steps.base import DocStage
from builder.text.segment import Segmenter


class Segment(DocStage):
    name = "segment"
    inputs = ("clean", "garbled")
    outputs = ("clean_sents", "garbled_sents")

    def __init__(self, section: Any) -> None:
        self.paragraphs = section.paragraphs
        self.extra = tuple(section.extra_abbreviations)
        self.min_chars = section.min_chars
        self._segmenter: Segmenter | None = None

    @property
    def segmenter(self) -> Segmenter:  # built lazily: cheap to pickle into workers
        if self._segmenter is None:
            self._segmenter = Segmenter(self.paragraphs, self.extra)
        return self._segmenter

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_segmenter": None}

    def process(self, doc: dict[str, Any]) -> dict[str, Any]:
        out = {}
        for side in ("clean", "garbled"):
            sents = self.segmenter.split(doc[side]) if doc[side] else []
            out[f"{side}_sents"] = [s for s in sents if s.end - s.start >= self.min_chars]
        return out
