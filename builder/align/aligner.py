"""Monotonic sentence alignment of a garbled text against its clean reference.

Each sentence is worth its n-gram mass; a sentence placed in a group earns the
share of its mass found on the other side of that group (its coverage) minus a
threshold, and a sentence left out (1-0 or 0-1) costs ``skip_cost``. Dynamic
programming picks the grouping with the largest total. Because every sentence must
be covered by its partners, an unrelated sentence is not absorbed into a
neighbour's group (it is cheaper to leave it out), and a true merge wins because
both halves are covered.

Ordinary articles are aligned exactly. Long documents are aligned coarse to fine:
blocks of sentences are aligned first (recursively), and the sentence-level search
is confined to a band around the block path, so time grows about linearly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from builder.align.calibration import CHANCE_QUANTILE, calibrated_scores, chance_level
from builder.align.dp import full_band, solve
from builder.align.embedding import Encoder, GroupEmbeddings, load_encoder
from builder.align.features import Featurizer, Side


@dataclass(frozen=True)
class Group:
    garbled: tuple[int, ...]  # sentence indices, consecutive, maybe empty
    clean: tuple[int, ...]
    score: float  # calibrated: about the probability the group is right; 0 for 1-0 and 0-1
    coverage: float = 0.0  # raw weighted coverage in [0, 1]

    @property
    def kind(self) -> str:
        return f"{len(self.garbled)}-{len(self.clean)}"


@dataclass
class AlignerParams:
    ngram: int = 3
    max_group: int = 2
    threshold: float | None = None  # coverage a sentence needs to be worth aligning; None: from the document
    null_quantile: float = 0.95  # auto threshold: this quantile of the coverage of unrelated sentence pairs
    null_margin: float = 0.0  # ... plus this
    threshold_floor: float = 0.1  # ... but never below this
    fallback_threshold: float = 0.25  # for documents too short to measure chance coverage
    merge_cost: float = 0.3  # cost of a merge, per unit of mass its smaller members add
    skip_cost: float = 0.0  # cost of a sentence left unaligned, in units of mean sentence mass
    max_exact_cells: int = 250_000  # garbled x clean sentences aligned without a band
    block: int = 8  # sentences per block at each coarser level
    margin: int = 2  # blocks of slack on each side of the coarse path
    pair_gaps: bool = True  # a lone garbled and a lone clean sentence between two groups become a 1-1
    embedding: str | None = None  # sentence-transformers model (path or name); None: n-grams only
    embedding_weight: float = 0.5  # share of the group value that comes from embedding cosine
    embedding_threshold: float = 0.5  # cosine a group needs to be worth aligning


def group_shapes(max_group: int) -> list[tuple[int, int]]:
    shapes = [(1, 0), (0, 1), (1, 1), (1, 2), (2, 1), (2, 2)]
    if max_group >= 3:
        shapes += [(1, 3), (3, 1)]
    return shapes


class _Values:
    """Values of candidate groups, computed a rectangle at a time from n-gram overlaps."""

    def __init__(
        self,
        g: Side,
        c: Side,
        shapes: list[tuple[int, int]],
        p: AlignerParams,
        emb: GroupEmbeddings | None = None,
        threshold: float | None = None,
    ) -> None:
        self.g, self.c, self.p, self.emb = g, c, p, emb
        self.mean_mass = float(np.concatenate([g.mass, c.mass]).mean()) if len(g) + len(c) else 1.0
        self.threshold = p.threshold if threshold is None else threshold
        self.g_cum = np.concatenate([[0.0], np.cumsum(g.mass)])
        self.c_cum = np.concatenate([[0.0], np.cumsum(c.mass)])

    def block(self, a: int, b: int, i0: int, i1: int, j0: int, j1: int) -> np.ndarray:
        n, m = len(self.g), len(self.c)
        out = np.full((i1 - i0, max(0, j1 - j0)), -np.inf)
        r = min(i1, n - a + 1) - i0
        w = min(j1, m - b + 1) - j0
        if r <= 0 or w <= 0:
            return out
        got, mass = self.coverage(a, b, i0, r, j0, w)
        value = got - self.threshold * mass
        if self.emb is not None:
            cos = self.emb.cosine(a, b, i0, r, j0, w)
            wgt = self.p.embedding_weight
            value = (1 - wgt) * value + wgt * (cos - self.p.embedding_threshold) * mass
        if a + b > 2:
            value -= self.p.merge_cost * self.minor_mass(a, b, i0, r, j0, w)
        out[:r, :w] = value
        return out

    def minor_mass(self, a: int, b: int, i0: int, r: int, j0: int, w: int) -> np.ndarray:
        """Mass of a group's members beyond the largest one on each side. A merge pays in
        proportion to what it adds: a short split-off clause costs little, a second full
        sentence (whose chance overlap a merge would collect) costs its mass."""
        g_mass = self.g_cum[i0 + a : i0 + a + r] - self.g_cum[i0 : i0 + r]
        c_mass = self.c_cum[j0 + b : j0 + b + w] - self.c_cum[j0 : j0 + w]
        g_top = np.max([self.g.mass[i0 + k : i0 + k + r] for k in range(a)], axis=0)
        c_top = np.max([self.c.mass[j0 + k : j0 + k + w] for k in range(b)], axis=0)
        return (g_mass - g_top)[:, None] + (c_mass - c_top)[None, :]

    def path_coverage(self, a: int, b: int, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Coverage of the groups G[i:i+a] ~ C[j:j+b] for arrays of starts (one per group)."""
        shared = np.asarray(self.g.wgroup[a][i].multiply(self.c.group[b][j]).sum(axis=1)).ravel()
        mass = self.g_cum[i + a] - self.g_cum[i] + self.c_cum[j + b] - self.c_cum[j]
        return np.clip(np.divide(2 * shared, mass, out=np.zeros_like(shared), where=mass > 0), 0.0, 1.0)

    def coverage(self, a: int, b: int, i0: int, r: int, j0: int, w: int) -> tuple[np.ndarray, np.ndarray]:
        """Covered mass (twice the weighted multiset intersection) and total mass of the
        groups G[i:i+a] ~ C[j:j+b], i in i0+[0,r), j in j0+[0,w): their weighted Dice
        coefficient is one over the other. A sentence that does not belong in a group
        adds its mass and little overlap, so it lowers the group's value."""
        shared = (self.g.wgroup[a][i0 : i0 + r] @ self.c.group[b][j0 : j0 + w].T).toarray()
        g_mass = self.g_cum[i0 + a : i0 + a + r] - self.g_cum[i0 : i0 + r]
        c_mass = self.c_cum[j0 + b : j0 + b + w] - self.c_cum[j0 : j0 + w]
        return 2 * shared, g_mass[:, None] + c_mass[None, :]


class Aligner:
    """Aligns one document pair per call. After :meth:`align`, ``threshold`` is the bar the
    search used and ``chance`` the chance level its scores were calibrated against
    (``chance_measured`` False when the document was too short to measure it)."""

    def __init__(self, params: AlignerParams | None = None, encoder: Encoder | None = None) -> None:
        self.p = params or AlignerParams()
        self.shapes = group_shapes(self.p.max_group)
        self.encoder = encoder or (load_encoder(self.p.embedding) if self.p.embedding else None)

    def align(self, garbled: Sequence[str], clean: Sequence[str]) -> list[Group]:
        n, m = len(garbled), len(clean)
        if n == 0 or m == 0:
            self.threshold, self.chance, self.chance_measured = self.p.threshold or 0.0, chance_level(None), False
            return [Group((i,), (), 0.0) for i in range(n)] + [Group((), (j,), 0.0) for j in range(m)]
        levels, k = 1, 1
        while (n // k) * (m // k) > self.p.max_exact_cells and min(n, m) // k > self.p.block:
            levels, k = levels + 1, k * self.p.block
        sizes = tuple(range(1, self.p.max_group + 1))
        f = Featurizer(garbled, clean, self.p.ngram, sizes, levels, self.p.block)
        measured = chance_coverage(f, CHANCE_QUANTILE)
        self.chance, self.chance_measured = chance_level(measured), measured is not None
        if self.p.threshold is None:
            chance = measured if self.p.null_quantile == CHANCE_QUANTILE else chance_coverage(f, self.p.null_quantile)
            base = self.p.fallback_threshold if chance is None else chance + self.p.null_margin
            self.threshold = max(self.p.threshold_floor, base)
        else:
            self.threshold = self.p.threshold
        emb = None
        if self.encoder is not None:
            emb = GroupEmbeddings(self.encoder(list(garbled)), self.encoder(list(clean)))
        path = self._path(f, 0, emb)
        if self.p.pair_gaps:
            path = pair_gaps(path)
        values = _Values(f.garbled, f.clean, self.shapes, self.p)
        cover = np.zeros(len(path))
        for a, b in {(a, b) for a, b, _, _ in path if a and b}:
            at = np.array([k for k, (pa, pb, _, _) in enumerate(path) if (pa, pb) == (a, b)])
            starts = np.array([path[k][2:] for k in at])
            cover[at] = values.path_coverage(a, b, starts[:, 0], starts[:, 1])
        shape = np.array([(a, b) for a, b, _, _ in path]).reshape(-1, 2)
        chars = np.array(
            [(f.garbled.length[i : i + a].sum() + f.clean.length[j : j + b].sum()) / 2 for a, b, i, j in path]
        )
        scores = calibrated_scores(cover, shape[:, 0], shape[:, 1], chars, self.chance, self.chance_measured)
        return [
            Group(tuple(range(i, i + a)), tuple(range(j, j + b)), float(score), float(cov))
            for (a, b, i, j), cov, score in zip(path, cover.tolist(), scores.tolist(), strict=True)
        ]

    def _path(self, f: Featurizer, level: int, emb: GroupEmbeddings | None = None) -> list[tuple[int, int, int, int]]:
        g, c = f.levels[level]["garbled"], f.levels[level]["clean"]
        n, m = len(g), len(c)
        values = _Values(g, c, self.shapes, self.p, emb, self.threshold)
        if level + 1 >= len(f.levels):
            band = full_band(n, m)
        else:
            k = self.p.block
            coarse = self._path(f, level + 1)  # blocks: n-grams only
            band = project(coarse, n, m, k, self.p.margin * k)
        return solve(n, m, self.shapes, values.block, band, self.p.skip_cost * values.mean_mass)


def pair_gaps(path: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Pair a 1-0 and a 0-1 that sit side by side between two other groups.

    Such a gap is nearly always one sentence translated beyond recognition (MT
    hallucination, a heavily reworded line); an inserted caption next to a dropped
    sentence is far rarer. The pair keeps its low score, so ``filter.min_align_score``
    still decides whether it becomes a row.
    """
    out: list[tuple[int, int, int, int]] = []
    k = 0
    while k < len(path):
        a, b, i, j = path[k]
        if k + 1 < len(path) and {(a, b), path[k + 1][:2]} == {(1, 0), (0, 1)}:
            lone_before = k == 0 or path[k - 1][:2] not in ((1, 0), (0, 1))
            lone_after = k + 2 >= len(path) or path[k + 2][:2] not in ((1, 0), (0, 1))
            if lone_before and lone_after:
                out.append((1, 1, min(i, path[k + 1][2]), min(j, path[k + 1][3])))
                k += 2
                continue
        out.append((a, b, i, j))
        k += 1
    return out


def chance_coverage(f: Featurizer, quantile: float, sample: int = 300) -> float | None:
    """How much of a sentence an unrelated sentence of the same document covers (a high
    quantile over sentence pairs, nearly all of which are unrelated): what a pair must
    beat to count as a translation. MT output of a paraphrased sentence may share a
    quarter of its n-grams; OCR lines of one page share headers and numbers."""
    n, m = len(f.garbled), len(f.clean)
    rows = np.unique(np.linspace(0, n - 1, min(n, sample)).astype(int))
    cols = np.unique(np.linspace(0, m - 1, min(m, sample)).astype(int))
    shared = (f.garbled.weighted[rows] @ f.clean.group[1][cols].T).toarray()
    mass = f.garbled.mass[rows][:, None] + f.clean.mass[cols][None, :]
    cov = np.divide(2 * shared, mass, out=np.zeros_like(shared), where=mass > 0)
    related = np.zeros(cov.shape, dtype=bool)  # each sentence's two best partners may be its own
    top = min(2, cov.shape[1])
    np.put_along_axis(related, np.argsort(-cov, axis=1)[:, :top], True, axis=1)
    top = min(2, cov.shape[0])
    np.put_along_axis(related, np.argsort(-cov, axis=0)[:top, :], True, axis=0)
    unrelated = cov[~related]
    if unrelated.size < 20:
        return None
    return float(np.quantile(unrelated, quantile))


def project(coarse: list[tuple[int, int, int, int]], n: int, m: int, k: int, margin: int):
    """The sentence-level band around a path of blocks of ``k`` sentences."""
    lo = np.full(n + 1, m, dtype=np.int64)
    hi = np.zeros(n + 1, dtype=np.int64)
    for a, b, i, j in coarse:
        rows = slice(min(n, i * k), min(n, (i + a) * k) + 1)
        lo[rows] = np.minimum(lo[rows], min(m, j * k))
        hi[rows] = np.maximum(hi[rows], min(m, (j + b) * k))
    lo = np.clip(lo - margin, 0, m)
    hi = np.clip(hi + margin, 0, m)
    hi = np.maximum.accumulate(hi)
    lo = np.minimum.accumulate(lo[::-1])[::-1]
    lo[0], hi[n] = 0, m
    lo[1:] = np.minimum(lo[1:], hi[:-1])  # every row reachable from the one above
    return lo, hi
