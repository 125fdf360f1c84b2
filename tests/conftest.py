"""Shared fixtures: composed configs that write into tmp_path, and small corpora."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hydra import compose, initialize_config_dir

from builder.app.config import register
from builder.core.resources import CONF_DIR, SAMPLE_DIR

register()
FIXTURES = Path(__file__).parent / "fixtures"

NEWS = [
    "Gen. Mark Milley met Sen. Jack Reed in Washington on Jan. 5. The talks covered U.S. aid to Ukraine.",
    'Mr. Smith, a spokesman for Acme Corp., said the company would appeal. "We disagree," he said.',
    "Officials in Kyiv said three people were injured in the attack. Rescue teams worked through the night.",
    "The Bank of England held interest rates at 5.25% on Thursday. Markets had expected the decision.",
    "Prime Minister Rishi Sunak visited a hospital in Leeds. He promised shorter waiting lists by spring.",
    "Heavy rain flooded roads across Queensland. Emergency services rescued dozens of drivers overnight.",
]


def compose_cfg(tmp_path: Path, *overrides: str):
    with initialize_config_dir(config_dir=str(CONF_DIR), version_base="1.3"):
        return compose(
            config_name="config",
            overrides=[f"write.root={tmp_path / 'out'}", "runner.progress=false", *overrides],
        )


@pytest.fixture
def cfg_factory(tmp_path):
    return lambda *overrides: compose_cfg(tmp_path, *overrides)


@pytest.fixture
def news_jsonl(tmp_path) -> Path:
    """Clean news articles, one of them dated, as JSONL with `text` as the body field."""
    path = tmp_path / "news.jsonl"
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
