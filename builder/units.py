"""Cutting aligned documents into training units: sentence groups, windows, documents.

Real and synthetic documents end the same way: a list of groups, each a span of
the garbled text paired with a span of the clean text. A unit's text is the
document text between its first and last sentence, so the separators between
sentences are kept exactly as they were.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from builder.edits import Edit, replay, shift, within


@dataclass
class Span:
    """One group: sentence spans of each side (None when the side is empty)."""

    garbled: tuple[int, int] | None
    clean: tuple[int, int] | None
    n_garbled: int
    n_clean: int
    score: float
    tag: str = ""


@dataclass
class Unit:
    garbled: str
    clean: str
    align: str
    align_score: float
    edits: list[Edit] | None  # None: derive from a diff (real pairs)
    boilerplate: str


def _cover(spans: Sequence[tuple[int, int]]) -> tuple[int, int] | None:
    return (spans[0][0], spans[-1][1]) if spans else None


def real_groups(groups, garbled_sents, clean_sents) -> list[Span]:
    out = []
    for g in groups:
        gs = [garbled_sents[i] for i in g.garbled]
        cs = [clean_sents[j] for j in g.clean]
        tag = next((s.tag for s in (*gs, *cs) if s.tag), "")
        out.append(
            Span(
                _cover([(s.start, s.end) for s in gs]),
                _cover([(s.start, s.end) for s in cs]),
                len(gs),
                len(cs),
                g.score,
                tag,
            )
        )
    return out


def synthetic_groups(clean: str, clean_sents, edits: Sequence[Edit]) -> tuple[str, list[Span]]:
    """Garbled text and one 1-1 group per clean sentence (edits never cross sentences)."""
    garbled = replay(clean, edits)
    starts = [e.start for e in edits]
    deltas = [len(e.after) - (e.end - e.start) for e in edits]
    out, k_start, k_end, d_start, d_end = [], 0, 0, 0, 0
    for s in clean_sents:
        while k_start < len(starts) and starts[k_start] < s.start:
            d_start += deltas[k_start]
            k_start += 1
        while k_end < len(starts) and starts[k_end] <= s.end:
            d_end += deltas[k_end]
            k_end += 1
        out.append(Span((s.start + d_start, s.end + d_end), (s.start, s.end), 1, 1, 1.0, s.tag))
    return garbled, out


def _unit(spans: list[Span], garbled: str, clean: str, edits: Sequence[Edit] | None) -> Unit:
    g = _cover([s.garbled for s in spans if s.garbled])
    c = _cover([s.clean for s in spans if s.clean])
    n_g, n_c = sum(s.n_garbled for s in spans), sum(s.n_clean for s in spans)
    ctext = clean[c[0] : c[1]] if c else ""
    gtext = garbled[g[0] : g[1]] if g else ""
    weights = [max(1, (s.clean[1] - s.clean[0]) if s.clean else 0) for s in spans]
    score = sum(w * s.score for w, s in zip(weights, spans, strict=True)) / sum(weights)
    unit_edits = None
    if edits is not None and c is not None:
        unit_edits = shift(within(edits, c[0], c[1]), c[0])
    tag = next((s.tag for s in spans if s.tag), "")
    return Unit(gtext, ctext, f"{n_g}-{n_c}", score, unit_edits, tag)


def cut(
    spans: list[Span],
    garbled: str,
    clean: str,
    edits: Sequence[Edit] | None,
    level: str,
    max_chars: int,
    isolate_boilerplate: bool,
) -> list[Unit]:
    if level == "sentence":
        return [_unit([s], garbled, clean, edits) for s in spans]
    if level == "document":
        return [_unit(spans, garbled, clean, edits)] if spans else []
    units, window, size = [], [], 0
    for s in spans:
        length = (s.clean[1] - s.clean[0]) if s.clean else 0
        alone = isolate_boilerplate and bool(s.tag)
        if window and (alone or size + length > max_chars):
            units.append(_unit(window, garbled, clean, edits))
            window, size = [], 0
        if alone:
            units.append(_unit([s], garbled, clean, edits))
            continue
        window.append(s)
        size += length
    if window:
        units.append(_unit(window, garbled, clean, edits))
    return units
