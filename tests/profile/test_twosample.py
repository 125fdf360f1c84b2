"""The boosted-trees two-sample test: its per-pair features and its AUC."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from builder.noise.recipe import load_recipe
from builder.profile.fluency import Reference
from builder.profile.pairs import PairMeasurer
from builder.profile.realism import compare, markdown
from builder.profile.twosample import NAMES, Unigrams, boosted_auc, features, missing
from tests.profile.corpus import SENTENCES, garble

UNIGRAMS = Unigrams.from_texts(SENTENCES)
CLEAN = [s for s in SENTENCES for _ in range(4)]  # 120 pairs


def _row(clean: str, garbled: str, **kw) -> dict[str, float]:
    x, names = features([(clean, garbled)], UNIGRAMS, **kw)
    return dict(zip(names, x[0].tolist(), strict=True))


def _garbled(recipe: str, level: float, seed: int, tag: str) -> list[tuple[str, str]]:
    r = load_recipe(recipe).with_level(level)
    return [(c, garble(c, r, seed, f"{tag}-{k}")) for k, c in enumerate(CLEAN)]


def _auc(a: list[tuple[str, str]], b: list[tuple[str, str]], seed: int = 0) -> float:
    xa, _ = features(a, UNIGRAMS)
    xb, _ = features(b, UNIGRAMS)
    twins = np.arange(len(a))
    y = np.concatenate([np.zeros(len(a)), np.ones(len(b))])
    return boosted_auc(np.vstack([xa, xb]), y, np.concatenate([twins, twins]), seed=seed)[0]


def test_an_inserted_the_is_a_function_word_insertion() -> None:
    row = _row("He went to market on Monday.", "He went to the market on Monday.")
    assert row["insert_function"] == 1 and row["insert_content"] == 0
    assert row["sub_function"] + row["sub_content"] + row["delete_function"] + row["delete_content"] == 0
    assert row["in_logfreq_mean"] == pytest.approx(UNIGRAMS.log_frequency("the"))
    assert 0 < row["position_mean"] < 1 and row["clean_words"] == 6 and row["garbled_words"] == 7


def test_identical_pairs_have_no_edits() -> None:
    row = _row(SENTENCES[0], SENTENCES[0])
    edits = [n for n in NAMES if n.endswith("_rate") or n in ("cer", "wer", "punct_added", "upper_added")]
    assert all(row[n] == 0 for n in edits)
    assert np.isnan(row["position_mean"]) and np.isnan(row["in_logfreq_mean"])  # no edit, nowhere


def test_content_substitutions_case_and_punctuation() -> None:
    row = _row("The council voted on Tuesday.", "the council vorted on Tuesday!")
    assert row["sub_content"] == 1 and row["sub_near_rate"] > 0 and row["sub_far_rate"] == 0
    assert row["case_change_rate"] > 0 and row["punct_sub_rate"] > 0 and row["upper_added"] == -1
    assert row["in_unseen_share"] == 1.0  # "vorted" is in no clean sentence
    far = _row("The council voted on Tuesday.", "The council banana on Tuesday.")
    assert far["sub_far_rate"] > 0 and far["sub_near_rate"] == 0


def test_fluency_per_pair_needs_a_reference() -> None:
    reference = Reference.from_texts(SENTENCES)
    clean = SENTENCES[0]
    salad = "The city council voted on Tuesday to close two public libraries the in north of the town."
    assert _row(clean, salad, reference=reference)["fluency_gap"] > 0
    assert _row(clean, clean, reference=reference)["fluency_gap"] == 0
    assert np.isnan(_row(clean, salad)["fluency_gap"])


def test_ten_thousand_pairs_take_seconds() -> None:
    import time

    pairs = _garbled("typo", 0.2, 1, "speed") * 84  # about 10,000
    start = time.perf_counter()
    x, names = features(pairs, UNIGRAMS)
    assert x.shape == (len(pairs), len(names)) and time.perf_counter() - start < 10


needs_sklearn = pytest.mark.skipif(missing() is not None, reason="scikit-learn is not installed")


@needs_sklearn
def test_same_recipe_cannot_be_told_apart_and_is_deterministic() -> None:
    a, b = _garbled("typo", 0.2, 1, "a"), _garbled("typo", 0.2, 2, "b")
    auc = _auc(a, b)
    assert abs(auc - 0.5) < 0.12
    assert _auc(a, b) == auc


@needs_sklearn
def test_copies_and_heavy_garbling_are_told_apart() -> None:
    copies = [(c, c) for c in CLEAN]
    assert _auc(copies, _garbled("ocr", 0.6, 1, "heavy")) > 0.9


@needs_sklearn
def test_compare_carries_both_tests() -> None:
    measurer = PairMeasurer()
    real = _garbled("typo", 0.3, 1, "real")[:60]
    synthetic = [(c, c) for c, _ in real]
    result = compare(
        [measurer.measure(c, g) for c, g in real],
        [measurer.measure(c, g) for c, g in synthetic],
        pairs=real,
        garbled=[g for _, g in synthetic],
    )
    boosted = result["boosted"]
    assert boosted["auc"] > 0.9 and 0.2 < boosted["yardstick_auc"] < 0.8
    assert boosted["features"] > len(NAMES) and boosted["strongest_features"]
    assert "Boosted-trees AUC" in markdown(result) and "Classifier AUC" in markdown(result)


def test_without_sklearn_the_strong_test_is_skipped_in_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sklearn", None)  # `import sklearn` now raises ImportError
    measurer = PairMeasurer()
    real = _garbled("typo", 0.3, 1, "real")[:20]
    stats = [measurer.measure(c, g) for c, g in real]
    result = compare(stats, stats, pairs=real, garbled=[g for _, g in real])
    assert "scikit-learn is not installed" in result["boosted"]["skipped"]
    assert result["classifier"]["auc"] >= 0  # the logistic test still runs
    skipped = [line for line in markdown(result).splitlines() if "test skipped" in line]
    assert len(skipped) == 1 and "Traceback" not in skipped[0]
    with pytest.raises(ImportError):
        boosted_auc(np.zeros((4, 2)), np.array([0, 0, 1, 1]), np.arange(4))
