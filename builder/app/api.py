"""The Python API: garble text, align sentences, estimate a noise profile, build a
dataset, and garble a ``datasets.Dataset`` already in memory.

    from builder import align, build, estimate_profile, garble, garble_batch

    garble("The minister said on Monday.", recipe="typo", level=0.3, seed=1)
    align(garbled_text, clean_text)                  # sentence groups with scores
    build(["source.include_lee=false"])              # the dataset folder and its DatasetDict
    garble(texts, recipe=estimate_profile(pairs))    # garble like real pairs are garbled
    ds.map(Garbler(recipe="ocr", seed=1), batched=True)

``align`` is ``builder.align.texts``'s, exported here with the rest. The command-line
tools (``python -m builder.noise``, ``.align``, ``.profile``) are thin
wrappers over these functions. Every function imports what it needs when it is called
(NLTK, SciPy, Hydra, ``datasets``), so importing this module costs next to nothing and a
tool that needs none of them starts at once.

Randomness is keyed, never sequential: an edit is drawn from (seed, doc_id, word), so a
text garbles the same way alone or in a batch, in any order, worker or process. By
default a text's doc_id is a hash of its content, so equal texts garble equally
wherever they are; give ``doc_ids`` (or ``id_column``) to garble them differently.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias, overload

from builder.align.texts import AlignedGroup, align, iter_align, split_sentences

if TYPE_CHECKING:
    from datasets import DatasetDict, Features

    from builder.core.edits import Edit
    from builder.noise.recipe import Recipe
    from builder.profile.estimate import Profile

__all__ = [
    "AlignedGroup",
    "Built",
    "Garbled",
    "Garbler",
    "align",
    "build",
    "content_id",
    "estimate_profile",
    "garble",
    "garble_batch",
    "iter_align",
    "split_sentences",
]

#: Where a recipe goes: a name from ``builder/conf/noise`` ("ocr", "typo", "mixed", "rtt",
#: "names", "none", "profile"), a ``Recipe``, a noise ``Profile``, or a mapping written
#: like a ``noise`` config section.
RecipeLike: TypeAlias = "str | Recipe | Profile | Mapping[str, Any]"


# -- garbling --------------------------------------------------------------------------------------------------------


@dataclass
class Garbled:
    """One garbled text: the text given, the text garbled, and every edit between them
    (``builder.core.edits.replay(clean, edits) == garbled``), so a pair can be checked
    or its noise counted by operation."""

    clean: str
    garbled: str
    edits: list[Edit]
    recipe: str  # the recipe's name (a profile's recipe is "profile:<name>")
    doc_id: str  # what the random draws were keyed by, with the seed

    def as_dict(self) -> dict[str, Any]:
        """Plain data (edits as dicts), e.g. for JSON."""
        return {
            "clean": self.clean,
            "garbled": self.garbled,
            "edits": [e.as_dict() for e in self.edits],
            "recipe": self.recipe,
            "doc_id": self.doc_id,
        }


def content_id(text: str) -> str:
    """The default doc_id: a stable hash of the text (the same on every machine and run),
    the one ``python -m builder.noise`` uses, so API and tool garble a text alike."""
    from builder.core.seeding import stable_hex

    return stable_hex(text)


@overload
def garble(
    texts: str,
    recipe: RecipeLike = ...,
    level: float | None = ...,
    seed: int = ...,
    *,
    doc_ids: str | Sequence[str] | None = ...,
    segment: bool = ...,
) -> Garbled: ...


@overload
def garble(
    texts: Sequence[str],
    recipe: RecipeLike = ...,
    level: float | None = ...,
    seed: int = ...,
    *,
    doc_ids: str | Sequence[str] | None = ...,
    segment: bool = ...,
) -> list[Garbled]: ...


def garble(
    texts: str | Sequence[str],
    recipe: RecipeLike = "ocr",
    level: float | None = None,
    seed: int = 0,
    *,
    doc_ids: str | Sequence[str] | None = None,
    segment: bool = True,
) -> Garbled | list[Garbled]:
    """Garble one text (a ``Garbled``) or many (a list, in order), recording every edit.

    ``recipe``: see ``RecipeLike``; ``level`` replaces the recipe's own (about the share of
    words an edit touches; for a profile, a scale of its rates, 1 = as estimated).
    ``segment=True`` cuts each text into sentences as the build does, so the sentence
    operations of a recipe (split, merge, drop, caption lines) act as in a built dataset;
    ``segment=False`` takes each text as one span and applies only the word and character
    operations, as ``python -m builder.noise`` does with each line. The text is garbled
    as given (the build normalises it first; see ``builder.text.normalize``).
    """
    single = isinstance(texts, str)
    items = [texts] if single else list(texts)
    for t in items:
        if not isinstance(t, str):
            raise TypeError(f"garble() takes a str or a sequence of str, not a sequence holding {type(t).__name__}")
    ids = _doc_ids(items, doc_ids)
    from builder.app.recipes import resolve_recipe

    made = resolve_recipe(recipe, level)
    garbled, edits = _garble(made, items, int(seed), ids, segment)
    out = [Garbled(t, g, e, made.name, d) for t, g, e, d in zip(items, garbled, edits, ids, strict=True)]
    return out[0] if single else out


def _doc_ids(texts: Sequence[str], doc_ids: str | Sequence[str] | None) -> list[str]:
    if doc_ids is None:
        return [content_id(t) for t in texts]
    ids = [doc_ids] if isinstance(doc_ids, str) else [str(d) for d in doc_ids]
    if len(ids) != len(texts):
        raise ValueError(f"{len(ids)} doc_ids for {len(texts)} texts")
    return ids


def _garble(
    recipe: Recipe, texts: list[str], seed: int, doc_ids: list[str], segment: bool
) -> tuple[list[str], list[list[Edit]]]:
    """The garbled texts and their edits (in each text's coordinates), a batch at a time."""
    if not texts:
        return [], []
    if not segment:
        garbled, columns = recipe.apply_columns(texts, [[(0, len(t))] for t in texts], seed, doc_ids)
        return garbled, columns.edits()
    from builder.noise.document import garble_documents
    from builder.noise.structure import document_edits, garbled_text
    from builder.text.segment import Segmenter

    segmenter = Segmenter()  # the build's default (segment=punkt); Punkt's tables load once
    sentences = [segmenter.split(t) for t in texts]
    pieces = garble_documents(
        recipe,
        texts,
        [[(s.start, s.end) for s in sents] for sents in sentences],
        seed,
        doc_ids,
        [[s.tag for s in sents] for sents in sentences],
    )
    return [garbled_text(p) for p in pieces], [document_edits(p) for p in pieces]


class Garbler:
    """Garbles a column of a ``datasets.Dataset`` batch: give it to ``Dataset.map``.

        ds = ds.map(Garbler(recipe="ocr", seed=1), batched=True)

    Each record's draws are keyed by its ``id_column`` value, or by a hash of its text, so
    a record garbles the same way in any batch size, order or ``num_proc``. Adds
    ``output_column`` (the garbled text; None where the text is None) and ``edits_column``
    (its edits, as dicts of op, start, end, before and after). The recipe is resolved on
    first use and not pickled, so the object is cheap to send to worker processes and
    ``datasets`` fingerprints it by its settings.

    ``datasets`` types new columns from the first batch: if that batch may come out with
    no edit at all (empty texts first, a level near 0), pass
    ``features=garbler.features(ds.features)`` to ``map`` so the edits stay typed.
    """

    def __init__(
        self,
        recipe: RecipeLike = "ocr",
        *,
        level: float | None = None,
        seed: int = 0,
        text_column: str = "text",
        output_column: str = "garbled",
        edits_column: str = "edits",
        id_column: str | None = None,
        segment: bool = True,
    ) -> None:
        self.recipe_spec = recipe
        self.level = level
        self.seed = int(seed)
        self.text_column = text_column
        self.output_column = output_column
        self.edits_column = edits_column
        self.id_column = id_column
        self.segment = segment
        self._recipe: Recipe | None = None

    @property
    def recipe(self) -> Recipe:
        if self._recipe is None:
            from builder.app.recipes import resolve_recipe

            self._recipe = resolve_recipe(self.recipe_spec, self.level)
        return self._recipe

    def __call__(self, batch: Mapping[str, Sequence[Any]]) -> dict[str, list[Any]]:
        texts = list(batch[self.text_column])
        if self.id_column is not None:
            ids = [str(v) for v in batch[self.id_column]]
        else:
            ids = ["" if t is None else content_id(t) for t in texts]
        todo = [i for i, t in enumerate(texts) if t is not None]
        for i in todo:
            if not isinstance(texts[i], str):
                raise TypeError(f"column {self.text_column!r} holds {type(texts[i]).__name__}, not text")
        garbled, edits = _garble(self.recipe, [texts[i] for i in todo], self.seed, [ids[i] for i in todo], self.segment)
        out_text: list[str | None] = [None] * len(texts)
        out_edits: list[list[dict[str, Any]]] = [[] for _ in texts]
        for i, g, e in zip(todo, garbled, edits, strict=True):
            out_text[i] = g
            out_edits[i] = [x.as_dict() for x in e]
        return {self.output_column: out_text, self.edits_column: out_edits}

    def features(self, features: Mapping[str, Any] | None = None) -> Features:
        """``features`` (a dataset's) with the two columns this adds, typed as the
        builder's own rows type them (``builder.core.schema``)."""
        from datasets import Features, List, Value

        from builder.core.schema import EDIT_FEATURES

        out = Features(dict(features or {}))
        out[self.output_column] = Value("string")
        out[self.edits_column] = List(EDIT_FEATURES)
        return out

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_recipe": None}  # made again where it is used

    def __repr__(self) -> str:
        spec = self.recipe_spec if isinstance(self.recipe_spec, str) else type(self.recipe_spec).__name__
        return f"Garbler(recipe={spec!r}, level={self.level!r}, seed={self.seed!r})"


def garble_batch(
    batch: Mapping[str, Sequence[Any]],
    recipe: RecipeLike = "ocr",
    *,
    level: float | None = None,
    seed: int = 0,
    text_column: str = "text",
    output_column: str = "garbled",
    edits_column: str = "edits",
    id_column: str | None = None,
    segment: bool = True,
) -> dict[str, list[Any]]:
    """``Garbler(...)(batch)`` as a function, for ``Dataset.map(garble_batch, batched=True,
    fn_kwargs={...})`` or ``functools.partial``. A recipe given by name is resolved once
    per process; pass a ``Garbler`` to resolve a ``Profile`` only once."""
    settings = dict(
        level=level,
        seed=seed,
        text_column=text_column,
        output_column=output_column,
        edits_column=edits_column,
        id_column=id_column,
        segment=segment,
    )
    if not isinstance(recipe, str):
        return Garbler(recipe, **settings)(batch)
    return _named_garbler(recipe, *settings.items())(batch)


@functools.lru_cache(maxsize=16)
def _named_garbler(recipe: str, *settings: tuple[str, Any]) -> Garbler:
    """A garbler for a recipe name, made once per process and settings."""
    return Garbler(recipe, **dict(settings))


# -- noise profiles --------------------------------------------------------------------------------------------------

PairLike: TypeAlias = "tuple[str, str] | Mapping[str, str] | Garbled"


def estimate_profile(
    pairs: Iterable[PairLike],
    *,
    name: str = "profile",
    per_sentence: bool = False,
    top: int | None = None,
    source: Mapping[str, Any] | None = None,
    progress: Callable[[str, int], Any] | None = None,
) -> Profile:
    """The noise profile of real pairs: the rate of each edit category and the
    substitutions seen, from which ``garble(texts, recipe=profile)`` garbles clean text
    the same way. ``profile.save(path)`` writes it for ``noise=profile noise.path=...``.

    Each pair is ``(garbled, clean)`` (the order of ``align``), a mapping with a
    ``garbled`` (or ``noisy``) and a ``clean`` field, or a ``Garbled``. ``per_sentence``
    cuts each pair into its aligned sentence groups first, so that for a few long
    documents the unevenness of the noise is measured between sentences. ``top``: the
    (before, after) pairs kept per category. ``progress(phase, steps)`` gives what each
    phase after measuring the pairs ticks (``update``, ``close``): a progress bar, say.
    Raises ``ProfileError`` given no pair.
    """
    from builder.profile.estimate import TOP, ProfileBuilder, ProfileError, silent
    from builder.profile.pairs import sentence_pairs

    builder = ProfileBuilder()
    for item in pairs:
        garbled, clean = _pair(item)
        if per_sentence:
            for c, g in sentence_pairs(clean, garbled, builder.measurer):
                builder.add(c, g)
        else:
            builder.add(clean, garbled)
    if not builder.pairs:
        raise ProfileError("no pairs to estimate a noise profile from")
    return builder.finish(name, dict(source or {}), TOP if top is None else top, progress or silent)


def _pair(item: Any) -> tuple[str, str]:
    """(garbled, clean) of one pair, however it is given."""
    if isinstance(item, Mapping):
        from builder.profile.pairs import GARBLED_FIELDS

        key = next((k for k in GARBLED_FIELDS if k in item), None)
        if key is None or "clean" not in item:
            raise ValueError(f"a pair mapping needs a 'clean' and a {' or '.join(map(repr, GARBLED_FIELDS))} field")
        garbled, clean = item[key], item["clean"]
    elif isinstance(item, Garbled):
        garbled, clean = item.garbled, item.clean
    elif isinstance(item, Sequence) and not isinstance(item, str) and len(item) == 2:
        garbled, clean = item
    else:
        raise TypeError(f"a pair is (garbled, clean), a mapping or a Garbled, not {type(item).__name__}")
    if not isinstance(garbled, str) or not isinstance(clean, str):
        raise TypeError("both sides of a pair must be text (str)")
    return garbled, clean


# -- building --------------------------------------------------------------------------------------------------------


@dataclass
class Built:
    """A finished build: its folder, its splits loaded, and its statistics (``stats.json``)."""

    path: Path
    dataset: DatasetDict
    stats: dict[str, Any] = field(default_factory=dict)


def build(overrides: Sequence[str] = (), *, write_root: str | Path | None = None) -> Built:
    """Build a dataset as ``python -m builder <overrides>`` does, and load it.

    ``overrides`` are the command line's (``["source=jsonl", "source.path=news.jsonl",
    "noise=typo"]``); ``write_root`` is where the dataset folder goes (``write.root``,
    default ``data/processed`` under the current directory). The config is composed from
    the packaged configs and checked before anything is read; a wrong key or value is a
    ``ConfigError`` with one line, a build that cannot finish a ``BuildError``. Call it
    outside a running Hydra app (it composes its own config).
    """
    if isinstance(overrides, str):
        raise TypeError(f"build() takes a list of overrides, e.g. [{overrides!r}], not a str")
    overrides = [*overrides]
    if write_root is not None:
        overrides.append(f"write.root={_quoted(str(Path(write_root).expanduser()))}")
    cfg = _compose(overrides)
    from builder.app.build import build as run_build

    result = run_build(cfg)
    from datasets import load_dataset

    return Built(result.path, load_dataset(str(result.path)), result.stats)


def _quoted(value: str) -> str:
    """A Hydra override value that stays one string whatever characters a path has:
    quoted, a quote escaped, and the backslashes Hydra reads as escapes (those before a
    quote or at the end) doubled."""
    value = re.sub(r"(\\*)'", lambda m: m.group(1) * 2 + "\\'", value)
    value = re.sub(r"(\\+)$", lambda m: m.group(1) * 2, value)
    return f"'{value}'"


def _compose(overrides: list[str]) -> Any:
    from hydra import compose, initialize_config_dir

    from builder.app.config import register
    from builder.core.errors import ConfigError
    from builder.core.resources import CONF_DIR

    register()
    try:
        with initialize_config_dir(config_dir=str(CONF_DIR), version_base="1.3"):
            return compose(config_name="config", overrides=overrides)
    except Exception as e:
        first = next((line.strip() for line in str(e).splitlines() if line.strip()), type(e).__name__)
        raise ConfigError(first) from e
