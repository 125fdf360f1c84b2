"""Garbling whole documents: sentence structure first, then words and characters.

The result is a list of pieces per document (see ``structure``): the units stage cuts
rows from them, and the alignment benchmark reads the true sentence mapping off them.
A recipe without structure noise gives ``GarbledSentences`` instead (``garble_batch``),
whose pieces are the same. Documents are garbled a batch at a time; each comes out as
it would alone.
"""

from __future__ import annotations

from collections.abc import Sequence

from builder.core.seeding import rng_for
from builder.noise.recipe import Recipe
from builder.noise.sentences import GarbledSentences, sentences_of
from builder.noise.structure import Piece, build_pieces, plan


def garble_batch(
    recipe: Recipe,
    texts: Sequence[str],
    spans: Sequence[Sequence[tuple[int, int]]],
    seed: int,
    doc_ids: Sequence[str],
    tags: Sequence[Sequence[str]] | None = None,
) -> list[GarbledSentences] | list[list[Piece]]:
    """Each document garbled: as ``GarbledSentences`` when the recipe has no structure
    noise (every sentence its own group), else as pieces."""
    if recipe.structure.active:
        return _planned(recipe, texts, spans, seed, doc_ids, tags)
    spans = [[(int(s), int(e)) for s, e in doc_spans] for doc_spans in spans]
    sub_spans = [[s for s in doc_spans if s[1] > s[0]] for doc_spans in spans]
    garbled, cols = recipe.apply_columns(texts, sub_spans, seed, doc_ids)
    doc_tags = tags if tags is not None else [[""] * len(doc_spans) for doc_spans in spans]
    return sentences_of(texts, spans, doc_tags, garbled, cols)


def garble_documents(
    recipe: Recipe,
    texts: Sequence[str],
    spans: Sequence[Sequence[tuple[int, int]]],
    seed: int,
    doc_ids: Sequence[str],
    tags: Sequence[Sequence[str]] | None = None,
) -> list[list[Piece]]:
    """Each document garbled, as pieces whatever the recipe."""
    made = garble_batch(recipe, texts, spans, seed, doc_ids, tags)
    return [doc.pieces() if isinstance(doc, GarbledSentences) else doc for doc in made]


def _planned(
    recipe: Recipe,
    texts: Sequence[str],
    spans: Sequence[Sequence[tuple[int, int]]],
    seed: int,
    doc_ids: Sequence[str],
    tags: Sequence[Sequence[str]] | None,
) -> list[list[Piece]]:
    """The pieces of a recipe with structure noise: each document's plan of sentence
    groups first, then the word and character edits inside the groups."""
    plans, sub_spans = [], []
    for text, doc_spans, doc_id in zip(texts, spans, doc_ids, strict=True):
        doc_spans = [(int(s), int(e)) for s, e in doc_spans]
        groups = plan(text, doc_spans, recipe.structure, rng_for(seed, doc_id, "noise:structure"))
        sub_spans.append([s for g in groups for s in g.sub_spans if s[1] > s[0]])
        plans.append((doc_spans, groups))
    edits = recipe.apply_batch(texts, sub_spans, seed, doc_ids)
    out = []
    for k, (text, (doc_spans, groups)) in enumerate(zip(texts, plans, strict=True)):
        doc_tags = list(tags[k]) if tags is not None else [""] * len(doc_spans)
        out.append(build_pieces(text, doc_spans, groups, edits[k], doc_tags))
    return out


def garble_document(
    recipe: Recipe,
    text: str,
    spans: Sequence[tuple[int, int]],
    seed: int,
    doc_id: str,
    tags: Sequence[str] | None = None,
) -> list[Piece]:
    return garble_documents(recipe, [text], [spans], seed, [doc_id], None if tags is None else [tags])[0]
