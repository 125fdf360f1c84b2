"""The identity baseline of each split: the garbled text returned unchanged as the
restoration of the clean text. A model that restores text must beat these numbers.

All four are corpus-level, and each is a sum of per-row counts, so they are gathered a
batch at a time with no text held back:

- CER and WER with jiwer: (substitutions + deletions + insertions) / reference length,
  summed over the split. They are the standard definitions the rows' ``cer``/``wer`` use
  row by row (a corpus rate weighs long rows more than the mean of row rates does).
  sacrebleu's TER was not used: it counts a moved block as one edit, so it is not WER,
  and sacrebleu has no character error rate.
- chrF and BLEU with sacrebleu (its defaults: chrF with character n-grams up to 6 and
  beta 2; BLEU with the 13a tokenizer), the scores papers report. sacrebleu sums
  per-sentence statistics and scores the sums; the same is done here batch by batch,
  which gives exactly ``corpus_score`` on the whole split (a test checks it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


def _metrics() -> tuple[Any, Any]:
    from sacrebleu.metrics import BLEU, CHRF

    return BLEU(), CHRF()


@dataclass
class _Split:
    rows: int = 0
    word_errors: int = 0
    words: int = 0
    char_errors: int = 0
    chars: int = 0
    bleu: np.ndarray | None = None
    chrf: np.ndarray | None = None


def _add_stats(total: np.ndarray | None, stats: list[list[float]]) -> np.ndarray:
    summed = np.asarray(stats, dtype=np.float64).sum(axis=0)
    return summed if total is None else total + summed


@dataclass
class IdentityBaselines:
    """Accumulates, per split, what the four identity-baseline scores are made of."""

    splits: dict[str, _Split] = field(default_factory=dict)
    _bleu: Any = None
    _chrf: Any = None

    def add(self, split: str, garbled: list[str], clean: list[str]) -> None:
        """Add rows of ``split``: ``garbled`` is the prediction, ``clean`` the reference."""
        if not garbled:
            return
        import jiwer

        if self._bleu is None:
            self._bleu, self._chrf = _metrics()
        acc = self.splits.setdefault(split, _Split())
        acc.rows += len(garbled)
        # jiwer refuses an empty reference; the filter's min_chars keeps them out, but a
        # config may allow one: it then counts as one word (or character) wholly missed.
        refs = [c if c.strip() else "\u2205" for c in clean]
        words = jiwer.process_words(refs, garbled)
        acc.word_errors += words.substitutions + words.deletions + words.insertions
        acc.words += words.substitutions + words.deletions + words.hits
        chars = jiwer.process_characters(refs, garbled)
        acc.char_errors += chars.substitutions + chars.deletions + chars.insertions
        acc.chars += chars.substitutions + chars.deletions + chars.hits
        acc.bleu = _add_stats(acc.bleu, self._bleu._extract_corpus_statistics(garbled, [clean]))
        acc.chrf = _add_stats(acc.chrf, self._chrf._extract_corpus_statistics(garbled, [clean]))

    def result(self, order: tuple[str, ...]) -> dict[str, dict[str, Any]]:
        """``{split: {rows, cer, wer, chrf, bleu}}`` for the splits that had rows, in ``order``."""
        out = {}
        for split in order:
            acc = self.splits.get(split)
            if acc is None or not acc.rows:
                continue
            out[split] = {
                "rows": acc.rows,
                "cer": round(acc.char_errors / max(acc.chars, 1), 6),
                "wer": round(acc.word_errors / max(acc.words, 1), 6),
                "chrf": round(self._chrf._compute_score_from_stats(acc.chrf.tolist()).score, 4),
                "bleu": round(self._bleu._compute_score_from_stats(acc.bleu.tolist()).score, 4),
            }
        return out
