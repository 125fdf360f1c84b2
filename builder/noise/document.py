"""Garbling whole documents: sentence structure first, then words and characters.

The result is a list of pieces per document (see ``structure``): the units stage cuts
rows from them, and the alignment benchmark reads the true sentence mapping off them.
Documents are garbled a batch at a time; each comes out as it would alone.
"""

from __future__ import annotations

from collections.abc import Sequence

from builder.core.seeding import rng_for
from builder.noise.recipe import Recipe
from builder.noise.structure import Piece, build_pieces, plain_pieces, plan


def garble_documents(
    recipe: Recipe,
    texts: Sequence[str],
    spans: Sequence[Sequence[tuple[int, int]]],
    seed: int,
    doc_ids: Sequence[str],
    tags: Sequence[Sequence[str]] | None = None,
) -> list[list[Piece]]:
    plans, sub_spans = [], []
    structured = recipe.structure.active
    for text, doc_spans, doc_id in zip(texts, spans, doc_ids, strict=True):
        doc_spans = [(int(s), int(e)) for s, e in doc_spans]
        if structured:
            groups = plan(text, doc_spans, recipe.structure, rng_for(seed, doc_id, "noise:structure"))
            sub_spans.append([s for g in groups for s in g.sub_spans if s[1] > s[0]])
        else:  # every sentence a group of its own
            groups = None
            sub_spans.append([s for s in doc_spans if s[1] > s[0]])
        plans.append((doc_spans, groups))
    edits = recipe.apply_batch(texts, sub_spans, seed, doc_ids)
    out = []
    for k, (text, (doc_spans, groups)) in enumerate(zip(texts, plans, strict=True)):
        doc_tags = list(tags[k]) if tags is not None else [""] * len(doc_spans)
        if groups is None:
            out.append(plain_pieces(text, doc_spans, edits[k], doc_tags))
        else:
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
