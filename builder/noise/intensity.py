"""How noisy each sentence is: real garbling is uneven, and a recipe can be too.

A machine translation returns one sentence intact and mangles the next; OCR loses a
line to a stain. A recipe's ``intensity`` is the distribution of that unevenness, as
quantiles of a sentence's edit rate over the mean rate, at equal probability steps from
0 to 1 (``quantiles`` estimates them from real pairs). Each sentence draws one number,
keyed by its document and its first word, so it gets the same intensity in any batch;
every word of it then has its odds multiplied by that intensity (``Context.weights``).
Quantiles that start at 0 give the real share of sentences left untouched.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np

from builder.core.seeding import salt
from builder.noise.ops.context import Context

_DRAW = salt("sentence intensity")


def check_quantiles(values: Sequence[float]) -> str:
    """What is wrong with ``values`` as intensity quantiles ("" when nothing is)."""
    if not values:
        return ""
    if len(values) < 2:
        return "needs at least two quantiles (the lowest and the highest)"
    if any(not np.isfinite(v) or v < 0 for v in values):
        return "quantiles must be finite and >= 0"
    if any(b < a for a, b in itertools.pairwise(values)):
        return "quantiles must not decrease"
    return ""


def draw(quantiles: Sequence[float], u: np.ndarray) -> np.ndarray:
    """The intensities that uniform numbers ``u`` stand for (linear between quantiles)."""
    q = np.asarray(quantiles, dtype=np.float64)
    return np.interp(u, np.linspace(0.0, 1.0, q.size), q)


def sentence_weights(ctx: Context, quantiles: Sequence[float]) -> np.ndarray:
    """Per word of ``ctx``, the intensity its sentence drew."""
    if ctx.n == 0:
        return np.ones(0)
    first = np.flatnonzero(ctx.first)
    u = ctx.uniforms(_DRAW, 0, first)
    return np.repeat(draw(quantiles, u), np.diff(np.r_[first, ctx.n]))


#: The top quantile is taken here, not at the maximum: one hallucinated sentence (a word
#: error rate of 50) would otherwise set how noisy the noisiest twentieth is.
TOP = 0.995


def quantiles(
    rates: Sequence[float],
    steps: int = 20,
    weights: Sequence[float] | None = None,
    words: Sequence[float] | None = None,
) -> list[float]:
    """Intensity quantiles (``steps + 1`` of them) of per-sentence edit rates, each over
    the mean rate: the distribution a recipe's ``intensity`` reproduces. ``weights``
    weigh the sentences (to mix sets of different sizes).

    With ``words`` (each sentence's length), the spread that chance alone gives a short
    sentence (edits ~ Poisson(rate * words)) is taken out of the nonzero intensities, as
    the garbling adds it back: without this, short sentences would come out twice as
    uneven as real ones."""
    r = np.asarray(rates, dtype=np.float64)
    w = np.ones_like(r) if weights is None else np.asarray(weights, dtype=np.float64)
    n = np.ones_like(r) if words is None else np.asarray(words, dtype=np.float64)
    keep = np.isfinite(r) & (r >= 0) & (w > 0) & (n > 0)
    r, w, n = r[keep], w[keep], n[keep]
    if not r.size or np.average(r, weights=w) <= 0:
        return []
    mean = np.average(r, weights=w)
    r = r / mean
    if words is not None:
        total = np.average((r - 1.0) ** 2, weights=w)
        chance = np.average(1.0 / (mean * n), weights=w)
        shrink = np.sqrt(max(0.0, 1.0 - chance / total)) if total > 0 else 1.0
        r = np.where(r > 0, 1.0 + (r - 1.0) * shrink, 0.0)
        r = np.maximum(r, 0.0) / np.average(np.maximum(r, 0.0), weights=w)
    order = np.argsort(r, kind="stable")
    r, cum = r[order], np.cumsum(w[order])
    at = np.linspace(0.0, TOP, steps + 1) * cum[-1]
    q = r[np.minimum(np.searchsorted(cum, at, side="left"), r.size - 1)]
    return [round(float(x), 4) for x in q]
