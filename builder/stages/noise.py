"""Stage: synthetic garbling of clean documents, every edit recorded."""

from __future__ import annotations

from typing import Any

from builder.config import ConfigError
from builder.noise.document import garble_document
from builder.noise.recipe import Recipe
from builder.stages.base import DocStage


class Noise(DocStage):
    name = "noise"
    inputs = ("doc_id", "clean", "garbled", "clean_sents")
    outputs = ("noise_pieces",)

    def __init__(self, cfg: Any) -> None:
        try:
            self.recipe = Recipe.from_config(cfg.noise)
        except ValueError as e:
            raise ConfigError(str(e)) from None
        self.seed = int(cfg.seed)
        self.all_docs = cfg.noise.apply_to == "all"

    def process(self, doc: dict[str, Any]) -> dict[str, Any]:
        sents = doc["clean_sents"]
        if (doc["garbled"] and not self.all_docs) or not sents:
            return {"noise_pieces": None}
        spans = [(s.start, s.end) for s in sents]
        tags = [s.tag for s in sents]
        return {"noise_pieces": garble_document(self.recipe, doc["clean"], spans, self.seed, doc["doc_id"], tags)}
