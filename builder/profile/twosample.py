"""A stronger classifier two-sample test: gradient-boosted trees on rich per-pair features.

The realism report's logistic regression sees only per-pair category rates, CER and WER,
so it misses what a reader notices: which words an edit brings in (common or rare,
function or content words), where in the sentence edits fall, whether a substitution is
a near-miss spelling or another word, what happens to case and punctuation, and whether
the garbled side still reads fluently. ``features`` turns (clean, garbled) strings into
such a row per pair; ``boosted_auc`` trains scikit-learn's
``HistGradientBoostingClassifier`` under stratified group k-fold cross-validation and
returns the mean held-out AUC (0.5: the two sets cannot be told apart) and, on request,
permutation importances (the held-out AUC lost when one feature is shuffled).

Trees need no scaling, take interactions and thresholds the logistic cannot, and read a
missing value (NaN: e.g. "where edits fall" in a pair without edits) as its own case.

scikit-learn is an optional extra (``pip install 'garble-builder[realism]'``); it is
imported only when the test runs, and ``missing()`` says in one line when it is absent.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import pairwise
from typing import Any

import numpy as np
from rapidfuzz.distance import Levenshtein

from builder.core.seeding import generator
from builder.noise.ops.tables import FUNCTION_WORDS
from builder.profile.fluency import Reference, pair_counts

INSTALL_HINT = "pip install 'garble-builder[realism]'"
_WORD = re.compile(r"\w+(?:['’]\w+)*")
#: A substitution whose two words are at least this similar (normalised Levenshtein
#: similarity) is a near miss (a typo, an OCR confusion, an inflection), else another word.
NEAR = 0.6
#: Held-out rows a fold's permutation importance is measured on, at most.
IMPORTANCE_ROWS = 2000


def missing() -> str | None:
    """Why the boosted test cannot run (one line), or None when scikit-learn is importable."""
    try:
        import sklearn  # noqa: F401
    except ImportError:
        return f"scikit-learn is not installed ({INSTALL_HINT})"
    return None


class Unigrams:
    """Log relative word frequencies of a reference text set, add-one smoothed, so one
    table scores the words real and synthetic garbling bring in and take out alike."""

    def __init__(self, counts: Counter) -> None:
        self.counts = counts
        self._denominator = sum(counts.values()) + len(counts) + 1

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> Unigrams:
        counts: Counter = Counter()
        for text in texts:
            counts.update(_WORD.findall(text.casefold()))
        return cls(counts)

    def log_frequency(self, word: str) -> float:
        return math.log((self.counts.get(word, 0) + 1) / self._denominator)


_WORD_EDITS = ("sub_function", "sub_content", "insert_function", "insert_content", "delete_function", "delete_content")
NAMES: tuple[str, ...] = (
    *(f"{k}_rate" for k in _WORD_EDITS),
    *_WORD_EDITS,
    "sub_near_rate",
    "sub_far_rate",
    "word_edit_rate",
    "position_mean",
    "position_first",
    "position_last",
    "position_spread",
    "in_logfreq_mean",
    "in_logfreq_min",
    "in_unseen_share",
    "out_logfreq_mean",
    "out_logfreq_min",
    "logfreq_in_minus_out",
    "case_change_rate",
    "punct_insert_rate",
    "punct_delete_rate",
    "punct_sub_rate",
    "space_insert_rate",
    "space_delete_rate",
    "letter_sub_rate",
    "char_insert_rate",
    "char_delete_rate",
    "digit_edit_rate",
    "cer",
    "wer",
    "clean_chars",
    "garbled_chars",
    "clean_words",
    "garbled_words",
    "log_char_ratio",
    "log_word_ratio",
    "punct_clean",
    "punct_garbled",
    "punct_added",
    "upper_clean",
    "upper_garbled",
    "upper_added",
    "nonalnum_garbled_share",
    "nonascii_added",
    "repeated_words_added",
    "fluency_gap",
    "unseen_bigrams_added",
)


def _repeats(words: Sequence[str]) -> int:
    return sum(a == b for a, b in pairwise(words))


def _is_punct(ch: str) -> bool:
    """Punctuation or any other symbol: neither a letter or digit nor a space."""
    return not ch.isalnum() and not ch.isspace()


def _char_edits(clean: str, garbled: str) -> list[float]:
    """Character edit counts by kind: case, punctuation, space, letter, other, digit, total."""
    case = p_ins = p_del = p_sub = s_ins = s_del = letter = ins = dele = digit = 0
    ops = Levenshtein.editops(clean, garbled)
    for tag, i, j in ops.as_list():
        if tag == "replace":
            a, b = clean[i], garbled[j]
            if a.lower() == b.lower():
                case += 1
            elif _is_punct(a) or _is_punct(b):
                p_sub += 1
            elif a.isalpha() and b.isalpha():
                letter += 1
            digit += a.isdigit() or b.isdigit()
        else:
            c = garbled[j] if tag == "insert" else clean[i]
            if c.isspace():
                s_ins, s_del = s_ins + (tag == "insert"), s_del + (tag == "delete")
            elif not c.isalnum():
                p_ins, p_del = p_ins + (tag == "insert"), p_del + (tag == "delete")
            else:
                ins, dele = ins + (tag == "insert"), dele + (tag == "delete")
            digit += c.isdigit()
    return [case, p_ins, p_del, p_sub, s_ins, s_del, letter, ins, dele, digit, len(ops)]


def _nan_stats(values: list[float]) -> tuple[float, float]:
    return (float(np.mean(values)), float(min(values))) if values else (math.nan, math.nan)


def _row(clean: str, garbled: str, unigrams: Unigrams) -> list[float]:
    cw, gw = _WORD.findall(clean.casefold()), _WORD.findall(garbled.casefold())
    n_c, n_g = len(cw), len(gw)
    per_word = max(n_c, 1)
    counts = dict.fromkeys(_WORD_EDITS, 0)
    near = far = 0
    positions: list[float] = []
    came_in: list[str] = []
    went_out: list[str] = []
    ops = Levenshtein.editops(cw, gw).as_list()
    for tag, i, j in ops:
        positions.append(min(i, n_c - 1) / max(n_c - 1, 1) if n_c else 0.0)
        if tag == "replace":
            counts["sub_function" if cw[i] in FUNCTION_WORDS else "sub_content"] += 1
            if Levenshtein.normalized_similarity(cw[i], gw[j]) >= NEAR:
                near += 1
            else:
                far += 1
            came_in.append(gw[j])
            went_out.append(cw[i])
        elif tag == "insert":
            counts["insert_function" if gw[j] in FUNCTION_WORDS else "insert_content"] += 1
            came_in.append(gw[j])
        else:
            counts["delete_function" if cw[i] in FUNCTION_WORDS else "delete_content"] += 1
            went_out.append(cw[i])
    in_freq = [unigrams.log_frequency(w) for w in came_in]
    out_freq = [unigrams.log_frequency(w) for w in went_out]
    in_mean, in_min = _nan_stats(in_freq)
    out_mean, out_min = _nan_stats(out_freq)
    unseen_in = sum(unigrams.counts.get(w, 0) == 0 for w in came_in) / len(came_in) if came_in else math.nan
    if positions:
        place = [float(np.mean(positions)), positions[0], positions[-1], float(np.std(positions))]
    else:
        place = [math.nan] * 4
    chars = _char_edits(clean, garbled)
    per_char = max(len(clean), 1)
    punct_c = sum(map(_is_punct, clean))
    punct_g = sum(map(_is_punct, garbled))
    upper_c, upper_g = sum(ch.isupper() for ch in clean), sum(ch.isupper() for ch in garbled)
    nonascii = sum(ord(ch) > 127 for ch in garbled) - sum(ord(ch) > 127 for ch in clean)
    return [
        *(counts[k] / per_word for k in _WORD_EDITS),
        *(counts[k] for k in _WORD_EDITS),
        near / per_word,
        far / per_word,
        len(ops) / per_word,
        *place,
        in_mean,
        in_min,
        unseen_in,
        out_mean,
        out_min,
        in_mean - out_mean,
        *(c / per_char for c in chars[:10]),
        chars[10] / per_char,
        Levenshtein.distance(clean.split(), garbled.split()) / max(len(clean.split()), 1),
        len(clean),
        len(garbled),
        n_c,
        n_g,
        math.log((len(garbled) + 1) / (len(clean) + 1)),
        math.log((n_g + 1) / (n_c + 1)),
        punct_c,
        punct_g,
        punct_g - punct_c,
        upper_c,
        upper_g,
        upper_g - upper_c,
        punct_g / max(len(garbled), 1),
        nonascii,
        _repeats(gw) - _repeats(cw),
    ]


def features(
    pairs: Sequence[tuple[str, str]],
    unigrams: Unigrams,
    reference: Reference | None = None,
    bigram_counts: np.ndarray | None = None,
) -> tuple[np.ndarray, list[str]]:
    """Per (clean, garbled) pair, the row of ``NAMES``: word edits by kind, where they
    fall, the log frequency (in ``unigrams``) of the words brought in and taken out,
    character edits by kind, lengths, punctuation and case counts, CER and WER, and the
    fluency gap (garbled bigrams unseen in ``reference`` minus the clean side's share;
    ``bigram_counts``: those counts already made by ``fluency.pair_counts``). NaN where
    a value is undefined (no edit, no bigram, no reference)."""
    rows = np.array([_row(c, g, unigrams) for c, g in pairs], dtype=np.float64).reshape(len(pairs), len(NAMES) - 2)
    if bigram_counts is None and reference is not None:
        bigram_counts = pair_counts(reference, [g for _, g in pairs], [c for c, _ in pairs])
    if bigram_counts is None:
        fluent = np.full((len(pairs), 2), np.nan)
    else:
        b = np.asarray(bigram_counts, dtype=np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            gap = np.where((b[:, 1] > 0) & (b[:, 3] > 0), b[:, 0] / b[:, 1] - b[:, 2] / b[:, 3], np.nan)
        fluent = np.column_stack([gap, b[:, 0] - b[:, 2]])
    return np.hstack([rows, fluent]), list(NAMES)


def _model(seed: int, rows: int) -> Any:
    """The trees: small leaves on small sets (20 rows a leaf would forbid any split on a
    few dozen pairs, and the yardstick would be a constant 0.5), 20 rows from 200 up."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(
        max_iter=80,
        learning_rate=0.15,
        max_leaf_nodes=15,
        min_samples_leaf=max(5, min(20, rows // 10)),
        l2_regularization=1.0,
        early_stopping=False,
        random_state=seed,
    )


def _folds(y: np.ndarray, groups: np.ndarray, folds: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Stratified k-fold splits that keep each group (a pair and its synthetic twin, or a
    document) in one fold, so the model is never tested on a clean text it trained on."""
    from sklearn.model_selection import StratifiedGroupKFold

    k = min(folds, len(np.unique(groups)))
    if k < 2:
        return []
    splitter = StratifiedGroupKFold(n_splits=k, shuffle=True, random_state=seed)
    return list(splitter.split(np.zeros(len(y)), y, groups))


def _permutation_drops(model: Any, x: np.ndarray, y: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The AUC lost when each column in turn is shuffled, on at most ``IMPORTANCE_ROWS``
    held-out rows (enough to rank features, and it bounds the time)."""
    from sklearn.metrics import roc_auc_score

    if len(y) > IMPORTANCE_ROWS:
        keep = np.sort(rng.permutation(len(y))[:IMPORTANCE_ROWS])
        x, y = x[keep], y[keep]
    if len(np.unique(y)) < 2:
        return np.zeros(x.shape[1])
    base = roc_auc_score(y, model.predict_proba(x)[:, 1])
    shuffled = x.copy()
    drops = np.zeros(x.shape[1])
    for f in range(x.shape[1]):
        shuffled[:, f] = x[rng.permutation(len(y)), f]
        drops[f] = base - roc_auc_score(y, model.predict_proba(shuffled)[:, 1])
        shuffled[:, f] = x[:, f]
    return drops


def boosted_auc(
    x: np.ndarray,
    y: np.ndarray,
    groups: np.ndarray,
    folds: int = 5,
    seed: int = 0,
    importance: bool = False,
) -> tuple[float, np.ndarray | None]:
    """Mean held-out AUC of gradient-boosted trees telling ``y`` = 1 from 0, and (with
    ``importance``) each feature's permutation importance: the held-out AUC lost when its
    column is shuffled, averaged over the folds. Deterministic for a given ``seed``."""
    import sklearn  # noqa: F401  (fails first, and cleanly, when scikit-learn is absent)
    from threadpoolctl import threadpool_limits

    # One thread: on a shared, busy machine OpenMP's threads wait on each other (ten
    # times slower, measured), and one thread sums every histogram in the same order.
    with threadpool_limits(1, user_api="openmp"):
        return _boosted_auc(x, y, groups, folds, seed, importance)


def _boosted_auc(
    x: np.ndarray, y: np.ndarray, groups: np.ndarray, folds: int, seed: int, importance: bool
) -> tuple[float, np.ndarray | None]:
    from sklearn.metrics import roc_auc_score

    x = np.where(np.isnan(x).all(axis=0), 0.0, x)  # a column without any value breaks the binning
    aucs: list[float] = []
    drops: list[np.ndarray] = []
    rng = generator(seed)
    for train, test in _folds(y, groups, folds, seed):
        if len(np.unique(y[train])) < 2 or len(np.unique(y[test])) < 2:
            continue
        model = _model(seed, len(train)).fit(x[train], y[train])
        auc = float(roc_auc_score(y[test], model.predict_proba(x[test])[:, 1]))
        aucs.append(auc)
        if importance:
            drops.append(_permutation_drops(model, x[test], y[test], rng))
    if not aucs:
        return 0.5, np.zeros(x.shape[1]) if importance else None
    return float(np.mean(aucs)), np.mean(drops, axis=0) if importance else None
