"""The fast segmenter against NLTK's Punkt: the same sentences, to the character.

``builder.text.punkt_reference`` runs the pinned NLTK Punkt the way the builder did
before ``punkt_fast``; every case here must give the same ``split()``, ``spans()`` and
``span_tokenize`` as it, on real news (the Lee corpus) and on text made to be hostile.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from builder.core.seeding import rng_for
from builder.text.punkt_fast import FastPunkt
from builder.text.punkt_reference import ReferenceSegmenter, reference_tokenizer
from builder.text.segment import Segmenter, bounded_pieces, punkt_types

MODES = ("line", "blank")
SMALL = 60  # a window bound far below a paragraph: many windows, sentences cut at the bound

# Pieces of hostile text: abbreviations (also hyphenated), initials, numbers, ellipses,
# quotes and brackets around ends, other scripts' ends, fullwidth dots, all caps.
WORDS = [
    "the", "said", "council", "Monday", "IT", "WAS", "NATO.", "U.S.", "U.S.A.", "u.s.", "Gen.", "gen.", "Jan.",
    "Mr.", "Mrs.", "e.g.", "i.e.", "etc.", "vs.", "No.", "no.", "ex-Gen.", "Lt.-Col.", "anti-U.S.", "J.", "R.",
    "Tolkien", "A.", "b.", "3.5", "1.", "12.", "1,000.", "-4.", "5.3.", "No. 5", "...", "..", ". . .", "....",
    "wait...", "Hmm..", "end.", "end!", "end?", "end?!", "end!!!", "(end.)", "[end.]", "{end.}", "end.)",
    '"end."', "'end.'", "“end.”", "‘end.’", "«end.»", "»end.«", "「end.」", "(a.", "b.)", "x.--", "--",
    "The", "THE", "He", "she", "it.", "And", "but", "Officials", "police.", "one", "Two", "however", "Inc.", "Corp.",
    "St.", "p.m.", "a.m.", "Ph.D.", "D.C.", "etc.)", "。", "他说。", "好吗？", "明天见！", "१२।", "वाक्य।", "है॥",
    "بخير؟", "جملہ۔", "Բարեւ։", "ሰላም።", "３．５", "価格．", "次．", "．", "｡", "」", "』", "）", ";", ":", ",", "?",
    "!", ".", ".,", "?.", "!.", "@", "*", "#", "&", "-", "—", "…", "x", "X", "é.", "É.", "ß.", "İ.", "Ⅷ.",
    "١٢.", "٣", "٣.", "¹.", "½.", "www.example.com.", "a.b.c.", "e.g.,", "i.e.:", "(U.S.)", "“U.S.”",
    # boilerplate, so sentences of a line are tagged the same way as the reference tags them
    "Photo:", "Reuters", "Reuters.", "AP", "(AP)", "via", "VİA", "/", "report.", "Read", "more", "In", "this",
    "photo", "©", "(c)", "All", "rights", "reserved.", "Copyright", "contributed", "Getty", "Images", "Advertisement",
]  # fmt: skip
SPACES = [" ", "  ", "\t", "\n", "\n\n", "\n \n", "\r", "\x0b", "\x0c", "\u00a0", "\u2009", "\u3000", ""]

hostile = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SPACES)), max_size=60).map(
    lambda parts: "".join(w + s for w, s in parts)
)
raw = st.text(alphabet=st.sampled_from(sorted({c for w in WORDS + SPACES for c in w} | set("aZ09"))), max_size=200)
SETTINGS = settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])

FAST = {(m, c): Segmenter(m, max_chars=c) for m in MODES for c in (10_000, SMALL)}
REFERENCE = {(m, c): ReferenceSegmenter(m, max_chars=c) for m in MODES for c in (10_000, SMALL)}


def assert_same(text: str) -> None:
    for key, fast in FAST.items():
        assert fast.split(text) == REFERENCE[key].split(text), (key, text)
    para = text.strip("\n")
    if para:
        assert FAST["blank", SMALL].spans(para) == list(REFERENCE["blank", SMALL].spans(para)), para


# The cases that once told the two apart, or that sit on one of Punkt's edges.
@example("")
@example("   \n\t ")
@example("Very bad acting!!! I promise.")
@example("a .! b")
@example(" .x. Y")
@example('He said “we will win.” Then he left. She said "yes." It ended.')
@example("J. R. R. Tolkien wrote it. J. r. Smith. 3.5 or 1. The No. 5 car.")
@example("Gen. Lee met Sen. Reed on Jan. 5 in Washington, D.C. The U.S. pledged aid. Mr. Smith of Acme Corp. said so.")
@example("x" * 150 + ". " + "y" * 150)
@example("end.) Next.] More.\" Then.' (Quoted.) «Fin.» Done.")
@example("ex-Gen. Smith spoke. Lt.-Col. Jones did not. anti-U.S. The end.")
@example("We\u00a0said. Then.\u2009Now. Here.\u3000There.")
@given(hostile)
@SETTINGS
def test_hostile_text_is_split_as_punkt_splits_it(text):
    assert_same(text)


@given(raw)
@SETTINGS
def test_any_mix_of_the_characters_is_split_as_punkt_splits_it(text):
    assert_same(text)


@given(st.text(max_size=300))
@settings(max_examples=400, deadline=None)
def test_punkt_boundaries_on_any_text(text):
    """The boundary engine alone, on any string (leading whitespace included)."""
    assert FAST["line", 10_000].punkt.span_tokenize(text) == list(reference_tokenizer(()).span_tokenize(text))


def _generated(n: int) -> list[str]:
    """Documents drawn from the hostile pieces with seeded choices, longer than the
    hypothesis cases: several paragraphs, sentences across window bounds."""
    docs = []
    for i in range(n):
        rng = rng_for(12, f"doc-{i}", "segment-differential")
        k = int(rng.integers(1, 400))
        words = rng.choice(len(WORDS), size=k)
        spaces = rng.choice(len(SPACES), size=k, p=_SPACE_WEIGHTS)
        docs.append("".join(WORDS[w] + SPACES[s] for w, s in zip(words, spaces, strict=True)))
    return docs


_SPACE_WEIGHTS = [8.0 if s == " " else 1.0 for s in SPACES]
_SPACE_WEIGHTS = [w / sum(_SPACE_WEIGHTS) for w in _SPACE_WEIGHTS]


def test_many_seeded_documents():
    for text in _generated(400):
        assert_same(text)


def test_extra_abbreviations_are_honoured_the_same_way():
    text = "The Rt. Hon. member spoke. Approx. Ten people came. Rt. Next one. Hon-Rt. Done."
    for extra in ((), ("rt",), ("rt.", "Approx")):
        assert Segmenter(extra_abbreviations=extra).split(text) == ReferenceSegmenter(extra_abbreviations=extra).split(
            text
        )


def test_the_builders_parameters_reach_both():
    abbreviations, starters = punkt_types()
    assert {"u.s", "gen", "jan", "mr", "e.g"} <= abbreviations and "the" in starters
    params = reference_tokenizer(())._params
    assert params.abbrev_types == abbreviations and params.sent_starters == starters
    assert not params.collocations and not any(params.ortho_context.values())


def test_orthographic_context_and_collocations_follow_punkt_when_set():
    """Our parameters leave them empty, but the engine follows Punkt when they are set."""
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    from builder.text.punkt_fast import ORTHO_BEG_LC, ORTHO_BEG_UC, ORTHO_MID_LC, ORTHO_MID_UC

    abbreviations, starters = punkt_types()
    ortho = {"the": ORTHO_BEG_UC | ORTHO_MID_LC, "smith": ORTHO_MID_UC, "bach": ORTHO_BEG_LC, "said": ORTHO_BEG_LC}
    collocations = {("s", "bach"), ("##number##", "said")}
    params = PunktParameters()
    params.abbrev_types, params.sent_starters, params.collocations = set(abbreviations), set(starters), collocations
    for typ, flag in ortho.items():
        params.add_ortho_context(typ, flag)
    lang_vars = reference_tokenizer(())._lang_vars
    reference = PunktSentenceTokenizer(params, lang_vars=lang_vars, token_cls=reference_tokenizer(())._Token)
    fast = FastPunkt(abbreviations, starters, collocations, ortho)
    texts = [
        "Gen. The army left. J. S. Bach played. J. Smith came. 5. said he. 5. The end. Gen. smith. etc. bach. A. said.",
        *_generated(300),
    ]
    for text in texts:
        assert fast.span_tokenize(text) == list(reference.span_tokenize(text)), text


@pytest.fixture(scope="module")
def lee_documents() -> list[str]:
    pytest.importorskip("gensim")
    from builder.pipeline.readers.sample import lee_corpus_path

    with open(lee_corpus_path(), encoding="utf-8", errors="replace") as fh:
        return [line.rstrip("\n") for line in fh]


def test_every_lee_document_is_split_as_punkt_splits_it(lee_documents):
    assert len(lee_documents) >= 300
    for text in lee_documents:
        assert_same(text)
        joined = text.replace(". ", ".\n", 3)  # paragraphs within the document too
        assert_same(joined)


def test_bounded_pieces_are_unchanged():
    text = "word " * 50 + "x" * 70
    pieces = bounded_pieces(text, 60)
    assert all(e - s <= 60 for s, e in pieces)
    assert "".join(text[s:e] for s, e in pieces).replace(" ", "") == text.replace(" ", "")


def test_importing_the_segmenter_does_not_import_nltk():
    code = "import sys, builder.text.segment as s; s.Segmenter().split('A b. C d.'); print('nltk' in sys.modules)"
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root)
    assert out.stdout.strip() == "False"
