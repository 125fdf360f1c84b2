"""Surface features that survive garbling: idf-weighted character n-gram sets.

Character n-grams still match when a word is misspelt, OCR-confused or a name
drifts in transliteration (Witkoff/Witkov share most trigrams), and need no model.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

_FOLD = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "ß": "ss"})
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Lower case, accents and punctuation removed: only what the words are made of."""
    text = unicodedata.normalize("NFKD", text.translate(_FOLD).lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return _NON_ALNUM.sub(" ", text).strip()


def ngram_sets(sentences: Sequence[str], n: int) -> list[set[str]]:
    out = []
    for s in sentences:
        f = f" {fold(s)} "
        out.append({f[i : i + n] for i in range(max(1, len(f) - n + 1))} if f.strip() else set())
    return out


class Featurizer:
    """Binary n-gram incidence for both sides of one document pair, idf over its sentences."""

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
        idf = np.log1p(len(sets) / np.maximum(df, 1.0))
        weighted = incidence @ sp.diags(idf)
        ng = len(garbled)
        self.garbled_bin, self.clean_bin = incidence[:ng], incidence[ng:]
        self.garbled_w, self.clean_w = weighted[:ng].tocsr(), weighted[ng:].tocsr()
        self.garbled_mass = np.asarray(self.garbled_w.sum(axis=1)).ravel()
        self.clean_mass = np.asarray(self.clean_w.sum(axis=1)).ravel()


def unions(incidence: sp.csr_matrix, size: int) -> sp.csr_matrix:
    """Row j: the n-grams of sentences j .. j+size-1 together (binary)."""
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
