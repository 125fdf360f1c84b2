"""From a noise profile to a recipe that garbles clean text at the profile's rates.

Each category with a rate becomes the operation of the same name. What an operation
does is not exactly its category, as the categoriser sees it: a deleted letter can
leave another dictionary word (a ``word_substitute``), ``word_drop`` drops function
words too. So the profile holds each operation's *response*, measured on the profile's
own clean text: the rate of every category per unit of the operation's probability.
The probabilities are then the bounded least-squares solution of

    sum_op response[category][op] * free[op] * p[op] = rate[category]   (every category)

with each category's error counted relative to its rate, where ``free`` is the share of
words still untaken when the operation's turn comes (earlier operations take words:
``p * capacity * width`` each). The recipe's level is the sum of the ``p`` and each
operation's weight its ``p``, so ``Recipe`` gives every operation exactly its ``p``.
Operations with a ``table`` parameter get the profile's observed pairs of their
category. Sentence categories become the recipe's structure rates.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

from builder.core.categories import CATEGORIES
from builder.core.edits import Edit, replay
from builder.core.seeding import doc_key, rng_for, salt
from builder.noise import bigrams as bigram_tables
from builder.noise.columns import EditColumns
from builder.noise.ops.base import Context, NoiseOp, VectorOp
from builder.noise.recipe import MAX_LEVEL, Batch, Recipe, WeightedOp, make_op
from builder.noise.registry import OPERATIONS
from builder.noise.structure import StructureRates, _merge_region, _split_region
from builder.profile.categorize import FUNCTION_WORDS
from builder.profile.estimate import Profile, Progress, per, silent
from builder.text.segment import Segmenter

#: A category without an operation of its own, and the operation that can stand in.
STAND_INS = {"function_word_insert": "word_insert"}
_STRUCTURE = {
    "split_sentence": "split",
    "merge_sentence": "merge",
    "drop_sentence": "drop",
    "insert_caption": "insert",
}

# Clean news written for this module: capacities of operations a profile did not measure.
REFERENCE_TEXT = (
    "The city council voted on Tuesday to close two libraries, citing a budget gap of $4.2 million. "
    "Mayor Linda Ortiz said the decision was painful but necessary. "
    "Residents packed the hall and several of them asked the council to wait until spring. "
    "Officials in Brussels said the European Union would extend sanctions against Moscow for another six months. "
    "The measures, first imposed in 2014, target banks, energy companies and the defence industry. "
    "Hungary had threatened to block the extension, but its foreign minister, Peter Szijjarto, "
    "dropped his objection late on Monday. "
    "Heavy snow closed schools across northern Japan, and more than 300 flights were cancelled at Sapporo. "
    "The weather agency warned that the storm could bring another 50 centimetres of snow by Thursday. "
    "Shares of the carmaker fell 6% after it cut its sales forecast for the year. "
    "Analysts said demand for electric vehicles had slowed in Europe and China, "
    "while higher interest rates made loans more expensive for buyers. "
    "Police arrested three men in connection with the robbery, which took place in broad daylight. "
    "A spokesman for the force said the investigation was continuing and appealed for witnesses. "
    "The World Health Organization said the number of measles cases had risen sharply in 2023. "
    "Its director-general, Tedros Adhanom Ghebreyesus, urged governments to restore vaccination programmes. "
    "In Kenya, farmers are turning to drought-resistant crops as the rains become less reliable. "
    "The government has promised subsidies, although many farmers say they have yet to see the money."
)


@dataclasses.dataclass(frozen=True)
class ProfiledRecipe(Recipe):
    """A recipe whose operations carry their own probabilities, as a profile needs.

    A plain recipe shares one ``level`` among its operations, so their probabilities add
    up to at most 1. A profile's do not: an operation that can edit only a few words
    (function words after a preposition, quotes) needs a high probability to reach its
    rate, while touching few words. Here each weight *is* the operation's probability,
    and ``level`` is the share of words the recipe is expected to touch (the sum of
    probability times capacity); ``with_level`` scales every probability with it.
    """

    shared_draw = False  # each operation draws its own words, as the solved probabilities assume
    base_level: float = 0.0  # the level the weights are the probabilities at
    dispersion: float = 0.0  # variance of the per-block noise intensity (mean 1); 0: none
    block: int = 1  # sentences sharing one intensity draw

    def probabilities(self) -> list[float]:
        if self.base_level <= 0:
            return [0.0] * len(self.ops)
        factor = self.level / self.base_level
        return [min(1.0, w * factor) for _, w in self.ops]

    def _level_without(self, ops: Sequence[WeightedOp]) -> float:
        """Each weight is its operation's probability: zeroing some changes no other's."""
        return self.level

    def apply_batch(
        self, texts: Sequence[str], spans: Sequence[Sequence[Sequence[int]]], seed: int, doc_ids: Sequence[str]
    ) -> list[list[Edit]]:
        if self.dispersion <= 0:
            return super().apply_batch(texts, spans, seed, doc_ids)
        return [self.apply(t, s, seed, d) for t, s, d in zip(texts, spans, doc_ids, strict=True)]

    def edit_columns(
        self, texts: Sequence[str], spans: Sequence[Sequence[Sequence[int]]], seed: int, doc_ids: Sequence[str]
    ) -> EditColumns:
        if self.dispersion <= 0:
            return super().edit_columns(texts, spans, seed, doc_ids)
        return EditColumns.from_edits(self.apply_batch(texts, spans, seed, doc_ids), self.op_names)

    def apply_columns(
        self, texts: Sequence[str], spans: Sequence[Sequence[Sequence[int]]], seed: int, doc_ids: Sequence[str]
    ) -> tuple[list[str], EditColumns]:
        if self.dispersion <= 0:
            return super().apply_columns(texts, spans, seed, doc_ids)
        edits = self.apply_batch(texts, spans, seed, doc_ids)
        garbled = [replay(t, e) if e else t for t, e in zip(texts, edits, strict=True)]
        return garbled, EditColumns.from_edits(edits, self.op_names)

    def apply(self, text: str, spans: Sequence[Sequence[int]], seed: int, doc_id: str) -> list[Edit]:
        """As ``Recipe.apply``, but each block of sentences draws how noisy it is.

        Real garbling is uneven: one sentence comes back intact, the next is mangled.
        The intensity is Gamma-distributed with mean 1 and the profile's dispersion, so
        the rates stay the profile's and the spread of CER and WER across pairs becomes
        the real one too.
        """
        if self.dispersion <= 0 or self.level <= 0 or not self.ops or not text:
            return Recipe.edit_columns(self, [text], [spans], seed, [doc_id]).edits()[0]
        ordered = sorted((int(s), int(e)) for s, e in spans)
        probabilities = self.probabilities()
        shape = 1.0 / self.dispersion
        edits: list[Edit] = []
        for b in range(0, len(ordered), max(1, self.block)):
            ctx = Context(
                text,
                ordered[b : b + max(1, self.block)],
                self.protect_names,
                (0,),
                [doc_key(seed, doc_id)],
                protect_numbers=self.protect_numbers,
            )
            if ctx.n == 0:
                continue
            self.prepare(ctx)
            intensity = float(rng_for(seed, doc_id, f"noise:intensity:{b}").gamma(shape, 1.0 / shape))
            for index, ((op, _), p) in enumerate(zip(self.ops, probabilities, strict=True)):
                q = min(1.0, p * intensity)
                if q > 0:
                    edits += op.apply(ctx, q, salt(index, op.name, b))
        edits.sort(key=lambda e: (e.start, e.end))
        return edits


class ProfileRecipe(NamedTuple):
    recipe: Recipe
    probabilities: dict[str, float]  # operation -> per-word probability it was given
    missing: list[str]  # categories with a rate and no operation that can produce them
    clamped: bool  # the rates need more edits than there are words


def _table(profile: Profile, category: str) -> list[list]:
    return profile.tables.get(category, [])


def _op_for(profile: Profile, category: str) -> NoiseOp | None:
    """The operation for a category, given the profile's table when it takes one."""
    name = category if category in OPERATIONS else STAND_INS.get(category)
    if name is None or name not in OPERATIONS:
        return None
    params: dict[str, Any] = {}
    if "table" in OPERATIONS[name].params:
        table = _table(profile, category)
        if name != category:  # a stand-in: only the words of its category
            table = [r for r in table if r[1].lower() in FUNCTION_WORDS]
        if table:
            params["table"] = table
    return make_op(name, params)


def profile_ops(profile: Profile, only_rated: bool = True) -> list[tuple[str, NoiseOp]]:
    """(category, operation) for the word and character categories, in category order."""
    out = []
    for category in CATEGORIES:
        if per(category) != "word" or (only_rated and profile.rates.get(category, 0.0) <= 0):
            continue
        op = _op_for(profile, category)
        if op is not None:
            out.append((category, op))
    return out


def _spans(segmenter: Segmenter, text: str) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in segmenter.split(text)]


class Sample:
    """Clean texts to measure operations on, cut into sentences once: the capacity,
    response and calibration passes all read the same sample. Texts with no text are left
    out unless ``keep_empty``."""

    def __init__(self, texts: Sequence[str], keep_empty: bool = False) -> None:
        segmenter = Segmenter()
        self.texts = [t for t in texts if keep_empty or t.strip()]
        self.spans = [_spans(segmenter, t) for t in self.texts]

    @functools.cached_property
    def contexts(self) -> list[Context]:
        """One context per text, reused by every operation (``_fresh`` resets it)."""
        return [Context(t, s) for t, s in zip(self.texts, self.spans, strict=True)]

    @functools.cached_property
    def joined(self) -> Context:
        """All texts in one context, as a recipe joins a batch; every text keyed 0, as a
        context of its own is."""
        batch = Batch.join(self.texts, self.spans)
        return Context(batch.text, batch.spans, False, batch.doc_starts, [0] * len(self.texts), chars=batch.chars)

    @functools.cached_property
    def words(self) -> int:
        return sum(ctx.n for ctx in self.contexts)

    def garble(self, recipe: Recipe, seed: int, prefix: str) -> list[str]:
        """Every text garbled by ``recipe``, text ``k`` as document ``{prefix}-{k}``: in one
        batch, each text as it would come out alone."""
        if not self.texts:
            return []
        ids = [f"{prefix}-{k}" for k in range(len(self.texts))]
        garbled, _ = recipe.apply_columns(self.texts, self.spans, seed, ids)
        return garbled

    def categories(self, recipe: Recipe, seed: int, prefix: str) -> dict[str, int]:
        """How often each category shows in the sample garbled by ``recipe``."""
        from builder.profile.categorize import categorize

        counts: dict[str, int] = {}
        for text, garbled in zip(self.texts, self.garble(recipe, seed, prefix), strict=True):
            for o in categorize(text, garbled):
                counts[o.category] = counts.get(o.category, 0) + 1
        return counts


def _sample(texts: Sequence[str] | Sample) -> Sample:
    return texts if isinstance(texts, Sample) else Sample(texts)


def _fresh(ctx: Context) -> Context:
    """``ctx`` as newly made: nothing taken, claimed or remembered (its words and the
    flags computed from its text stay)."""
    ctx.taken[:] = False
    ctx.taken_spaces.clear()
    ctx.claimed.clear()
    ctx.memo.clear()
    return ctx


def measure_capacity(
    ops: Sequence[tuple[str, NoiseOp]],
    texts: Sequence[str] | Sample,
    seed: int = 0,
    progress: Progress = silent,
) -> dict[str, dict[str, float]]:
    """Per category: the share of words its operation can edit, and the words one edit takes.

    Every eligible word is tried on a fresh context (nothing taken), so the share is
    what the operation could do alone. Sentence categories: the share of sentences a
    split or merge applies to.
    """
    sample = _sample(texts)
    words = sample.words
    out: dict[str, dict[str, float]] = {}
    table = bigram_tables.load(bigram_tables.SHIPPED)
    bar = progress("capacity", len(ops) + 1)
    for category, op in ops:
        if isinstance(op, VectorOp):  # its capacity is an array pass: all texts at once
            out[category] = _share(*_vector_capacity(op, _fresh(sample.joined), table, seed, category), words)
            bar.update()
            continue
        done = taken = 0
        for k, ctx in enumerate(sample.contexts):
            if ctx.n == 0:
                continue
            _fresh(ctx).bigrams = table  # as a recipe gives it: what does not read is not done
            candidates = np.flatnonzero(op.eligible(ctx) & ctx.editable)
            if not candidates.size:
                continue  # nothing to try (and no generator to make)
            draws = rng_for(seed, str(k), f"capacity:{category}").random((len(candidates), op.draws))
            made, width = op.capacity(ctx, candidates, draws)
            done += made
            taken += width
        out[category] = _share(done, taken, words)
        bar.update()
    sentences = split = merge = 0
    for text, spans in zip(sample.texts, sample.spans, strict=True):
        sentences += len(spans)
        split += sum(_split_region(text, s) is not None for s in spans)
        merge += sum(_merge_region(text, a, b, 0.0) is not None for a, b in itertools.pairwise(spans))
    for category, n in (("split_sentence", split), ("merge_sentence", merge)):
        out[category] = {"share": round(n / sentences, 6) if sentences else 0.0, "width": 1.0}
    bar.update()
    bar.close()
    return out


def _share(done: int, taken: int, words: int) -> dict[str, float]:
    """A capacity entry: the share of ``words`` edited, and the words one edit takes."""
    return {"share": round(done / words, 6) if words else 0.0, "width": round(taken / done, 4) if done else 1.0}


def _vector_capacity(op: VectorOp, ctx: Context, table: Any, seed: int, category: str) -> tuple[int, int]:
    """``op.capacity`` over a context of many texts, each text's words with the draws a
    context of its own gives them."""
    if ctx.n == 0:
        return 0, 0
    ctx.bigrams = table
    candidates = np.flatnonzero(op.eligible(ctx) & ctx.editable)
    per_doc = np.bincount(ctx.doc[candidates], minlength=int(ctx.doc[-1]) + 1).tolist()
    draws = [rng_for(seed, str(k), f"capacity:{category}").random((n, op.draws)) for k, n in enumerate(per_doc) if n]
    if not draws:
        return 0, 0
    return op.capacity(ctx, candidates, np.concatenate(draws))


def measure_response(
    ops: Sequence[tuple[str, NoiseOp]],
    texts: Sequence[str] | Sample,
    p: float = 0.1,
    seed: int = 0,
    progress: Progress = silent,
) -> dict[str, dict[str, float]]:
    """Per operation: the rate of each category it produces, per word and per unit of ``p``.

    Each operation garbles the texts alone at probability ``p`` and the result is
    categorised as a real pair would be.
    """
    sample = _sample(texts)
    words = sample.words
    out: dict[str, dict[str, float]] = {}
    bar = progress("response", len(ops))
    for category, op in ops:
        counts = sample.categories(Recipe(category, p, (WeightedOp(op, 1.0),)), seed, "response")
        out[category] = {c: round(n / words / p, 6) for c, n in sorted(counts.items())} if words else {}
        bar.update()
    bar.close()
    return out


def _reference_capacity(ops: Sequence[tuple[str, NoiseOp]]) -> dict[str, dict[str, float]]:
    return measure_capacity(ops, [REFERENCE_TEXT]) if ops else {}


def _solve(
    ops: Sequence[tuple[str, NoiseOp]],
    rates: dict[str, float],
    response: dict[str, dict[str, float]],
    capacity: dict[str, dict[str, float]],
    rounds: int = 4,
) -> list[float]:
    """Per-word probabilities of ``ops`` that best reproduce ``rates`` (see the module doc)."""
    from scipy.optimize import lsq_linear

    categories = [c for c in CATEGORIES if per(c) == "word"]
    target = np.array([rates.get(c, 0.0) for c in categories])
    scale = np.sqrt(np.maximum(target, _RATE_FLOOR))  # a count's standard error grows as its square root
    base = np.array([[response[k].get(c, 0.0) for k, _ in ops] for c in categories])
    p = np.zeros(len(ops))
    for _ in range(rounds):
        taken = np.array([p[j] * capacity[k]["share"] * capacity[k]["width"] for j, (k, _) in enumerate(ops)])
        free = np.maximum(1.0 - np.concatenate([[0.0], np.cumsum(taken)[:-1]]), 0.05)
        a = base * free[None, :]
        p = lsq_linear(a / scale[:, None], target / scale, bounds=(0.0, 1.0), method="bvls").x
    return [float(x) for x in p]


#: Sentence pairs say little about how often a sentence that *could* be split or merged
#: is: few of them have a clause boundary, fewer a neighbour. A structural capacity below
#: this is taken as this, so a handful of merges in sentence pairs does not become a
#: merge of most sentences of an article.
_STRUCTURE_FLOOR = 0.5
#: Errors are weighed as a count's (by the square root of the rate); rates below this
#: count as this, so a category seen once or twice does not steer the solution.
_RATE_FLOOR = 1e-4


def recipe_from_profile(
    profile: Profile,
    scale: float = 1.0,
    name: str | None = None,
    protect_names: bool = False,
    protect_numbers: bool = False,
    bigrams: str = "en",
) -> ProfileRecipe:
    """The recipe reproducing ``profile``; ``scale`` multiplies every rate (1: as estimated)."""
    if not 0 <= scale <= MAX_LEVEL:
        raise ValueError(
            f"noise profile {profile.name!r}: level (the scale of its rates) {scale} is not in [0, {MAX_LEVEL:g}]"
        )
    ops = profile_ops(profile)
    unmeasured = [(c, op) for c, op in ops if c not in profile.capacity]
    capacity = {**_reference_capacity(unmeasured), **profile.capacity}
    response = dict(profile.response)
    for category, _ in ops:
        if category not in response:  # no measured response: the operation makes its own category
            response[category] = {category: capacity.get(category, {}).get("share", 0.0)}
    rates = {c: r * scale * profile.calibration.get(c, 1.0) for c, r in profile.rates.items()}
    ops = [(c, op) for c, op in ops if capacity.get(c, {}).get("share", 0.0) > 0]
    solved = _solve(ops, rates, response, capacity) if ops else []
    probs: dict[str, float] = {}
    weighted: list[WeightedOp] = []
    realised: set[str] = set()
    for (category, op), p in zip(ops, solved, strict=True):
        realised.add(category)  # an operation can make it (p may be 0: others' edits already do)
        if p <= 1e-6:
            continue
        p = round(p, 6)
        probs[op.name] = probs.get(op.name, 0.0) + p
        weighted.append(WeightedOp(op, p))
    touched = sum(p * capacity[c]["share"] for c, p in zip((c for c, _ in ops), solved, strict=True) if p > 1e-6)
    clamped = touched > 1.0
    level = round(min(1.0, touched), 6)
    missing = [c for c in CATEGORIES if per(c) == "word" and profile.rates.get(c, 0.0) > 0 and c not in realised]
    structure = {}
    for category, key in _STRUCTURE.items():
        rate = profile.rates.get(category, 0.0) * scale
        cap = capacity.get(category, {}).get("share", 1.0) if key in ("split", "merge") else 1.0
        structure[key] = round(min(1.0, rate / max(cap, _STRUCTURE_FLOOR)), 6)
    recipe = ProfiledRecipe(
        name or f"profile:{profile.name}",
        level,
        tuple(weighted),
        protect_names,
        StructureRates(**structure),
        protect_numbers,
        intensity=tuple(profile.intensity.get("quantiles") or ()),
        bigrams=bigrams,
        conditioning=tuple((k, tuple(v)) for k, v in profile.conditioning.items()),
        base_level=level,
        dispersion=0.0 if profile.intensity.get("quantiles") else float(profile.intensity.get("dispersion", 0.0)),
        block=max(1, round(profile.intensity.get("sentences", 1.0))),
    )
    return ProfileRecipe(recipe, probs, missing, clamped)


def calibrate(
    profile: Profile, texts: Sequence[str] | Sample, rounds: int = 2, seed: int = 0, progress: Any = None
) -> dict[str, float]:
    """Per category, the factor its target rate needs so the whole recipe, run on ``texts``
    and categorised, hits the profile's rate: what the one-operation-at-a-time responses
    miss when operations compete for words and their edits meet. Continues from the
    profile's own factors. ``progress`` (``update`` and nothing else) is ticked per round.
    """
    sample = _sample(texts)
    words = sample.words
    factors: dict[str, float] = dict(profile.calibration)
    current = profile
    for _ in range(rounds):
        made = recipe_from_profile(current)
        counts = sample.categories(made.recipe, seed, "calibrate")
        for category, op in profile_ops(profile):
            if made.probabilities.get(op.name, 0.0) <= 0:
                continue  # made only by other operations' edits: nothing of its own to scale
            target = profile.rates.get(category, 0.0)
            got = counts.get(category, 0) / words if words else 0.0
            if target > 0 and got > 0:
                factor = factors.get(category, 1.0) * target / got
                factors[category] = round(min(_MAX_FACTOR, max(1 / _MAX_FACTOR, factor)), 4)
        current = dataclasses.replace(profile, calibration=dict(factors))
        if progress is not None:
            progress.update()
    return factors


#: Calibration corrects, it does not rescue: no factor beyond this either way.
_MAX_FACTOR = 2.0


def dispersion_grid(start: float) -> list[float]:
    """The dispersions ``fit_dispersion`` tries, around the estimate ``start``."""
    return sorted({0.0, 0.25, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, round(start, 4)})


def fit_dispersion(
    profile: Profile,
    texts: Sequence[str],
    real_wers: Sequence[float],
    start: float = 1.0,
    seed: int = 0,
    progress: Any = None,
) -> float:
    """The intensity dispersion whose garbling of ``texts`` gives the WER distribution
    closest (Wasserstein) to the real pairs' ``real_wers``: a search over a small grid
    around the method-of-moments estimate ``start``."""
    from scipy.stats import wasserstein_distance

    from builder.core.metrics import wer

    sample = Sample(texts, keep_empty=True)
    best, best_distance = start, float("inf")
    for dispersion in dispersion_grid(start):
        recipe = dataclasses.replace(recipe_from_profile(profile).recipe, dispersion=dispersion)
        garbled = sample.garble(recipe, seed, "dispersion")
        wers = [wer(g, t) for t, g in zip(sample.texts, garbled, strict=True)]
        distance = wasserstein_distance(real_wers, wers)
        if distance < best_distance - 1e-9:
            best, best_distance = dispersion, distance
        if progress is not None:
            progress.update()
    return best
