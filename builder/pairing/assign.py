"""Assignment: verified candidates become one-to-one pairs, best score first."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from builder.pairing.params import BELOW_MIN_SCORE, EMPTY, LOST_TO_BETTER_MATCH, NO_CANDIDATE


def assign(
    scored: Sequence[Sequence[tuple[int, float]]], min_score: float, empty: Collection[int] = ()
) -> tuple[list[tuple[int, int, float]], list[tuple[int, str]]]:
    """One to one, greedily by descending score (ties: lower garbled, then lower clean index).

    Greedy rather than an optimal matching: a true pair scores near 1 and a wrong one far
    lower, so the best edge is almost always right, and greedy keeps the decision local and
    explainable ("lost to a better match"). ``scored[i]`` holds garbled document i's
    verified candidates. Returns the pairs and each unpaired garbled document with its reason.
    """
    edges = sorted((-s, i, j) for i, cands in enumerate(scored) for j, s in cands if s >= min_score)
    taken_g: set[int] = set()
    taken_c: set[int] = set()
    pairs = []
    for neg, i, j in edges:
        if i not in taken_g and j not in taken_c:
            taken_g.add(i)
            taken_c.add(j)
            pairs.append((i, j, -neg))
    unmatched = []
    for i, cands in enumerate(scored):
        if i in taken_g:
            continue
        if not cands:
            unmatched.append((i, EMPTY if i in empty else NO_CANDIDATE))
        elif any(s >= min_score for _, s in cands):
            unmatched.append((i, LOST_TO_BETTER_MATCH))
        else:
            unmatched.append((i, BELOW_MIN_SCORE))
    pairs.sort()
    return pairs, unmatched
