"""Same (seed, doc_id, text), same edits: in any order, batch or process."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from builder.app.recipes import recipe_names, resolve_recipe
from builder.noise import load_recipe
from tests.news import NEWS
from tests.noise.noise_samples import generated_docs, simple_spans
from tests.processes import other_hash_seed

ROOT = Path(__file__).resolve().parents[2]
DOCS = [(f"doc-{d}", t, s) for d, (t, s) in enumerate(generated_docs(15, seed=3))]
DOCS += [(f"news-{d}", t, simple_spans(t)) for d, t in enumerate(NEWS)]

_SCRIPT = """
import json, sys

from builder.noise import load_recipe
docs = json.load(sys.stdin)
out = {}
for name in ("typo", "ocr", "names", "mixed", "rtt"):
    recipe = load_recipe(name).with_level(0.3)
    for doc_id, text, spans in reversed(docs):
        out[f"{name}/{doc_id}"] = [list(e) for e in recipe.apply(text, spans, 42, doc_id)]
print(json.dumps(out, ensure_ascii=False))
"""


def _in_process() -> dict[str, list]:
    out = {}
    for name in ("typo", "ocr", "names", "mixed", "rtt"):
        recipe = load_recipe(name).with_level(0.3)
        for doc_id, text, spans in DOCS:
            out[f"{name}/{doc_id}"] = [list(e) for e in recipe.apply(text, spans, 42, doc_id)]
    return out


def test_order_does_not_matter() -> None:
    recipe = load_recipe("mixed").with_level(0.3)
    forward = {d: recipe.apply(t, s, 9, d) for d, t, s in DOCS}
    shuffled = list(DOCS)
    random.Random(1).shuffle(shuffled)
    again = {}
    for d, t, s in shuffled:
        recipe.apply(NEWS[0], simple_spans(NEWS[0]), 9, "interleaved")  # unrelated work between
        again[d] = recipe.apply(t, s, 9, d)
    assert forward == again
    assert any(forward.values())


def test_same_edits_in_other_processes_with_other_hash_seeds() -> None:
    expected = _in_process()
    payload = json.dumps([[d, t, s] for d, t, s in DOCS], ensure_ascii=False)
    env = {**os.environ, "PYTHONHASHSEED": other_hash_seed(), "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT],
        input=payload,
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        env=env,
        check=True,
    )
    assert json.loads(done.stdout) == expected
    assert sum(len(v) for v in expected.values()) > 0


@pytest.mark.parametrize("name", recipe_names())
def test_a_document_garbles_the_same_alone_and_in_any_batch(name: str) -> None:
    """Batches are joined into one text for speed; no draw may depend on the neighbours."""
    recipe = resolve_recipe(name).with_level(min(1.0, resolve_recipe(name).level * 3))
    texts = [t for _, t, _ in DOCS]
    spans = [s for _, _, s in DOCS]
    ids = [d for d, _, _ in DOCS]
    alone = [recipe.apply(t, s, 5, d) for d, t, s in DOCS]
    assert recipe.apply_batch(texts, spans, 5, ids) == alone
    backwards = recipe.apply_batch(texts[::-1], spans[::-1], 5, ids[::-1])
    assert backwards[::-1] == alone
