"""Garbling speed: our ``typo`` and ``ocr`` recipes against nlpaug, textnoisr and glitchlings.

Everything runs in one process, in one run, on the same news text (``../shared/corpora``'s
BBC articles, or the Lee corpus when that is missing), at the same CER:

1. Calibrate. For every tool and every target CER (0.02, 0.05, 0.10), bisect its one knob
   (our recipe's ``level``, nlpaug's ``aug_word_p``, textnoisr's ``noise_level``,
   glitchlings' ``rate``) on a sample of the text until the CER it reaches, measured with
   ``builder.core.metrics.cer`` against the clean text (total edit distance over total characters),
   is within ``tolerance`` of the target. A tool that cannot reach a target even at the top of
   its range is timed there and marked unreachable.
2. Time. Each tool garbles all the text at its calibrated rate: one warm-up on the first
   documents, then ``runs`` timed runs; the median is reported as characters per second,
   with the CER reached on all the text.

Our side times ``Recipe.apply_columns`` on batches of ``BATCH`` documents (the pipeline's
``runner.batch_size``): it returns the garbled texts and records every edit as columns
(document, operation, start, end, and the replaced and replacing text as code points with
offsets). The sentence spans it needs come from ``builder.text.segment.Segmenter`` and are computed
before timing (segmentation is its own pipeline stage). ``ours + edit rows`` adds turning the
columns into the dicts the ``edits`` column stores, one Python object per edit. ``ours / peer``
is our characters per second over the peer's: above 1 we are faster. The glitchlings
``batch`` rows run on a rayon thread pool (one thread per core), every other tool on one thread.

Also timed, on the same corpus and batches: the recipes no peer has an equivalent for
(``rtt``, and the recipes the bundled noise profiles ``seed`` and ``mt`` make), at their own
level, with no calibration and no peer: characters per second, the CER they reach, and their
speed over our ``typo`` row at CER 0.05 of the same run.

Also measured: where our time goes per batch (joining the batch and finding its words, the
operations, the edit columns, assembling the garbled texts), the fixed part (a level so small
that no word is picked) and the cost per edit; with ``--profile``, a cProfile of each recipe at
CER 0.05 (``results/noise_profile.txt``).

Results: ``results/noise.json`` and the table ``results/noise.md``. Peers are in the bench
extra only; a missing one is listed with its reason and skipped.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import platform
import pstats
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, fields
from importlib import metadata
from typing import Any

from benchmarks.common import PROJECT_DIR, RESULTS, corpus_path, write_result
from benchmarks.noise_peers import Peer, peers_for
from builder.core.metrics import cer
from builder.noise import Recipe, load_recipe
from builder.profile.estimate import Profile
from builder.profile.to_recipe import recipe_from_profile

FAMILIES = ("typo", "ocr")  # our recipe of each name, compared with the peers of that family
TARGETS = (0.02, 0.05, 0.10)
PROFILE_TARGET = 0.05
OURS = "ours"
OURS_ROWS = "ours + edit rows"
BATCH = 64  # documents per call, the pipeline's runner.batch_size
#: Timed at their own level only (no peer has their operations): bundled recipes by name,
#: and ``profile:<name>`` for the recipe a bundled noise profile makes.
RECIPES = ("rtt", "profile:seed", "profile:mt")
REFERENCE = ("typo", 0.05)  # the row (family, target CER) the recipe rows are compared with


# ---------------------------------------------------------------------------- text


@dataclass
class Corpus:
    """Clean documents, their ids and the sentence spans our recipes garble inside."""

    name: str
    doc_ids: list[str]
    texts: list[str]
    spans: list[list[tuple[int, int]]]
    segment_seconds: float = 0.0

    @property
    def chars(self) -> int:
        return sum(len(t) for t in self.texts)

    def head(self, max_chars: int) -> Corpus:
        """The first documents, up to about ``max_chars`` characters (at least one)."""
        n, total = 0, 0
        while n < len(self.texts) and (n == 0 or total + len(self.texts[n]) <= max_chars):
            total += len(self.texts[n])
            n += 1
        return Corpus(self.name, self.doc_ids[:n], self.texts[:n], self.spans[:n])


def segment(texts: Sequence[str]) -> tuple[list[list[tuple[int, int]]], float]:
    """Sentence spans of each text, as the pipeline's segment stage makes them, and the time taken."""
    from builder.text.segment import Segmenter

    segmenter = Segmenter()
    start = time.perf_counter()
    spans = [[(s.start, s.end) for s in segmenter.split(text)] for text in texts]
    return spans, time.perf_counter() - start


def make_corpus(name: str, doc_ids: Sequence[str], texts: Sequence[str]) -> Corpus:
    spans, seconds = segment(texts)
    return Corpus(name, list(doc_ids), list(texts), spans, seconds)


def load_corpus(max_chars: int) -> Corpus:
    """News documents in file order, up to about ``max_chars`` characters of text."""
    path, name = corpus_path()
    doc_ids, texts, total = [], [], 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            text = record.get("text") or ""
            if not text.strip():
                continue
            if texts and total + len(text) > max_chars:
                break
            doc_ids.append(str(record.get("id", len(doc_ids))))
            texts.append(text)
            total += len(text)
    return make_corpus(name, doc_ids, texts)


# ---------------------------------------------------------------------------- tools


class OurRecipe:
    """One of our recipes in the peers' form; ``rate`` is the recipe's ``level``.

    ``garble`` runs ``Recipe.apply_columns`` on batches of the documents with the sentence
    spans its corpus already holds (it accepts only the texts of the corpora it was given);
    every edit is recorded as columns, and with ``edit_rows`` also turned into the dicts the
    ``edits`` column stores.
    """

    rate_name = "level"
    rate_range = (0.0, 1.0)
    threads = 1

    def __init__(self, recipe: str | Recipe, *corpora: Corpus, edit_rows: bool = False):
        self.recipe = load_recipe(recipe) if isinstance(recipe, str) else recipe
        self.name = OURS_ROWS if edit_rows else OURS
        self.family = self.recipe.name
        self.edit_rows = edit_rows
        self._corpora = corpora  # keeps the texts alive, so their ids stay theirs
        self._docs = {
            id(text): (doc_id, spans)
            for c in corpora
            for doc_id, text, spans in zip(c.doc_ids, c.texts, c.spans, strict=True)
        }
        self.edits = 0  # edits made by the last call

    def _doc(self, text: str) -> tuple[str, list[tuple[int, int]]]:
        try:
            return self._docs[id(text)]
        except KeyError:
            raise KeyError(f"{self.name}: a text of no corpus it was given ({text[:40]!r}...)") from None

    def available(self) -> tuple[bool, str]:
        return True, ""

    def parameters(self, rate: float) -> dict[str, Any]:
        return {"recipe": self.recipe.name, "level": rate}

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "family": self.family,
            "library": "garble-builder",
            "version": _version("garble-builder"),
            "rate_name": self.rate_name,
            "rate_range": list(self.rate_range),
            "threads": self.threads,
            "how": f"Recipe.apply_columns, {BATCH} documents a call, recipe {self.recipe.name!r}, every edit "
            "recorded as columns (doc, op, start, end, before, after)"
            + (" and turned into row dicts" if self.edit_rows else ""),
        }

    def garble(self, texts: Sequence[str], rate: float, seed: int) -> list[str]:
        """Batches of ``BATCH`` documents through ``Recipe.apply_columns``, as the pipeline's
        noise stage calls it: the garbled texts, every edit recorded."""
        recipe = self.recipe.with_level(rate)
        doc = self._docs.get
        out: list[str] = []
        n_edits = 0
        for b in range(0, len(texts), BATCH):
            chunk = texts[b : b + BATCH]
            meta = [doc(id(t)) or self._doc(t) for t in chunk]
            garbled, columns = recipe.apply_columns(chunk, [m[1] for m in meta], seed, [m[0] for m in meta])
            if self.edit_rows:
                n_edits += sum(map(len, columns.rows()))
            else:
                n_edits += len(columns)
            out += garbled
        self.edits = n_edits
        return out


Tool = Peer | OurRecipe


# ---------------------------------------------------------------------------- calibration


def corpus_cer(garbled: Sequence[str], clean: Sequence[str]) -> float:
    """CER of a whole set of texts: total edit distance over total clean characters."""
    if len(garbled) != len(clean):
        raise ValueError(f"{len(garbled)} garbled texts for {len(clean)} clean ones")
    distance = sum(cer(g, c) * max(1, len(c)) for g, c in zip(garbled, clean, strict=True))
    return distance / max(1, sum(max(1, len(c)) for c in clean))


@dataclass
class Calibration:
    """The rate found for a target CER and what the search saw on the way."""

    target: float
    rate: float
    cer: float
    reachable: bool
    evaluations: list[tuple[float, float]] = field(default_factory=list)  # (rate, cer) in order tried

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["evaluations"] = [[round(r, 6), round(c, 6)] for r, c in self.evaluations]
        return d


def calibrate(
    garble: Callable[[float], Sequence[str]],
    clean: Sequence[str],
    target: float,
    rate_range: tuple[float, float] = (0.0, 1.0),
    iterations: int = 14,
    tolerance: float = 0.02,
) -> Calibration:
    """Bisect ``rate`` in ``rate_range`` until ``corpus_cer(garble(rate), clean)`` is within
    ``tolerance`` (relative) of ``target``, or ``iterations`` rates have been tried.

    CER is taken to grow with the rate (noisily: each rate is one random draw). The rate of
    the closest evaluation is returned. If even the top of the range falls short of the
    target, that top is returned with ``reachable=False``.
    """
    if target <= 0:
        raise ValueError(f"target CER must be > 0, not {target}")
    lo, hi = rate_range
    seen: list[tuple[float, float]] = []

    def measure(rate: float) -> float:
        value = corpus_cer(garble(rate), clean)
        seen.append((rate, value))
        return value

    top = measure(hi)
    if top < target * (1 - tolerance):
        return Calibration(target, hi, top, False, seen)
    for _ in range(iterations - 1):
        if abs(seen[-1][1] - target) <= tolerance * target:
            break
        mid = (lo + hi) / 2
        if measure(mid) < target:
            lo = mid
        else:
            hi = mid
    rate, value = min(seen, key=lambda rc: (abs(rc[1] - target), rc[0]))
    return Calibration(target, rate, value, True, seen)


# ---------------------------------------------------------------------------- timing


def time_runs(fn: Callable[[], Any], runs: int = 3, warmup: Callable[[], Any] | None = None) -> tuple[list[float], Any]:
    """Seconds of each of ``runs`` calls of ``fn`` (after one call of ``warmup``) and the last result."""
    if warmup is not None:
        warmup()
    seconds, result = [], None
    for _ in range(runs):
        result = None
        gc.collect()
        start = time.perf_counter()
        result = fn()
        seconds.append(time.perf_counter() - start)
    return seconds, result


def measure_tool(
    tool: Tool,
    corpus: Corpus,
    sample: Corpus,
    target: float,
    seed: int,
    runs: int,
    warmup_docs: int,
    tolerance: float = 0.02,
) -> dict[str, Any]:
    """Calibrate ``tool`` to ``target`` on ``sample``, then time it on ``corpus``."""
    cal = calibrate(
        lambda rate: tool.garble(sample.texts, rate, seed), sample.texts, target, tool.rate_range, tolerance=tolerance
    )
    seconds, garbled = time_runs(
        lambda: tool.garble(corpus.texts, cal.rate, seed),
        runs,
        warmup=lambda: tool.garble(corpus.texts[:warmup_docs], cal.rate, seed),
    )
    median = statistics.median(seconds)
    row = {
        "tool": tool.name,
        "family": tool.family,
        "target_cer": target,
        "rate_name": tool.rate_name,
        "rate": round(cal.rate, 6),
        "parameters": tool.parameters(round(cal.rate, 6)),
        "reachable": cal.reachable,
        "cer_sample": round(cal.cer, 5),
        "cer": round(corpus_cer(garbled, corpus.texts), 5),
        "seconds": [round(s, 6) for s in seconds],
        "median_seconds": round(median, 6),
        "chars_per_second": round(corpus.chars / median),
        "threads": tool.threads,
        "calibration": cal.as_dict(),
    }
    if isinstance(tool, OurRecipe):
        row["edits"] = tool.edits
    return row


def load_named_recipe(name: str) -> tuple[Recipe, str]:
    """The recipe ``name`` of ``RECIPES`` and how it was made."""
    if name.startswith("profile:"):
        profile = name.removeprefix("profile:")
        how = f"recipe_from_profile(Profile.load({profile!r})).recipe"
        return recipe_from_profile(Profile.load(profile)).recipe, how
    return load_recipe(name), f"load_recipe({name!r})"


def measure_recipe(
    name: str, corpus: Corpus, seed: int, runs: int, warmup_docs: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Time the recipe ``name`` at its own level on ``corpus``, the way ``measure_tool`` times
    our calibrated rows (same batches, warm-up and runs): its row and its tool description."""
    recipe, how = load_named_recipe(name)
    tool = OurRecipe(recipe, corpus)
    seconds, garbled = time_runs(
        lambda: tool.garble(corpus.texts, recipe.level, seed),
        runs,
        warmup=lambda: tool.garble(corpus.texts[:warmup_docs], recipe.level, seed),
    )
    median = statistics.median(seconds)
    row = {
        "recipe": name,
        "name": recipe.name,
        "level": round(recipe.level, 6),
        "ops": len(recipe.ops),
        "cer": round(corpus_cer(garbled, corpus.texts), 5),
        "edits": tool.edits,
        "seconds": [round(s, 6) for s in seconds],
        "median_seconds": round(median, 6),
        "chars_per_second": round(corpus.chars / median),
        "threads": tool.threads,
    }
    describe = tool.describe() | {"name": name, "family": "recipe", "how": f"{how}; {tool.describe()['how']}"}
    return row, describe


def add_reference_ratios(recipes: list[dict[str, Any]], rows: list[dict[str, Any]]) -> None:
    """Give each recipe row ``over_typo``: its chars/s over our ``REFERENCE`` row's (None without one)."""
    family, target = REFERENCE
    ref = next((r for r in rows if (r["tool"], r["family"], r["target_cer"]) == (OURS, family, target)), None)
    for r in recipes:
        r["over_typo"] = round(r["chars_per_second"] / ref["chars_per_second"], 4) if ref else None


# ---------------------------------------------------------------------------- our engine


def _median_seconds(fn: Callable[[], Any], runs: int = 3) -> float:
    fn()
    return statistics.median(time_runs(fn, runs)[0])


@dataclass(frozen=True)
class _Clocked(Recipe):
    """A recipe that notes when its operations start and end, and the words they saw: the
    public calls (``edit_columns``, ``apply_columns``) split at their call of ``Recipe.run_ops``."""

    marks: list[float] = field(default_factory=list, compare=False, repr=False)
    words: list[int] = field(default_factory=list, compare=False, repr=False)

    @classmethod
    def of(cls, recipe: Recipe) -> _Clocked:
        return cls(**{f.name: getattr(recipe, f.name) for f in fields(Recipe)})

    def run_ops(self, ctx: Any) -> Any:
        self.marks.append(time.perf_counter())
        parts = super().run_ops(ctx)
        self.marks.append(time.perf_counter())
        self.words.append(ctx.n)
        return parts

    def split(self, call: Callable[[], Any]) -> tuple[float, float, float]:
        """Seconds of ``call`` before, in and after ``run_ops`` (all of it before when the
        batch had no word and the operations did not run)."""
        self.marks.clear()
        start = time.perf_counter()
        call()
        stop = time.perf_counter()
        if not self.marks:
            return stop - start, 0.0, 0.0
        ops_start, ops_end = self.marks
        return ops_start - start, ops_end - ops_start, stop - ops_end


def engine_costs(recipe: Recipe, corpus: Corpus, level: float, seed: int = 0, runs: int = 3) -> dict[str, Any]:
    """Where our time goes, per document, on the path the ``ours`` rows time
    (``Recipe.apply_columns`` on batches of ``BATCH``).

    ``fixed`` is the whole path at a level so small that no word is picked: joining the
    batch, finding its words, the one draw per word; ``per_edit`` is the extra time at
    ``level`` over the edits it made. The stages at ``level``, from the recipe's public
    calls split where they call ``Recipe.run_ops``: ``context`` (``edit_columns`` before
    the operations: joining the batch, the documents' keys and the word context),
    ``operations`` (every operation's edits, as arrays), ``columns`` (``edit_columns``
    after the operations: merging and sorting the edits into ``EditColumns``) and
    ``assemble`` (what ``apply_columns`` adds after the operations: the garbled texts);
    each the best of ``runs`` runs (at least three).
    """
    batches = [
        (corpus.texts[b : b + BATCH], corpus.spans[b : b + BATCH], corpus.doc_ids[b : b + BATCH])
        for b in range(0, len(corpus.texts), BATCH)
    ]
    n_docs = len(corpus.texts)

    def run(at: float) -> Callable[[], int]:
        r = recipe.with_level(at)
        return lambda: sum(len(r.apply_columns(t, s, seed, d)[1]) for t, s, d in batches)

    clocked = _Clocked.of(recipe.with_level(level))

    def staged() -> dict[str, float]:
        stages = dict.fromkeys(("context", "operations", "columns", "after_operations"), 0.0)
        for texts, spans, ids in batches:
            before, ops, after = clocked.split(lambda t=texts, s=spans, d=ids: clocked.edit_columns(t, s, seed, d))
            stages["context"] += before
            stages["operations"] += ops
            stages["columns"] += after
            _, _, after = clocked.split(lambda t=texts, s=spans, d=ids: clocked.apply_columns(t, s, seed, d))
            stages["after_operations"] += after
        return stages

    staged()  # warm up
    clocked.words.clear()
    best: dict[str, float] = {}
    repeats = max(3, runs)  # assemble is a difference of two times: the best of a few, so load cannot flip it
    for _ in range(repeats):
        best = {k: min(v, best.get(k, float("inf"))) for k, v in staged().items()}
    n_words = sum(clocked.words) // (2 * repeats)  # each run saw every word twice
    best["assemble"] = max(0.0, best.pop("after_operations") - best["columns"])
    t_fixed = _median_seconds(run(1e-12), runs)
    t_full = _median_seconds(run(level), runs)
    n_edits = run(level)()
    per_edit = (t_full - t_fixed) / max(1, n_edits)
    us = 1e6
    return {
        "recipe": recipe.name,
        "level": round(level, 6),
        "docs": n_docs,
        "batch": BATCH,
        "chars_per_doc": round(corpus.chars / max(1, n_docs)),
        "words_per_doc": round(n_words / max(1, n_docs), 1),
        "edits_per_doc": round(n_edits / max(1, n_docs), 2),
        "ops": len(recipe.ops),
        "us_per_doc": round(t_full / n_docs * us, 1),
        "us_per_doc_fixed": round(t_fixed / n_docs * us, 1),
        **{f"us_per_doc_{name}": round(seconds / n_docs * us, 1) for name, seconds in best.items()},
        "us_per_edit": round(per_edit * us, 3),
        "fixed_share": round(t_fixed / t_full, 3) if t_full else None,
    }


def profile_recipe(recipe: Recipe, corpus: Corpus, level: float, seed: int = 0, top: int = 30) -> str:
    """A cProfile of ``recipe`` on ``corpus`` at ``level`` (``Recipe.apply_columns`` on batches of
    ``BATCH``): the top functions by own time."""
    r = recipe.with_level(level)
    profiler = cProfile.Profile()
    profiler.enable()
    for b in range(0, len(corpus.texts), BATCH):
        r.apply_columns(corpus.texts[b : b + BATCH], corpus.spans[b : b + BATCH], seed, corpus.doc_ids[b : b + BATCH])
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return f"== {recipe.name} at level {level:.4f} on {corpus.chars:,} characters\n" + out.getvalue()


# ---------------------------------------------------------------------------- report


def _version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        if distribution == "garble-builder":  # run from the work tree without an install
            import re

            found = re.search(r'^version = "([^"]+)"', (PROJECT_DIR / "pyproject.toml").read_text(), re.M)
            return f"{found.group(1)} (work tree)" if found else None
        return None


def add_ratios(rows: list[dict[str, Any]]) -> None:
    """Give each row ``ours_over_peer`` (and ``ours_rows_over_peer``): our chars/s over its own,
    at the same family and target."""
    ours = {(r["family"], r["target_cer"]): r for r in rows if r["tool"] == OURS}
    ours_rows = {(r["family"], r["target_cer"]): r for r in rows if r["tool"] == OURS_ROWS}
    for r in rows:
        key = (r["family"], r["target_cer"])
        for name, base in (("ours_over_peer", ours), ("ours_rows_over_peer", ours_rows)):
            r[name] = round(base[key]["chars_per_second"] / r["chars_per_second"], 3) if key in base else None


def summarise(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per family and target: the fastest peer and our ratio to it."""
    out = []
    keys = sorted({(r["family"], r["target_cer"]) for r in rows}, key=lambda k: (FAMILIES.index(k[0]), k[1]))
    for family, target in keys:
        peers = [
            r for r in rows if (r["family"], r["target_cer"]) == (family, target) and r["tool"] not in (OURS, OURS_ROWS)
        ]
        ours = next((r for r in rows if (r["family"], r["target_cer"], r["tool"]) == (family, target, OURS)), None)
        if not peers or ours is None:
            continue
        single = [p for p in peers if p["threads"] == 1] or peers
        fastest = max(single, key=lambda p: p["chars_per_second"])
        fastest_any = max(peers, key=lambda p: p["chars_per_second"])
        out.append(
            {
                "family": family,
                "target_cer": target,
                "ours_chars_per_second": ours["chars_per_second"],
                "fastest_single_thread_peer": fastest["tool"],
                "ours_over_fastest_single_thread": fastest["ours_over_peer"],
                "fastest_peer": fastest_any["tool"],
                "ours_over_fastest": fastest_any["ours_over_peer"],
                "faster_than_every_peer": all(p["ours_over_peer"] > 1 for p in peers),
            }
        )
    return out


def _rate(row: dict[str, Any]) -> str:
    text = f"{row['rate_name']}={row['rate']:.4g}"
    return text if row["reachable"] else text + " (max: target not reached)"


def _ratio(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def markdown(result: dict[str, Any]) -> str:
    corpus = result["corpus"]
    lines = [
        "# Garbling speed at the same CER",
        "",
        f"{corpus['chars']:,} characters in {corpus['docs']:,} documents of {corpus['name']}; "
        f"calibrated on the first {result['sample']['chars']:,} characters; median of {result['runs']} runs after a "
        f"warm-up; one process, {result['when']}, Python {result['python']} on {result['machine']} "
        f"({result['cpus']} CPUs). `ours / peer` > 1: we are faster. Batch rows run on {result['cpus']} threads, "
        "all others on one.",
        "",
        "| family | target CER | tool | rate | CER (sample) | CER (all) | chars/s | ours / peer | ours+rows / peer |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in result["rows"]:
        lines.append(
            f"| {r['family']} | {r['target_cer']:.2f} | {r['tool']} | {_rate(r)} | {r['cer_sample']:.4f} | "
            f"{r['cer']:.4f} | {r['chars_per_second']:,} | {_ratio(r['ours_over_peer'])} | "
            f"{_ratio(r['ours_rows_over_peer'])} |"
        )
    if result["summary"]:
        lines += [
            "",
            "## Against the fastest peer",
            "",
            "| family | target CER | ours chars/s | fastest 1-thread peer | ours / it | fastest peer | ours / it |",
            "|---|---|---|---|---|---|---|",
        ]
        for s in result["summary"]:
            lines.append(
                f"| {s['family']} | {s['target_cer']:.2f} | {s['ours_chars_per_second']:,} | "
                f"{s['fastest_single_thread_peer']} | {s['ours_over_fastest_single_thread']:.2f} | "
                f"{s['fastest_peer']} | {s['ours_over_fastest']:.2f} |"
            )
    if result["engine_costs"]:
        lines += [
            "",
            "## Our time per document",
            "",
            f"On batches of {BATCH} documents. Fixed: no word picked. Stages at the level (each the best of the "
            "runs): context (joining the batch, finding its words), operations, columns (merging the edits), "
            "assemble (the garbled texts).",
            "",
            "| recipe | level | chars/doc | words/doc | edits/doc | µs/doc | fixed µs/doc | context | operations | "
            "columns | assemble | µs/edit | fixed share |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for c in result["engine_costs"]:
            lines.append(
                f"| {c['recipe']} | {c['level']:.4f} | {c['chars_per_doc']:,} | {c['words_per_doc']} | "
                f"{c['edits_per_doc']} | {c['us_per_doc']} | {c['us_per_doc_fixed']} | {c['us_per_doc_context']} | "
                f"{c['us_per_doc_operations']} | {c['us_per_doc_columns']} | {c['us_per_doc_assemble']} | "
                f"{c['us_per_edit']} | {c['fixed_share']} |"
            )
    if result.get("recipes"):
        family, target = REFERENCE
        lines += [
            "",
            "## Other recipes at their own level",
            "",
            f"No peer has their operations: no calibration, each at the level it comes with. Same corpus, batches "
            f"and runs as above. `/ {family}`: chars/s over ours for {family} at CER {target:.2f} in this run.",
            "",
            f"| recipe | level | operations | CER (all) | edits/doc | chars/s | / {family} |",
            "|---|---|---|---|---|---|---|",
        ]
        docs = max(1, corpus["docs"])
        for r in result["recipes"]:
            ratio = "" if r["over_typo"] is None else f"{r['over_typo']:.4f}"
            lines.append(
                f"| {r['recipe']} | {r['level']:.4g} | {r['ops']} | {r['cer']:.4f} | {r['edits'] / docs:.1f} | "
                f"{r['chars_per_second']:,} | {ratio} |"
            )
    lines += ["", "## Tools", ""]
    for t in result["tools"]:
        how = t["how"].rstrip(".")
        lines.append(f"- {t['family']}: {t['name']} ({t['library']} {t['version']}): {how}; knob `{t['rate_name']}`.")
    for name, reason in result["skipped"].items():
        lines.append(f"- skipped {name}: {reason}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------- main


def run(
    corpus: Corpus,
    sample: Corpus,
    families: Sequence[str] = FAMILIES,
    targets: Sequence[float] = TARGETS,
    peers: bool | Sequence[str] = True,
    runs: int = 3,
    seed: int = 0,
    warmup_docs: int = 100,
    costs: bool = True,
    progress: Callable[[str], None] | None = print,
    recipes: Sequence[str] = RECIPES,
) -> dict[str, Any]:
    """The benchmark on ``corpus`` (timed) and ``sample`` (calibrated on), as a result dict.

    ``peers``: True for all, False for none, or the names of the ones to run. ``recipes``:
    the ones of ``RECIPES`` to time at their own level.
    """
    say = progress or (lambda _msg: None)
    rows: list[dict[str, Any]] = []
    tools: dict[str, dict[str, Any]] = {}
    skipped: dict[str, str] = {}
    engine: list[dict[str, Any]] = []
    for family in families:
        recipe = load_recipe(family)
        candidates: list[Tool] = [OurRecipe(recipe, corpus, sample), OurRecipe(recipe, corpus, sample, edit_rows=True)]
        if peers:
            chosen = peers_for(family)
            if not isinstance(peers, bool):
                chosen = [p for p in chosen if p.name in peers]
            candidates += chosen
        for tool in candidates:
            ok, reason = tool.available()
            if not ok:
                skipped[tool.name] = reason
                say(f"skip {tool.name}: {reason}")
                continue
            tools[f"{family}/{tool.name}"] = tool.describe()
            for target in targets:
                say(f"{family} @ CER {target}: {tool.name}")
                rows.append(measure_tool(tool, corpus, sample, target, seed, runs, warmup_docs))
                say(
                    f"  {rows[-1]['rate_name']}={rows[-1]['rate']:.4g} cer={rows[-1]['cer']:.4f} "
                    f"{rows[-1]['chars_per_second'] / 1e6:.2f} M chars/s"
                )
        if costs:
            ours = [r for r in rows if r["tool"] == OURS and r["family"] == family]
            at = min(ours, key=lambda r: abs(r["target_cer"] - PROFILE_TARGET)) if ours else None
            if at is not None:
                engine.append(engine_costs(recipe, corpus, at["rate"], seed, runs) | {"target_cer": at["target_cer"]})
    add_ratios(rows)
    extra: list[dict[str, Any]] = []
    for name in recipes:
        say(f"{name} at its own level")
        row, tools[name] = measure_recipe(name, corpus, seed, runs, warmup_docs)
        extra.append(row)
        say(f"  level={row['level']:.4g} cer={row['cer']:.4f} {row['chars_per_second'] / 1e6:.3f} M chars/s")
    add_reference_ratios(extra, rows)
    return {
        "corpus": {
            "name": corpus.name,
            "docs": len(corpus.texts),
            "chars": corpus.chars,
            "segment_seconds": round(corpus.segment_seconds, 3),
        },
        "sample": {"docs": len(sample.texts), "chars": sample.chars},
        "targets": list(targets),
        "runs": runs,
        "seed": seed,
        "warmup_docs": warmup_docs,
        "cpus": _cpus(),
        "platform": platform.platform(),
        "versions": {
            d: _version(d) for d in ("garble-builder", "numpy", "rapidfuzz", "nlpaug", "textnoisr", "glitchlings")
        },
        "tools": list(tools.values()),
        "skipped": skipped,
        "rows": rows,
        "summary": summarise(rows),
        "engine_costs": engine,
        "recipes": extra,
    }


def _cpus() -> int:
    import os

    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--max-chars", type=int, default=3_000_000, help="characters of news to time on")
    ap.add_argument("--sample-chars", type=int, default=200_000, help="characters to calibrate on")
    ap.add_argument("--targets", type=float, nargs="+", default=list(TARGETS))
    ap.add_argument("--families", nargs="+", default=list(FAMILIES), choices=FAMILIES)
    ap.add_argument("--peers", nargs="*", default=None, help="peer names to run (default all; none: ours only)")
    ap.add_argument("--recipes", nargs="*", default=list(RECIPES), choices=RECIPES, help="timed at their own level")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--profile", action="store_true", help="also write a cProfile of each recipe at CER 0.05")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(list(argv) if argv is not None else [])
    say = None if args.quiet else (lambda msg: print(msg, flush=True))

    corpus = load_corpus(args.max_chars)
    sample = corpus.head(args.sample_chars)
    peers: bool | list[str] = True if args.peers is None else (list(args.peers) if args.peers else False)
    result = run(
        corpus, sample, args.families, args.targets, peers, args.runs, args.seed, progress=say, recipes=args.recipes
    )
    path = write_result("noise", result)
    result = json.loads(path.read_text())  # with write_result's provenance fields
    (RESULTS / "noise.md").write_text(markdown(result))
    if args.profile:
        texts = []
        for family in args.families:
            row = next(
                (
                    r
                    for r in result["rows"]
                    if r["tool"] == OURS and r["family"] == family and r["target_cer"] == PROFILE_TARGET
                ),
                None,
            )
            level = (
                row["rate"]
                if row
                else calibrate(
                    lambda rate, f=family: OurRecipe(f, sample).garble(sample.texts, rate, args.seed),
                    sample.texts,
                    PROFILE_TARGET,
                ).rate
            )
            texts.append(profile_recipe(load_recipe(family), corpus, level, args.seed))
        (RESULTS / "noise_profile.txt").write_text("\n\n".join(texts))
    return result


if __name__ == "__main__":
    main(sys.argv[1:])
