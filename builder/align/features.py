"""Surface features that survive garbling: idf-weighted character n-gram sets.

Character n-grams still match when a word is misspelt, OCR-confused or a name
drifts in transliteration (Witkoff/Witkov share most trigrams), and need no model.
"""

from __future__ import annotations

import re
import unicodedata
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


def ngram_sets(sentences: Sequence[str], n: int) -> list[set[str]]:
    out = []
    for s in sentences:
        f = f" {fold(s)} "
        out.append({f[i : i + n] for i in range(max(1, len(f) - n + 1))} if f.strip() else set())
    return out


@dataclass
class Side:
    """One side's items (sentences, or blocks of them): binary n-gram incidence, the same
    weighted by idf, the weight of each item, and its length in characters."""

    binary: sp.csr_matrix
    weighted: sp.csr_matrix
    mass: np.ndarray
    length: np.ndarray

    def __len__(self) -> int:
        return self.binary.shape[0]

    def blocks(self, size: int, idf: np.ndarray) -> Side:
        """Consecutive items joined ``size`` at a time (the last block may be shorter)."""
        n = len(self)
        starts = np.arange(0, n, size)
        member = sp.csr_matrix((np.ones(n), (np.arange(n) // size, np.arange(n))), shape=(len(starts), n))
        binary = (member @ self.binary).tocsr()
        binary.data[:] = 1.0
        weighted = (binary @ sp.diags(idf)).tocsr()
        length = np.add.reduceat(self.length, starts) if n else np.zeros(0)
        return Side(binary, weighted, np.asarray(weighted.sum(axis=1)).ravel(), length)


class Featurizer:
    """Both sides of one document pair, with idf over the sentences of both."""

    def __init__(self, garbled: Sequence[str], clean: Sequence[str], n: int = 3) -> None:
        sets = ngram_sets(list(garbled) + list(clean), n)
        vocab: dict[str, int] = {}
        indptr, indices = [0], []
        for grams in sets:
            for g in grams:
                indices.append(vocab.setdefault(g, len(vocab)))
            indptr.append(len(indices))
        data = np.ones(len(indices), dtype=np.float64)
        incidence = sp.csr_matrix(
            (data, np.array(indices, dtype=np.int64), np.array(indptr)), shape=(len(sets), max(1, len(vocab)))
        )
        df = np.asarray(incidence.sum(axis=0)).ravel()
        self.idf = np.log1p(len(sets) / np.maximum(df, 1.0))
        weighted = (incidence @ sp.diags(self.idf)).tocsr()
        mass = np.asarray(weighted.sum(axis=1)).ravel()
        lengths = np.array([len(s) for s in (*garbled, *clean)], dtype=np.float64)
        ng = len(garbled)
        self.garbled = Side(incidence[:ng], weighted[:ng], mass[:ng], lengths[:ng])
        self.clean = Side(incidence[ng:], weighted[ng:], mass[ng:], lengths[ng:])


def unions(incidence: sp.csr_matrix, size: int) -> sp.csr_matrix:
    """Row j: the n-grams of items j .. j+size-1 together (binary)."""
    if size == 1:
        return incidence
    rows = incidence.shape[0] - size + 1
    if rows <= 0:
        return sp.csr_matrix((0, incidence.shape[1]))
    acc = incidence[:rows].copy()
    for k in range(1, size):
        acc = acc + incidence[k : k + rows]
    acc.data[:] = 1.0
    return acc.tocsr()
