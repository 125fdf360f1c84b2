"""Dynamic programming over sentence groups, exact or inside a band.

States are prefix lengths (i garbled, j clean sentences aligned). Row i holds the
clean positions ``lo[i] .. hi[i]`` the band allows (all of them when exact), so the
work is proportional to the band's area. Groups with a garbled side come from the
rows above; 0-1 groups (a clean sentence left out) chain along the row and are
resolved with one running maximum instead of a Python loop.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

ValueBlock = Callable[[int, int, int, int, int, int], np.ndarray]
CHUNK = 128
_SKIP_CLEAN = 255  # back-pointer code for a 0-1 group


def full_band(n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    return np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m, dtype=np.int64)


def solve(
    n: int,
    m: int,
    shapes: list[tuple[int, int]],
    value_block: ValueBlock,
    band: tuple[np.ndarray, np.ndarray],
    skip_cost: float,
) -> list[tuple[int, int, int, int]]:
    """Best path as (a, b, i, j) groups: G[i:i+a] with C[j:j+b], in document order.

    ``value_block(a, b, i0, i1, j0, j1)`` gives the values of groups starting at
    garbled i0..i1-1 and clean j0..j1-1 (-inf where a group does not fit).
    """
    lo, hi = band
    matched = [(t, a, b) for t, (a, b) in enumerate(shapes) if a and b]
    delete = [(t, a) for t, (a, b) in enumerate(shapes) if a and not b]
    skip = -float(skip_cost)
    max_a = max(a for a, _ in shapes)
    max_b = max(b for _, b in shapes)
    totals: list[np.ndarray] = []
    backs: list[np.ndarray] = []
    cache: dict[int, tuple[int, dict[int, np.ndarray]]] = {}

    def values_for(start: int) -> tuple[int, dict[int, np.ndarray], int]:
        """Value rows for groups whose garbled side starts at ``start`` (chunked)."""
        c = start // CHUNK
        if c not in cache:
            s0, s1 = c * CHUNK, min(n, (c + 1) * CHUNK)
            j0 = max(0, int(lo[s0]) - max_b)
            j1 = min(m, int(hi[min(n, s1 - 1 + max_a)]) + 1)
            cache[c] = (j0, {t: value_block(a, b, s0, s1, j0, max(j0, j1)) for t, a, b in matched})
            for old in [k for k in cache if k < c - 1]:
                del cache[old]
        j0, vals = cache[c]
        return j0, vals, c * CHUNK

    for i in range(n + 1):
        L, H = int(lo[i]), int(hi[i])
        js = np.arange(L, H + 1)
        best = np.full(len(js), -np.inf)
        back = np.zeros(len(js), dtype=np.uint8)
        if i == 0 and L == 0:
            best[0] = 0.0
        for t, a in delete:
            if i >= a:
                _relax(best, back, t, js, totals[i - a], int(lo[i - a]), 0, skip)
        for t, a, b in matched:
            if i < a:
                continue
            j0, vals, s0 = values_for(i - a)
            row = vals[t][i - a - s0]
            _relax(best, back, t, js, totals[i - a], int(lo[i - a]), b, row, j0)
        if skip > -np.inf and len(js):
            run = np.maximum.accumulate(best - js * skip) + js * skip
            left = run > best
            best = np.where(left, run, best)
            back[left] = _SKIP_CLEAN
        totals.append(best)
        backs.append(back)
    if not (lo[n] <= m <= hi[n]) or totals[n][m - lo[n]] == -np.inf:
        raise ValueError("the band does not reach the end of both texts")
    path = []
    i, j = n, m
    while i > 0 or j > 0:
        t = int(backs[i][j - lo[i]])
        a, b = (0, 1) if t == _SKIP_CLEAN else shapes[t]
        path.append((a, b, i - a, j - b))
        i, j = i - a, j - b
    path.reverse()
    return path


def _relax(best, back, t, js, prev, prev_lo, b, gain, j0: int = 0) -> None:
    """best[j] = max(best[j], prev[j - b] + gain[j - b]) for the j both bands allow."""
    src = js - b
    ok = (src >= prev_lo) & (src < prev_lo + len(prev))
    if isinstance(gain, np.ndarray):
        ok &= (src >= j0) & (src < j0 + len(gain))
    if not ok.any():
        return
    idx = np.flatnonzero(ok)
    cand = prev[src[idx] - prev_lo]
    cand = cand + (gain[src[idx] - j0] if isinstance(gain, np.ndarray) else gain)
    better = cand > best[idx]
    best[idx[better]] = cand[better]
    back[idx[better]] = t
