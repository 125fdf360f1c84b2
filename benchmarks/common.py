"""Shared helpers for the benchmarks: inputs, config composition, result files."""

from __future__ import annotations

import json
import os
import platform
import time
from pathlib import Path

from hydra import compose as hydra_compose
from hydra import initialize_config_dir

from builder.app.config import register
from builder.core.resources import CONF_DIR

PROJECT_DIR = Path(__file__).resolve().parents[1]

#: The shared data folder beside the clone; GARBLE_SHARED names another (a git worktree
#: lives elsewhere).
SHARED = Path(os.environ.get("GARBLE_SHARED") or PROJECT_DIR.parent / "shared")
RESULTS = Path(__file__).resolve().parent / "results"
register()


def corpus_path() -> tuple[Path, str]:
    """The BBC corpus from ../shared when present, else the Lee corpus as JSONL."""
    bbc = SHARED / "corpora" / "bbc_news_greene2006.jsonl"
    if bbc.exists():
        return bbc, "bbc_news_greene2006 (2,225 articles)"
    from builder.pipeline.readers.sample import lee_corpus_path

    out = RESULTS / "lee.jsonl.tmp"
    RESULTS.mkdir(exist_ok=True)
    with open(lee_corpus_path(), encoding="utf-8", errors="replace") as src, open(out, "w") as dst:
        for i, line in enumerate(src):
            dst.write(json.dumps({"id": f"lee-{i}", "text": line.strip()}) + "\n")
    return out, "lee_background (300 articles, gensim)"


def compose(root: Path, *overrides: str):
    with initialize_config_dir(config_dir=str(CONF_DIR), version_base="1.3"):
        return hydra_compose(config_name="config", overrides=[f"write.root={root}", *overrides])


def write_result(name: str, data: dict) -> Path:
    RESULTS.mkdir(exist_ok=True)
    data = {
        "benchmark": name,
        "when": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": platform.machine(),
        "python": platform.python_version(),
        **data,
    }
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(data, indent=2) + "\n")
    return path
