"""The identity baseline of each split: the garbled text returned unchanged as the
restoration of the clean text. A model that restores text must beat these numbers.

All four are corpus-level, and each is a sum of per-row counts, so they are gathered a
batch at a time with no text held back:

- CER and WER: (substitutions + deletions + insertions) / reference length, summed over
  the split, with rapidfuzz's Levenshtein distance (C++), as the rows' ``cer``/``wer``
  are computed row by row (a corpus rate weighs long rows more than the mean of row
  rates does). A row's own ``cer``/``wer`` times its reference length gives back its
  errors exactly (``errors_from_rate``), so only rows without one, or too long for
  the rounding, are measured again. They are jiwer's definitions, and a test checks them against jiwer; jiwer
  itself cost 0.15 ms a row, more than the rest of the writer. sacrebleu's TER was not
  used: it counts a moved block as one edit, so it is not WER.
- chrF and BLEU as sacrebleu defines them (its defaults: chrF with character n-grams up
  to 6 and beta 2; BLEU with the 13a tokenizer), the scores papers report. sacrebleu sums
  per-sentence statistics and scores the sums; the same is done here batch by batch,
  which gives exactly ``corpus_score`` on the whole split (a test checks it). The
  statistics of a batch are counted at once in NumPy (``builder.pipeline.writers.ngrams``),
  four to five times faster than sacrebleu's per-sentence counting, and sacrebleu scores
  the sums.

Even so chrF and BLEU cost more than the rest of the writer, so on a large split they
are scored on a sample: the rows whose id hashes under ``sample / rows of the split``
(about ``card.baseline_sample`` rows, the same ones in every run). On the 26,569 train
rows of a BBC build, 2,000 gave chrF 97.12 and BLEU 90.28 against 97.16 and 90.53 on all
of them (5,000: 97.15 and 90.44); ``card.baseline_sample=null`` scores every row. CER and
WER are cheap and always use every row: their lengths, word counts and the errors behind
the rows' stored rates are counted on the Arrow columns, with no Python string made.
Given a ``submit`` (an executor's, such as the build's worker processes), the sampled
rows' chrF and BLEU statistics are counted there while the writer goes on (the build
counts each batch's plain counts on its workers too, ``builder.pipeline.writers.counting``);
the counts are whole numbers, so their sums do not depend on the order in which the
workers finish.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from functools import cache
from typing import Any

import numpy as np
import pyarrow as pa

from builder.core.metrics import char_counts, char_errors, errors_from_rates, word_counts, word_errors
from builder.core.seeding import unit_intervals
from builder.pipeline.writers.ngrams import bleu_stats, chrf_stats

#: A batch's counts: rows, character errors and length, word errors and length;
#: sacrebleu's BLEU statistics; its chrF statistics. Each is summed over batches.
Counts = tuple[np.ndarray, np.ndarray, np.ndarray]
#: Sampled rows whose chrF and BLEU statistics are counted at once: a few hundred cost
#: less a row than 1,024 (0.29 ms against 0.35), and leave less to count after the last
#: batch, when the writer waits for it.
NGRAM_ROWS = 256


@cache
def _metrics() -> tuple[Any, Any]:
    from sacrebleu.metrics import BLEU, CHRF

    return BLEU(), CHRF()


@cache
def _stats_size(metric: Any) -> int:
    """How many statistics ``metric`` sums per sentence."""
    return len(metric._extract_corpus_statistics(["a"], [["a"]])[0])


def in_sample(ids: Any, share: float) -> np.ndarray:
    """Which rows chrF and BLEU score when a split is sampled: those whose id (a string
    column) hashes under ``share`` (the same rows in every run)."""
    return unit_intervals("baseline", ids) < share


def _strings(values: Any) -> pa.Array | pa.ChunkedArray:
    return values if isinstance(values, (pa.Array, pa.ChunkedArray)) else pa.array(values, pa.string())


def _errors(
    garbled: pa.ChunkedArray, clean: pa.ChunkedArray, rates: Any, count: Callable, lengths: np.ndarray
) -> np.ndarray:
    """(errors, reference length) of each row, from its stored rate (a float column,
    null: none) where that tells it (``errors_from_rates``, for all rows at once), else
    measured. ``lengths``: the references' lengths as ``count`` gives them."""
    n = np.maximum(lengths, 1)  # as count gives it: at least 1
    if rates is None:
        errors, known = np.zeros(len(n), np.int64), np.zeros(len(n), bool)
    else:
        stored = pa.array(rates, pa.float64()) if isinstance(rates, list) else rates
        errors, known = errors_from_rates(stored.to_numpy(zero_copy_only=False).astype(np.float64), n)
    out = np.stack([errors, n], axis=1)
    unknown = np.flatnonzero(~known)
    if len(unknown):
        at = pa.array(unknown)
        pairs = zip(garbled.take(at).to_pylist(), clean.take(at).to_pylist(), strict=True)
        out[unknown] = np.array([count(g, c) for g, c in pairs], dtype=np.int64).reshape(-1, 2)
    return out


def plain_counts(
    garbled: Any,
    clean: Any,
    ids: Any = None,
    share: float = 1.0,
    cer: Any = None,
    wer: Any = None,
) -> tuple[np.ndarray, list[str], list[str]]:
    """Rows, character and word errors and lengths, and rows scored by BLEU and chrF
    (the ``ids`` ``in_sample`` at ``share``; all by default); and the garbled and clean
    texts of those scored rows. Each argument is a list or an Arrow column: the lengths
    and the errors behind ``cer``/``wer`` (the rows' own rates, when they have them: the
    measure stage's, on these same texts) are counted with no Python string made."""
    garbled, clean = _strings(garbled), _strings(clean)
    chars = _errors(garbled, clean, cer, char_errors, char_counts(clean))
    words = _errors(garbled, clean, wer, word_errors, word_counts(clean))
    plain = [len(garbled), *chars.sum(axis=0).tolist(), *words.sum(axis=0).tolist()]
    if ids is not None and share < 1:
        at = pa.array(np.flatnonzero(in_sample(ids, share)))
        garbled, clean = garbled.take(at), clean.take(at)
    plain.append(len(garbled))
    return np.asarray(plain, dtype=np.int64), garbled.to_pylist(), clean.to_pylist()


def ngram_counts(garbled: list[str], clean: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """BLEU's and chrF's statistics of ``garbled`` as the restoration of ``clean``."""
    bleu, chrf = _metrics()
    if not garbled:
        return np.zeros(_stats_size(bleu)), np.zeros(_stats_size(chrf))
    return bleu_stats(bleu, garbled, clean), chrf_stats(chrf, garbled, clean)


def identity_counts(
    garbled: list[str],
    clean: list[str],
    ids: list[str] | None = None,
    share: float = 1.0,
    cer: list[float | None] | None = None,
    wer: list[float | None] | None = None,
) -> Counts:
    """The counts the four scores of ``garbled`` as the restoration of ``clean`` are
    made of: ``plain_counts``, then the ``ngram_counts`` of the rows it scores."""
    plain, sampled_garbled, sampled_clean = plain_counts(garbled, clean, ids, share, cer, wer)
    return (plain, *ngram_counts(sampled_garbled, sampled_clean))


class IdentityBaselines:
    """Sums, per split, the counts of the batches it is given; ``result`` scores them.

    The rows chrF and BLEU score are gathered per split and counted ``NGRAM_ROWS`` at a
    time: a sampled batch holds only a few, and each count is a call (on a worker, a
    task). The statistics are sums of whole numbers, so neither the
    grouping nor the order in which workers finish changes them."""

    def __init__(
        self,
        submit: Callable[..., Future] | None = None,
        in_flight: int = 4,
        sample: int | None = None,
        split_rows: dict[str, int] | None = None,
    ) -> None:
        """``sample``: about how many rows of each split chrF and BLEU score (None: all),
        given the rows of each split in ``split_rows``."""
        self.totals: dict[str, list[np.ndarray]] = {}
        self.submit, self.in_flight = submit, in_flight
        self.pending: deque[tuple[str, Future]] = deque()  # (split, its n-gram counts)
        self.scored: dict[str, tuple[list[str], list[str]]] = {}  # rows waiting for their n-gram counts
        self.share = {s: (1.0 if sample is None or n <= sample else sample / n) for s, n in (split_rows or {}).items()}

    def _sum(self, split: str, at: int, counts: np.ndarray) -> None:
        totals = self.totals.setdefault(split, [np.zeros(0), np.zeros(0), np.zeros(0)])
        totals[at] = counts if not totals[at].size else totals[at] + counts

    def add_counts(self, split: str, counts: tuple[np.ndarray, list[str], list[str]]) -> None:
        """Add the ``plain_counts`` of rows of ``split`` (counted by ``add``, or on a worker)."""
        plain, garbled, clean = counts
        self._sum(split, 0, plain)
        waiting = self.scored.setdefault(split, ([], []))
        waiting[0].extend(garbled)
        waiting[1].extend(clean)
        if len(waiting[0]) >= NGRAM_ROWS:
            self._ngrams(split)

    def _ngrams(self, split: str) -> None:
        garbled, clean = self.scored.pop(split, ([], []))
        if not garbled:
            return
        if self.submit is None:
            self._ngram_sums(split, ngram_counts(garbled, clean))
        else:
            self.pending.append((split, self.submit(ngram_counts, garbled, clean)))
            while len(self.pending) > self.in_flight:  # memory: a few groups of text at most
                self._collect()

    def _ngram_sums(self, split: str, counts: tuple[np.ndarray, np.ndarray]) -> None:
        self._sum(split, 1, counts[0])
        self._sum(split, 2, counts[1])

    def add(
        self,
        split: str,
        garbled: list[str],
        clean: list[str],
        ids: list[str] | None = None,
        cer: list[float | None] | None = None,
        wer: list[float | None] | None = None,
    ) -> None:
        """Add rows of ``split``: ``garbled`` is the prediction, ``clean`` the reference;
        ``ids`` choose the rows chrF and BLEU score when the split is sampled; ``cer``
        and ``wer`` are the rows' own rates, when they have them."""
        if not garbled:
            return
        share = self.share.get(split, 1.0) if ids is not None else 1.0
        self.add_counts(split, plain_counts(garbled, clean, ids, share, cer, wer))

    def _collect(self) -> None:
        split, future = self.pending.popleft()
        self._ngram_sums(split, future.result())

    def flush(self) -> None:
        """Hand over the rows still waiting for their chrF and BLEU counts: after the last
        ``add``, so that the workers have them before the work that follows."""
        for split in list(self.scored):
            self._ngrams(split)

    def result(self, order: tuple[str, ...]) -> dict[str, dict[str, Any]]:
        """``{split: {rows, cer, wer, chrf, bleu}}`` for the splits that had rows, in ``order``."""
        while self.pending:
            self._collect()
        self.flush()
        while self.pending:
            self._collect()
        bleu, chrf = _metrics()
        out = {}
        for split in order:
            if split not in self.totals:
                continue
            plain, bleu_stats, chrf_stats = self.totals[split]
            if not bleu_stats.size:  # no row scored
                bleu_stats, chrf_stats = ngram_counts([], [])
            rows, char_errors, chars, word_errors, words, scored = (int(x) for x in plain)
            out[split] = {
                "rows": rows,
                "scored_rows": scored,  # the rows chrF and BLEU scored (a sample of a large split)
                "cer": round(char_errors / max(chars, 1), 6),
                "wer": round(word_errors / max(words, 1), 6),
                "chrf": round(chrf._compute_score_from_stats(chrf_stats.tolist()).score, 4),
                "bleu": round(bleu._compute_score_from_stats(bleu_stats.tolist()).score, 4),
            }
        return out
