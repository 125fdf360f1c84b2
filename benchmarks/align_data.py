"""Alignment benchmark sets: garbled and clean sentence lists with gold alignments.

Each set is a list of :class:`AlignCase`. Its gold lists the groups of garbled and
clean sentence indices in document order, every sentence of both sides exactly once,
including garbled-only (1-0) and clean-only (0-1) groups, as vecalign's scorer wants.

- ``seed``: the real article in ``builder/resources/sample`` with its hand-made gold.
- ``synthetic``: BBC articles garbled by the project's own engine; the structural
  operations (split, merge, drop, caption) record the true mapping.
- ``mlqe``: real machine translation (MLQE-PE, output vs post-edit) in pseudo-documents.
- ``icdar``: real OCR (ICDAR 2017/2019 post-OCR sets), one segment a sentence.
- ``long``: one document per size, for the time curve.

The real sets are sentence-aligned 1-1 at the source, so their garbled side is
restructured with :func:`builder.noise.structure.restructure`, which keeps the true
mapping: the real words stay, and the aligner still meets splits, merges and gaps.

Inputs under ``../shared`` are read at run time and never copied; a set whose input
is missing is skipped by :func:`all_sets` with the reason. Everything is seeded per
document (``builder.core.seeding.rng_for``), so a set is the same on every run and machine.
``python -m benchmarks.align_data`` builds every set and prints its time and summary.
"""

from __future__ import annotations

import dataclasses
import json
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks.common import SHARED
from builder.app.config import ConfigError
from builder.core.resources import SAMPLE_DIR
from builder.core.seeding import rng_for
from builder.noise import load_recipe
from builder.noise.document import garble_document
from builder.noise.recipe import Recipe
from builder.noise.structure import Piece, StructureRates, restructure
from builder.profile.pairs import PairsError
from builder.profile.pairs import detokenizer as pairs_detokenizer
from builder.text.normalize import normalize_text
from builder.text.segment import Segmenter

PROJECT_DIR = Path(__file__).resolve().parents[1]

Group = tuple[tuple[int, ...], tuple[int, ...]]

#: Base seed of every set; each document draws from its own stream keyed by its name.
SEED = 0
#: Structural edit rates for the synthetic, real and long sets (per sentence; insert per gap).
RATES = StructureRates(split=0.08, merge=0.08, drop=0.05, insert=0.08)
SEED_GOLD = PROJECT_DIR / "tests" / "fixtures" / "seed_gold_alignment.jsonl"


def bbc_path() -> Path:
    return SHARED / "corpora" / "bbc_news_greene2006.jsonl"


def mlqe_path() -> Path:
    return SHARED / "real_pairs" / "mlqe_pe_xx_en.jsonl"


def icdar_path() -> Path:
    return SHARED / "real_pairs" / "icdar_postocr_en.jsonl"


class MissingInput(FileNotFoundError):
    """A set's input is not on this machine: the set is skipped, not failed."""


@dataclass
class AlignCase:
    set: str  # which benchmark set
    name: str  # document name
    garbled: list[str]
    clean: list[str]
    gold: list[Group]  # (garbled indices, clean indices) per group, in document order


def group_type(group: Group) -> str:
    """The group's kind as "garbled-clean" counts, e.g. "2-1" (the order of ``Piece.align``)."""
    return f"{len(group[0])}-{len(group[1])}"


def validate(case: AlignCase) -> None:
    """Raise ValueError unless the gold covers each side's sentences once, in order."""
    for side, n in ((0, len(case.garbled)), (1, len(case.clean))):
        seen = [i for g in case.gold for i in g[side]]
        if seen != list(range(n)):
            label = ("garbled", "clean")[side]
            raise ValueError(f"{case.set}/{case.name}: gold {label} indices are not 0..{n - 1} in order")
    if any(not g and not c for g, c in case.gold):
        raise ValueError(f"{case.set}/{case.name}: gold has an empty group")


def _read_jsonl(path: Path) -> Iterator[dict]:
    if not path.is_file():
        raise MissingInput(f"{path} not found")
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


# -- seed ---------------------------------------------------------------------------


def seed_set(
    garbled_path: Path | None = None, clean_path: Path | None = None, gold_path: Path | None = None
) -> list[AlignCase]:
    """The real seed article with its hand-made gold, whose groups list sentence texts."""
    garbled_path = garbled_path or SAMPLE_DIR / "garbled.txt"
    clean_path = clean_path or SAMPLE_DIR / "restored.txt"
    seg = Segmenter()
    sides = []
    for path in (garbled_path, clean_path):
        if not path.is_file():
            raise MissingInput(f"{path} not found")
        sides.append(seg.sentences(normalize_text(path.read_text(encoding="utf-8"))))
    garbled, clean = sides
    gold: list[Group] = []
    pos = [0, 0]
    for k, row in enumerate(_read_jsonl(gold_path or SEED_GOLD)):
        idx = []
        for side, (key, sentences) in enumerate((("noisy", garbled), ("clean", clean))):
            n = len(row[key])
            if sentences[pos[side] : pos[side] + n] != row[key]:
                raise ValueError(f"seed gold group {k}: its {key} sentences are not the segmenter's next ones")
            idx.append(tuple(range(pos[side], pos[side] + n)))
            pos[side] += n
        gold.append((idx[0], idx[1]))
    case = AlignCase("seed", "seed-kursk-2025-03-12", garbled, clean, gold)
    validate(case)
    return [case]


# -- synthetic: the project's own garbling ------------------------------------------


def bench_recipe(rates: StructureRates = RATES) -> Recipe:
    """The ``mixed`` recipe's word and character noise with the benchmark's structure rates."""
    return dataclasses.replace(load_recipe("mixed"), structure=rates)


def _gold_case(
    set_name: str, name: str, clean: list[str], groups: Iterable[tuple[Sequence[str], Sequence[int]]]
) -> AlignCase:
    """A case from (garbled sentences, clean indices) per group, garbled sentences numbered in order."""
    garbled: list[str] = []
    gold: list[Group] = []
    for sentences, clean_idx in groups:
        gold.append((tuple(range(len(garbled), len(garbled) + len(sentences))), tuple(clean_idx)))
        garbled += sentences
    case = AlignCase(set_name, name, garbled, clean, gold)
    validate(case)
    return case


def garble_case(
    doc_id: str, text: str, recipe: Recipe, seed: int = SEED, set_name: str = "synthetic"
) -> tuple[AlignCase, list[Piece]]:
    """One clean text garbled by ``recipe``, with the pieces (tests check the case against them)."""
    text = normalize_text(text)
    sentences = Segmenter().split(text)
    spans = [(s.start, s.end) for s in sentences]
    pieces = garble_document(recipe, text, spans, seed, doc_id, [s.tag for s in sentences])
    clean = [text[s:e] for s, e in spans]
    groups = ((p.garbled_sentences(), p.clean_idx) for p in pieces if p.is_group)
    return _gold_case(set_name, doc_id, clean, groups), pieces


def synthetic_cases(
    docs: Iterable[tuple[str, str]], rates: StructureRates = RATES, seed: int = SEED, set_name: str = "synthetic"
) -> list[AlignCase]:
    """Garble (doc_id, clean text) pairs; the doc_id keys each document's random streams."""
    recipe = bench_recipe(rates)
    return [garble_case(doc_id, text, recipe, seed, set_name)[0] for doc_id, text in docs]


def spread(items: Sequence, n: int) -> list:
    """``n`` items evenly spaced over ``items``: every part of a corpus ordered by topic gets some."""
    if n >= len(items):
        return list(items)
    return [items[int(i)] for i in np.linspace(0, len(items) - 1, n).round().astype(int)]


def synthetic_set(n_docs: int = 40, min_sentences: int = 8, path: Path | None = None) -> list[AlignCase]:
    """``n_docs`` BBC articles of at least ``min_sentences`` sentences, spread over the file."""
    seg = Segmenter()
    eligible = [
        (row["id"], row["text"])
        for row in _read_jsonl(path or bbc_path())
        if len(seg.split(normalize_text(row["text"]))) >= min_sentences
    ]
    return synthetic_cases(spread(eligible, n_docs))


# -- real garbling, restructured --------------------------------------------------


def restructured_case(
    set_name: str,
    name: str,
    garbled: Sequence[str],
    clean: Sequence[str],
    rates: StructureRates = RATES,
    seed: int = SEED,
) -> AlignCase:
    """Split, merge, drop and insert on the garbled side of a 1-1 aligned sentence list.

    Input garbled sentence i pairs with clean sentence i, so the input indices that
    ``restructure`` reports per group are the clean indices of the gold.
    """
    if len(garbled) != len(clean):
        raise ValueError(f"{set_name}/{name}: {len(garbled)} garbled vs {len(clean)} clean sentences")
    groups = restructure(list(garbled), rates, rng_for(seed, name, "bench:restructure"))
    return _gold_case(set_name, name, list(clean), groups)


def detokenizer() -> Callable[[str], str]:
    """The package's Moses detokeniser (``python -m builder.profile --detokenize``), for the
    MLQE-PE sets; without sacremoses they are missing, not an error."""
    try:
        return pairs_detokenizer()
    except PairsError as e:
        raise MissingInput(f"the mlqe set needs sacremoses (the bench extra): {e}") from e


#: MLQE-PE pairs whose post-edit rewrote (nearly) everything. Many are MT hallucinations
#: or rows misaligned in the source data (ro-en dev 18 pairs a sentence about German aid
#: with one about private brands): no aligner can pair them by content, and a dataset
#: should not. ``mlqe`` leaves them out; ``mlqe_all`` keeps them with the data's 1-1 gold.
HALLUCINATED_HTER = 0.9


def mlqe_set(
    n_docs: int = 40,
    min_sentences: int = 20,
    max_sentences: int = 60,
    path: Path | None = None,
    max_hter: float | None = HALLUCINATED_HTER,
    rates: StructureRates = RATES,
    seed: int = SEED,
    set_name: str | None = None,
) -> list[AlignCase]:
    """Pseudo-documents of consecutive MLQE-PE sentences of one language pair and split.

    The pairs are one sentence each (Wikipedia, and Reddit for ru), Moses-tokenised;
    both sides are detokenised so they read like raw text. Documents are spread evenly
    over each (language, split) block; their lengths are drawn once from a fixed seed.
    Pairs where the MT output equals the post-edit are kept: real documents have them.
    Pairs with HTER at or above ``max_hter`` are left out (None keeps all).
    """
    blocks: dict[tuple[str, str], list[dict]] = {}
    for row in _read_jsonl(path or mlqe_path()):
        if max_hter is not None and float(row.get("hter", 0.0)) >= max_hter:
            continue
        blocks.setdefault((row["src_lang"], row["split"]), []).append(row)
    detok = detokenizer()
    lengths = np.random.default_rng(SEED).integers(min_sentences, max_sentences + 1, size=n_docs)
    keys = list(blocks)
    per_block = Counter(keys[d % len(keys)] for d in range(n_docs))
    cases: list[AlignCase] = []
    d = 0
    for key in keys:
        rows, m = blocks[key], per_block[key]
        for j in range(m):
            start, limit = j * len(rows) // m, (j + 1) * len(rows) // m
            chunk = rows[start : min(start + int(lengths[d]), limit)]
            d += 1
            garbled = [normalize_text(detok(r["noisy"])) for r in chunk]
            clean = [normalize_text(detok(r["clean"])) for r in chunk]
            name = set_name or ("mlqe" if max_hter is not None else "mlqe_all")
            cases.append(restructured_case(name, f"{chunk[0]['id']}+{len(chunk)}", garbled, clean, rates, seed))
    return cases


def icdar_set(min_segments: int = 5, path: Path | None = None) -> list[AlignCase]:
    """ICDAR post-OCR documents of at least ``min_segments`` aligned segments, a segment a sentence.

    Segment pairs with an empty side are dropped before counting: they have nothing to align.
    """
    cases = []
    for row in _read_jsonl(path or icdar_path()):
        pairs = [
            (g, c)
            for g, c in zip(
                (normalize_text(s) for s in row["noisy"].split("\n")),
                (normalize_text(s) for s in row["clean"].split("\n")),
                strict=True,
            )
            if g and c
        ]
        if len(pairs) >= min_segments:
            garbled, clean = zip(*pairs, strict=True)
            cases.append(restructured_case("icdar", row["id"], garbled, clean))
    return cases


# -- long documents ---------------------------------------------------------------


def _lee_articles() -> list[tuple[str, str]]:
    from builder.pipeline.readers.sample import lee_corpus_path

    try:
        path = lee_corpus_path()
    except ConfigError as e:
        raise MissingInput(f"neither {bbc_path()} nor the Lee corpus (gensim) is here") from e
    docs = []
    with open(path, "rb") as fh:
        for i, raw in enumerate(fh):
            try:
                text = raw.decode("utf-8").strip()
            except UnicodeDecodeError:
                text = raw.decode("latin-1").strip()
            if text:
                docs.append((f"lee-background-{i:03d}", text))
    return docs


def _long_articles() -> tuple[str, list[tuple[str, str]]]:
    """BBC articles in a fixed shuffled order (mixing topics), else the Lee corpus."""
    if bbc_path().is_file():
        docs = [(row["id"], row["text"]) for row in _read_jsonl(bbc_path())]
        order = np.random.default_rng(SEED).permutation(len(docs))
        return "bbc", [docs[i] for i in order]
    return "lee", _lee_articles()


def long_set(sizes: Sequence[int] = (100, 1000, 10000)) -> list[AlignCase]:
    """One document per size: garbled articles laid end to end until the clean side has
    ``size`` sentences, cut after the group that reaches it (a merge may add one more).

    When the corpus runs out (the Lee fallback is about 2,400 sentences), it is read again
    under new doc_ids, so the repeated text is garbled differently.
    """
    source, articles = _long_articles()
    recipe = bench_recipe()
    garbled_docs: list[AlignCase] = []  # shared by the sizes: each is a prefix of the next

    def doc(k: int) -> AlignCase:
        while len(garbled_docs) <= k:
            n = len(garbled_docs)
            doc_id, text = articles[n % len(articles)]
            doc_id = doc_id if n < len(articles) else f"{doc_id}#{n // len(articles)}"
            garbled_docs.append(garble_case(doc_id, text, recipe, SEED, "long")[0])
        return garbled_docs[k]

    cases = []
    for size in sizes:
        clean: list[str] = []
        groups: list[tuple[list[str], range]] = []
        k = 0
        while len(clean) < size:
            d = doc(k)
            k += 1
            for g, c in d.gold:
                if len(clean) >= size:
                    break
                groups.append(([d.garbled[i] for i in g], range(len(clean), len(clean) + len(c))))
                clean += [d.clean[i] for i in c]
        cases.append(_gold_case("long", f"{source}-{size}", clean, groups))
    return cases


# -- summary and the whole lot ----------------------------------------------------


def summary(cases: Sequence[AlignCase]) -> dict:
    """Documents, sentences per side and group types: what a score on the set stands on."""
    types = Counter(group_type(g) for case in cases for g in case.gold)
    sizes = [len(c.clean) for c in cases]
    return {
        "documents": len(cases),
        "garbled_sentences": sum(len(c.garbled) for c in cases),
        "clean_sentences": sum(sizes),
        "clean_sentences_per_document": (
            {"min": min(sizes), "median": statistics.median(sizes), "max": max(sizes)} if sizes else {}
        ),
        "groups": dict(sorted(types.items(), key=lambda kv: (-kv[1], kv[0]))),
    }


SETS: dict[str, Callable[[], list[AlignCase]]] = {
    "seed": seed_set,
    "synthetic": synthetic_set,
    "mlqe": mlqe_set,
    "mlqe_all": lambda: mlqe_set(max_hter=None),
    "icdar": icdar_set,
    "long": long_set,
}


def _report_skip(name: str, reason: str) -> None:
    print(f"align benchmark: skipping set {name!r}: {reason}", file=sys.stderr)


def all_sets(
    sets: dict[str, Callable[[], list[AlignCase]]] | None = None,
    on_skip: Callable[[str, str], None] = _report_skip,
    seconds: dict[str, float] | None = None,
) -> dict[str, list[AlignCase]]:
    """Every set whose input is here; ``on_skip(name, reason)`` for the others.

    ``seconds``, when given, receives each built set's build time.
    """
    out = {}
    for name, build in (sets or SETS).items():
        t = time.perf_counter()
        try:
            out[name] = build()
        except MissingInput as e:
            on_skip(name, str(e))
            continue
        if seconds is not None:
            seconds[name] = round(time.perf_counter() - t, 3)
    return out


def main() -> dict:
    seconds: dict[str, float] = {}
    sets = all_sets(seconds=seconds)
    return {name: {"build_seconds": seconds[name], **summary(cases)} for name, cases in sets.items()}


if __name__ == "__main__":
    print(json.dumps(main(), indent=2))
