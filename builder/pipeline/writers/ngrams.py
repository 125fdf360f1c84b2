"""BLEU's and chrF's corpus statistics for many rows at once, in NumPy.

sacrebleu counts each sentence's n-grams in a ``Counter`` and matches them one by one
in Python, which cost more than building the rows. Its statistics are sums over
sentences of counts, so a batch can be counted at once: every n-gram becomes one
integer key (its row, then its symbols as digits in the base of the batch's alphabet),
``np.unique`` counts the keys of each side, and the matches are the smaller count of
each key both sides have. A row's two sides share most of their symbols (garbling edits
a few places), and an n-gram inside what they share at the start or the end matches
itself: only the n-grams reaching past it are given keys, a tenth of them or less. The
keys are exact (no hashing), so the sums are exactly sacrebleu's; a batch whose keys
would not fit in 63 bits is halved until they do, and a single row that still does not
fit is counted n-gram by n-gram. A chrF other than the default is left to sacrebleu.

BLEU's default tokenisation (``13a``, mteval-v13a's) is sacrebleu's rules in sacrebleu's
order, with its first rule, a space either side of each ASCII punctuation character,
done by ``str.replace`` for the characters present: as a pattern with a group in its
replacement it built every match's text in Python, three times the rest of the
tokeniser. A test checks the tokens against sacrebleu's on any text.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import chain
from typing import Any

import numpy as np

_KEY_LIMIT = 2.0**63


def _encode(sequences: list[list[str]] | list[str]) -> tuple[np.ndarray, np.ndarray, int]:
    """The sequences' symbols as dense ids (from 1), joined, each sequence's length, and
    the batch's base (largest id + 1): characters of strings by their code points (a
    table as long as the largest: sorting them cost more), tokens in the order they first
    appear (pandas' hash table: a Python dictionary cost a lookup a token)."""
    lengths = np.fromiter(map(len, sequences), np.int64, len(sequences))
    if all(isinstance(x, str) for x in sequences):
        points = np.frombuffer("".join(sequences).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        if not len(points):
            return np.zeros(0, np.int64), lengths, 1
        present = np.zeros(int(points.max()) + 1, np.int64)
        present[points] = 1
        rank = np.cumsum(present)  # a code point's place among those present, from 1
        return rank[points], lengths, int(rank[-1]) + 1
    import pandas as pd  # here: a writer without token counts never needs it

    tokens = np.fromiter(chain.from_iterable(sequences), object, int(lengths.sum()))
    codes, uniques = pd.factorize(tokens)
    return codes.astype(np.int64) + 1, lengths, len(uniques) + 1


def _keys(
    values: np.ndarray, offsets: np.ndarray, first: np.ndarray, counts: np.ndarray, n: int, base: int
) -> np.ndarray:
    """The key of each of the ``counts[i]`` ``n``-grams of row ``i`` from its ``first``
    (rows start at ``offsets`` in ``values``)."""
    total = int(counts.sum())
    starts = np.repeat(offsets + first, counts)
    pos = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts) + starts
    key = np.repeat(np.arange(len(counts), dtype=np.uint64), counts)
    step = np.uint64(base)
    for j in range(n):
        key = key * step + values[pos + j].astype(np.uint64)
    return key


def _shared_ends(hyp: tuple[np.ndarray, np.ndarray], ref: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, ...]:
    """Each row's offsets on both sides and how many symbols its two sides share at the
    start and at the end (the end's count clipped so that the two never overlap)."""
    (hyp_values, hyp_lengths), (ref_values, ref_lengths) = hyp, ref
    hyp_offsets, ref_offsets = np.cumsum(hyp_lengths) - hyp_lengths, np.cumsum(ref_lengths) - ref_lengths
    common = np.minimum(hyp_lengths, ref_lengths)
    rows = np.repeat(np.arange(len(common)), common)
    j = np.arange(len(rows)) - np.repeat(np.cumsum(common) - common, common)

    def run(hyp_at: np.ndarray, ref_at: np.ndarray, sign: int) -> np.ndarray:
        """How far each row's sides agree, stepping ``sign`` from ``hyp_at``/``ref_at``."""
        differ = np.flatnonzero(
            hyp_values[np.repeat(hyp_at, common) + sign * j] != ref_values[np.repeat(ref_at, common) + sign * j]
        )
        agree = common.copy()
        at = rows[differ]  # in row order, then position: a row's first difference comes first
        first = np.r_[True, at[1:] != at[:-1]] if len(at) else np.zeros(0, dtype=bool)
        agree[at[first]] = j[differ][first]
        return agree

    head = run(hyp_offsets, ref_offsets, 1)
    tail = np.minimum(run(hyp_offsets + hyp_lengths - 1, ref_offsets + ref_lengths - 1, -1), common - head)
    return hyp_offsets, ref_offsets, head, tail


def _order_stats(
    hyp: tuple[np.ndarray, np.ndarray],
    ref: tuple[np.ndarray, np.ndarray],
    ends: tuple[np.ndarray, ...],
    n: int,
    base: int,
) -> list[int]:
    """(hypothesis n-grams of rows whose reference has some, reference n-grams, matches).

    An n-gram inside the start or the end a row's two sides share is on both sides, and
    matches: since ``min(c + a, c + b) = c + min(a, b)``, only the n-grams that reach
    into the part between are given keys and counted (a few around each edit)."""
    hyp_offsets, ref_offsets, head, tail = ends
    hyp_n, ref_n = np.maximum(hyp[1] - n + 1, 0), np.maximum(ref[1] - n + 1, 0)
    first = np.maximum(head - n + 1, 0)  # n-grams all in the shared start: the first that is not
    shared = first + np.maximum(tail - n + 1, 0)
    hyp_keys = _keys(hyp[0], hyp_offsets, first, np.maximum(np.minimum(hyp[1] - tail, hyp_n) - first, 0), n, base)
    ref_keys = _keys(ref[0], ref_offsets, first, np.maximum(np.minimum(ref[1] - tail, ref_n) - first, 0), n, base)
    hyp_unique, hyp_count = np.unique(hyp_keys, return_counts=True)
    ref_unique, ref_count = np.unique(ref_keys, return_counts=True)
    _, at_hyp, at_ref = np.intersect1d(hyp_unique, ref_unique, assume_unique=True, return_indices=True)
    matched = int(shared.sum()) + int(np.minimum(hyp_count[at_hyp], ref_count[at_ref]).sum())
    return [int(hyp_n[ref_n > 0].sum()), int(ref_n.sum()), matched]


def _fits(rows: int, base: int, order: int) -> bool:
    return (rows + 1) * float(base) ** order < _KEY_LIMIT


def match_stats(hyps: list[Any], refs: list[Any], order: int) -> np.ndarray:
    """Per order 1..``order``: (hypothesis n-grams of rows whose reference has some,
    reference n-grams, matched) summed over the rows, for sequences of symbols
    (characters of strings, or token lists)."""
    values, lengths, base = _encode([*hyps, *refs])
    rows = len(hyps)
    if not _fits(rows, base, order):
        if rows == 1:
            return _counted(hyps[0], refs[0], order)
        half = rows // 2
        return match_stats(hyps[:half], refs[:half], order) + match_stats(hyps[half:], refs[half:], order)
    cut = int(lengths[:rows].sum())
    hyp, ref = (values[:cut], lengths[:rows]), (values[cut:], lengths[rows:])
    ends = _shared_ends(hyp, ref)
    out: list[int] = []
    for n in range(1, order + 1):
        out.extend(_order_stats(hyp, ref, ends, n, base))
    return np.asarray(out, dtype=np.float64)


def _counted(hyp: Any, ref: Any, order: int) -> np.ndarray:
    """One row's statistics counted n-gram by n-gram (a row with too many symbols for keys)."""
    out: list[int] = []
    for n in range(1, order + 1):
        h = Counter(tuple(hyp[i : i + n]) for i in range(len(hyp) - n + 1))
        r = Counter(tuple(ref[i : i + n]) for i in range(len(ref) - n + 1))
        out += [sum(h.values()) if r else 0, sum(r.values()), sum((h & r).values())]
    return np.asarray(out, dtype=np.float64)


def chrf_stats(chrf: Any, hyps: list[str], refs: list[str]) -> np.ndarray:
    """sacrebleu's chrF statistics (its default chrF: characters without whitespace, no
    word n-grams, one reference) summed over the rows."""
    if chrf.word_order or chrf.whitespace or chrf.lowercase:  # not the default: sacrebleu counts it
        return _sacrebleu(chrf, hyps, refs)
    return match_stats(["".join(t.split()) for t in hyps], ["".join(t.split()) for t in refs], chrf.char_order)


#: What sacrebleu's ``13a`` tokeniser puts spaces around first: ASCII punctuation (its
#: class also takes the space, which only adds spaces between the same tokens).
_PUNCTUATION_13A = '!"#$%&()*+/:;<=>?@[\\]^_`{|}~'
#: Its other rules, in order: period and comma unless after a digit, unless before a
#: digit, and a dash after a digit.
_RULES_13A = (
    (re.compile(r"([^0-9])([\.,])"), r"\1 \2 "),
    (re.compile(r"([\.,])([^0-9])"), r" \1 \2"),
    (re.compile(r"([0-9])(-)"), r"\1 \2 "),
)


def tokenize_13a(line: str) -> str:
    """sacrebleu's ``Tokenizer13a()(line)``: the same tokens, joined by single spaces."""
    line = line.replace("<skipped>", "").replace("-\n", "").replace("\n", " ")
    if "&" in line:
        line = line.replace("&quot;", '"').replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    line = f" {line} "
    for char in _PUNCTUATION_13A:
        if char in line:
            line = line.replace(char, f" {char} ")
    for pattern, spaced in _RULES_13A:
        line = pattern.sub(spaced, line)
    return " ".join(line.split())


def _bleu_tokens(bleu: Any) -> Any:
    """How ``bleu`` turns a segment into its tokens (``_preprocess_segment``)."""
    if bleu.tokenizer.signature() == "13a" and not bleu.lowercase:
        return lambda sent: tokenize_13a(sent.rstrip()).split()
    return lambda sent: bleu._preprocess_segment(sent).split()


def bleu_stats(bleu: Any, hyps: list[str], refs: list[str]) -> np.ndarray:
    """sacrebleu's BLEU statistics (hypothesis and reference length, then matched and
    total n-grams per order) summed over the rows, with one reference each."""
    tokens = _bleu_tokens(bleu)
    ref_tokens = [tokens(t) for t in refs]
    hyp_tokens = [same if h == r else tokens(h) for h, r, same in zip(hyps, refs, ref_tokens, strict=True)]
    triples = match_stats(hyp_tokens, ref_tokens, bleu.max_ngram_order).reshape(-1, 3)
    total = np.maximum(
        np.fromiter((len(t) for t in hyp_tokens), np.int64, len(hyp_tokens))[:, None]
        - np.arange(bleu.max_ngram_order)[None, :],
        0,
    ).sum(axis=0)
    lengths = [sum(len(t) for t in hyp_tokens), sum(len(t) for t in ref_tokens)]
    return np.concatenate([lengths, triples[:, 2], total]).astype(np.float64)


def _sacrebleu(metric: Any, hyps: list[str], refs: list[str]) -> np.ndarray:
    return np.asarray(metric._extract_corpus_statistics(hyps, [refs]), dtype=np.float64).sum(axis=0)
