"""Properties that must hold for any input, checked on inputs hypothesis makes up."""

from __future__ import annotations

import json
import string

import pyarrow as pa
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from builder.align.aligner import Aligner
from builder.app.build import build
from builder.core.edits import replay
from builder.core.errors import NothingToWrite
from builder.noise import load_recipe
from builder.pipeline.steps.split import Split
from builder.text.segment import Segmenter
from tests.conftest import compose_cfg

WORDS = ["the", "council", "met", "on", "Monday", "Kyiv", "U.S.", "Gen.", "said", "rain", "fell", "“no,”", "budget"]
PUNCT = [".", "!", "?", ",", ";", "…", "。", "！", "？", '"', "’", "—", "\n", "\n\n", " ", "  "]
news_like = st.lists(st.sampled_from(WORDS + PUNCT), max_size=80).map(" ".join)
any_text = st.one_of(news_like, st.text(max_size=300), st.text(alphabet=string.printable + "。！？«»“”’", max_size=300))
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SEGMENTER = Segmenter()


@FAST
@given(any_text)
def test_sentence_offsets_rebuild_the_text(text):
    """Sentences are in order, inside the text, and only whitespace lies between them."""
    pos = 0
    for s in SEGMENTER.split(text):
        assert pos <= s.start < s.end <= len(text)
        assert not text[pos : s.start].strip()
        assert text[s.start : s.end] == text[s.start : s.end].strip()
        pos = s.end
    assert not text[pos:].strip()


sentences = st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=12).map(" ".join), max_size=25)


@FAST
@given(sentences, sentences)
def test_alignment_groups_are_monotone_and_cover_every_sentence_once(garbled, clean):
    groups = Aligner().align(garbled, clean)
    g = [i for grp in groups for i in grp.garbled]
    c = [j for grp in groups for j in grp.clean]
    assert g == list(range(len(garbled))) and c == list(range(len(clean)))
    for grp in groups:
        for side in (grp.garbled, grp.clean):
            assert not side or list(side) == list(range(side[0], side[0] + len(side)))
        assert grp.garbled or grp.clean
        assert 0.0 <= grp.score <= 1.0


RECIPES = {name: load_recipe(name) for name in ("typo", "ocr", "mixed", "rtt", "names")}


@FAST
@given(any_text, st.sampled_from(sorted(RECIPES)), st.integers(0, 2**31), st.floats(0.0, 1.0))
def test_noise_edits_replay_to_the_garbled_text(text, name, seed, level):
    spans = [(s.start, s.end) for s in SEGMENTER.split(text)]
    recipe = RECIPES[name].with_level(level)
    garbled, edits = recipe.garble(text, spans, seed, "doc")
    assert replay(text, edits) == garbled


class _SplitCfg:
    method, key, train, validation, test = "hash", "doc_id", None, 0.2, 0.1
    validation_from = test_from = None
    undated = "train"
    column = "split"


@FAST
@given(st.lists(st.tuples(st.text(min_size=1, max_size=12), st.integers(1, 4)), max_size=40, unique_by=lambda t: t[0]))
def test_splits_are_disjoint_by_document(docs):
    rows = [doc_id for doc_id, n in docs for _ in range(n)]
    docs = pa.table(
        {
            "doc_id": rows,
            "source": ["s"] * len(rows),
            "date": [""] * len(rows),
            "reject": [""] * len(rows),
            "reject_detail": [""] * len(rows),
        },
        schema=pa.schema([(c, pa.string()) for c in ("doc_id", "source", "date", "reject", "reject_detail")]),
    )
    out = Split(_SplitCfg()).run(docs)
    where: dict[str, set[str]] = {}
    for doc_id, split in zip(rows, out.column("split").to_pylist(), strict=True):
        where.setdefault(doc_id, set()).add(split)
    assert all(len(s) == 1 for s in where.values())
    assert {s for v in where.values() for s in v} <= {"train", "validation", "test"}


_GOOD = st.builds(
    lambda i, words: json.dumps({"id": f"g{i}", "text": " ".join(words) + ". The council met on Monday."}),
    st.integers(0, 10**6),
    st.lists(st.sampled_from(WORDS), min_size=3, max_size=20),
)
_BAD = st.sampled_from(
    [
        "{broken",
        "[1, 2",
        '"just a string"',
        "42",
        json.dumps({"id": "e", "text": ""}),
        json.dumps({"id": "n", "text": None}),
        json.dumps({"id": "t", "text": 7}),
        json.dumps({"text": "no id at all. But some text here."}),
        json.dumps({"id": "g1", "text": "A duplicate id perhaps. Or not."}),
        json.dumps({"id": "gar", "garbled": "only the garbled side. No clean."}),
        '{"id": "deep", "text": ' + "[" * 50 + "]" * 50 + "}",
    ]
)


#: The file starts with a record, so it reads as JSON Lines: a file whose first line opens
#: an array ("[1, 2") is read as a JSON array file, whose elements are its records.
_FIRST = json.dumps({"id": "first", "text": "The first record of the file. The council met on Monday."})


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.one_of(_GOOD, _BAD), min_size=1, max_size=25))
@example(lines=["{broken", '"just a string"', "42"])  # each line after a broken one is a record of its own
def test_the_ledger_adds_up_for_any_mix_of_good_and_bad_records(tmp_path_factory, lines):
    tmp = tmp_path_factory.mktemp("mix")
    path = tmp / "mix.jsonl"
    lines = [_FIRST, *lines]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cfg = compose_cfg(tmp, "source=jsonl", f"source.path={path}", "noise=typo", "noise.level=0.5", "filter.min_chars=1")
    try:
        stats = build(cfg).stats
    except NothingToWrite as e:
        stats = json.loads((tmp / "out" / "mix.failed" / "stats.json").read_text())
        assert "nothing to write" in str(e)
    d = stats["documents"]
    assert d["in"] == len(lines)
    assert d["in"] == d["written"] + sum(d["filtered"].values()) + sum(d["rejected"].values()) + d["paired"]
