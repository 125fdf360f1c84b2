"""Cutting documents into training units: sentence groups, windows, documents.

Real and synthetic documents arrive the same way: as pieces (sentence groups and
the separators between them, see ``builder.noise.structure``). A unit is a run of
pieces, so the separators between its sentences are kept exactly as they were, and
for synthetic units the pieces' edits, concatenated, replay the unit exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from builder.core.edits import Edit
from builder.noise.structure import Piece


class Unit(NamedTuple):
    """One row's texts and what the row says of them (a named tuple: one is made a row)."""

    garbled: str
    clean: str
    align: str
    align_score: float
    edits: list[Edit] | None  # None: derive from a diff (real pairs)
    boilerplate: str


def _cover(sents: Sequence) -> tuple[int, int] | None:
    return (sents[0].start, sents[-1].end) if sents else None


def real_pieces(groups, garbled: str, clean: str, garbled_sents, clean_sents) -> list[Piece]:
    """Pieces of an aligned real pair: each group's text and the text between groups."""
    pieces: list[Piece] = []
    g_end = c_end = None  # where the previous group ended on each side
    for g in groups:
        gs = [garbled_sents[i] for i in g.garbled]
        cs = [clean_sents[j] for j in g.clean]
        g_span, c_span = _cover(gs), _cover(cs)
        if pieces:
            g_sep = garbled[g_end : g_span[0]] if g_span and g_end is not None else ""
            c_sep = clean[c_end : c_span[0]] if c_span and c_end is not None else ""
            pieces.append(Piece(c_sep, g_sep, None, False))
        g_text = garbled[g_span[0] : g_span[1]] if g_span else ""
        c_text = clean[c_span[0] : c_span[1]] if c_span else ""
        breaks = tuple(s.start - g_span[0] for s in gs[1:])
        tag = next((s.tag for s in (*gs, *cs) if s.tag), "")
        pieces.append(Piece(c_text, g_text, None, True, tuple(g.clean), len(gs), breaks, g.score, tag))
        if g_span:
            g_end = g_span[1]
        if c_span:
            c_end = c_span[1]
    return pieces


#: Builds a Unit from all its fields without NamedTuple's keyword handling (one a row).
_new_unit = tuple.__new__


def _alone(p: Piece) -> Unit:
    """The unit of one sentence group (every unit at sentence level): nothing to shift.
    The score is weighed as ``_join`` weighs it, so it is the same float."""
    weight = max(1, len(p.clean))
    edits = None if p.edits is None else list(p.edits)
    return _new_unit(
        Unit, (p.garbled, p.clean, f"{p.n_garbled}-{len(p.clean_idx)}", weight * p.score / weight, edits, p.tag)
    )


def _join(run: Sequence[Piece]) -> Unit:
    """One unit from a run of pieces that starts and ends with a group."""
    if len(run) == 1:
        return _alone(run[0])
    groups = [p for p in run if p.is_group]
    n_garbled = sum(p.n_garbled for p in groups)
    n_clean = sum(len(p.clean_idx) for p in groups)
    weights = [max(1, len(p.clean)) for p in groups]
    score = sum(w * p.score for w, p in zip(weights, groups, strict=True)) / sum(weights)
    edits: list[Edit] | None = []
    pos = 0
    for p in run:
        if p.edits is None:
            edits = None
            break
        edits += [e._replace(start=e.start + pos, end=e.end + pos) for e in p.edits]
        pos += len(p.clean)
    tag = next((p.tag for p in groups if p.tag), "")
    return Unit(
        "".join(p.garbled for p in run), "".join(p.clean for p in run), f"{n_garbled}-{n_clean}", score, edits, tag
    )


def cut(pieces: Sequence[Piece], level: str, max_chars: int, isolate_boilerplate: bool) -> list[Unit]:
    if level == "sentence":
        return [_alone(p) for p in pieces if p.is_group]
    group_at = [i for i, p in enumerate(pieces) if p.is_group]
    if not group_at:
        return []
    if level == "document":
        return [_join(pieces[group_at[0] : group_at[-1] + 1])]
    units: list[Unit] = []
    start = None  # index in pieces of the window's first group
    last = None
    size = 0
    for i in group_at:
        p = pieces[i]
        alone = isolate_boilerplate and bool(p.tag)
        # a garbled-only group (an inserted caption) never opens a window on its own
        opens_new = start is not None and (alone or (size + len(p.clean) > max_chars and p.clean_idx))
        if opens_new:
            units.append(_join(pieces[start : last + 1]))
            start, size = None, 0
        if alone:
            units.append(_join([p]))
            continue
        if start is None:
            start = i
        last = i
        size += len(p.clean)
    if start is not None:
        units.append(_join(pieces[start : last + 1]))
    return units
