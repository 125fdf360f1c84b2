"""The dataset card: README.md with the YAML that pins splits and feature types."""

from __future__ import annotations

import json
from typing import Any

import yaml
from datasets import Features

from builder.core.schema import ROW_FEATURES

SPLIT_ORDER = ("train", "validation", "test")


def features_yaml(features: Features = ROW_FEATURES) -> list[dict[str, Any]]:
    # datasets reads `dataset_info.features` in this form; a test loads the result back.
    return features._to_yaml_list()


def card(
    name: str,
    split_rows: dict[str, int],
    split_files: dict[str, list[str]],
    stats: dict,
    config_yaml: str,
    features: Features = ROW_FEATURES,
) -> str:
    splits = [s for s in SPLIT_ORDER if split_files.get(s)]
    meta = {
        "configs": [
            {
                "config_name": "default",
                "data_files": [{"split": s, "path": [f"data/{f}" for f in split_files[s]]} for s in splits],
            }
        ],
        "dataset_info": {
            "features": features_yaml(features),
            "splits": [
                {"name": s, "num_bytes": stats["split_bytes"][s], "num_examples": split_rows[s]} for s in splits
            ],
        },
        "language": sorted(stats.get("languages", [])) or ["en"],
        "task_categories": ["text-generation"],
        "tags": ["text-restoration", "garbled-text", "news", "synthetic-noise"],
    }
    docs = stats["documents"]
    rows = stats["rows"]
    lines = [
        "---",
        yaml.safe_dump(meta, sort_keys=False, allow_unicode=True).rstrip(),
        "---",
        "",
        f"# {name}",
        "",
        "Garbled/clean pairs of news text for training and evaluating text-restoration models,",
        "built by garble-builder. Real rows pair a garbled article's sentences with their clean",
        "reference (aligned); synthetic rows garble clean text with a recorded recipe.",
        "",
        "```python",
        "from datasets import load_dataset",
        f'ds = load_dataset("{name if "/" in name else "path/to/" + name}")',
        "```",
        "",
        "## Splits",
        "",
        "| split | rows | files |",
        "|---|---:|---:|",
        *[f"| {s} | {split_rows[s]:,} | {len(split_files[s])} |" for s in splits],
        "",
        "Splits are made by document: no article has rows in two splits.",
        "",
        "## Ledger",
        "",
        f"- documents in: {docs['in']:,}",
        f"- written: {docs['written']:,}",
        f"- filtered: {sum(docs['filtered'].values()):,} {json.dumps(docs['filtered'])}",
        f"- rejected: {sum(docs['rejected'].values()):,} {json.dumps(docs['rejected'])} (see rejects.jsonl)",
        f"- paired: {docs.get('paired', 0):,} (clean documents that became the reference of a garbled one)",
        f"- rows filtered by reason: {json.dumps(rows['filtered'])} (see filtered.parquet)",
        *_date_lines(stats),
        "",
        "## Columns",
        "",
        "`id` stable row id, `doc_id`, `source`, `kind` (real | synthetic), `garbled`, `clean`,",
        "`align` (sentence group, e.g. 2-1), `align_score` (share of each side covered by the other,",
        "1 for synthetic rows), `edits` (op, start, end, before, after in `clean` coordinates;",
        "replaying them on `clean` gives `garbled`), `cer`, `wer`, `recipe`, `lang`, `date`.",
        "",
        "## Build configuration",
        "",
        "```yaml",
        config_yaml.rstrip(),
        "```",
        "",
    ]
    return "\n".join(lines)


def _date_lines(stats: dict) -> list[str]:
    dates = stats.get("dates")
    if not dates:
        return []
    line = (
        f"- dates: {dates['readable']:,} readable, {dates['unreadable']:,} unreadable (kept as given), "
        f"{dates['missing']:,} missing"
    )
    undated = stats.get("undated")
    if undated:
        line += f"; {undated['documents']:,} undated documents (split.undated={undated['to']})"
    return [line]
