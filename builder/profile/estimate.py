"""A noise profile: the rate of each edit category in real pairs, and what was substituted.

Rates are per clean word (per clean sentence for the sentence categories), so a
profile estimated on short sentences applies to long articles. Next to the rates the
profile keeps, per category, the observed (before, after) pairs with their counts
(the substitution tables the learned operations draw from), CER and WER summaries,
and each operation's *capacity*: the share of the clean words it is able to edit (a
name operation can only edit names), measured on the profile's own clean text, so a
recipe can turn a per-word rate into the probability its operation needs.

Everything is deterministic: the same pairs give the same file, byte for byte.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from builder.core.categories import CATEGORIES
from builder.core.resources import RESOURCES_DIR
from builder.noise.intensity import quantiles
from builder.profile.categorize import WORD_RE, count_words
from builder.profile.conditioning import ConditioningData
from builder.profile.pairs import SENTENCE_CATEGORIES, PairMeasurer, PairStats

VERSION = 1
QUANTILES = (0.1, 0.25, 0.5, 0.75, 0.9)
#: Bundled profiles: ``noise.path=seed`` names ``builder/resources/profiles/seed.json``.
BUNDLED_DIR = RESOURCES_DIR / "profiles"
#: Words of clean text the operations' capacities and responses are measured on (an even
#: spread of the pairs).
CAPACITY_WORDS = 20_000


#: (before, after) pairs kept per category. Word substitutions are long-tailed: a short
#: table covers few of the words a new text has, so its operation must pick those few
#: far more often than real garbling does, and saturates on the noisiest sentences.
TOP = 10_000
#: From this many pairs on, table rows seen once are pruned (``ProfileBuilder.table``).
PRUNE_PAIRS = 500
#: An intensity variance beyond this (a handful of wildly garbled pairs) is taken as this.
_MAX_DISPERSION = 4.0


#: Told a phase's name and size (steps), gives what the phase ticks: an object with
#: ``update(n=1)`` and ``close()``, such as a progress bar.
Progress = Callable[[str, int], Any]


class _Silent:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


def silent(desc: str, total: int) -> _Silent:
    """A ``Progress`` that shows nothing."""
    return _Silent()


class ProfileError(ValueError):
    """A profile file that cannot be used; the message is one line."""


def per(category: str) -> str:
    """What a category's rate is counted per."""
    return "sentence" if category in SENTENCE_CATEGORIES else "word"


def summary(values: Sequence[float]) -> dict[str, float]:
    """Mean and quantiles, rounded so the file reads well and compares byte for byte."""
    if not len(values):
        return {"mean": 0.0, **{f"q{int(q * 100)}": 0.0 for q in QUANTILES}}
    arr = np.asarray(values, dtype=float)
    out = {"mean": round(float(arr.mean()), 6)}
    for q, v in zip(QUANTILES, np.quantile(arr, QUANTILES).tolist(), strict=True):
        out[f"q{int(q * 100)}"] = round(float(v), 6)
    return out


@dataclass
class Profile:
    name: str
    rates: dict[str, float]  # category -> events per clean word (or sentence)
    counts: dict[str, Any] = field(default_factory=dict)  # pairs, words, sentences, events, groups
    tables: dict[str, list[list]] = field(default_factory=dict)  # category -> [[before, after, count(, seen)]]
    capacity: dict[str, dict[str, float]] = field(default_factory=dict)  # op -> {share, width}
    response: dict[str, dict[str, float]] = field(default_factory=dict)  # op -> {category: rate per unit p}
    calibration: dict[str, float] = field(default_factory=dict)  # category -> factor on its target rate
    #: dispersion of per-pair noise; sentences per pair; quantiles of per-pair intensity
    intensity: dict[str, Any] = field(default_factory=dict)
    cer: dict[str, float] = field(default_factory=dict)
    wer: dict[str, float] = field(default_factory=dict)
    source: dict[str, Any] = field(default_factory=dict)
    version: int = VERSION
    #: feature -> a factor per bucket on a word's odds (``builder.noise.conditioning``)
    conditioning: dict[str, list[float]] = field(default_factory=dict)

    def to_json(self) -> str:
        data = asdict(self)
        data = {"version": data.pop("version"), **data}
        data["per"] = {c: per(c) for c in self.rates}
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"

    def save(self, path: str | Path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(self.to_json(), encoding="utf-8")
        tmp.replace(path)
        return path

    @classmethod
    def from_dict(cls, data: dict[str, Any], where: str = "profile") -> Profile:
        if not isinstance(data, dict) or "rates" not in data:
            raise ProfileError(f"{where}: not a noise profile (no 'rates'; make one with python -m builder.profile)")
        if data.get("version") != VERSION:
            raise ProfileError(f"{where}: profile version {data.get('version')!r}, this builder reads {VERSION}")
        unknown = sorted(set(data["rates"]) - set(CATEGORIES))
        if unknown:
            raise ProfileError(f"{where}: unknown categories {', '.join(unknown)}")
        bad = [c for c, r in data["rates"].items() if not isinstance(r, int | float) or r < 0]
        if bad:
            raise ProfileError(f"{where}: rate of {bad[0]} must be a number >= 0")
        keys = {f.name for f in cls.__dataclass_fields__.values()}  # type: ignore[attr-defined]
        return cls(**{k: v for k, v in data.items() if k in keys})

    @classmethod
    def load(cls, path: str | Path) -> Profile:
        resolved = resolve_path(path)
        try:
            data = json.loads(resolved.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
            raise ProfileError(f"{path}: cannot read the profile ({e})") from None
        return cls.from_dict(data, str(path))


def bundled_profiles() -> list[str]:
    return sorted(p.stem for p in BUNDLED_DIR.glob("*.json"))


def resolve_path(path: str | Path) -> Path:
    """A profile file, or the name of a bundled one (``seed``)."""
    p = Path(path).expanduser()
    if p.is_file():
        return p
    bundled = BUNDLED_DIR / f"{path}.json"
    if "/" not in str(path) and bundled.is_file():
        return bundled
    names = ", ".join(bundled_profiles()) or "none"
    raise ProfileError(f"noise profile {str(path)!r}: no such file (bundled profiles: {names})")


class ProfileBuilder:
    """Accumulates pairs into a profile; ``add`` per pair, ``finish`` once."""

    def __init__(self, measurer: PairMeasurer | None = None) -> None:
        self.measurer = measurer or PairMeasurer()
        self.pairs = 0
        self.identical = 0
        self.words = 0
        self.sentences = 0
        self.events: Counter = Counter()
        self.groups: Counter = Counter()
        self.tables: dict[str, Counter] = {}
        self.vocabulary: Counter = Counter()  # clean words, lower case: how often each was seen
        self.cers: list[float] = []
        self.wers: list[float] = []
        self.clean_texts: list[str] = []
        self.pair_sizes: list[tuple[int, int]] = []  # (clean words, word-level events) per pair
        self.edited = ConditioningData()  # which clean words were changed, by word feature

    def add(self, clean: str, garbled: str) -> PairStats:
        stats = self.measurer.measure(clean, garbled)
        self.add_stats(stats, clean)
        self.edited.add(clean, garbled)
        return stats

    def add_stats(self, stats: PairStats, clean: str) -> None:
        self.pairs += 1
        self.identical += stats.identical
        self.words += stats.words
        self.sentences += stats.sentences
        self.groups.update(stats.groups)
        self.cers.append(stats.cer)
        self.wers.append(stats.wer)
        self.clean_texts.append(clean)
        self.vocabulary.update(m.group().lower() for m in WORD_RE.finditer(clean))
        self.pair_sizes.append((stats.words, sum(n for c, n in stats.counts.items() if per(c) == "word")))
        for o in stats.observations:
            self.events[o.category] += 1
            if o.category not in SENTENCE_CATEGORIES:
                self.tables.setdefault(o.category, Counter())[(o.before, o.after)] += 1

    def add_all(self, pairs: Iterable[tuple[str, str]]) -> ProfileBuilder:
        for clean, garbled in pairs:
            self.add(clean, garbled)
        return self

    def rates(self) -> dict[str, float]:
        out = {}
        for category in CATEGORIES:
            unit = self.sentences if per(category) == "sentence" else self.words
            out[category] = round(self.events[category] / unit, 8) if unit else 0.0
        return out

    def intensity(self) -> dict[str, float]:
        """How unevenly noise falls on pairs: the variance of a per-pair intensity (mean 1)
        that makes word-level edit counts as overdispersed as observed, by the method of
        moments (events ~ Poisson(rate * words * intensity)); and sentences per pair, the
        block of text one intensity covers."""
        if not self.pair_sizes:
            return {"dispersion": 0.0, "sentences": 1.0}
        sizes = np.array(self.pair_sizes, dtype=float)
        words, events = sizes[:, 0], sizes[:, 1]
        rate = events.sum() / max(words.sum(), 1.0)
        expected = rate * words
        denominator = float((expected**2).sum())
        excess = float(((events - expected) ** 2 - expected).sum())
        dispersion = max(0.0, excess / denominator) if denominator > 0 else 0.0
        return {
            "dispersion": round(min(dispersion, _MAX_DISPERSION), 4),
            "sentences": round(self.sentences / self.pairs, 3),
            "quantiles": quantiles(events / np.maximum(words, 1.0), words=np.maximum(words, 1.0)),
        }

    def table(self, category: str, top: int) -> list[list]:
        """The ``top`` most frequent (before, after) pairs of a category, most frequent
        first. From ``PRUNE_PAIRS`` pairs on, a pair seen once is left out: in a large set
        it is more likely an alignment slip or a rare word ("000" -> "patients", a name)
        than a choice real garbling makes, and a synthetic row should not borrow it."""
        least = 2 if self.pairs >= PRUNE_PAIRS else 1
        found = self.tables.get(category, Counter())
        rows = sorted(((k, n) for k, n in found.items() if n >= least), key=lambda kv: (-kv[1], kv[0]))[:top]
        if category == "word_substitute":  # with how often the word occurs, for per-word odds
            return [[b, a, n, self.vocabulary[b.lower()]] for (b, a), n in rows]
        return [[b, a, n] for (b, a), n in rows]

    def finish(
        self, name: str, source: dict[str, Any] | None = None, top: int = TOP, progress: Progress = silent
    ) -> Profile:
        """The profile of the pairs added; ``progress`` is shown the phases after measuring
        (capacity, response, calibrating), the slow part of a large set."""
        tables = {c: self.table(c, top) for c in CATEGORIES if self.tables.get(c)}
        profile = Profile(
            name=name,
            rates=self.rates(),
            counts={
                "pairs": self.pairs,
                "identical_pairs": self.identical,
                "words": self.words,
                "sentences": self.sentences,
                "events": {c: self.events[c] for c in CATEGORIES if self.events[c]},
                "groups": dict(sorted(self.groups.items())),
            },
            tables=tables,
            cer=summary(self.cers),
            wer=summary(self.wers),
            source=dict(source or {}),
            intensity=self.intensity(),
            conditioning=self.edited.factors(),
        )
        from builder.profile.to_recipe import (
            Sample,
            calibrate,
            dispersion_grid,
            fit_dispersion,
            measure_capacity,
            measure_response,
            profile_ops,
        )

        picked = spread(self.clean_texts, CAPACITY_WORDS)
        texts = [excerpt(self.clean_texts[k], CAPACITY_WORDS) for k in picked]
        sample = Sample(texts)
        ops = profile_ops(profile, only_rated=False)
        profile.capacity = measure_capacity(ops, sample, progress=progress)
        profile.response = measure_response(ops, sample, progress=progress)
        # the rates first, then how unevenly they fall on pairs, then the rates again with it
        fit = not profile.intensity.get("quantiles")  # no measured distribution: fit a Gamma's
        bar = progress("calibrating", 3 + (len(dispersion_grid(profile.intensity["dispersion"])) if fit else 0))
        profile.calibration = calibrate(profile, sample, rounds=1, progress=bar)
        if fit:
            profile.intensity["dispersion"] = fit_dispersion(
                profile, texts, [self.wers[k] for k in picked], profile.intensity["dispersion"], progress=bar
            )
        profile.calibration = calibrate(profile, sample, progress=bar)
        bar.close()
        return profile


def spread(texts: Sequence[str], words: int) -> list[int]:
    """Indices of an even spread of ``texts`` adding up to about ``words`` words (all if fewer)."""
    total = sum(count_words(t) for t in texts)
    if total <= words:
        return list(range(len(texts)))
    keep = max(1, int(len(texts) * words / total))
    return np.unique(np.linspace(0, len(texts) - 1, keep).astype(int)).tolist()


def excerpt(text: str, words: int) -> str:
    """The start of ``text`` up to about ``words`` words, ending at a line or sentence end
    where one is near: a book-length pair is measured on a sample of its own size, not
    garbled and categorised whole."""
    ends = (m.end() for k, m in enumerate(WORD_RE.finditer(text)) if k >= words - 1)
    cut = next(ends, None)
    if cut is None:
        return text
    stop = min((i for i in (text.find("\n", cut), text.find(". ", cut)) if i >= 0), default=len(text))
    return text[: stop + 1 if stop - cut <= 2_000 else cut].rstrip()


def estimate(
    pairs: Iterable[tuple[str, str]],
    name: str = "profile",
    source: dict[str, Any] | None = None,
    top: int = TOP,
    measurer: PairMeasurer | None = None,
) -> Profile:
    """The profile of (clean, garbled) pairs."""
    return ProfileBuilder(measurer).add_all(pairs).finish(name, source, top)
