"""Shared fixtures: composed configs that write into tmp_path, and small corpora."""

from __future__ import annotations

import copy
import functools
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from omegaconf import DictConfig, OmegaConf

from builder.core.resources import CONF_DIR, SAMPLE_DIR

# With pytest-xdist the controller process loads this file too, but runs no test: what is
# slow to import (Hydra, the pipeline, NLTK) is imported where a config or a corpus is made.

FIXTURES = Path(__file__).parent / "fixtures"


#: Keys whose values are a test's own folders and files. Hydra takes about 0.2 s of CPU to
#: compose a config (it reads and merges every file), which adds up over the hundreds of
#: builds the tests run; these differ from test to test, so the config is composed once per
#: set of the other overrides and they are set on a copy, as the override would set them.
_PATH_KEYS = ("write.root", "source.path", "noise.path")
_PLAIN_PATH = re.compile(r"/[\w./-]*")  # what Hydra reads as the same string, unquoted


def _compose(overrides: tuple[str, ...]) -> DictConfig:
    from hydra import compose, initialize_config_dir

    from builder.app.config import register

    register()
    with initialize_config_dir(config_dir=str(CONF_DIR), version_base="1.3"):
        return compose(config_name="config", overrides=list(overrides))


_composed = functools.cache(_compose)


def compose_cfg(tmp_path: Path, *overrides: str) -> DictConfig:
    """The config ``python -m builder`` composes from ``overrides``, writing into
    ``tmp_path / "out"`` (a later override of a key wins, as on the command line)."""
    overrides = (f"write.root={tmp_path / 'out'}", "runner.progress=false", *overrides)
    paths: dict[str, str] = {}
    rest = []
    for override in overrides:
        key, _, value = override.partition("=")
        if key in _PATH_KEYS and _PLAIN_PATH.fullmatch(value):
            paths[key] = value
        else:
            rest.append(override)
    cfg = copy.deepcopy(_composed(tuple(rest)))
    for key, value in paths.items():
        section, _, leaf = key.rpartition(".")
        if leaf not in cfg[section]:  # not a key of this config: composing says why
            return _compose(overrides)
        OmegaConf.update(cfg, key, value, merge=False)
    return cfg


def pytest_collection_modifyitems(config, items):
    """The files with the most slow tests (marked ``slow``, ``ray`` or ``wheel``) first.
    ``make test`` hands whole files to its workers in this order (``--dist loadfile
    --no-loadscope-reorder``): the long files start early and the run ends on short ones
    on every worker, instead of one worker finishing a long file alone. A run without
    workers keeps pytest's order (and so ``--ff`` and ``--sw``)."""
    if not hasattr(config, "workerinput"):
        return
    slow = {"slow", "ray", "wheel"}
    n_slow = Counter(item.path for item in items if any(m.name in slow for m in item.iter_markers()))
    items.sort(key=lambda item: -n_slow[item.path])  # stable: each file's tests keep their order


@pytest.fixture
def cfg_factory(tmp_path):
    return lambda *overrides: compose_cfg(tmp_path, *overrides)


@pytest.fixture(scope="session")
def news_jsonl(tmp_path_factory) -> Path:
    """Clean news articles, each dated, as JSONL with `text` as the body field (read only:
    one file for the whole session)."""
    from tests.news import NEWS

    path = tmp_path_factory.mktemp("news") / "news.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for i, text in enumerate(NEWS):
            fh.write(
                json.dumps({"id": f"n{i}", "title": f"t{i}", "text": text + " " + text, "date": f"2024-0{i + 1}-1{i}"})
                + "\n"
            )
    return path


@pytest.fixture
def seed_pair() -> tuple[str, str]:
    return (
        (SAMPLE_DIR / "garbled.txt").read_text(encoding="utf-8"),
        (SAMPLE_DIR / "restored.txt").read_text(encoding="utf-8"),
    )


@pytest.fixture
def seed_gold() -> list[dict]:
    with open(FIXTURES / "seed_gold_alignment.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]
