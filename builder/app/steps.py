"""The step registry: each name of ``pipeline.stages`` and how it is made from the config.

A step gets its own section of the config and nothing else; what it needs from another
section is passed to it here, by name, so this file shows every dependency between
sections. A stage of your own is a dotted path to a ``Stage`` class (made with no
arguments) or a node with ``_target_`` (made by Hydra with the node's other keys).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from omegaconf import DictConfig, OmegaConf

from builder.app.recipes import recipe_for
from builder.core.errors import ConfigError
from builder.pipeline.chain import Pipeline
from builder.pipeline.steps import STAGES
from builder.pipeline.steps.align import Align
from builder.pipeline.steps.base import CorpusStep, Stage
from builder.pipeline.steps.dedup import Dedup
from builder.pipeline.steps.filter import Filter
from builder.pipeline.steps.leakage import Leakage
from builder.pipeline.steps.measure import Measure
from builder.pipeline.steps.neardup import NearDup
from builder.pipeline.steps.noise import Noise
from builder.pipeline.steps.normalize import Normalize
from builder.pipeline.steps.pairing import Pair
from builder.pipeline.steps.segment import Segment
from builder.pipeline.steps.split import Split
from builder.pipeline.steps.units import Units

__all__ = ["FACTORIES", "make_pipeline", "make_stage", "pairing_on"]

#: name -> how the step is made from the whole (plain) config.
FACTORIES: dict[str, Callable[[Any], Stage | CorpusStep]] = {
    "normalize": lambda cfg: Normalize(cfg.normalize),
    "segment": lambda cfg: Segment(cfg.segment),
    "align": lambda cfg: Align(cfg.align),
    "noise": lambda cfg: Noise(
        recipe_for(cfg.noise), seed=cfg.seed, apply_to=cfg.noise.apply_to, default_lang=cfg.source.lang
    ),
    "units": lambda cfg: Units(
        cfg.units, isolate_boilerplate=cfg.normalize.boilerplate in ("drop", "unit"), recipe_name=cfg.noise.name
    ),
    "measure": lambda cfg: Measure(),
    "filter": lambda cfg: Filter(cfg.filter, drop_boilerplate=cfg.normalize.boilerplate == "drop", seed=cfg.seed),
    "split": lambda cfg: Split(cfg.split),
    "pair": lambda cfg: Pair(cfg.pairing, progress=bool(cfg.runner.progress)),
    "dedup": lambda cfg: Dedup(cfg.dedup),
    "neardup": lambda cfg: NearDup(cfg.dedup),
    "leakage": lambda cfg: Leakage(cfg.dedup),
}
assert set(FACTORIES) == set(STAGES), "every registered stage needs a factory"


def _own(entry: Any) -> Stage | CorpusStep:
    if isinstance(entry, dict) and "_target_" in entry:
        from hydra.utils import instantiate

        try:
            made = instantiate(entry)
        except Exception as e:
            raise ConfigError(f"pipeline.stages: cannot make {entry['_target_']!r} ({e})") from None
        if not isinstance(made, (Stage, CorpusStep)):
            raise ConfigError(f"pipeline.stages: {entry['_target_']!r} is not a Stage")
        return made
    module, _, attr = str(entry).rpartition(".")
    try:
        cls = getattr(importlib.import_module(module), attr)
    except (ImportError, AttributeError, ValueError) as e:
        raise ConfigError(f"pipeline.stages: cannot import stage {entry!r} ({e})") from e
    if not (isinstance(cls, type) and issubclass(cls, (Stage, CorpusStep))):
        raise ConfigError(f"pipeline.stages: {entry!r} is not a Stage")
    try:
        return cls()
    except TypeError as e:
        hint = "a stage with settings needs a _target_ node"
        raise ConfigError(f"pipeline.stages: cannot make {entry!r} with no arguments ({e}); {hint}") from None


def make_stage(entry: Any, cfg: Any) -> Stage | CorpusStep:
    """One step of ``pipeline.stages``: a registered name, a dotted path or a ``_target_`` node."""
    if isinstance(entry, str) and entry in FACTORIES:
        return FACTORIES[entry](cfg)
    if isinstance(entry, str) and "." in entry:
        name = entry.rpartition(".")[2]
        builtin = next((n for n, cls in STAGES.items() if cls.__name__ == name and cls.__module__ in entry), None)
        if builtin is not None:  # a registered stage named by its path
            return FACTORIES[builtin](cfg)
    return _own(entry)


def make_pipeline(cfg: Any) -> Pipeline:
    """The checked pipeline of a build config. Stages get plain dataclasses: attribute
    access on an OmegaConf node costs microseconds, which per-row code would pay millions
    of times."""
    plain = OmegaConf.to_object(cfg) if isinstance(cfg, DictConfig) else cfg
    return Pipeline([make_stage(entry, plain) for entry in plain.pipeline.stages])


def pairing_on(cfg: Any) -> bool:
    """Whether garbled records without a reference wait for the ``pair`` step (the reader
    rejects them otherwise)."""
    return bool(cfg.pairing.enabled) and any(s == "pair" for s in cfg.pipeline.stages)
