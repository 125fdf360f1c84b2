"""BLEU's and chrF's corpus statistics for many rows at once, in NumPy.

sacrebleu counts each sentence's n-grams in a ``Counter`` and matches them one by one
in Python, which cost more than building the rows. Its statistics are sums over
sentences of counts, so a batch can be counted at once: every n-gram becomes one
integer key (its row, then its symbols as digits in the base of the batch's alphabet),
``np.unique`` counts the keys of each side, and the matches are the smaller count of
each key both sides have. The keys are exact (no hashing), so the sums are exactly
sacrebleu's; a batch whose keys would not fit in 63 bits is halved until they do, and a
single row that still does not fit is counted n-gram by n-gram. A chrF other than the
default is left to sacrebleu.

BLEU's default tokenisation (``13a``, mteval-v13a's) is sacrebleu's rules in sacrebleu's
order, with its first rule, a space either side of each ASCII punctuation character,
done by ``str.replace`` for the characters present: as a pattern with a group in its
replacement it built every match's text in Python, three times the rest of the
tokeniser. A test checks the tokens against sacrebleu's on any text.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import numpy as np

_KEY_LIMIT = 2.0**63


def _encode(sequences: list[list[str]] | list[str]) -> tuple[list[np.ndarray], int]:
    """Each sequence as dense symbol ids (from 1) and the batch's base (largest id + 1):
    characters of strings through their code points, tokens through a table."""
    if all(isinstance(x, str) for x in sequences):
        lengths = np.fromiter((len(x) for x in sequences), np.int64, len(sequences))
        points = np.frombuffer("".join(sequences).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        alphabet, dense = np.unique(points, return_inverse=True)
        return np.split(dense.astype(np.int64) + 1, np.cumsum(lengths)[:-1]), len(alphabet) + 1
    table: dict[str, int] = {}
    ids = [np.fromiter((table.setdefault(x, len(table) + 1) for x in seq), np.int64, len(seq)) for seq in sequences]
    return ids, len(table) + 1


def _keys(values: np.ndarray, lengths: np.ndarray, n: int, base: int) -> tuple[np.ndarray, np.ndarray]:
    """The key of every ``n``-gram of every row, and how many each row has."""
    counts = np.maximum(lengths - n + 1, 0)
    total = int(counts.sum())
    starts = np.repeat(np.cumsum(lengths) - lengths, counts)
    pos = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts) + starts
    key = np.repeat(np.arange(len(lengths), dtype=np.uint64), counts)
    step = np.uint64(base)
    for j in range(n):
        key = key * step + values[pos + j].astype(np.uint64)
    return key, counts


def _order_stats(
    hyp: tuple[np.ndarray, np.ndarray], ref: tuple[np.ndarray, np.ndarray], n: int, base: int
) -> list[int]:
    """(hypothesis n-grams of rows whose reference has some, reference n-grams, matches)."""
    hyp_keys, hyp_counts = _keys(*hyp, n, base)
    ref_keys, ref_counts = _keys(*ref, n, base)
    hyp_unique, hyp_n = np.unique(hyp_keys, return_counts=True)
    ref_unique, ref_n = np.unique(ref_keys, return_counts=True)
    _, at_hyp, at_ref = np.intersect1d(hyp_unique, ref_unique, assume_unique=True, return_indices=True)
    matched = int(np.minimum(hyp_n[at_hyp], ref_n[at_ref]).sum())
    return [int(hyp_counts[ref_counts > 0].sum()), int(ref_counts.sum()), matched]


def _fits(rows: int, base: int, order: int) -> bool:
    return (rows + 1) * float(base) ** order < _KEY_LIMIT


def _joined(ids: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    lengths = np.fromiter((len(x) for x in ids), np.int64, len(ids))
    return (np.concatenate(ids) if ids else np.empty(0, np.int64)), lengths


def match_stats(hyps: list[Any], refs: list[Any], order: int) -> np.ndarray:
    """Per order 1..``order``: (hypothesis n-grams of rows whose reference has some,
    reference n-grams, matched) summed over the rows, for sequences of symbols
    (characters of strings, or token lists)."""
    ids, base = _encode([*hyps, *refs])
    rows = len(hyps)
    if not _fits(rows, base, order):
        if rows == 1:
            return _counted(hyps[0], refs[0], order)
        half = rows // 2
        return match_stats(hyps[:half], refs[:half], order) + match_stats(hyps[half:], refs[half:], order)
    hyp, ref = _joined(ids[:rows]), _joined(ids[rows:])
    out: list[int] = []
    for n in range(1, order + 1):
        out.extend(_order_stats(hyp, ref, n, base))
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
    hyp_tokens = [tokens(t) for t in hyps]
    ref_tokens = [tokens(t) for t in refs]
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
