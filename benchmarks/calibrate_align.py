"""Fit the aligner's score calibration and measure how well calibrated it is.

Fits a logistic model (``builder.align.calibration.path_features``) of "this predicted
group is exactly a gold group" on documents that hold the wrong groups a calibration
must learn from, then checks it on sets it did not see:

- true pairs, harder than the benchmark's: BBC articles garbled at a high level and
  machine-translation pseudo-documents with their hallucinated pairs, restructured at
  high rates;
- unrelated and partly related BBC pairs (``align_mismatch``, the half of each category
  the benchmark does not use): every group the aligner finds in an unrelated stretch is
  wrong, and it must score low;
- one-sentence documents: MLQE-PE pairs (HTER < 0.9) and sentences against the post-edit
  of another one (the half of the file the benchmark does not use).

Checks: expected calibration error, AUC (telling wrong groups from right ones), Brier
score, the precision of groups scored >= 0.5; on sets without right groups (unrelated
documents) the mean and largest score of their groups; on sets without wrong groups the
mean score of the right ones.

    python -m benchmarks.calibrate_align    # prints COEFFICIENTS to paste, writes results/calibration.json
"""

from __future__ import annotations

import dataclasses
import itertools
import sys

import numpy as np
from scipy.optimize import minimize

from benchmarks import align_mismatch as mismatch
from benchmarks.align_data import (
    SETS,
    AlignCase,
    MissingInput,
    _read_jsonl,
    all_sets,
    bbc_path,
    garble_case,
    mlqe_set,
)
from benchmarks.common import write_result
from builder.align import Aligner
from builder.align.calibration import FEATURES, path_features, probabilities
from builder.noise import load_recipe
from builder.noise.structure import StructureRates

TRUE_CHECK = ("icdar", "seed", "mlqe", "synthetic")
MISMATCH_CHECK = {
    "unrelated_same_topic": mismatch.unrelated_same_topic,
    "unrelated_other_topic": mismatch.unrelated_other_topic,
    "partly_related": mismatch.partly_related,
    "mlqe_sentences": mismatch.mlqe_sentences,
    "unrelated_sentences": mismatch.unrelated_sentences,
    "icdar_segments": mismatch.icdar_segments,
}
HARD = StructureRates(split=0.15, merge=0.15, drop=0.1, insert=0.15)


def training_cases() -> list[AlignCase]:
    """Harder true documents than the benchmark's, and mismatched ones from the other half
    of the corpora: wrong groups to learn from, right ones in every kind of document."""
    rows = list(_read_jsonl(bbc_path()))[1::7][:120]
    recipe = dataclasses.replace(load_recipe("mixed").with_level(0.35), structure=HARD)
    cases = [garble_case(f"cal-{r['id']}", r["text"], recipe, seed=11, set_name="hard")[0] for r in rows]
    cases += mlqe_set(n_docs=60, max_hter=None, rates=HARD, seed=11, set_name="mlqe_hard")
    cases += mismatch.unrelated_same_topic(60, part=1, seed=11)
    cases += mismatch.unrelated_other_topic(60, part=1, seed=11)
    cases += mismatch.partly_related(60, part=1, seed=11)
    cases += mismatch.mlqe_sentences(600, part=1)
    cases += mismatch.unrelated_sentences(600, part=1)
    return cases


def _chars(case: AlignCase, group) -> float:
    """Mean characters of a group's two sides, as the aligner counts them."""
    return (sum(len(case.garbled[i]) for i in group.garbled) + sum(len(case.clean[j]) for j in group.clean)) / 2


def collect(cases: list[AlignCase]) -> tuple[np.ndarray, np.ndarray]:
    """Features and right/wrong of every group with both sides that the aligner finds."""
    xs, ys = [], []
    for case in cases:
        aligner = Aligner()
        groups = aligner.align(case.garbled, case.clean)
        if not groups:
            continue
        gold = {(tuple(g), tuple(c)) for g, c in case.gold}
        a = np.array([len(g.garbled) for g in groups])
        b = np.array([len(g.clean) for g in groups])
        chars = np.array([_chars(case, g) for g in groups])
        x = path_features(np.array([g.coverage for g in groups]), a, b, chars, aligner.chance, aligner.chance_measured)
        matched = (a > 0) & (b > 0)
        xs.append(x[matched])
        ys += [float((g.garbled, g.clean) in gold) for g, ok in zip(groups, matched, strict=True) if ok]
    if not xs:
        return np.zeros((0, len(FEATURES))), np.zeros(0)
    return np.concatenate(xs), np.array(ys)


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1e-4) -> np.ndarray:
    def loss(w):
        p = probabilities(x, tuple(w))
        return -np.mean(y * np.log(p + 1e-12) + (1 - y) * np.log(1 - p + 1e-12)) + l2 * np.sum(w[1:] ** 2)

    return minimize(loss, np.zeros(x.shape[1]), method="L-BFGS-B").x


def _round(v: float | None) -> float | None:
    return None if v is None else round(float(v), 4)


def check(x: np.ndarray, y: np.ndarray, w: np.ndarray, bins: int = 10) -> dict:
    p = probabilities(x, tuple(w))  # what builder.align.calibration.calibrated_scores computes
    edges = np.linspace(0, 1, bins + 1)
    ece = 0.0
    for lo, hi in itertools.pairwise(edges):
        m = (p >= lo) & (p < hi if hi < 1 else p <= hi)
        if m.any():
            ece += m.mean() * abs(p[m].mean() - y[m].mean())
    keep = p >= 0.5
    pos, neg = p[y == 1], p[y == 0]
    auc = (
        float((pos[:, None] > neg[None, :]).mean() + 0.5 * (pos[:, None] == neg[None, :]).mean())
        if len(neg) and len(pos)
        else None
    )
    return {
        "auc": _round(auc),
        "wrong_groups": int((y == 0).sum()),
        "mean_score_of_wrong_groups": _round(neg.mean()) if len(neg) else None,
        "max_score_of_wrong_groups": _round(neg.max()) if len(neg) else None,
        "wrong_groups_scored_0.5_or_more": int((neg >= 0.5).sum()),
        "mean_score_of_right_groups": _round(pos.mean()) if len(pos) else None,
        "groups": len(y),
        "accuracy_of_groups": _round(y.mean()) if len(y) else None,
        "ece": round(float(ece), 4),
        "brier": _round(np.mean((p - y) ** 2)) if len(y) else None,
        "precision_at_0.5": _round(y[keep].mean()) if keep.any() else None,
        "share_kept_at_0.5": _round(keep.mean()) if len(y) else None,
    }


def _mismatch_sets() -> dict[str, list[AlignCase]]:
    out = {}
    for name, build in MISMATCH_CHECK.items():
        try:
            out[name] = build()
        except MissingInput as e:
            print(f"calibration: skipping {name}: {e}", file=sys.stderr)
    return out


def main() -> dict:
    x_train, y_train = collect(training_cases())
    w = fit(x_train, y_train)
    result = {
        "features": list(FEATURES),
        "coefficients": [round(float(v), 4) for v in w],
        "train": check(x_train, y_train, w),
    }
    sets = all_sets({k: SETS[k] for k in TRUE_CHECK})
    sets.update(_mismatch_sets())
    for name, cases in sets.items():
        result[name] = check(*collect(cases), w)
    write_result("calibration", result)
    print("COEFFICIENTS =", tuple(result["coefficients"]))
    return result


if __name__ == "__main__":
    import json

    print(json.dumps(main(), indent=2))
