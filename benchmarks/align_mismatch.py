"""Benchmark sets whose two sides do not (all) belong together, and short true pairs.

A scraped record can hold a garbled article and the clean text of another one; the
builder must reject such a record whole (``unrelated_pair``) and keep every true one.
These sets measure both sides of that decision (``benchmarks/align.py``) and give the
score calibration wrong groups to learn from (``benchmarks/calibrate_align.py``):

- ``unrelated_same_topic`` / ``unrelated_other_topic``: a BBC article garbled by the
  benchmark recipe against the clean text of another article of the same category / of
  the next category. Near-duplicates of the garbled article are never chosen as its
  partner (the BBC corpus holds about 170 clusters of them). Gold: every sentence of
  both sides unaligned.
- ``partly_related``: a garbled BBC article whose clean side has a contiguous half of
  its groups replaced by sentences of another article of the same category (an
  article that kept half of an update, or two stories glued by a scraper). Gold: the
  kept groups; the replaced stretch is unaligned on both sides.
- ``mlqe_sentences`` / ``icdar_segments``: true pairs of one sentence (MLQE-PE) or one
  OCR segment (ICDAR) a document: the shortest true pairs the check must not reject.
- ``unrelated_sentences``: an MLQE-PE sentence against the post-edit of another one.

Everything is chosen by position and seeded per document: the same sets on every run.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from benchmarks.align_data import (
    HALLUCINATED_HTER,
    SEED,
    AlignCase,
    _gold_case,
    _read_jsonl,
    bbc_path,
    bench_recipe,
    detokenizer,
    garble_case,
    icdar_path,
    mlqe_path,
    spread,
    validate,
)
from builder.core.seeding import rng_for
from builder.noise.recipe import Recipe
from builder.pairing.documents import shingle_codes
from builder.text.normalize import normalize_text
from builder.text.segment import Segmenter

#: Two articles whose character 5-gram Jaccard reaches this are versions of one story, not unrelated.
SAME_STORY = 0.1


def bbc_by_category(path: Path | None = None, min_sentences: int = 5) -> dict[str, list[tuple[str, str]]]:
    """(doc_id, text) of BBC articles of at least ``min_sentences`` sentences, per category.

    The category is the end of ``source`` (``..., category=sport``)."""
    seg = Segmenter()
    out: dict[str, list[tuple[str, str]]] = {}
    for row in _read_jsonl(path or bbc_path()):
        if len(seg.split(normalize_text(row["text"]))) >= min_sentences:
            category = row.get("source", "").rsplit("category=", 1)[-1] or "unknown"
            out.setdefault(category, []).append((row["id"], row["text"]))
    return dict(sorted(out.items()))


def _jaccard(a: str, b: str) -> float:
    x, y = shingle_codes(a), shingle_codes(b)
    inter = len(np.intersect1d(x, y, assume_unique=True))
    return inter / max(1, len(x) + len(y) - inter)


def _partner(pool: Sequence[tuple[str, str]], start: int, text: str, doc_id: str) -> tuple[str, str]:
    """The first article of ``pool`` from ``start`` on that is another story than ``text``."""
    for k in range(len(pool)):
        other_id, other = pool[(start + k) % len(pool)]
        if other_id != doc_id and _jaccard(text, other) < SAME_STORY:
            return other_id, other
    raise ValueError(f"no article unrelated to {doc_id}")


def article_pairs(
    by_category: dict[str, list[tuple[str, str]]], n_docs: int, same_topic: bool, part: int = 0
) -> list[tuple[tuple[str, str], tuple[str, str]]]:
    """``n_docs`` (garbled article, partner article) pairs spread over every category.

    Only every other article of a category is used, from ``part`` (0 or 1) on: the
    benchmark takes part 0 and the calibration part 1, so they never share an article.
    Article k of a category meets the article half a category away (same topic) or the
    article at the same relative position of the next category (other topic)."""
    pools = {cat: docs[part::2] for cat, docs in by_category.items()}
    cats = list(pools)
    out = []
    for d in range(n_docs):
        pool = pools[cats[d % len(cats)]]
        k = spread(range(len(pool)), -(-n_docs // len(cats)))[d // len(cats)]
        doc_id, text = pool[k]
        if same_topic:
            out.append(((doc_id, text), _partner(pool, k + len(pool) // 2, text, doc_id)))
        else:
            other = pools[cats[(d + 1) % len(cats)]]
            out.append(((doc_id, text), _partner(other, k * len(other) // len(pool), text, doc_id)))
    return out


def unrelated_case(set_name: str, garbled: AlignCase, clean_text: str) -> AlignCase:
    """The garbled side of ``garbled`` against the sentences of another article: nothing aligns."""
    clean = Segmenter().sentences(normalize_text(clean_text))
    gold = [((i,), ()) for i in range(len(garbled.garbled))] + [((), (j,)) for j in range(len(clean))]
    case = AlignCase(set_name, garbled.name, list(garbled.garbled), clean, gold)
    validate(case)
    return case


def partly_related_case(case: AlignCase, other_text: str, share: float = 0.5, seed: int = SEED) -> AlignCase:
    """``case`` with a contiguous ``share`` of its groups' clean sentences replaced by sentences
    of ``other_text``: the replaced stretch is unaligned on both sides in the gold."""
    other = Segmenter().sentences(normalize_text(other_text))
    n = len(case.gold)
    width = max(1, round(share * n))
    start = int(rng_for(seed, case.name, "bench:partly_related").integers(0, n - width + 1))
    clean: list[str] = []
    garbled_groups: list[tuple[list[str], list[int]]] = []
    taken = 0
    for k, (g, c) in enumerate(case.gold):
        sentences = [case.garbled[i] for i in g]
        if start <= k < start + width:
            garbled_groups += [([s], []) for s in sentences]
            for _ in c:
                garbled_groups.append(([], [len(clean)]))
                clean.append(other[taken % len(other)])
                taken += 1
        else:
            garbled_groups.append((sentences, list(range(len(clean), len(clean) + len(c)))))
            clean += [case.clean[j] for j in c]
    return _gold_case("partly_related", case.name, clean, garbled_groups)


def _bbc_set(kind: str, n_docs: int, part: int, recipe: Recipe | None, seed: int, set_name: str) -> list[AlignCase]:
    by_category = bbc_by_category()
    recipe = recipe or bench_recipe()
    cases = []
    for (doc_id, text), (_, other) in article_pairs(by_category, n_docs, kind != "other_topic", part):
        garbled = garble_case(doc_id, text, recipe, seed, set_name)[0]
        if kind == "partly_related":
            cases.append(partly_related_case(garbled, other, seed=seed))
        else:
            cases.append(unrelated_case(set_name, garbled, other))
    return cases


def unrelated_same_topic(
    n_docs: int = 40, part: int = 0, recipe: Recipe | None = None, seed: int = SEED
) -> list[AlignCase]:
    return _bbc_set("same_topic", n_docs, part, recipe, seed, "unrelated_same_topic")


def unrelated_other_topic(
    n_docs: int = 40, part: int = 0, recipe: Recipe | None = None, seed: int = SEED
) -> list[AlignCase]:
    return _bbc_set("other_topic", n_docs, part, recipe, seed, "unrelated_other_topic")


def partly_related(n_docs: int = 40, part: int = 0, recipe: Recipe | None = None, seed: int = SEED) -> list[AlignCase]:
    return _bbc_set("partly_related", n_docs, part, recipe, seed, "partly_related")


# -- short documents ------------------------------------------------------------------


def _mlqe_rows(max_hter: float | None, part: int = 0) -> list[dict]:
    """Every other MLQE-PE pair from ``part`` on (benchmark 0, calibration 1), detokenised."""
    detok = detokenizer()
    rows = []
    for k, row in enumerate(_read_jsonl(mlqe_path())):
        if k % 2 != part:
            continue
        if max_hter is None or float(row.get("hter", 0.0)) < max_hter:
            rows.append(
                {**row, "noisy": normalize_text(detok(row["noisy"])), "clean": normalize_text(detok(row["clean"]))}
            )
    return rows


def mlqe_sentences(n_docs: int = 1000, max_hter: float | None = HALLUCINATED_HTER, part: int = 0) -> list[AlignCase]:
    """``n_docs`` MLQE-PE pairs spread over the file, each its own one-sentence document."""
    rows = spread(_mlqe_rows(max_hter, part), n_docs)
    name = "mlqe_sentences" if max_hter is not None else "mlqe_sentences_all"
    return [AlignCase(name, r["id"], [r["noisy"]], [r["clean"]], [((0,), (0,))]) for r in rows]


def unrelated_sentences(n_docs: int = 1000, part: int = 0) -> list[AlignCase]:
    """MLQE-PE output against the post-edit of the pair half the file away (another
    language pair or split): one unrelated sentence a side."""
    rows = _mlqe_rows(None, part)
    picks = spread(range(len(rows)), n_docs)
    out = []
    for k in picks:
        r, o = rows[k], rows[(k + len(rows) // 2) % len(rows)]
        out.append(
            AlignCase(
                "unrelated_sentences", f"{r['id']}~{o['id']}", [r["noisy"]], [o["clean"]], [((0,), ()), ((), (0,))]
            )
        )
    return out


def icdar_segments() -> list[AlignCase]:
    """Every ICDAR segment pair with both sides non-empty, each its own document."""
    out = []
    for row in _read_jsonl(icdar_path()):
        g_lines = [normalize_text(s) for s in row["noisy"].split("\n")]
        c_lines = [normalize_text(s) for s in row["clean"].split("\n")]
        for k, (g, c) in enumerate(zip(g_lines, c_lines, strict=True)):
            if g and c:
                out.append(AlignCase("icdar_segments", f"{row['id']}#{k}", [g], [c], [((0,), (0,))]))
    return out


MISMATCH_SETS = {
    "unrelated_same_topic": unrelated_same_topic,
    "unrelated_other_topic": unrelated_other_topic,
    "partly_related": partly_related,
    "unrelated_sentences": unrelated_sentences,
}
SHORT_SETS = {
    "mlqe_sentences": mlqe_sentences,
    "mlqe_sentences_all": lambda: mlqe_sentences(max_hter=None),
    "icdar_segments": icdar_segments,
}
