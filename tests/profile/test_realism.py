"""The realism report: real against synthetic, with the two-halves yardstick."""

from __future__ import annotations

import numpy as np
import pytest

from builder.noise.recipe import load_recipe
from builder.profile.pairs import PairMeasurer
from builder.profile.realism import classifier_auc, compare, markdown, report, synthesize
from tests.profile.corpus import SENTENCES, garble

CLEAN = [s for s in SENTENCES for _ in range(8)]  # 240 pairs


@pytest.fixture(scope="module")
def measurer() -> PairMeasurer:
    return PairMeasurer()


def _pairs(recipe_name: str, level: float, seed: int) -> list[tuple[str, str]]:
    recipe = load_recipe(recipe_name).with_level(level)
    return [(c, garble(c, recipe, seed, f"real-{k}")) for k, c in enumerate(CLEAN)]


def test_same_recipe_is_within_the_yardstick_and_the_classifier_cannot_tell(measurer: PairMeasurer) -> None:
    real = _pairs("typo", 0.2, seed=1)  # "real" pairs made by the very recipe under test
    result = report(real, load_recipe("typo").with_level(0.2), name="typo vs typo", measurer=measurer, boosted=False)
    assert result["pairs"] == len(CLEAN)
    assert abs(result["classifier"]["auc"] - 0.5) < 0.15
    assert result["within"] >= result["compared"] - 2  # a 95% yardstick: one in twenty may fall outside
    assert result["cer"]["within"] and result["wer"]["within"]
    assert {"category", "real", "synthetic", "difference", "yardstick", "within"} <= set(result["categories"][0])


def test_another_recipe_is_told_apart(measurer: PairMeasurer) -> None:
    real = _pairs("typo", 0.2, seed=1)
    result = report(real, load_recipe("ocr").with_level(0.3), name="typo vs ocr", measurer=measurer, boosted=False)
    assert result["classifier"]["auc"] > 0.8
    outside = {c["category"] for c in result["categories"] if not c["within"]}
    assert {"ocr", "keyboard"} <= outside


def test_markdown_marks_what_is_outside(measurer: PairMeasurer) -> None:
    real = _pairs("typo", 0.2, seed=1)
    text = markdown(report(real, load_recipe("ocr").with_level(0.3), name="typo vs ocr", measurer=measurer))
    assert "| keyboard | word |" in text and "**outside**" in text and "Classifier AUC" in text
    assert ("Boosted-trees AUC" in text and "boosted trees lean on most" in text) or "test skipped" in text


def test_report_is_deterministic(measurer: PairMeasurer) -> None:
    real = _pairs("typo", 0.2, seed=1)[:40]
    recipe = load_recipe("typo").with_level(0.2)
    assert report(real, recipe, measurer=measurer) == report(real, recipe, measurer=measurer)  # boosted test too


def test_synthesize_keeps_order_and_garbles(measurer: PairMeasurer) -> None:
    out = synthesize(SENTENCES[:5], load_recipe("typo").with_level(0.5), 0, measurer)
    assert len(out) == 5 and any(g != c for g, c in zip(out, SENTENCES[:5], strict=True))


def test_documents_as_groups_keep_the_yardstick_honest(measurer: PairMeasurer) -> None:
    real_pairs = _pairs("typo", 0.2, seed=1)
    real = [measurer.measure(c, g) for c, g in real_pairs]
    groups = [f"doc-{k // 10}" for k in range(len(real))]
    result = compare(real, real, "same", "same", groups=groups)
    assert result["within"] == result["compared"]
    assert "documents" in result["yardstick"]


def test_classifier_auc_on_separable_and_identical_data() -> None:
    rng = np.random.default_rng(0)
    a, b = rng.normal(0, 1, (200, 3)), rng.normal(0, 1, (200, 3))
    x, y = np.vstack([a, b]), np.concatenate([np.zeros(200), np.ones(200)])
    groups = np.concatenate([np.arange(200), np.arange(200)])
    same, _ = classifier_auc(x, y, groups)
    assert abs(same - 0.5) < 0.1
    shifted, weights = classifier_auc(np.vstack([a, b + np.array([2.0, 0.0, 0.0])]), y, groups)
    assert shifted > 0.85 and np.argmax(np.abs(weights)) == 0


def test_too_few_pairs_is_an_error(measurer: PairMeasurer) -> None:
    with pytest.raises(ValueError, match="at least 4"):
        compare([measurer.measure("a b", "a c")], [measurer.measure("a b", "a b")])
