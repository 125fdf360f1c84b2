"""Alignment of very long documents a bounded window at a time.

``Aligner`` holds the n-gram features of the whole document pair at once, about a
kilobyte per character, so a 10 MB document needs gigabytes. Here a document
longer than ``window_chars`` on either side is aligned in windows: a stretch of
each side starting at the current position, about ``window_chars`` long (the
clean side scaled by the ratio of the two lengths). The groups that end in the
first three quarters of both stretches (``KEEP``), up to the last confident one,
are kept; the rest is aligned again as the start of the next windows, so no group
is decided at a window's edge. Where that prefix is short (a long passage on one
side only, or nothing confident), the windows grow, up to ``max_growth`` times,
before their first three quarters are taken as the aligner saw them. So every
window but the last moves on by a good part of its length: memory is that of one
window and time grows linearly with length.

A document that fits in one window is aligned in one call, exactly as ``Aligner``
aligns it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence

from builder.align.aligner import Aligner, Group

#: Characters of one side aligned at once: about 50 MB of aligner memory.
WINDOW_CHARS = 50_000
#: A group this likely to be right (its calibrated score) anchors the next window.
ANCHOR_SCORE = 0.5
#: Share of a window (from its start) whose groups are kept; the rest is aligned again.
KEEP = 0.75


def align_in_windows(
    aligner: Aligner,
    garbled: Sequence[str],
    clean: Sequence[str],
    window_chars: int = WINDOW_CHARS,
    max_growth: int = 4,
) -> list[Group]:
    """The alignment of ``garbled`` against ``clean``, one bounded window at a time."""
    return list(iter_windows(aligner, garbled, clean, window_chars, max_growth))


def iter_windows(
    aligner: Aligner,
    garbled: Sequence[str],
    clean: Sequence[str],
    window_chars: int = WINDOW_CHARS,
    max_growth: int = 4,
) -> Iterator[Group]:
    """The groups of ``align_in_windows`` as they are decided, first to last."""
    g_len, c_len = _lengths(garbled), _lengths(clean)
    if g_len[-1] <= window_chars and c_len[-1] <= window_chars:
        yield from aligner.align(garbled, clean)
        return
    ratio = min(4.0, max(0.25, c_len[-1] / max(1, g_len[-1])))
    i = j = 0
    while i < len(garbled) or j < len(clean):
        growth = 1
        while True:
            g_size, c_size = window_chars * growth, window_chars * growth * ratio
            gi, ci = _reach(g_len, i, g_size), _reach(c_len, j, c_size)
            groups = aligner.align(garbled[i:gi], clean[j:ci])
            if gi == len(garbled) and ci == len(clean):
                yield from _shifted(groups, i, j)
                return
            keep_g, keep_c = _reach(g_len, i, g_size * KEEP) - i, _reach(c_len, j, c_size * KEEP) - j
            kept = _anchored_prefix(groups, keep_g, keep_c)
            kg, kc = sum(len(g.garbled) for g in kept), sum(len(g.clean) for g in kept)
            if g_len[i + kg] - g_len[i] >= g_size / 4 or c_len[j + kc] - c_len[j] >= c_size / 4:
                break  # enough decided: on to the next window
            if growth >= max_growth:  # nothing confident: the kept share as the aligner saw it
                kept = _prefix_within(groups, keep_g, keep_c)
                break
            growth *= 2
        yield from _shifted(kept, i, j)
        i += sum(len(g.garbled) for g in kept)
        j += sum(len(g.clean) for g in kept)


def _lengths(sentences: Sequence[str]) -> list[int]:
    """Cumulative character counts: ``out[k]`` is the length of the first k sentences."""
    out = [0]
    for s in sentences:
        out.append(out[-1] + len(s) + 1)
    return out


def _reach(cumulative: list[int], start: int, chars: float) -> int:
    """The end of the run of sentences from ``start`` that fits in ``chars`` (at least one)."""
    lo, hi = start + 1, len(cumulative) - 1
    if lo > hi:
        return hi
    limit = cumulative[start] + chars
    while lo < hi:  # the last end whose cumulative length is within the limit
        mid = (lo + hi + 1) // 2
        if cumulative[mid] <= limit:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _anchored_prefix(groups: list[Group], keep_g: int, keep_c: int) -> list[Group]:
    """The groups up to the last confident one that ends within the first ``keep_g``
    garbled and ``keep_c`` clean sentences."""
    end = 0
    g = c = 0
    for k, group in enumerate(groups):
        g, c = g + len(group.garbled), c + len(group.clean)
        if g > keep_g or c > keep_c:
            break
        if group.garbled and group.clean and group.score >= ANCHOR_SCORE:
            end = k + 1
    return groups[:end]


def _prefix_within(groups: list[Group], keep_g: int, keep_c: int) -> list[Group]:
    """The groups that end within the first ``keep_g`` garbled and ``keep_c`` clean
    sentences (at least the first group)."""
    g = c = 0
    for k, group in enumerate(groups):
        g, c = g + len(group.garbled), c + len(group.clean)
        if g > keep_g or c > keep_c:
            return groups[: max(1, k)]
    return groups


def _shifted(groups: list[Group], i: int, j: int) -> Iterator[Group]:
    for g in groups:
        yield dataclasses.replace(g, garbled=tuple(x + i for x in g.garbled), clean=tuple(x + j for x in g.clean))
