"""How real does synthetic garbling look? Synthetic pairs against real ones, with a yardstick.

The clean sides of real pairs are garbled with a recipe, and both sets are categorised
the same way (``builder.profile.pairs``). The report gives

- per edit category, the real and the synthetic rate and their difference;
- CER and WER distributions (mean, quantiles) and the distance between them
  (Wasserstein and Kolmogorov-Smirnov);
- a classifier two-sample test: a logistic regression on per-pair edit features
  (category rates, CER, WER, length ratio) tries to tell synthetic from real, scored as
  cross-validated AUC (0.5: it cannot tell them apart);
- given the texts, a stronger one (``builder.profile.twosample``): gradient-boosted trees
  on those features and many more read from the strings (which words edits bring in and
  take out, where they fall, case, punctuation, per-pair fluency), with the features it
  leans on most by permutation importance. It needs scikit-learn (the ``realism``
  extra); without it the report says in one line that it was skipped;
- given a clean reference corpus, fluency (``builder.profile.fluency``): the share of
  garbled word bigrams the reference never has, minus that share on the clean side, for
  real and synthetic pairs.

Every distance comes with a yardstick: the same distance between two random halves of
the real pairs, which is how far real data is from itself at this sample size. The
category and distribution yardsticks are the 95th percentile over ``splits`` seeded
half splits; each classifier's is its AUC on half against half, averaged over the
same three splits. A synthetic rate is *within* the yardstick when its difference from
the real rate is no larger.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.stats import ks_2samp, rankdata, wasserstein_distance

from builder.core.categories import CATEGORIES
from builder.core.seeding import generator, stable_hex
from builder.noise.document import garble_document
from builder.noise.recipe import Recipe
from builder.noise.structure import garbled_text
from builder.profile.estimate import per, summary
from builder.profile.fluency import Reference, gap, pair_counts
from builder.profile.pairs import PairMeasurer, PairStats
from builder.profile.twosample import Unigrams, boosted_auc, missing
from builder.profile.twosample import features as text_features

YARDSTICK = "95th percentile of |half A - half B| over {splits} seeded random half splits of the real {unit}"


@dataclass
class Measured:
    """Per-pair category counts and sizes as arrays, for fast rates over any subset."""

    counts: np.ndarray  # pairs x categories
    units: np.ndarray  # pairs x categories: the words or sentences each rate is per
    cer: np.ndarray
    wer: np.ndarray
    length_ratio: np.ndarray
    identical: np.ndarray

    @classmethod
    def of(cls, stats: Sequence[PairStats]) -> Measured:
        cats = list(CATEGORIES)
        counts = np.array([[s.counts.get(c, 0) for c in cats] for s in stats], dtype=float).reshape(len(stats), -1)
        words = np.array([s.words for s in stats], dtype=float)
        sentences = np.array([s.sentences for s in stats], dtype=float)
        units = np.stack([sentences if per(c) == "sentence" else words for c in cats], axis=1).reshape(len(stats), -1)
        return cls(
            counts,
            units,
            np.array([s.cer for s in stats]),
            np.array([s.wer for s in stats]),
            np.array([s.length_ratio for s in stats]),
            np.array([s.identical for s in stats], dtype=float),
        )

    def rates(self, idx: np.ndarray | None = None) -> np.ndarray:
        c = self.counts if idx is None else self.counts[idx]
        u = self.units if idx is None else self.units[idx]
        total = u.sum(axis=0)
        return np.divide(c.sum(axis=0), total, out=np.zeros(c.shape[1]), where=total > 0)

    def features(self) -> tuple[np.ndarray, list[str]]:
        """Per pair: every category's rate, CER, WER, log length ratio (and their squares), identical."""
        rates = np.divide(self.counts, np.maximum(self.units, 1.0))
        log_ratio = np.log(np.clip(self.length_ratio, 1e-3, None))
        extra = [self.cer, self.wer, log_ratio, self.cer**2, self.wer**2, log_ratio**2, self.identical]
        names = [f"rate:{c}" for c in CATEGORIES] + ["cer", "wer", "log_length_ratio", "cer^2", "wer^2", "llr^2"]
        return np.column_stack([rates, *extra]), [*names, "identical"]


def synthesize(cleans: Sequence[str], recipe: Recipe, seed: int = 0, measurer: PairMeasurer | None = None) -> list[str]:
    """The clean texts garbled by ``recipe``, sentence structure included; each text its own
    doc_id (by position too, so a text that occurs twice is garbled two ways, as real data is)."""
    segmenter = (measurer or PairMeasurer()).segmenter
    out = []
    for k, clean in enumerate(cleans):
        spans = [(s.start, s.end) for s in segmenter.split(clean)]
        pieces = garble_document(recipe, clean, spans, seed, stable_hex("realism", k, clean))
        out.append(garbled_text(pieces) if spans else clean)
    return out


def _halves(n: int, rng: np.random.Generator, groups: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Two random halves of ``n`` pairs; with ``groups``, whole groups (documents) go to one half."""
    if groups is None:
        perm = rng.permutation(n)
        return perm[: n // 2], perm[n // 2 :]
    unique = np.unique(groups)
    first = set(unique[rng.permutation(len(unique))[: len(unique) // 2]].tolist())
    mask = np.array([g in first for g in groups.tolist()])
    return np.flatnonzero(mask), np.flatnonzero(~mask)


def _auc(scores: np.ndarray, labels: np.ndarray) -> float:
    """Area under the ROC curve (Mann-Whitney), ties counted half."""
    pos, neg = labels == 1, labels == 0
    n_pos, n_neg = int(pos.sum()), int(neg.sum())
    if not n_pos or not n_neg:
        return 0.5
    ranks = rankdata(scores)
    return float((ranks[pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def _fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0, iterations: int = 25) -> np.ndarray:
    """L2-penalised logistic regression by Newton's method; the last weight is the intercept."""
    xb = np.column_stack([x, np.ones(len(x))])
    w = np.zeros(xb.shape[1])
    penalty = np.full(xb.shape[1], l2)
    penalty[-1] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(xb @ w, -30, 30)))
        grad = xb.T @ (p - y) + penalty * w
        hess = (xb * (p * (1 - p))[:, None]).T @ xb + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def classifier_auc(
    x: np.ndarray, y: np.ndarray, groups: np.ndarray, folds: int = 5, seed: int = 0
) -> tuple[float, np.ndarray]:
    """Cross-validated AUC of a logistic regression telling ``y`` = 1 from 0.

    Rows sharing a group (a real pair and its synthetic twin, made from the same clean
    text) are always in the same fold, so the classifier never sees the clean text it is
    tested on. Returns the pooled held-out AUC and the mean standardised weights.
    """
    unique = np.unique(groups)
    assignment = generator(seed).permutation(len(unique)) % folds
    fold_of_group = dict(zip(unique.tolist(), assignment.tolist(), strict=True))
    fold = np.array([fold_of_group[g] for g in groups.tolist()])
    aucs, weights = [], []
    for k in range(folds):
        train, test = fold != k, fold == k
        if len(np.unique(y[test])) < 2 or len(np.unique(y[train])) < 2:
            continue
        mean, std = x[train].mean(axis=0), x[train].std(axis=0)
        std[std == 0] = 1.0
        w = _fit_logistic((x[train] - mean) / std, y[train])
        scores = np.column_stack([(x[test] - mean) / std, np.ones(int(test.sum()))]) @ w
        aucs.append(_auc(scores, y[test]))
        weights.append(w[:-1])
    if not aucs:
        return 0.5, np.zeros(x.shape[1])
    return float(np.mean(aucs)), np.mean(weights, axis=0)


def _distribution(
    real: np.ndarray, synthetic: np.ndarray, rng: np.random.Generator, splits: int, groups: np.ndarray | None
) -> dict[str, Any]:
    half_w, half_ks = [], []
    for _ in range(splits):
        a, b = _halves(len(real), rng, groups)
        half_w.append(wasserstein_distance(real[a], real[b]))
        half_ks.append(ks_2samp(real[a], real[b]).statistic)
    w = float(wasserstein_distance(real, synthetic))
    ks = float(ks_2samp(real, synthetic).statistic)
    yard_w, yard_ks = float(np.quantile(half_w, 0.95)), float(np.quantile(half_ks, 0.95))
    return {
        "real": summary(real.tolist()),
        "synthetic": summary(synthetic.tolist()),
        "wasserstein": round(w, 5),
        "wasserstein_yardstick": round(yard_w, 5),
        "ks": round(ks, 5),
        "ks_yardstick": round(yard_ks, 5),
        "within": bool(w <= yard_w and ks <= yard_ks),
    }


def compare(
    real: Sequence[PairStats],
    synthetic: Sequence[PairStats],
    name: str = "",
    recipe: str = "",
    seed: int = 0,
    splits: int = 20,
    folds: int = 5,
    groups: Sequence[str] | None = None,
    fluency: tuple[np.ndarray, np.ndarray] | None = None,
    pairs: Sequence[tuple[str, str]] | None = None,
    garbled: Sequence[str] | None = None,
) -> dict[str, Any]:
    """The realism report of measured pairs; ``synthetic[i]`` is ``real[i]``'s clean text garbled.

    ``groups`` (e.g. the document of each segment): the yardstick's halves then keep each
    group whole, so real data is compared with itself across documents, as a profile
    estimated on other documents is. ``fluency``: the per-pair bigram counts
    (``fluency.pair_counts``) of the real and the synthetic pairs. ``pairs`` (the real
    (clean, garbled) texts) and ``garbled`` (the synthetic garbled text of each clean
    side): with both, the boosted-trees test runs too.
    """
    group_ids = None if groups is None else np.unique(np.asarray(groups), return_inverse=True)[1]
    if len(real) != len(synthetic) or len(real) < 4:
        raise ValueError("realism needs at least 4 real pairs and one synthetic pair for each")
    r, s = Measured.of(real), Measured.of(synthetic)
    rng = generator(seed)
    real_rates, synth_rates = r.rates(), s.rates()
    half_diffs = []
    for _ in range(splits):
        a, b = _halves(len(real), rng, group_ids)
        half_diffs.append(np.abs(r.rates(a) - r.rates(b)))
    half = np.array(half_diffs)
    yard, yard_mean = np.quantile(half, 0.95, axis=0), half.mean(axis=0)
    categories = []
    for k, category in enumerate(CATEGORIES):
        if real_rates[k] == 0 and synth_rates[k] == 0:
            continue
        diff = abs(real_rates[k] - synth_rates[k])
        categories.append(
            {
                "category": category,
                "per": per(category),
                "real": round(float(real_rates[k]), 6),
                "synthetic": round(float(synth_rates[k]), 6),
                "difference": round(float(diff), 6),
                "yardstick": round(float(yard[k]), 6),
                "yardstick_mean": round(float(yard_mean[k]), 6),
                "within": bool(diff <= yard[k]),
            }
        )
    xr, names = r.features()
    xs, _ = s.features()
    x = np.vstack([xr, xs])
    y = np.concatenate([np.zeros(len(real)), np.ones(len(synthetic))])
    twins = np.arange(len(real)) if group_ids is None else group_ids
    auc, weights = classifier_auc(x, y, np.concatenate([twins, twins]), folds, seed)
    half_aucs, half_splits = [], []
    for _ in range(3):
        a, b = _halves(len(real), rng, group_ids)
        idx = np.concatenate([a, b])
        labels = np.concatenate([np.zeros(len(a)), np.ones(len(b))])
        half_aucs.append(classifier_auc(xr[idx], labels, twins[idx], folds, seed)[0])
        half_splits.append((idx, labels))
    boosted = None
    if pairs is not None and garbled is not None:
        boosted = _boosted(pairs, garbled, (xr, xs, names), fluency, twins, half_splits, folds, seed)
    order = np.argsort(-np.abs(weights))[:6]
    fluent = None
    if fluency is not None:
        real_counts, synth_counts = fluency
        halves = [_halves(len(real), rng, group_ids) for _ in range(splits)]
        spread = [abs(gap(real_counts, a) - gap(real_counts, b)) for a, b in halves]
        real_gap, synth_gap = gap(real_counts), gap(synth_counts)
        fluent = {
            "real": round(real_gap, 6),
            "synthetic": round(synth_gap, 6),
            "difference": round(abs(real_gap - synth_gap), 6),
            "yardstick": round(float(np.quantile(spread, 0.95)), 6),
            "within": bool(abs(real_gap - synth_gap) <= np.quantile(spread, 0.95)),
        }
    return {
        "name": name,
        "recipe": recipe,
        "pairs": len(real),
        "words": int(sum(p.words for p in real)),
        "categories": categories,
        "within": sum(c["within"] for c in categories),
        "compared": len(categories),
        "cer": _distribution(r.cer, s.cer, rng, splits, group_ids),
        "wer": _distribution(r.wer, s.wer, rng, splits, group_ids),
        "classifier": {
            "auc": round(auc, 4),
            "yardstick_auc": round(float(np.mean(half_aucs)), 4),
            "folds": folds,
            "strongest_features": [[names[i], round(float(weights[i]), 3)] for i in order.tolist()],
        },
        "boosted": boosted,
        "fluency": fluent,
        "yardstick": YARDSTICK.format(splits=splits, unit="pairs" if groups is None else "documents"),
    }


def _boosted(
    pairs: Sequence[tuple[str, str]],
    garbled: Sequence[str],
    logistic: tuple[np.ndarray, np.ndarray, list[str]],
    fluency: tuple[np.ndarray, np.ndarray] | None,
    twins: np.ndarray,
    half_splits: Sequence[tuple[np.ndarray, np.ndarray]],
    folds: int,
    seed: int,
) -> dict[str, Any]:
    """The boosted-trees two-sample test on the logistic's features and the texts' own,
    with the same yardstick splits; word frequencies from the real pairs' clean sides."""
    why = missing()
    if why:
        return {"skipped": why}
    if len(pairs) != len(garbled):
        raise ValueError("realism needs one synthetic garbled text for each real pair")
    cleans = [c for c, _ in pairs]
    unigrams = Unigrams.from_texts(cleans)
    real_counts, synth_counts = fluency if fluency is not None else (None, None)
    tr, text_names = text_features(pairs, unigrams, bigram_counts=real_counts)
    ts, _ = text_features(list(zip(cleans, garbled, strict=True)), unigrams, bigram_counts=synth_counts)
    xr, xs, names = logistic
    real_x, synth_x = np.hstack([xr, tr]), np.hstack([xs, ts])
    all_names = [*names, *text_names]
    y = np.concatenate([np.zeros(len(real_x)), np.ones(len(synth_x))])
    auc, drops = boosted_auc(
        np.vstack([real_x, synth_x]), y, np.concatenate([twins, twins]), folds, seed, importance=True
    )
    half = [boosted_auc(real_x[idx], labels, twins[idx], folds, seed)[0] for idx, labels in half_splits]
    order = np.argsort(-drops, kind="stable")[:6] if drops is not None else []
    return {
        "auc": round(auc, 4),
        "yardstick_auc": round(float(np.mean(half)), 4),
        "folds": folds,
        "features": len(all_names),
        "strongest_features": [[all_names[i], round(float(drops[i]), 4)] for i in order if drops[i] > 0],
    }


def report(
    pairs: Sequence[tuple[str, str]],
    recipe: Recipe,
    name: str = "",
    seed: int = 0,
    splits: int = 20,
    folds: int = 5,
    measurer: PairMeasurer | None = None,
    groups: Sequence[str] | None = None,
    reference: Reference | None = None,
    boosted: bool = True,
) -> dict[str, Any]:
    """The realism report of ``recipe`` against real (clean, garbled) ``pairs``;
    ``reference``: the clean corpus the fluency measure looks bigrams up in; ``boosted``:
    run the boosted-trees test too (seconds per thousand pairs)."""
    measurer = measurer or PairMeasurer()
    real = [measurer.measure(c, g) for c, g in pairs]
    garbled = synthesize([c for c, _ in pairs], recipe, seed, measurer)
    synthetic = [measurer.measure(c, g) for (c, _), g in zip(pairs, garbled, strict=True)]
    fluency = None
    if reference is not None:
        cleans = [c for c, _ in pairs]
        fluency = (
            pair_counts(reference, [g for _, g in pairs], cleans),
            pair_counts(reference, garbled, cleans),
        )
    texts = (pairs, garbled) if boosted else (None, None)
    return compare(real, synthetic, name, recipe.name, seed, splits, folds, groups, fluency, *texts)


def _fmt(x: float) -> str:
    return f"{x:.4f}" if x >= 1e-3 or x == 0 else f"{x:.1e}"


def markdown(result: dict[str, Any]) -> str:
    """The report as Markdown tables; categories outside the yardstick are marked."""
    lines = [
        f"### {result['name']}: recipe `{result['recipe']}` ({result['pairs']} pairs, {result['words']} words)",
        "",
        f"Categories within the yardstick: **{result['within']} of {result['compared']}**. "
        f"Classifier AUC **{result['classifier']['auc']:.3f}** (real half against real half: "
        f"{result['classifier']['yardstick_auc']:.3f}; 0.5 = indistinguishable).{_boosted_line(result)}",
        "",
        "| category | per | real | synthetic | difference | yardstick | |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for c in result["categories"]:
        mark = "ok" if c["within"] else "**outside**"
        lines.append(
            f"| {c['category']} | {c['per']} | {_fmt(c['real'])} | {_fmt(c['synthetic'])} | "
            f"{_fmt(c['difference'])} | {_fmt(c['yardstick'])} | {mark} |"
        )
    lines += [
        "",
        "| metric | real mean | synthetic mean | real q50 | synthetic q50 | real q90 | synthetic q90 "
        "| Wasserstein (yardstick) | KS (yardstick) | |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for metric in ("cer", "wer"):
        d = result[metric]
        mark = "ok" if d["within"] else "**outside**"
        lines.append(
            f"| {metric.upper()} | {d['real']['mean']:.3f} | {d['synthetic']['mean']:.3f} | {d['real']['q50']:.3f} "
            f"| {d['synthetic']['q50']:.3f} | {d['real']['q90']:.3f} | {d['synthetic']['q90']:.3f} "
            f"| {d['wasserstein']:.4f} ({d['wasserstein_yardstick']:.4f}) | {d['ks']:.3f} ({d['ks_yardstick']:.3f}) "
            f"| {mark} |"
        )
    fluent = result.get("fluency")
    if fluent:
        mark = "ok" if fluent["within"] else "**outside**"
        lines += [
            "",
            f"Fluency (garbled bigrams unseen in the reference, minus the clean side's share): real "
            f"{fluent['real']:+.4f}, synthetic {fluent['synthetic']:+.4f}, difference {fluent['difference']:.4f} "
            f"(yardstick {fluent['yardstick']:.4f}): {mark}.",
        ]
    strongest = ", ".join(f"{n} ({w:+.2f})" for n, w in result["classifier"]["strongest_features"])
    lines += ["", f"Features the classifier leans on most (standardised weight, + = synthetic): {strongest}."]
    boosted = result.get("boosted")
    if boosted and "auc" in boosted:
        leaning = ", ".join(f"{n} ({d:.3f})" for n, d in boosted["strongest_features"]) or "none"
        lines += [
            "",
            f"Features the boosted trees lean on most (held-out AUC lost when shuffled): {leaning}.",
        ]
    return "\n".join([*lines, ""])


def _boosted_line(result: dict[str, Any]) -> str:
    """The boosted-trees test in one sentence (or why it did not run); empty without it."""
    boosted = result.get("boosted")
    if not boosted:
        return ""
    if "skipped" in boosted:
        return f" Boosted-trees test skipped: {boosted['skipped']}."
    return (
        f" Boosted-trees AUC on {boosted['features']} per-pair features **{boosted['auc']:.3f}** "
        f"(real half against real half: {boosted['yardstick_auc']:.3f})."
    )
