"""Surface features that survive garbling: idf-weighted character n-gram multisets.

Character n-grams still match when a word is misspelt, OCR-confused or a name
drifts in transliteration (Witkoff/Witkov share most trigrams), and need no model.
They are counted, not just noted: an n-gram that occurs three times is three
features ("x#0", "x#1", "x#2"), so the overlap of two texts is the multiset
intersection and half of a long sentence covers about half of it, not nearly all.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

_FOLD = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "ß": "ss"})
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Lower case, accents and punctuation removed: only what the words are made of."""
    text = text.translate(_FOLD).lower()
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return _NON_ALNUM.sub(" ", text).strip()


def ngram_counts(sentence: str, n: int) -> Counter:
    f = fold(sentence)
    if not f:  # only punctuation ("!", "***"): match it as it is
        f = sentence.strip()
        return Counter({f"#{f}": 1}) if f else Counter()
    f = f" {f} "
    return Counter(f[i : i + n] for i in range(max(1, len(f) - n + 1)))


@dataclass
class Side:
    """Items of one side (sentences, or blocks of them) as expanded n-gram incidence.

    ``group[k]`` row j holds items j .. j+k-1 together; ``group[1]`` is the items.
    """

    group: dict[int, sp.csr_matrix]
    wgroup: dict[int, sp.csr_matrix]  # the same with idf weights
    weighted: sp.csr_matrix  # wgroup[1]
    mass: np.ndarray  # total weight of each item
    length: np.ndarray  # characters of each item

    def __len__(self) -> int:
        return self.weighted.shape[0]


class Featurizer:
    """Both sides of one document pair at every level the aligner will use.

    Level 0 is the sentences; level L joins ``block**L`` consecutive sentences. All
    levels share one vocabulary and the idf of the sentences of both sides.
    """

    def __init__(
        self,
        garbled: Sequence[str],
        clean: Sequence[str],
        n: int = 3,
        group_sizes: Sequence[int] = (1, 2),
        levels: int = 1,
        block: int = 8,
    ) -> None:
        counts = [ngram_counts(s, n) for s in (*garbled, *clean)]
        df: Counter = Counter()
        for c in counts:
            df.update(c.keys())
        n_items = max(1, len(counts))
        idf = {g: float(np.log1p(n_items / d)) for g, d in df.items()}
        self._vocab: dict[tuple[str, int], int] = {}
        self._col_idf: list[float] = []
        self._rows: list[tuple[list[int], list[int]]] = []
        ng = len(garbled)
        lengths = np.array([len(s) for s in (*garbled, *clean)], dtype=np.float64)
        plan = []
        for side, (lo, hi) in (("garbled", (0, ng)), ("clean", (ng, len(counts)))):
            items = [[i] for i in range(lo, hi)]
            for level in range(levels):
                if level:
                    size = block**level
                    items = [list(range(s, min(hi, s + size))) for s in range(lo, hi, size)]
                plan.append((side, level, items, {k: self._add_groups(counts, items, k, idf) for k in group_sizes}))
        width = max(1, len(self._vocab))
        col_idf = np.array(self._col_idf or [0.0])
        self.levels: list[dict[str, Side]] = [{} for _ in range(levels)]
        for side, level, items, rows in plan:
            group = {k: self._matrix(r, width) for k, r in rows.items()}
            wgroup = {k: (g @ sp.diags(col_idf)).tocsr() for k, g in group.items()}
            length = np.array([lengths[it].sum() for it in items], dtype=np.float64)
            mass = np.asarray(wgroup[1].sum(axis=1)).ravel()
            self.levels[level][side] = Side(group, wgroup, wgroup[1], mass, length)
        self.garbled, self.clean = self.levels[0]["garbled"], self.levels[0]["clean"]

    def _add_groups(self, counts, items, k: int, idf) -> tuple[int, int]:
        """Rows for every run of ``k`` consecutive items; returns their range in _rows."""
        start = len(self._rows)
        for j in range(len(items) - k + 1):
            merged: Counter = Counter()
            for it in items[j : j + k]:
                for i in it:
                    merged.update(counts[i])
            cols = []
            for g, c in merged.items():
                for o in range(c):
                    key = (g, o)
                    col = self._vocab.get(key)
                    if col is None:
                        col = self._vocab[key] = len(self._col_idf)
                        self._col_idf.append(idf.get(g, 0.0))
                    cols.append(col)
            self._rows.append((cols, []))
        return start, len(self._rows)

    def _matrix(self, rows: tuple[int, int], width: int) -> sp.csr_matrix:
        lo, hi = rows
        indptr = [0]
        indices: list[int] = []
        for cols, _ in self._rows[lo:hi]:
            indices.extend(sorted(cols))
            indptr.append(len(indices))
        data = np.ones(len(indices))
        return sp.csr_matrix((data, np.array(indices, dtype=np.int64), np.array(indptr)), shape=(hi - lo, width))
