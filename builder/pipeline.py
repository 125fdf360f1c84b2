"""A pipeline: the configured stages, checked once, run as one batch function.

The stage order is data (``pipeline.stages``). Building the pipeline checks that
every stage finds the columns it reads, so a misordered config fails before any
document is read. The stages are fused into one function: intermediate columns
(sentence spans, groups) never need an Arrow type, and only the final rows do.
"""

from __future__ import annotations

import importlib
from typing import Any

from omegaconf import DictConfig, OmegaConf

from builder.config import ConfigError
from builder.schema import DOC_COLUMNS, WORK_COLUMNS
from builder.stages import STAGES
from builder.stages.base import Batch, Stage, batch_len, error_detail
from builder.stages.units import reject_row


def resolve(name: str) -> type[Stage]:
    if name in STAGES:
        return STAGES[name]
    module, _, attr = name.rpartition(".")
    try:
        cls = getattr(importlib.import_module(module), attr)
    except (ImportError, AttributeError, ValueError) as e:
        raise ConfigError(f"pipeline.stages: cannot import stage {name!r} ({e})") from e
    if not (isinstance(cls, type) and issubclass(cls, Stage)):
        raise ConfigError(f"pipeline.stages: {name!r} is not a Stage")
    return cls


def check_columns(stages: list[Stage]) -> None:
    """Raise ConfigError naming the first stage that reads a column nobody wrote."""
    available = set(DOC_COLUMNS)
    for st in stages:
        missing = [c for c in st.inputs if c not in available]
        if missing:
            writers = sorted({w.name for w in STAGES.values() if set(missing) & set(w.outputs)})
            hint = f" (written by {', '.join(writers)})" if writers else ""
            raise ConfigError(
                f"pipeline.stages: stage {st.name!r} reads {', '.join(missing)}, which no earlier stage writes{hint}"
            )
        available = set(st.outputs) if st.replaces_columns else available | set(st.outputs)
    missing = [c for c in WORK_COLUMNS if c not in available]
    if missing:
        raise ConfigError(f"pipeline.stages: the pipeline never writes {', '.join(missing)} (is 'units' missing?)")


class Pipeline:
    def __init__(self, cfg: Any) -> None:
        # Stages get plain dataclasses: attribute access on an OmegaConf node costs
        # microseconds, which per-row code would pay millions of times.
        plain = OmegaConf.to_object(cfg) if isinstance(cfg, DictConfig) else cfg
        self.stages = [resolve(name)(plain) for name in plain.pipeline.stages]
        check_columns(self.stages)

    def __call__(self, batch: Batch) -> Batch:
        for st in self.stages:
            batch = st(batch)
        return {c: batch[c] for c in WORK_COLUMNS}

    def safe(self, batch: Batch) -> Batch:
        """The rows of a batch, whatever its documents hold. Stages reject a document that
        makes them fail; if a stage fails on a whole batch anyway, each document is run
        alone, and one that still fails leaves a single ``stage_error`` row: a record can
        never stop the build."""
        try:
            return self(batch)
        except Exception:
            if batch_len(batch) == 0:
                raise
        out: dict[str, list] = {c: [] for c in WORK_COLUMNS}
        for i in range(batch_len(batch)):
            one = {c: v[i : i + 1] for c, v in batch.items()}
            try:
                rows = self(one)
            except Exception as exc:
                doc = {c: v[0] for c, v in one.items()}
                rows = {c: [v] for c, v in reject_row(doc, "stage_error", error_detail("pipeline", exc)).items()}
            for c in WORK_COLUMNS:
                out[c].extend(rows[c])
        return out

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.stages]
