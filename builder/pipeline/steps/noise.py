"""Stage: synthetic garbling of clean documents, every edit recorded.

A document not in English (``builder.noise.language``) is garbled with the recipe's
script-neutral part (``Recipe.script_neutral``): the word tables are English. Each
document is garbled by its own recipe alone, so it comes out the same in any batch.
"""

from __future__ import annotations

from typing import Any

from builder.noise.document import garble_batch
from builder.noise.language import is_english
from builder.noise.recipe import Recipe
from builder.pipeline.steps.base import Batch, DocStage, batch_len


class Noise(DocStage):
    name = "noise"
    inputs = ("doc_id", "clean", "garbled", "clean_sents", "lang")
    outputs = ("noise_pieces",)

    def __init__(self, recipe: Recipe, seed: int, apply_to: str = "clean_only", default_lang: str = "en") -> None:
        """``recipe`` is made by the application (from the ``noise`` section, or from a
        noise profile); ``apply_to="all"`` also garbles documents that have a garbled side;
        ``default_lang`` is the language of a document whose ``lang`` is empty."""
        self.recipe = recipe
        self.seed = int(seed)
        self.all_docs = apply_to == "all"
        self.default_lang = default_lang

    def recipe_for(self, lang: str | None) -> Recipe:
        """The recipe for a document in ``lang``."""
        return self.recipe if is_english(lang, self.default_lang) else self.recipe.script_neutral()

    def __call__(self, batch: Batch) -> Batch:
        """All documents of the batch to garble in one call per recipe: the operations
        make their array passes once per batch (each document still comes out as it would
        alone)."""
        n = batch_len(batch)
        pieces: list = [None] * n
        langs = batch["lang"] if "lang" in batch else [None] * n
        todo = [
            i
            for i in range(n)
            if not batch["reject"][i] and batch["clean_sents"][i] and (self.all_docs or not batch["garbled"][i])
        ]
        groups: dict[bool, list[int]] = {}
        for i in todo:
            groups.setdefault(is_english(langs[i], self.default_lang), []).append(i)
        try:
            for english, group in groups.items():
                made = garble_batch(
                    self.recipe if english else self.recipe.script_neutral(),
                    [batch["clean"][i] for i in group],
                    [[(s.start, s.end) for s in batch["clean_sents"][i]] for i in group],
                    self.seed,
                    [batch["doc_id"][i] for i in group],
                    [[s.tag for s in batch["clean_sents"][i]] for i in group],
                )
                for i, p in zip(group, made, strict=True):
                    pieces[i] = p
        except Exception:
            return super().__call__(batch)
        return {**batch, "noise_pieces": pieces}

    def process(self, doc: dict[str, Any]) -> dict[str, Any]:
        sents = doc["clean_sents"]
        if (doc["garbled"] and not self.all_docs) or not sents:
            return {"noise_pieces": None}
        spans = [(s.start, s.end) for s in sents]
        pieces = garble_batch(
            self.recipe_for(doc.get("lang")),
            [doc["clean"]],
            [spans],
            self.seed,
            [doc["doc_id"]],
            [[s.tag for s in sents]],
        )
        return {"noise_pieces": pieces[0]}
