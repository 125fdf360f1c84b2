"""Texts, spans and the invariant checks shared by the noise tests."""

from __future__ import annotations

import random
import re
from bisect import bisect_right

from builder.core.edits import Edit, replay
from tests.news import NEWS

_WORD = re.compile(r"\w+(?:['’]\w+)*")


# fmt: off
_WORDS = [
    "the", "of", "and", "to", "in", "a", "said", "that", "for", "on", "was", "with", "he", "it",
    "as", "at", "by", "from", "his", "an", "were", "are", "which", "government", "officials",
    "minister", "election", "market", "percent", "troops", "border", "talks", "deal", "report",
    "week", "year", "police", "court", "village", "region", "ceasefire", "offensive", "shares",
    "prices", "company", "million", "don't", "it's", "Kremlin's", "state-run", "well-known",
    "2025", "30", "1.5", "COVID-19", "iPhone", "eBay", "NATO", "EU", "UN",
]
_NAMES = [
    "Putin", "Zelenskyy", "Witkoff", "Sudzha", "Joly", "Loeb", "Macron", "Scholz", "Kursk",
    "Kyiv", "Moscow", "Washington", "Philippe", "Khodorkovsky", "Zhukov", "Mitterrand",
    "Hollande", "Schiff", "Gerasimov", "Shoigu", "Rubio", "Lavrov",
]
# fmt: on
_PUNCT_AFTER = [",", "", "", "", "", ";", ":", ")", "”"]
_PUNCT_BEFORE = ["", "", "", "", "", "(", "“", "'"]


def _sentence(r: random.Random) -> str:
    n = r.randint(1, 18)
    out = []
    for k in range(n):
        w = r.choice(_NAMES) if r.random() < 0.2 else r.choice(_WORDS)
        if k == 0:
            w = w[0].upper() + w[1:]
        elif r.random() < 0.15:
            w = r.choice(_PUNCT_BEFORE) + w + r.choice(_PUNCT_AFTER)
        out.append(w)
    sep = " " if r.random() < 0.95 else "  "
    return sep.join(out) + r.choice([".", ".", "?", "!", "", ".”"])


def generated_docs(n: int, seed: int = 0) -> list[tuple[str, list[tuple[int, int]]]]:
    """Random documents with sentence spans in the awkward layouts a segmenter can give:
    gaps, adjacent spans, spans with trailing spaces, text outside every span."""
    r = random.Random(seed)
    docs = []
    for _ in range(n):
        text, spans = "", []
        if r.random() < 0.3:
            text = "HEADLINE: " + _sentence(r) + "\n"  # outside every span
        for _ in range(r.randint(1, 8)):
            s = _sentence(r)
            start = len(text)
            text += s
            layout = r.random()
            if layout < 0.2:  # adjacent: the next sentence starts right here
                spans.append((start, len(text)))
                continue
            gap = r.choice([" ", "  ", "\n", "\n\n", " "])
            text += gap
            end = len(text) if layout < 0.35 else start + len(s)  # sometimes keep the gap
            spans.append((start, end))
        docs.append((text, spans))
    return docs


def simple_spans(text: str) -> list[tuple[int, int]]:
    """Sentence spans for the fixed news texts (lines, then ". " boundaries)."""
    spans = []
    for m in re.finditer(r"[^\n]+", text):
        pos = m.start()
        for piece in re.split(r"(?<=[.”])\s+(?=[“A-Z])", m.group()):
            k = text.index(piece, pos)
            spans.append((k, k + len(piece)))
            pos = k + len(piece)
    return spans


def check_edits(text: str, spans: list[tuple[int, int]], edits: list[Edit], ops: set[str] | None = None) -> str:
    """Assert the hard guarantees; return the garbled text."""
    prev_end = 0
    for e in edits:
        assert isinstance(e, Edit)
        assert e.start >= prev_end, f"{e} overlaps or is out of order"
        assert 0 <= e.start <= e.end <= len(text)
        assert text[e.start : e.end] == e.before
        assert e.before != e.after, f"{e} changes nothing"
        if ops is not None:
            assert e.op in ops, f"{e} has an unexpected op"
        inside = [(s, t) for s, t in spans if s <= e.start and e.end <= t]
        if e.start == e.end:
            assert inside, f"insertion {e} is in no span"
        else:
            assert len(inside) == 1, f"{e} is in {len(inside)} spans"
        prev_end = e.end
    garbled = replay(text, edits)
    # outside the edits, the text is byte-identical and in place
    g, c = 0, 0
    for e in edits:
        piece = text[c : e.start]
        assert garbled[g : g + len(piece)] == piece
        g += len(piece) + len(e.after)
        c = e.end
    assert garbled[g:] == text[c:]
    return garbled


def _touches(ed: Edit, ws: int, we: int) -> bool:
    if ed.start == ed.end:  # an insertion belongs to the word it follows
        return ws < ed.start <= we
    if not ed.before.strip():  # a removed space joins the words on both sides
        return ed.start == we or ed.end == ws
    return ed.start < we and ed.end > ws


def touched_words(text: str, spans: list[tuple[int, int]], edits: list[Edit]) -> tuple[int, int]:
    """(words an edit changes, all words in the spans)."""
    words = sorted(m.span() for s, e in spans for m in _WORD.finditer(text, s, e))
    starts = [ws for ws, _ in words]
    touched: set[int] = set()
    for ed in edits:
        k = bisect_right(starts, ed.start) - 1
        for j in range(max(k - 1, 0), min(k + 3, len(words))):
            if _touches(ed, *words[j]):
                touched.add(j)
    return len(touched), len(words)


def long_text(n_sentences: int = 300, seed: int = 5) -> tuple[str, list[tuple[int, int]]]:
    """A long news-like text: the fixed sentences reshuffled, one sentence per span."""
    sentences = [text[s:e] for text in NEWS for s, e in simple_spans(text)]
    r = random.Random(seed)
    picked = [r.choice(sentences) for _ in range(n_sentences)]
    text = " ".join(picked)
    spans, pos = [], 0
    for s in picked:
        spans.append((pos, pos + len(s)))
        pos += len(s) + 1
    return text, spans


def mean_touched_share(recipe, text: str, spans: list[tuple[int, int]], seeds=range(3)) -> float:
    """The share of words a recipe's edits touch, averaged over ``seeds``."""
    shares = []
    for seed in seeds:
        touched, total = touched_words(text, spans, recipe.apply(text, spans, seed, "long"))
        shares.append(touched / total)
    return sum(shares) / len(shares)
