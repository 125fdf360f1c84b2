"""Garbling a whole document: sentence structure first, then words and characters.

The result is a list of pieces (see ``structure``): the units stage cuts rows from
them, and the alignment benchmark reads the true sentence mapping off them.
"""

from __future__ import annotations

from collections.abc import Sequence

from builder.noise.recipe import Recipe
from builder.noise.structure import Piece, _Group, build_pieces, plan
from builder.seeding import rng_for


def garble_document(
    recipe: Recipe,
    text: str,
    spans: Sequence[tuple[int, int]],
    seed: int,
    doc_id: str,
    tags: Sequence[str] | None = None,
) -> list[Piece]:
    spans = [(int(s), int(e)) for s, e in spans]
    tags = list(tags) if tags is not None else [""] * len(spans)
    if recipe.structure.active and recipe.level >= 0:
        groups = plan(text, spans, recipe.structure, rng_for(seed, doc_id, "noise:structure"))
    else:
        groups = [_Group((k,), sub_spans=[span]) for k, span in enumerate(spans)]
    sub_spans = [s for g in groups for s in g.sub_spans if s[1] > s[0]]
    edits = recipe.apply(text, sub_spans, seed, doc_id)
    return build_pieces(text, spans, groups, edits, tags)
