"""Verification: each candidate pair is sentence-aligned and scored with the build's own
document score (the share of both documents explained by confident groups). This is most
of pairing's time, which is why only the best candidates are verified."""

from __future__ import annotations

from collections.abc import Sequence

from builder.align import Aligner
from builder.align.relatedness import document_score
from builder.pairing.params import PairingParams
from builder.text.segment import Segmenter


class Verifier:
    """Sentence-aligns candidate pairs; each clean document is segmented once."""

    def __init__(self, garbled: Sequence[str], clean: Sequence[str], p: PairingParams) -> None:
        self.garbled, self.clean = garbled, clean
        self.segmenter = Segmenter()
        self.aligner = Aligner(p.aligner)
        self.clean_sentences: dict[int, list[str]] = {}

    def scores(self, i: int, candidates: Sequence[int]) -> list[float]:
        g = self.segmenter.sentences(self.garbled[i])
        out = []
        for j in candidates:
            if j not in self.clean_sentences:
                self.clean_sentences[j] = self.segmenter.sentences(self.clean[j])
            c = self.clean_sentences[j]
            out.append(document_score(self.aligner.align(g, c), len(g), len(c)) if g and c else 0.0)
        return out
