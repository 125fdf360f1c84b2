"""Recipes: named mixes of garbling operations at a noise level.

``level`` is about the share of words an edit touches: each word draws one number, which
picks at most one operation, each with probability ``level * weight / sum(weights)``;
the operation edits the word if it can (a word it cannot edit stays clean). Every draw
is keyed by (seed, doc_id, word), so a document garbles the same way in any batch,
worker or process.

Documents are garbled a batch at a time, joined into one text: the character operations
edit all their words of the batch in array passes, and ``apply_columns`` returns the
garbled texts with every edit as columns (``EditColumns``), with no Python object per
edit. ``apply``, ``apply_batch`` and ``garble`` give the edits as ``Edit`` rows.
"""

from __future__ import annotations

import copy
import dataclasses
import re
import sys
from collections.abc import Mapping, Sequence
from functools import cache
from itertools import chain
from pathlib import Path
from typing import Any, ClassVar, NamedTuple

import numpy as np

from builder.core.edits import Edit
from builder.core.resources import CONF_DIR, ResourceError
from builder.core.seeding import doc_key, salt
from builder.noise import bigrams as bigram_tables
from builder.noise.columns import EditColumns, OpEdits, assemble, columns, merge
from builder.noise.conditioning import check as check_conditioning
from builder.noise.conditioning import weights as conditioning_weights
from builder.noise.intensity import check_quantiles, sentence_weights
from builder.noise.ops.arrays import codepoints
from builder.noise.ops.base import Context, NoiseOp
from builder.noise.registry import operation
from builder.noise.spec import MAX_LEVEL, MISSING, RecipeSpec
from builder.noise.spec import OpSpec as OpSpec  # re-exported: the recipe schema lives in spec
from builder.noise.spec import StructureSpec as StructureSpec
from builder.noise.structure import StructureRates


class UnknownRecipeError(ValueError):
    """No ``builder/conf/noise/<name>.yaml`` for the requested recipe."""


def _is_node(value: Any) -> bool:
    """An OmegaConf DictConfig (none can exist while omegaconf is not imported)."""
    omegaconf = sys.modules.get("omegaconf")
    return omegaconf is not None and isinstance(value, omegaconf.DictConfig)


class WeightedOp(NamedTuple):
    op: NoiseOp
    weight: float


def make_op(name: str, params: Mapping[str, Any] | None = None) -> NoiseOp:
    """Build a registered operation; an unknown name is a ValueError listing the known ones."""
    cls = operation(name)
    if cls is None:
        from builder.noise.registry import OPERATIONS

        raise ValueError(f"unknown noise op {name!r} (known: {', '.join(OPERATIONS)})")
    return cls(**dict(params or {}))


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


#: Keys of a noise config section that are the build's, not the recipe's.
_NOT_RECIPE = ("defaults", "apply_to")


def _as_spec(cfg: Any) -> RecipeSpec:
    """Check ``cfg`` against the recipe schema (unknown keys and wrong types fail)."""
    if isinstance(cfg, RecipeSpec):
        return cfg
    if dataclasses.is_dataclass(cfg) and not isinstance(cfg, type):
        cfg = dataclasses.asdict(cfg)
    if _is_node(cfg):
        from omegaconf import OmegaConf

        cfg = OmegaConf.to_container(cfg, resolve=True)
    if not isinstance(cfg, Mapping):
        raise ValueError(f"a noise recipe must be a mapping, not {type(cfg).__name__}")
    if cfg.get("path"):
        raise ValueError(
            f"noise recipe {cfg.get('name', '?')!r} takes its operations from the noise profile {cfg['path']!r}: "
            "load the profile (builder.profile.Profile.load) and pass it where a recipe goes"
        )
    cfg = {k: v for k, v in cfg.items() if k not in (*_NOT_RECIPE, "path")}
    spec = _plain_spec(cfg)
    if spec is not None:
        return spec
    from omegaconf import OmegaConf
    from omegaconf.errors import OmegaConfBaseException

    try:
        node = OmegaConf.merge(OmegaConf.structured(RecipeSpec), cfg)
        return OmegaConf.to_object(node)  # type: ignore[return-value]
    except OmegaConfBaseException as exc:
        raise ValueError(f"noise recipe {cfg.get('name', '?')!r}: {_first_line(exc)}") from None


def _plain(value: Any) -> bool:
    """A value OmegaConf would hand back unchanged: YAML scalars, lists and string-keyed
    mappings, with no interpolation (``${...}``) and no missing value (``???``)."""
    kind = type(value)
    if kind is str:
        return "${" not in value and value != MISSING
    if value is None or kind in (bool, int, float):
        return True
    if kind is list:
        return all(map(_plain, value))
    if kind is dict:
        return all(type(k) is str and _plain(v) for k, v in value.items())
    return False


def _number(value: Any) -> bool:
    return type(value) in (int, float)


_SPEC_KEYS = frozenset(f.name for f in dataclasses.fields(RecipeSpec))
_OP_KEYS = frozenset(f.name for f in dataclasses.fields(OpSpec))
_STRUCTURE_KEYS = frozenset(f.name for f in dataclasses.fields(StructureSpec))


def _plain_spec(cfg: Mapping[str, Any]) -> RecipeSpec | None:
    """The RecipeSpec of a recipe that is plain data of the schema's types, as OmegaConf
    would make it; None for anything else, which OmegaConf then checks (and explains)."""
    if not set(cfg) <= _SPEC_KEYS or not _plain(dict(cfg)):
        return None
    name, level = cfg.get("name", MISSING), cfg.get("level", 0.1)
    ops, structure = cfg.get("ops", []), cfg.get("structure", {})
    if type(name) is not str or name == MISSING or not _number(level) or type(ops) is not list:
        return None
    protect = (cfg.get("protect_names", False), cfg.get("protect_numbers", False))
    if any(type(flag) is not bool for flag in protect) or type(structure) is not dict:
        return None
    if not set(structure) <= _STRUCTURE_KEYS or not all(map(_number, structure.values())):
        return None
    specs = []
    for entry in ops:
        if type(entry) is not dict or not set(entry) <= _OP_KEYS:
            return None
        op, weight, params = entry.get("op", MISSING), entry.get("weight", 1.0), entry.get("params", {})
        if type(op) is not str or op == MISSING or not _number(weight) or type(params) is not dict:
            return None
        specs.append(OpSpec(op, float(weight), copy.deepcopy(params)))
    rates = StructureSpec(**{k: float(v) for k, v in structure.items()})
    intensity, bigrams = cfg.get("intensity", []), cfg.get("bigrams", "en")
    if type(intensity) is not list or not all(map(_number, intensity)) or type(bigrams) is not str:
        return None
    factors = cfg.get("conditioning", {})
    if type(factors) is not dict or not all(type(v) is list and all(map(_number, v)) for v in factors.values()):
        return None
    return RecipeSpec(
        name,
        float(level),
        specs,
        protect[0],
        protect[1],
        rates,
        [float(x) for x in intensity],
        bigrams,
        {k: [float(x) for x in v] for k, v in factors.items()},
    )


@dataclasses.dataclass(frozen=True)
class Recipe:
    name: str
    level: float
    ops: tuple[WeightedOp, ...] = ()
    protect_names: bool = False
    structure: StructureRates = dataclasses.field(default_factory=StructureRates)
    protect_numbers: bool = False
    #: Per-sentence intensity, relative to the mean: quantiles at equal probability steps
    #: (``intensity.draw``); empty: every sentence at 1.
    intensity: tuple[float, ...] = ()
    #: The word-pair table the word operations keep to (``bigrams.load``).
    bigrams: str = bigram_tables.SHIPPED
    #: Per word feature, a factor per bucket on a word's odds (``conditioning.weights``),
    #: as (feature, factors) pairs.
    conditioning: tuple[tuple[str, tuple[float, ...]], ...] = ()

    def __post_init__(self) -> None:
        if not 0 <= self.level <= MAX_LEVEL:
            raise ValueError(f"noise recipe {self.name!r}: level={self.level} is not in [0, {MAX_LEVEL:g}]")
        for op, weight in self.ops:
            if weight < 0:
                raise ValueError(f"noise recipe {self.name!r}: {op.name} weight {weight} < 0")
        object.__setattr__(self, "intensity", tuple(float(x) for x in self.intensity))
        problem = check_quantiles(self.intensity)
        if problem:
            raise ValueError(f"noise recipe {self.name!r}: intensity {problem}")
        factors = dict(self.conditioning.items() if isinstance(self.conditioning, Mapping) else self.conditioning)
        problem = check_conditioning(factors)
        if problem:
            raise ValueError(f"noise recipe {self.name!r}: conditioning: {problem}")
        object.__setattr__(self, "conditioning", tuple((k, tuple(float(x) for x in v)) for k, v in factors.items()))
        if self.bigrams not in (bigram_tables.SHIPPED, bigram_tables.OFF):
            self._bigram_table()  # a table file that cannot be read fails with the recipe

    def _bigram_table(self) -> bigram_tables.Bigrams | None:
        try:
            return bigram_tables.load(self.bigrams)
        except ResourceError as e:
            raise ValueError(f"noise recipe {self.name!r}: bigrams: {e}") from None

    @classmethod
    def from_config(cls, cfg: Any) -> Recipe:
        """From a RecipeSpec, an OmegaConf node or a plain dict (as in the YAML files).

        A recipe that names a noise profile (``path``) is made by the profile layer
        (``builder.profile.to_recipe``), which the application calls for it.
        """
        nc = _as_spec(cfg)
        ops = []
        for entry in nc.ops:
            params = entry.params
            if _is_node(params):
                from omegaconf import OmegaConf

                params = OmegaConf.to_container(params, resolve=True)
            try:
                op = make_op(entry.op, params)  # type: ignore[arg-type]
            except ValueError as exc:
                raise ValueError(f"noise recipe {nc.name!r}: {exc}") from None
            ops.append(WeightedOp(op, float(entry.weight)))
        st = nc.structure
        structure = StructureRates(float(st.split), float(st.merge), float(st.drop), float(st.insert))
        return cls(
            nc.name,
            float(nc.level),
            tuple(ops),
            bool(nc.protect_names),
            structure,
            bool(nc.protect_numbers),
            tuple(nc.intensity),
            str(nc.bigrams),
            tuple((k, tuple(v)) for k, v in dict(nc.conditioning).items()),
        )

    def with_level(self, level: float) -> Recipe:
        return dataclasses.replace(self, level=float(level))

    def probabilities(self) -> list[float]:
        """Per-word probability of each operation: ``level * weight / sum(weights)``."""
        total = sum(w for _, w in self.ops)
        if total <= 0:
            return [0.0] * len(self.ops)
        return [min(1.0, self.level * w / total) for _, w in self.ops]

    #: Pick words with one draw per word shared by the operations (see the module doc);
    #: False: each operation draws its own (``NoiseOp.select``), as a profile needs.
    shared_draw: ClassVar[bool] = True

    @property
    def op_names(self) -> tuple[str, ...]:
        return tuple(op.name for op, _ in self.ops)

    def apply(self, text: str, spans: Sequence[Sequence[int]], seed: int, doc_id: str) -> list[Edit]:
        """The edits garbling ``text`` (document coordinates, sorted by start).

        Every edit lies inside one of ``spans``; text outside the spans is never touched.
        """
        return self.apply_batch([text], [spans], seed, [doc_id])[0]

    def apply_batch(
        self, texts: Sequence[str], spans: Sequence[Sequence[Sequence[int]]], seed: int, doc_ids: Sequence[str]
    ) -> list[list[Edit]]:
        """``apply`` for many documents at once: since every draw is keyed by (seed,
        doc_id, word), each document's edits are what ``apply`` gives it alone."""
        return self.edit_columns(texts, spans, seed, doc_ids).edits()

    def edit_columns(
        self, texts: Sequence[str], spans: Sequence[Sequence[Sequence[int]]], seed: int, doc_ids: Sequence[str]
    ) -> EditColumns:
        """The edits of ``apply_batch`` as columns, without building the garbled texts."""
        made = self._run(texts, spans, seed, doc_ids)
        if made is None:
            return EditColumns.empty(self.op_names, len(texts))
        batch, edits, codes = made
        return columns(edits, codes, self.op_names, batch.chars, batch.doc_starts)

    def apply_columns(
        self, texts: Sequence[str], spans: Sequence[Sequence[Sequence[int]]], seed: int, doc_ids: Sequence[str]
    ) -> tuple[list[str], EditColumns]:
        """The garbled texts of a batch and every edit that made them, as columns.

        The fast path: the texts are assembled from code points and the edits stay
        arrays. ``EditColumns.edits()`` gives what ``apply_batch`` gives.
        """
        made = self._run(texts, spans, seed, doc_ids)
        if made is None:
            return list(texts), EditColumns.empty(self.op_names, len(texts))
        batch, edits, codes = made
        cols = columns(edits, codes, self.op_names, batch.chars, batch.doc_starts)
        if not len(edits):
            return list(texts), cols
        return assemble(batch.chars, edits, batch.doc_starts, batch.doc_lengths), cols

    def garble(self, text: str, spans: Sequence[Sequence[int]], seed: int, doc_id: str) -> tuple[str, list[Edit]]:
        """The garbled text and the edits that made it."""
        garbled, cols = self.apply_columns([text], [spans], seed, [doc_id])
        return garbled[0], cols.edits()[0]

    def _run(
        self, texts: Sequence[str], spans: Sequence[Sequence[Sequence[int]]], seed: int, doc_ids: Sequence[str]
    ) -> tuple[Batch, OpEdits, np.ndarray] | None:
        """Every operation over the joined batch: (the batch, its sorted edits, their op codes)."""
        if len(texts) != len(doc_ids):
            raise ValueError(f"{len(texts)} texts for {len(doc_ids)} doc ids")
        if self.level <= 0 or not self.ops or not texts:
            return None
        batch = Batch.join(texts, spans)
        keys = [doc_key(seed, d) for d in doc_ids]
        ctx = Context(
            batch.text,
            batch.spans,
            self.protect_names,
            batch.doc_starts,
            keys,
            chars=batch.chars,
            protect_numbers=self.protect_numbers,
        )
        if ctx.n == 0:
            return None
        self.prepare(ctx)
        edits, codes = merge(self.run_ops(ctx))
        return batch, edits, codes

    def prepare(self, ctx: Context) -> None:
        """Give ``ctx`` what the operations consult: the word-pair table and each word's
        weight (its sentence's intensity)."""
        ctx.load_bigrams(self._bigram_table)
        if self.intensity:
            ctx.weights = sentence_weights(ctx, self.intensity)
        if self.conditioning:
            words = conditioning_weights(ctx, dict(self.conditioning))
            ctx.weights = words if ctx.weights is None else ctx.weights * words

    def run_ops(self, ctx: Context) -> list[tuple[int, OpEdits]]:
        """Each operation's edits of ``ctx``, with the operation's index in ``ops``.

        With the shared draw, one number per word picks at most one operation (operation
        ``k`` takes the numbers in its slice of ``[0, level)``) and what is left of the
        number, rescaled, is the word's ``v``; otherwise each operation draws its own."""
        probabilities = self.probabilities()
        shared = [k for k, ((op, _), p) in enumerate(zip(self.ops, probabilities, strict=True)) if op.shared_draw]
        share = sum(probabilities[k] for k in shared)
        if not self.shared_draw or share > 1.0 + 1e-9:
            shared = []
        picks: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        if shared and share > 0:
            u = ctx.all_uniforms(_PICK)
            if ctx.weights is None:
                words = np.flatnonzero(u < share)
                u = u[words]
            else:  # a word is picked with its sentence's odds; which operation, as without
                q = np.minimum(1.0, share * ctx.weights)
                words = np.flatnonzero(u < q)
                u = u[words] / q[words] * share
            p_shared = np.array([probabilities[k] for k in shared])
            bounds = np.cumsum(p_shared)
            which = np.minimum(np.searchsorted(bounds, u, side="right"), len(shared) - 1).astype(np.int16)
            order = np.argsort(which, kind="stable")  # by operation, each one's words in order
            which = which[order]
            words = words[order]
            low = bounds - p_shared
            v = np.clip((u[order] - low[which]) / np.maximum(p_shared, 1e-300)[which], 0.0, 1.0 - 2.0**-53)
            cuts = np.searchsorted(which, np.arange(len(shared) + 1)).tolist()
            for j, k in enumerate(shared):
                if cuts[j + 1] > cuts[j]:
                    picks[k] = (words[cuts[j] : cuts[j + 1]], v[cuts[j] : cuts[j + 1]])
        out = []
        for k, ((op, _), p) in enumerate(zip(self.ops, probabilities, strict=True)):
            if p <= 0:
                continue
            op_salt = salt(k, op.name)
            if shared and op.shared_draw:
                if k not in picks:
                    continue
                words, v = picks[k]
            else:
                words, v = op.select(ctx, p, op_salt)
            if len(words):
                out.append((k, op.columns_for(ctx, words, v, op_salt)))
        return out

    def script_neutral(self) -> Recipe:
        """This recipe for a document not in English: only its script-neutral operations
        (``NoiseOp.script_neutral``) and sentence structure without English words.

        The English-only operations stay in place with weight 0, so every operation keeps
        its index (its salt, its code in the edit columns) and each kept operation its
        probability per word: the document gets the recipe's neutral part at the rates
        an English document gets it, not the whole level spent on typos. Made once per
        recipe (``dataclasses.replace`` makes a new recipe, so never a stale one).
        """
        made = self.__dict__.get("_script_neutral")
        if made is None:
            keep = [op.script_neutral for op, _ in self.ops]
            ops = tuple(WeightedOp(op, w if k else 0.0) for (op, w), k in zip(self.ops, keep, strict=True))
            structure = dataclasses.replace(self.structure, script_neutral=True)
            made = dataclasses.replace(self, ops=ops, level=self._level_without(ops), structure=structure)
            self.__dict__["_script_neutral"] = made  # frozen: the cache is not a field
        return made

    def _level_without(self, ops: Sequence[WeightedOp]) -> float:
        """The level at which ``ops`` (some weights zeroed) keep their probabilities:
        each is ``level * weight / sum(weights)``, so the level shrinks with the sum."""
        total, kept = sum(w for _, w in self.ops), sum(w for _, w in ops)
        return self.level * kept / total if total > 0 else self.level


_SEPARATOR = "\n\n"  # between joined documents: outside every span, and no pattern crosses it
_PICK = salt("pick")


@dataclasses.dataclass(frozen=True)
class Batch:
    """Documents joined into one text (``_SEPARATOR`` between them), their sentence spans
    in its coordinates, and where each document starts."""

    text: str
    chars: np.ndarray
    spans: np.ndarray
    doc_starts: np.ndarray
    doc_lengths: np.ndarray

    @staticmethod
    def join(texts: Sequence[str], spans: Sequence[Sequence[Sequence[int]]]) -> Batch:
        if len(texts) != len(spans):
            raise ValueError(f"{len(texts)} texts for {len(spans)} span lists")
        n = len(texts)
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=n)
        starts = np.zeros(n, dtype=np.int64)
        np.cumsum(lengths[:-1] + len(_SEPARATOR), out=starts[1:])
        counts = np.fromiter(map(len, spans), dtype=np.int64, count=n)
        total = int(counts.sum())
        flat = np.fromiter(chain.from_iterable(chain.from_iterable(spans)), dtype=np.int64, count=2 * total)
        flat = flat.reshape(-1, 2)
        if total:
            limit = np.repeat(lengths, counts)
            bad = (flat[:, 0] < 0) | (flat[:, 0] > flat[:, 1]) | (flat[:, 1] > limit)
            if bad.any():
                k = int(np.argmax(bad))
                s, e = flat[k].tolist()
                raise ValueError(
                    f"sentence span ({s}, {e}) overlaps another or lies outside the text (length {int(limit[k])})"
                )
            flat = flat + np.repeat(starts, counts)[:, None]
        text = texts[0] if n == 1 else _SEPARATOR.join(texts)
        return Batch(text, codepoints(text), flat, starts, lengths)


def recipe_dir() -> Path:
    return CONF_DIR / "noise"


def available_recipes() -> list[str]:
    """The recipes of operations (a recipe that names a noise profile is the application's)."""
    return sorted(p.stem for p in recipe_dir().glob("*.yaml") if "\npath:" not in "\n" + p.read_text())


def load_recipe(name: str) -> Recipe:
    """The recipe in ``builder/conf/noise/<name>.yaml`` (its Hydra ``defaults`` list ignored)."""
    path = recipe_dir() / f"{name}.yaml"
    if "/" in name or "\\" in name or not path.is_file():
        known = ", ".join(available_recipes()) or "none"
        raise UnknownRecipeError(f"unknown noise recipe {name!r} (known: {known})")
    data = recipe_file(path)
    data.setdefault("name", name)
    return Recipe.from_config(data)


def recipe_file(path: str | Path) -> dict[str, Any]:
    """The mapping in a recipe file, as ``OmegaConf.load`` reads it (interpolations
    resolved). A file of plain YAML is read with PyYAML under OmegaConf's YAML rules,
    without importing OmegaConf; anything else (an interpolation, a YAML error, not a
    mapping) is read by OmegaConf, which resolves it or explains what is wrong."""
    import yaml

    try:
        with open(path, encoding="utf-8") as fh:
            data = yaml.load(fh, Loader=_yaml_loader())
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        pass  # OmegaConf reads it again and raises its own error
    else:
        if data is None:
            return {}  # an empty file: OmegaConf makes an empty config of it
        if type(data) is dict and _plain(data):
            return data
    from omegaconf import DictConfig, OmegaConf

    node = OmegaConf.load(path)
    if not isinstance(node, DictConfig):
        raise ValueError(f"{path}: a noise recipe must be a mapping")
    return OmegaConf.to_container(node, resolve=True)  # type: ignore[return-value]


@cache
def _yaml_loader() -> type:
    """PyYAML's SafeLoader with the rules of ``omegaconf._utils.get_yaml_loader``: a
    duplicate key is an error, ``1e-3`` is a float, no timestamps."""
    import yaml

    class Loader(yaml.SafeLoader):
        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            keys = set()
            for key_node, _ in node.value:
                if key_node.tag != yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG:
                    continue
                if key_node.value in keys:
                    raise yaml.constructor.ConstructorError(
                        "while constructing a mapping", node.start_mark, f"found duplicate key {key_node.value}"
                    )
                keys.add(key_node.value)
            return super().construct_mapping(node, deep=deep)

    Loader.add_implicit_resolver(
        "tag:yaml.org,2002:float",
        re.compile(
            r"""^(?:
         [-+]?[0-9]+(?:_[0-9]+)*\.[0-9_]*(?:[eE][-+]?[0-9]+)?
        |[-+]?[0-9]+(?:_[0-9]+)*(?:[eE][-+]?[0-9]+)
        |\.[0-9]+(?:_[0-9]+)*(?:[eE][-+][0-9]+)?
        |[-+]?[0-9]+(?:_[0-9]+)*(?::[0-5]?[0-9])+\.[0-9_]*
        |[-+]?\.(?:inf|Inf|INF)
        |\.(?:nan|NaN|NAN))$""",
            re.X,
        ),
        list("-+0123456789."),
    )
    Loader.yaml_implicit_resolvers = {
        key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for key, resolvers in Loader.yaml_implicit_resolvers.items()
    }
    return Loader
