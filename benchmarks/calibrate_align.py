"""Fit the aligner's score calibration and measure how well calibrated it is.

Fits a logistic model (``builder.align.calibration.features``) of "this predicted
group is exactly a gold group" on the synthetic set and the machine-translation
set with its hallucinated pairs (they provide the wrong groups a calibration must
learn from), then checks it on sets it did not see (OCR, the seed pair): expected
calibration error, Brier score, and the precision of groups scored >= 0.5.

    python benchmarks/calibrate_align.py    # prints COEFFICIENTS to paste, writes results/calibration.json
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import dataclasses
import itertools

from benchmarks.align_data import (
    SETS,
    _read_jsonl,
    all_sets,
    bbc_path,
    garble_case,
    mlqe_set,
)
from benchmarks.common import write_result
from builder.align import Aligner
from builder.align.calibration import features
from builder.noise import load_recipe
from builder.noise.structure import StructureRates

CHECK = ("icdar", "seed", "mlqe", "synthetic")
HARD = StructureRates(split=0.15, merge=0.15, drop=0.1, insert=0.15)


def training_cases() -> list:
    """Harder documents than the benchmark's, so wrong groups exist to learn from: BBC
    articles the benchmark does not use, garbled at a high level, and machine-translation
    pseudo-documents with their hallucinated pairs, restructured at high rates."""
    rows = list(_read_jsonl(bbc_path()))[1::7][:120]
    recipe = dataclasses.replace(load_recipe("mixed").with_level(0.35), structure=HARD)
    cases = [garble_case(f"cal-{r['id']}", r["text"], recipe, seed=11, set_name="hard")[0] for r in rows]
    cases += mlqe_set(n_docs=60, max_hter=None, rates=HARD, seed=11, set_name="mlqe_hard")
    return cases


def collect(cases) -> tuple[np.ndarray, np.ndarray]:
    xs, ys = [], []
    for case in cases:
        aligner = Aligner()
        gold = {(tuple(g), tuple(c)) for g, c in case.gold}
        for g in aligner.align(case.garbled, case.clean):
            if g.garbled and g.clean:
                chars_g = sum(len(case.garbled[i]) for i in g.garbled)
                chars_c = sum(len(case.clean[j]) for j in g.clean)
                xs.append(features(g.coverage, aligner.threshold, len(g.garbled), len(g.clean), chars_g, chars_c))
                ys.append(float((g.garbled, g.clean) in gold))
    return np.array(xs), np.array(ys)


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1e-3) -> np.ndarray:
    def loss(w):
        z = np.clip(x @ w, -50, 50)
        p = 1 / (1 + np.exp(-z))
        return -np.mean(y * np.log(p + 1e-12) + (1 - y) * np.log(1 - p + 1e-12)) + l2 * np.sum(w[1:] ** 2)

    return minimize(loss, np.zeros(x.shape[1]), method="L-BFGS-B").x


def check(x: np.ndarray, y: np.ndarray, w: np.ndarray, bins: int = 10) -> dict:
    p = 1 / (1 + np.exp(-np.clip(x @ w, -50, 50)))  # what builder.align.calibration.calibrated computes
    edges = np.linspace(0, 1, bins + 1)
    ece = 0.0
    for lo, hi in itertools.pairwise(edges):
        m = (p >= lo) & (p < hi if hi < 1 else p <= hi)
        if m.any():
            ece += m.mean() * abs(p[m].mean() - y[m].mean())
    keep = p >= 0.5
    pos, neg = p[y == 1], p[y == 0]
    auc = (
        float((pos[:, None] > neg[None, :]).mean() + 0.5 * (pos[:, None] == neg[None, :]).mean()) if len(neg) else None
    )
    return {
        "auc": None if auc is None else round(auc, 4),
        "wrong_groups": int((y == 0).sum()),
        "mean_score_of_wrong_groups": round(float(neg.mean()), 4) if len(neg) else None,
        "mean_score_of_right_groups": round(float(pos.mean()), 4) if len(pos) else None,
        "groups": len(y),
        "accuracy_of_groups": round(float(y.mean()), 4),
        "ece": round(float(ece), 4),
        "brier": round(float(np.mean((p - y) ** 2)), 4),
        "precision_at_0.5": round(float(y[keep].mean()), 4) if keep.any() else None,
        "share_kept_at_0.5": round(float(keep.mean()), 4),
    }


def main() -> dict:
    sets = all_sets({k: SETS[k] for k in CHECK})
    x_train, y_train = collect(training_cases())
    w = fit(x_train, y_train)
    result = {"coefficients": [round(float(v), 4) for v in w], "train": check(x_train, y_train, w)}
    for name in CHECK:
        if name in sets:
            result[name] = check(*collect(sets[name]), w)
    write_result("calibration", result)
    print("COEFFICIENTS =", tuple(result["coefficients"]))
    return result


if __name__ == "__main__":
    import json

    print(json.dumps(main(), indent=2))
