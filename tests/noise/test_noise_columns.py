"""Edits as columns: ``Recipe.apply_columns`` against the ``Edit`` rows, the vector operations'
one-word view, and text in every code point width."""

from __future__ import annotations

import numpy as np
import pytest

from builder.app.recipes import recipe_names, resolve_recipe
from builder.core.edits import Edit, replay
from builder.noise import Recipe, load_recipe
from builder.noise.columns import EditColumns
from builder.noise.ops.base import NoiseOp, VectorOp
from builder.noise.ops.context import Context
from builder.noise.recipe import WeightedOp, make_op
from builder.noise.registry import OPERATIONS
from tests.news import NEWS
from tests.noise.noise_samples import check_edits, generated_docs, long_text, mean_touched_share, simple_spans

DOCS = generated_docs(25, seed=5) + [(t, simple_spans(t)) for t in NEWS]
#: One-byte, two-byte and four-byte code points; a span border inside a word; an OCR ligature.
WIDE = [
    ("Die Straße in Köln: Herr Müller traf den Minister. Er sagte nichts.", None),
    ("Москва заявила, что переговоры продолжатся. Kremlin said talks will go on.", None),
    ("The rocket 🚀 launched at dawn, officials said. Crowds cheered 🎉 loudly.", None),
    ("东京 officials confirmed the plan on Monday. The office ﬁles were lost.", None),
    ("Ukraine’s army said it had pulled back. “We will return,” he said.", None),
    ("joinedwords", [(0, 6), (6, 11)]),
]
WIDE = [(t, s if s is not None else simple_spans(t)) for t, s in WIDE]
VECTOR_OPS = sorted(name for name, cls in OPERATIONS.items() if issubclass(cls, VectorOp))


def _batch(docs):
    return [t for t, _ in docs], [s for _, s in docs], [f"doc-{k}" for k in range(len(docs))]


@pytest.mark.parametrize("name", recipe_names())
def test_apply_columns_gives_the_texts_and_the_rows_of_apply_batch(name: str) -> None:
    recipe = resolve_recipe(name).with_level(min(1.0, resolve_recipe(name).level * 4))
    texts, spans, ids = _batch(DOCS + WIDE)
    garbled, cols = recipe.apply_columns(texts, spans, 3, ids)
    rows = recipe.apply_batch(texts, spans, 3, ids)
    assert cols.edits() == rows
    assert len(cols) == sum(map(len, rows))
    for text, doc_spans, out, edits in zip(texts, spans, garbled, rows, strict=True):
        assert out == check_edits(text, doc_spans, edits)
        assert out == replay(text, edits)
    assert [[Edit(**r) for r in doc] for doc in cols.rows()] == rows


def test_vector_ops_keep_the_guarantees_in_every_code_point_width() -> None:
    recipe = Recipe("all", 0.9, tuple(WeightedOp(make_op(name), 1.0) for name in VECTOR_OPS))
    seen = set()
    for seed in range(6):
        texts, spans, ids = _batch(WIDE)
        garbled, cols = recipe.apply_columns(texts, spans, seed, ids)
        for k, (text, doc_spans, edits) in enumerate(zip(texts, spans, cols.edits(), strict=True)):
            assert garbled[k] == check_edits(text, doc_spans, edits, set(VECTOR_OPS))
            alone = recipe.apply(text, doc_spans, seed, ids[k])
            assert alone == edits, "a document garbles the same alone, whatever its batch's widths"
            seen |= {e.op for e in edits}
    assert seen == set(VECTOR_OPS)


def test_words_are_found_inside_spans_only_and_cut_at_span_borders() -> None:
    ctx = Context("joinedwords and don't", [(0, 6), (6, 11), (12, 21)])
    assert [ctx.word(i) for i in range(ctx.n)] == ["joined", "words", "and", "don't"]
    ctx = Context("ab'cd", [(0, 2), (3, 5)])
    assert [ctx.word(i) for i in range(ctx.n)] == ["ab", "cd"]
    ctx = Context("x 🚀y z", [(0, 6)])
    assert [ctx.word(i) for i in range(ctx.n)] == ["x", "y", "z"]
    assert ctx.chars.dtype == np.uint32


def test_columns_to_arrow_hold_the_same_strings() -> None:
    recipe = load_recipe("ocr").with_level(0.8)
    texts, spans, ids = _batch(WIDE + DOCS[:5])
    _, cols = recipe.apply_columns(texts, spans, 1, ids)
    table = cols.to_arrow()
    assert table.num_rows == len(cols)
    assert table.column("before").to_pylist() == cols.before_strings()
    assert table.column("after").to_pylist() == cols.after_strings()
    assert table.column("op").to_pylist() == cols.op_names()
    assert table.column("start").to_pylist() == cols.start.tolist()
    assert table.column("doc").to_pylist() == cols.doc.tolist()
    assert any(not a.isascii() for a in cols.after_strings())  # ligatures: multi-byte UTF-8


def test_edit_columns_round_trip_through_rows() -> None:
    recipe = load_recipe("typo").with_level(0.5)
    texts, spans, ids = _batch(DOCS[:10] + WIDE)
    _, cols = recipe.apply_columns(texts, spans, 2, ids)
    again = EditColumns.from_edits(cols.edits(), recipe.op_names)
    assert again.edits() == cols.edits()
    assert EditColumns.from_edits([[], []], recipe.op_names).edits() == [[], []]
    empty_texts, empty = recipe.with_level(0.0).apply_columns(texts, spans, 2, ids)
    assert empty_texts == texts and len(empty) == 0 and empty.edits() == [[] for _ in texts]


@pytest.mark.parametrize("name", VECTOR_OPS)
def test_edit_is_a_view_of_the_vector_path(name: str) -> None:
    """``edit`` on one word (what the profile's capacity measure calls) is what the batch
    path gives that word, and ``capacity`` counts what ``edit`` would do word by word."""
    op = make_op(name)
    rng = np.random.default_rng(0)
    checked = 0
    for text, spans in DOCS[:15] + WIDE:
        ctx = Context(text, spans)
        words = np.flatnonzero(op.eligible(ctx) & ctx.editable)
        if not words.size:
            continue
        checked += words.size
        v = rng.random(words.size)
        one = []
        for i, u in zip(words.tolist(), v.tolist(), strict=True):
            fresh = Context(text, spans)
            one.append(op.edit(fresh, i, [u]))
        for k, i in enumerate(words.tolist()):
            fresh = Context(text, spans)
            batch = op.columns_for(fresh, np.array([i]), v[k : k + 1], 0).edits(text, op.name)
            assert batch == ([one[k]] if one[k] is not None else [])
        fast = op.capacity(Context(text, spans), words, v[:, None])
        slow = NoiseOp.capacity(op, Context(text, spans), words, v[:, None])
        assert fast == slow
    assert checked, f"{name} found no word to edit in the sample documents"


def test_one_draw_per_word_makes_level_the_share_of_words_picked() -> None:
    """Two operations that can edit any word: each word goes to at most one of them, so
    the share of words edited is the level, not 1 - (1 - p1)(1 - p2)."""
    text, spans = long_text()
    recipe = Recipe("two", 0.8, (WeightedOp(make_op("char_delete"), 1.0), WeightedOp(make_op("case_slip"), 1.0)))
    assert 0.7 < mean_touched_share(recipe, text, spans) < 0.82


def test_spans_beyond_their_document_are_rejected_in_a_batch() -> None:
    recipe = load_recipe("typo")
    with pytest.raises(ValueError, match="span"):
        recipe.apply_batch(["short", "another text"], [[(0, 5)], [(0, 50)]], 0, ["a", "b"])
    with pytest.raises(ValueError, match="span"):
        recipe.apply_batch(["short text here"], [[(0, 8), (5, 12)]], 0, ["a"])
    assert recipe.apply_batch(["short text here"], [[(6, 15), (0, 5)]], 0, ["a"])  # unsorted is fine
