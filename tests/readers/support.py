"""Helpers shared by the reader tests: a source config and the documents it reads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from omegaconf import OmegaConf

from builder.app.config import SourceConfig
from builder.pipeline.readers import make_reader


def source_cfg(kind: str, path: Path | str, **overrides: Any):
    cfg = OmegaConf.structured(SourceConfig)
    cfg.kind, cfg.name, cfg.path = kind, "test", str(path)
    for key, value in overrides.items():
        OmegaConf.update(cfg, key, value)
    return cfg


def read(kind: str, path: Path | str, **overrides: Any) -> list[dict[str, Any]]:
    return list(make_reader(source_cfg(kind, path, **overrides)).documents())


def good(docs: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(doc_id, clean) of the documents that were read."""
    return [(d["doc_id"], d["clean"]) for d in docs if not d["reject"]]


def rejects(docs: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(reason, detail) of the rejects, in input order."""
    return [(d["reject"], d["reject_detail"]) for d in docs if d["reject"]]


def articles(n: int, prefix: str = "a") -> list[dict[str, str]]:
    return [{"id": f"{prefix}{i}", "text": f"Article {i} reports that the council met on Monday."} for i in range(n)]


def expected(items: list[dict[str, str]]) -> list[tuple[str, str]]:
    return [(a["id"], a["text"]) for a in items]
