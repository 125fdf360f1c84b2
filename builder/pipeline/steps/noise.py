"""Stage: synthetic garbling of clean documents, every edit recorded."""

from __future__ import annotations

from typing import Any

from builder.noise.document import garble_documents
from builder.noise.recipe import Recipe
from builder.pipeline.steps.base import Batch, DocStage, batch_len


class Noise(DocStage):
    name = "noise"
    inputs = ("doc_id", "clean", "garbled", "clean_sents")
    outputs = ("noise_pieces",)

    def __init__(self, recipe: Recipe, seed: int, apply_to: str = "clean_only") -> None:
        """``recipe`` is made by the application (from the ``noise`` section, or from a
        noise profile); ``apply_to="all"`` also garbles documents that have a garbled side."""
        self.recipe = recipe
        self.seed = int(seed)
        self.all_docs = apply_to == "all"

    def __call__(self, batch: Batch) -> Batch:
        """All documents of the batch to garble in one call: the operations make their
        array passes once per batch (each document still comes out as it would alone)."""
        n = batch_len(batch)
        pieces: list = [None] * n
        todo = [
            i
            for i in range(n)
            if not batch["reject"][i] and batch["clean_sents"][i] and (self.all_docs or not batch["garbled"][i])
        ]
        if todo:
            try:
                made = garble_documents(
                    self.recipe,
                    [batch["clean"][i] for i in todo],
                    [[(s.start, s.end) for s in batch["clean_sents"][i]] for i in todo],
                    self.seed,
                    [batch["doc_id"][i] for i in todo],
                    [[s.tag for s in batch["clean_sents"][i]] for i in todo],
                )
                for i, p in zip(todo, made, strict=True):
                    pieces[i] = p
            except Exception:
                return super().__call__(batch)
        return {**batch, "noise_pieces": pieces}

    def process(self, doc: dict[str, Any]) -> dict[str, Any]:
        sents = doc["clean_sents"]
        if (doc["garbled"] and not self.all_docs) or not sents:
            return {"noise_pieces": None}
        spans = [(s.start, s.end) for s in sents]
        pieces = garble_documents(
            self.recipe, [doc["clean"]], [spans], self.seed, [doc["doc_id"]], [[s.tag for s in sents]]
        )
        return {"noise_pieces": pieces[0]}
