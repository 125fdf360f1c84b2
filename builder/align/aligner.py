"""Monotonic sentence alignment of a garbled text against its clean reference.

Each sentence is worth its n-gram mass; a sentence placed in a group earns the
share of its mass found on the other side of that group (its coverage) minus a
threshold, and a sentence left out (1-0 or 0-1) earns nothing. Dynamic
programming picks the grouping with the largest total. Because every sentence
must be covered by its partners, an unrelated sentence is not absorbed into a
neighbour's group (it is cheaper to leave it out), and a true merge wins because
both halves are covered.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from builder.align.features import Featurizer, unions


@dataclass(frozen=True)
class Group:
    garbled: tuple[int, ...]  # sentence indices, consecutive, maybe empty
    clean: tuple[int, ...]
    score: float  # weighted coverage in [0, 1]; 0 for 1-0 and 0-1

    @property
    def kind(self) -> str:
        return f"{len(self.garbled)}-{len(self.clean)}"


@dataclass
class AlignerParams:
    ngram: int = 3
    max_group: int = 2
    threshold: float = 0.3  # coverage a sentence needs to be worth aligning
    merge_cost: float = 0.05  # extra coverage asked of every sentence in a group larger than 1-1
    skip_cost: float = 0.0  # cost per sentence left unaligned, in units of its mass


def group_shapes(max_group: int) -> list[tuple[int, int]]:
    shapes = [(1, 0), (0, 1), (1, 1), (1, 2), (2, 1), (2, 2)]
    if max_group >= 3:
        shapes += [(1, 3), (3, 1)]
    return shapes


class Aligner:
    def __init__(self, params: AlignerParams | None = None) -> None:
        self.p = params or AlignerParams()
        self.shapes = group_shapes(self.p.max_group)

    def align(self, garbled: Sequence[str], clean: Sequence[str]) -> list[Group]:
        n, m = len(garbled), len(clean)
        if n == 0 or m == 0:
            return [Group((i,), (), 0.0) for i in range(n)] + [Group((), (j,), 0.0) for j in range(m)]
        values, scores = self._group_values(garbled, clean)
        return self._best_path(n, m, values, scores)

    def _group_values(self, garbled: Sequence[str], clean: Sequence[str]):
        """For each shape (a, b): value and score of every group G[i:i+a] ~ C[j:j+b]."""
        f = Featurizer(garbled, clean, self.p.ngram)
        sizes = sorted({a for a, b in self.shapes if b} | {b for a, b in self.shapes if a})
        # covered_g[b][k, j]: mass of garbled sentence k found in clean sentences j..j+b-1
        covered_g = {b: (f.garbled_w @ unions(f.clean_bin, b).T).toarray() for b in sizes}
        covered_c = {a: (f.clean_w @ unions(f.garbled_bin, a).T).toarray() for a in sizes}
        gm, cm = f.garbled_mass, f.clean_mass
        values, scores = {}, {}
        for a, b in self.shapes:
            if a == 0 or b == 0:
                continue
            rows, cols = len(gm) - a + 1, len(cm) - b + 1
            if rows <= 0 or cols <= 0:
                continue
            got = np.zeros((rows, cols))
            for k in range(a):
                got += covered_g[b][k : k + rows, :cols]
            for k in range(b):
                got += covered_c[a][k : k + cols, :rows].T
            mass = _window_sum(gm, a)[:, None] + _window_sum(cm, b)[None, :]
            extra = (a + b - 2) * self.p.merge_cost
            values[a, b] = got - (self.p.threshold + extra) * mass
            scores[a, b] = np.clip(np.divide(got, mass, out=np.zeros_like(got), where=mass > 0), 0.0, 1.0)
        return values, scores

    def _best_path(self, n: int, m: int, values, scores) -> list[Group]:
        skip = -self.p.skip_cost
        total = np.full((n + 1, m + 1), -np.inf)
        back = np.zeros((n + 1, m + 1, 2), dtype=np.int8)
        jj = np.arange(m + 1)
        for i in range(n + 1):
            best = np.full(m + 1, -np.inf)
            shape = np.zeros((m + 1, 2), dtype=np.int8)
            if i == 0:
                best[0] = 0.0
            for a, b in self.shapes:
                if a == 0 or i < a:
                    continue
                prev = total[i - a]
                if b == 0:
                    cand = prev + skip
                    lo = 0
                else:
                    v = values.get((a, b))
                    if v is None:
                        continue
                    cand = np.full(m + 1, -np.inf)
                    cand[b:] = prev[: m + 1 - b] + v[i - a]
                    lo = b
                better = cand > best
                better[:lo] = False
                best[better] = cand[better]
                shape[better] = (a, b)
            # 0-1 groups chain along the row: total[i, j] = max_k best[k] + (j - k) * skip
            run = np.maximum.accumulate(best - jj * skip) + jj * skip
            from_left = run > best
            total[i] = np.where(from_left, run, best)
            shape[from_left] = (0, 1)
            back[i] = shape
        groups: list[Group] = []
        i, j = n, m
        while i > 0 or j > 0:
            a, b = (int(x) for x in back[i, j])
            gi, cj = tuple(range(i - a, i)), tuple(range(j - b, j))
            score = float(scores[a, b][i - a, j - b]) if a and b else 0.0
            groups.append(Group(gi, cj, score))
            i, j = i - a, j - b
        groups.reverse()
        return groups


def _window_sum(x: np.ndarray, size: int) -> np.ndarray:
    c = np.concatenate([[0.0], np.cumsum(x)])
    return c[size:] - c[:-size]
