"""Recipes: named mixes of garbling operations at a noise level.

``level`` is about the share of words an edit touches: each operation picks each of its
eligible words with probability ``level * weight / sum(weights)``. Every operation draws
from its own stream keyed by (seed, doc_id, "noise:<index>:<op>"), so a document garbles
the same way in any batch, worker or process.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from builder import paths
from builder.config import NoiseConfig
from builder.edits import Edit, replay
from builder.noise.ops.base import Context, NoiseOp
from builder.noise.registry import OPERATIONS
from builder.noise.structure import StructureRates
from builder.seeding import rng_for


class UnknownRecipeError(ValueError):
    """No ``configs/noise/<name>.yaml`` for the requested recipe."""


class WeightedOp(NamedTuple):
    op: NoiseOp
    weight: float


def make_op(name: str, params: Mapping[str, Any] | None = None) -> NoiseOp:
    """Build a registered operation; an unknown name is a ValueError listing the known ones."""
    cls = OPERATIONS.get(name)
    if cls is None:
        raise ValueError(f"unknown noise op {name!r} (known: {', '.join(OPERATIONS)})")
    return cls(**dict(params or {}))


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _as_noise_config(cfg: Any) -> NoiseConfig:
    """Check ``cfg`` against the NoiseConfig schema (unknown keys and wrong types fail)."""
    if isinstance(cfg, NoiseConfig):
        return cfg
    if isinstance(cfg, DictConfig):
        cfg = OmegaConf.to_container(cfg, resolve=True)
    if not isinstance(cfg, Mapping):
        raise ValueError(f"a noise recipe must be a mapping, not {type(cfg).__name__}")
    cfg = {k: v for k, v in cfg.items() if k != "defaults"}
    try:
        node = OmegaConf.merge(OmegaConf.structured(NoiseConfig), cfg)
        return OmegaConf.to_object(node)  # type: ignore[return-value]
    except OmegaConfBaseException as exc:
        raise ValueError(f"noise recipe {cfg.get('name', '?')!r}: {_first_line(exc)}") from None


@dataclasses.dataclass(frozen=True)
class Recipe:
    name: str
    level: float
    ops: tuple[WeightedOp, ...] = ()
    protect_names: bool = False
    structure: StructureRates = dataclasses.field(default_factory=StructureRates)

    def __post_init__(self) -> None:
        if not 0 <= self.level <= 1:
            raise ValueError(f"noise recipe {self.name!r}: level={self.level} is not in [0, 1]")
        for op, weight in self.ops:
            if weight < 0:
                raise ValueError(f"noise recipe {self.name!r}: {op.name} weight {weight} < 0")

    @classmethod
    def from_config(cls, cfg: Any) -> Recipe:
        """From a NoiseConfig, an OmegaConf node or a plain dict (as in the YAML files).

        With ``path`` (a noise profile file), the recipe is the profile's, and ``level``
        scales its rates (1: as estimated from the real pairs).
        """
        nc = _as_noise_config(cfg)
        if nc.path:
            if nc.ops:
                raise ValueError(f"noise recipe {nc.name!r}: noise.path (a profile) replaces noise.ops; give one")
            from builder.profile.estimate import Profile

            return cls.from_profile(Profile.load(nc.path), scale=float(nc.level), protect_names=bool(nc.protect_names))
        ops = []
        for entry in nc.ops:
            params = entry.params
            if isinstance(params, DictConfig):
                params = OmegaConf.to_container(params, resolve=True)
            try:
                op = make_op(entry.op, params)  # type: ignore[arg-type]
            except ValueError as exc:
                raise ValueError(f"noise recipe {nc.name!r}: {exc}") from None
            ops.append(WeightedOp(op, float(entry.weight)))
        st = nc.structure
        structure = StructureRates(float(st.split), float(st.merge), float(st.drop), float(st.insert))
        return cls(nc.name, float(nc.level), tuple(ops), bool(nc.protect_names), structure)

    @classmethod
    def from_profile(cls, profile: Any, scale: float = 1.0, protect_names: bool = False) -> Recipe:
        """The recipe reproducing a noise profile (``builder.profile``); ``scale`` multiplies its rates."""
        from builder.profile.to_recipe import recipe_from_profile

        return recipe_from_profile(profile, scale=scale, protect_names=protect_names).recipe

    def with_level(self, level: float) -> Recipe:
        return dataclasses.replace(self, level=float(level))

    def probabilities(self) -> list[float]:
        """Per-word probability of each operation: ``level * weight / sum(weights)``."""
        total = sum(w for _, w in self.ops)
        if total <= 0:
            return [0.0] * len(self.ops)
        return [min(1.0, self.level * w / total) for _, w in self.ops]

    def apply(self, text: str, spans: Sequence[Sequence[int]], seed: int, doc_id: str) -> list[Edit]:
        """The edits garbling ``text`` (document coordinates, sorted by start).

        Every edit lies inside one of ``spans``; text outside the spans is never touched.
        """
        if self.level <= 0 or not self.ops or not text:
            return []
        ctx = Context(text, spans, self.protect_names)
        if ctx.n == 0:
            return []
        edits: list[Edit] = []
        for index, ((op, _), p) in enumerate(zip(self.ops, self.probabilities(), strict=True)):
            if p > 0:
                edits += op.apply(ctx, p, rng_for(seed, doc_id, f"noise:{index}:{op.name}"))
        edits.sort(key=lambda e: (e.start, e.end))
        return edits

    def garble(self, text: str, spans: Sequence[Sequence[int]], seed: int, doc_id: str) -> tuple[str, list[Edit]]:
        """The garbled text and the edits that made it."""
        edits = self.apply(text, spans, seed, doc_id)
        return (replay(text, edits) if edits else text), edits


def recipe_dir() -> Path:
    return paths.CONFIG_DIR / "noise"


def available_recipes() -> list[str]:
    return sorted(p.stem for p in recipe_dir().glob("*.yaml"))


def load_recipe(name: str) -> Recipe:
    """The recipe in ``configs/noise/<name>.yaml`` (its Hydra ``defaults`` list ignored)."""
    path = recipe_dir() / f"{name}.yaml"
    if "/" in name or "\\" in name or not path.is_file():
        known = ", ".join(available_recipes()) or "none"
        raise UnknownRecipeError(f"unknown noise recipe {name!r} (known: {known})")
    node = OmegaConf.load(path)
    if not isinstance(node, DictConfig):
        raise ValueError(f"{path}: a noise recipe must be a mapping")
    data = OmegaConf.to_container(node, resolve=True)
    data.setdefault("name", name)  # type: ignore[union-attr]
    return Recipe.from_config(data)
