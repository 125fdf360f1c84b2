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

from builder.align.calibration import calibrated
from builder.align.dp import full_band, solve
from builder.align.embedding import Encoder, GroupEmbeddings, load_encoder
from builder.align.features import Featurizer, Side, unions


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
    threshold: float = 0.3  # coverage a sentence needs to be worth aligning
    merge_cost: float = 0.05  # extra coverage asked of every sentence in a group larger than 1-1
    skip_cost: float = 0.0  # cost of a sentence left unaligned, in units of mean sentence mass
    max_exact_cells: int = 250_000  # garbled x clean sentences aligned without a band
    block: int = 8  # sentences per block at each coarser level
    margin: int = 2  # blocks of slack on each side of the coarse path
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
        self, g: Side, c: Side, shapes: list[tuple[int, int]], p: AlignerParams, emb: GroupEmbeddings | None = None
    ) -> None:
        self.g, self.c, self.p, self.emb = g, c, p, emb
        sizes = sorted({a for a, b in shapes if a and b} | {b for a, b in shapes if a and b})
        self.g_unions = {k: unions(g.binary, k) for k in sizes}
        self.c_unions = {k: unions(c.binary, k) for k in sizes}
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
        extra = (a + b - 2) * self.p.merge_cost
        value = got - (self.p.threshold + extra) * mass
        if self.emb is not None:
            cos = self.emb.cosine(a, b, i0, r, j0, w)
            wgt = self.p.embedding_weight
            value = (1 - wgt) * value + wgt * (cos - self.p.embedding_threshold - extra) * mass
        out[:r, :w] = value
        return out

    def path_coverage(self, a: int, b: int, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Coverage of the groups G[i:i+a] ~ C[j:j+b] for arrays of starts (one per group)."""
        got = np.zeros(len(i))
        for k in range(a):
            got += np.asarray(self.g.weighted[i + k].multiply(self.c_unions[b][j]).sum(axis=1)).ravel()
        for k in range(b):
            got += np.asarray(self.c.weighted[j + k].multiply(self.g_unions[a][i]).sum(axis=1)).ravel()
        mass = self.g_cum[i + a] - self.g_cum[i] + self.c_cum[j + b] - self.c_cum[j]
        return np.clip(np.divide(got, mass, out=np.zeros_like(got), where=mass > 0), 0.0, 1.0)

    def coverage(self, a: int, b: int, i0: int, r: int, j0: int, w: int) -> tuple[np.ndarray, np.ndarray]:
        """Covered mass and total mass of groups G[i:i+a] ~ C[j:j+b], i in i0+[0,r), j in j0+[0,w)."""
        cg = (self.g.weighted[i0 : i0 + r + a - 1] @ self.c_unions[b][j0 : j0 + w].T).toarray()
        got = sum(cg[k : k + r] for k in range(a))
        cc = (self.c.weighted[j0 : j0 + w + b - 1] @ self.g_unions[a][i0 : i0 + r].T).toarray()
        got = got + sum(cc[k : k + w] for k in range(b)).T
        g_mass = self.g_cum[i0 + a : i0 + a + r] - self.g_cum[i0 : i0 + r]
        c_mass = self.c_cum[j0 + b : j0 + b + w] - self.c_cum[j0 : j0 + w]
        return got, g_mass[:, None] + c_mass[None, :]


class Aligner:
    def __init__(self, params: AlignerParams | None = None, encoder: Encoder | None = None) -> None:
        self.p = params or AlignerParams()
        self.shapes = group_shapes(self.p.max_group)
        self.encoder = encoder or (load_encoder(self.p.embedding) if self.p.embedding else None)

    def align(self, garbled: Sequence[str], clean: Sequence[str]) -> list[Group]:
        n, m = len(garbled), len(clean)
        if n == 0 or m == 0:
            return [Group((i,), (), 0.0) for i in range(n)] + [Group((), (j,), 0.0) for j in range(m)]
        f = Featurizer(garbled, clean, self.p.ngram)
        emb = None
        if self.encoder is not None:
            emb = GroupEmbeddings(self.encoder(list(garbled)), self.encoder(list(clean)))
        path = self._path(f.garbled, f.clean, f.idf, emb)
        values = _Values(f.garbled, f.clean, self.shapes, self.p)
        cover = np.zeros(len(path))
        for a, b in {(a, b) for a, b, _, _ in path if a and b}:
            at = np.array([k for k, (pa, pb, _, _) in enumerate(path) if (pa, pb) == (a, b)])
            starts = np.array([path[k][2:] for k in at])
            cover[at] = values.path_coverage(a, b, starts[:, 0], starts[:, 1])
        groups = []
        for (a, b, i, j), cov in zip(path, cover.tolist(), strict=True):
            score = calibrated(cov, a, b, f.garbled.length[i : i + a].sum(), f.clean.length[j : j + b].sum())
            groups.append(Group(tuple(range(i, i + a)), tuple(range(j, j + b)), score, cov))
        return groups

    def _path(
        self, g: Side, c: Side, idf: np.ndarray, emb: GroupEmbeddings | None = None
    ) -> list[tuple[int, int, int, int]]:
        n, m = len(g), len(c)
        mean_mass = float(np.concatenate([g.mass, c.mass]).mean()) or 1.0
        values = _Values(g, c, self.shapes, self.p, emb)
        if n * m <= self.p.max_exact_cells or min(n, m) <= self.p.block:
            band = full_band(n, m)
        else:
            k = self.p.block
            coarse = self._path(g.blocks(k, idf), c.blocks(k, idf), idf)  # blocks: n-grams only
            band = project(coarse, n, m, k, self.p.margin * k)
        return solve(n, m, self.shapes, values.block, band, self.p.skip_cost * mean_mass)


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
