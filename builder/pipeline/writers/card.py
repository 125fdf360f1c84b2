"""The dataset card: README.md, made with huggingface_hub's ``DatasetCard``.

Its YAML holds what the Hub and ``datasets`` read: ``configs`` (the Parquet files of
each split) and ``dataset_info`` (the features of ``builder.core.schema`` and the split
sizes) make ``load_dataset(folder)`` find the splits and pin the types; ``license``,
``pretty_name``, ``size_categories``, ``task_categories``, ``language`` and ``tags``
describe it. The text says what the rows are made from (real aligned pairs, synthetic
garbling), never more: whether the text is news, OCR or anything else is for the
config (``card.description``) or the source's own notes to say.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

from datasets import Features

from builder.core.schema import ROW_COLUMNS, ROW_FEATURES
from builder.pipeline.writers.plots import CAPTIONS
from builder.pipeline.writers.rowstats import MAX_CATEGORIZED_REAL, RowStats

SPLIT_ORDER = ("train", "validation", "test")
TASK_CATEGORIES = ["text2text-generation", "text-generation"]
BASE_TAGS = ["text-restoration", "garbled-text"]
_UNITS = ("K", "M", "B", "T")


def features_yaml(features: Features = ROW_FEATURES) -> list[dict[str, Any]]:
    # datasets reads `dataset_info.features` in this form; a test loads the result back.
    return features._to_yaml_list()


def size_category(n: int) -> str:
    """The Hub's bucket for ``n`` rows: n<1K, 1K<n<10K, ..., 100B<n<1T, n>1T."""
    if n < 1000:
        return "n<1K"
    if n >= 10**12:
        return "n>1T"
    exp = int(math.log10(n))
    while 10 ** (exp + 1) <= n:  # log10 can round just below a power of ten
        exp += 1
    while 10**exp > n:
        exp -= 1

    def label(e: int) -> str:
        unit, rest = divmod(e, 3)
        return f"{10**rest}{_UNITS[unit - 1]}"

    return f"{label(exp)}<n<{label(exp + 1)}"


@dataclass
class CardInput:
    """Everything the card says, gathered by the build."""

    name: str
    split_rows: dict[str, int]
    split_files: dict[str, list[str]]
    stats: dict[str, Any]
    config_yaml: str
    rowstats: RowStats
    license: str = "unknown"
    pretty_name: str | None = None
    description: str | None = None
    tags: list[str] = field(default_factory=list)
    about: str = ""  # what is known of the source (the sample's provenance and licences)
    input_files: int = 0
    features: Features = field(default_factory=lambda: ROW_FEATURES)  # the rows, then source.keep fields


def metadata(c: CardInput) -> dict[str, Any]:
    """The card's YAML, as ``DatasetCardData`` keyword arguments."""
    splits = [s for s in SPLIT_ORDER if c.split_files.get(s)]
    tags = list(
        dict.fromkeys([*BASE_TAGS, *(["synthetic-noise"] if c.rowstats.kind_rows("synthetic") else []), *c.tags])
    )
    return {
        "license": c.license,
        "pretty_name": c.pretty_name or c.name,
        "language": sorted(c.stats.get("languages", [])) or None,
        "size_categories": [size_category(sum(c.split_rows.values()))],
        "task_categories": TASK_CATEGORIES,
        "tags": tags,
        "configs": [
            {
                "config_name": "default",
                "data_files": [{"split": s, "path": [f"data/{f}" for f in c.split_files[s]]} for s in splits],
            }
        ],
        "dataset_info": {
            "features": features_yaml(c.features),
            "splits": [
                {"name": s, "num_bytes": c.stats["split_bytes"][s], "num_examples": c.split_rows[s]} for s in splits
            ],
        },
    }


def _what(c: CardInput) -> list[str]:
    rs = c.rowstats
    lines = [
        c.description.strip()
        if c.description
        else "Pairs of garbled text and its clean reference, for training and evaluating text-restoration models.",
        "",
    ]
    real, synthetic = rs.kind_rows("real"), rs.kind_rows("synthetic")
    if real:
        lines.append(
            f"- **{real:,} real rows**: garbled documents of the input, aligned sentence group by sentence group "
            "with their clean originals; `align_score` is the aligner's calibrated confidence, and `edits` a "
            "word-level diff."
        )
    if synthetic:
        recipes = sorted({r for _, k, r in rs.rows if k == "synthetic" and r})
        named = ", ".join(f"`{r}`" for r in recipes) or "a recipe"
        lines.append(
            f"- **{synthetic:,} synthetic rows**: clean text of the input garbled by {named}; every edit is "
            "recorded in `edits` (replaying them on `clean` gives `garbled`)."
        )
    lines += [
        "",
        "The dataset was built by garble-builder. Splits are made by document: no document has rows in two splits.",
        "",
        "```python",
        "from datasets import load_dataset",
        f'ds = load_dataset("path/to/{c.name}")',
        "```",
    ]
    return lines


def _table(header: list[str], rows: list[list[str]], right: int) -> list[str]:
    """A Markdown table; the last ``right`` columns are numbers (right-aligned)."""
    align = ["---"] * (len(header) - right) + ["---:"] * right
    return [f"| {' | '.join(header)} |", f"|{'|'.join(align)}|", *(f"| {' | '.join(r)} |" for r in rows)]


def _composition(c: CardInput) -> list[str]:
    rs = c.rowstats
    order = {s: i for i, s in enumerate(SPLIT_ORDER)}
    rows = sorted(rs.rows.items(), key=lambda kv: (order.get(kv[0][0], 9), kv[0][1], kv[0][2]))
    lines = [
        "## Rows",
        "",
        *_table(["split", "kind", "recipe", "rows"], [[s, k, r or "-", f"{n:,}"] for (s, k, r), n in rows], 1),
    ]
    lines += ["", "Rows per source:", ""]
    sources = sorted(rs.sources.items())
    lines += _table(["source", "kind", "rows"], [[f"`{s}`", k, f"{n:,}"] for (s, k), n in sources], 1)
    missing = [s for s in SPLIT_ORDER if not c.split_rows.get(s)]
    if missing:
        lines += ["", f"No rows went to {', '.join(missing)}: the split is left out."]
    return lines


def _baselines(c: CardInput) -> list[str]:
    base = c.stats.get("baselines") or {}
    if not base:
        return []
    rows = [
        [s, f"{b['rows']:,}", f"{b['cer']:.4f}", f"{b['wer']:.4f}", f"{b['chrf']:.2f}", f"{b['bleu']:.2f}"]
        for s, b in base.items()
    ]
    sampled = [f"{s} {b['scored_rows']:,} of {b['rows']:,}" for s, b in base.items() if b["scored_rows"] < b["rows"]]
    note = (
        f" chrF and BLEU are scored on a sample of rows chosen by a hash of their id ({'; '.join(sampled)}; "
        "`card.baseline_sample`)."
        if sampled
        else ""
    )
    return [
        "## Identity baselines: the numbers a restoration model must beat",
        "",
        "The garbled text returned unchanged, scored as the restoration of the clean text. A model must get CER "
        "and WER below these and chrF and BLEU above them. CER and WER are corpus-level (all edits of the split "
        "over all its reference characters or words, by Levenshtein distance); chrF (character 6-grams, "
        f"beta 2) and BLEU (13a tokens) are corpus-level by sacrebleu with its defaults.{note}",
        "",
        *_table(["split", "rows", "CER", "WER", "chrF", "BLEU"], rows, 5),
    ]


def _leakage(c: CardInput) -> list[str]:
    leak = c.stats.get("leakage")
    if not leak:
        return []
    pairs = list(leak["sentences"]["exact"])
    near = leak["documents"]["near"]
    rows = [
        ["documents with the same text", *(f"{leak['documents']['exact'][p]:,}" for p in pairs)],
        [
            f"near-duplicate document pairs (similarity ≥ {leak['near_threshold']})"
            if near is not None
            else "near-duplicate document pairs (not measured: dedup.near=false)",
            *(f"{near[p]:,}" if near is not None else "–" for p in pairs),
        ],
        ["distinct clean texts of rows", *(f"{leak['sentences']['exact'][p]:,}" for p in pairs)],
    ]
    steps = c.stats.get("steps", {})
    dropped = steps.get("leakage", {}).get("dropped", 0)
    rejected = steps.get("split", {}).get("near_duplicate_rejected", 0)
    grouped = (
        f"Near-copies were grouped before the split, and {rejected:,} documents that would have put a near-copy "
        "in a later split were rejected"
        if near is not None
        else "Near-copies were not grouped (`dedup.near=false`)"
    )
    return [
        "## Leakage across splits",
        "",
        f"What the written splits share (earlier/later split); the goal is zero, and the total is "
        f"**{leak['total']:,}**. {grouped}; {dropped:,} evaluation rows whose clean text an earlier split has "
        "were dropped (`seen_in_train`, `seen_in_validation`).",
        "",
        *_table(["shared", *pairs], rows, len(pairs)),
    ]


def _plots(c: CardInput) -> list[str]:
    plots = c.stats.get("plots") or {}
    lines = ["## Plots", ""]
    for name, path in plots.items():
        lines += [f"![{name}]({path})", "", CAPTIONS[name], ""]
    if "edit_categories" in plots and c.rowstats.kind_rows("real"):
        shown = min(c.rowstats.categorized_real, MAX_CATEGORIZED_REAL)
        lines += [
            f"Real rows' edits are word-level diffs; their categories come from the categoriser of noise profiles, "
            f"run on the first {shown:,} real rows. Synthetic edits are named by the operation that made them.",
            "",
        ]
    for note in c.stats.get("plot_notes") or []:
        lines += [f"Not drawn: {note}.", ""]
    return lines[:-1] if lines[-1] == "" else lines


def _licence(c: CardInput) -> list[str]:
    if c.license == "unknown":
        text = (
            "The licence is `unknown`: the builder does not know the licence of its input. The rows are derived "
            "from the input text, so its terms apply; set `card.license=<id>` when you know them."
        )
    else:
        text = f"`{c.license}`, as the build was told (`card.license`)."
    return ["## Licence", "", text]


def _provenance(c: CardInput) -> list[str]:
    sig = c.stats.get("signature", {})
    who = c.stats.get("builder", {})
    return [
        "## How it was built",
        "",
        f"- builder: garble-builder {who.get('version', 'unknown')} (code `{who.get('code', '?')}`)",
        f"- settings signature: `{sig.get('settings', '?')}`: a hash of the configuration below, less what "
        "decides only where and how fast the build runs (`runner.*`, `write.root`, `write.name`, "
        "`write.overwrite`, `write.resume`) and where the input files are (`source.path`)",
        f"- input signature: `{sig.get('input', '?')}`: a hash of the names and bytes of the "
        f"{c.input_files:,} input file{'s' if c.input_files != 1 else ''}",
        "",
        "Two builds with the same three hashes hold the same rows. `stats.json` holds them too.",
    ]


def _ledger(stats: dict) -> list[str]:
    docs, rows = stats["documents"], stats["rows"]
    return [
        "## Ledger",
        "",
        f"- documents in: {docs['in']:,}",
        f"- written: {docs['written']:,}",
        f"- filtered: {sum(docs['filtered'].values()):,} {json.dumps(docs['filtered'])}",
        f"- rejected: {sum(docs['rejected'].values()):,} {json.dumps(docs['rejected'])} (see rejects.jsonl)",
        f"- paired: {docs.get('paired', 0):,} (clean documents that became the reference of a garbled one)",
        f"- rows filtered by reason: {json.dumps(rows['filtered'])} (see filtered/)",
        *_date_lines(stats),
    ]


COLUMNS = [
    "## Columns",
    "",
    "`id` stable row id, `doc_id`, `source`, `kind` (real | synthetic), `garbled`, `clean`,",
    "`align` (sentence group, e.g. 2-1), `align_score` (share of each side covered by the other,",
    "1 for synthetic rows), `edits` (op, start, end, before, after in `clean` coordinates;",
    "replaying them on `clean` gives `garbled`), `cer`, `wer`, `recipe`, `lang`, `date`.",
]


def card(c: CardInput) -> str:
    """The card's text (YAML front matter and Markdown), checked by parsing it back."""
    from huggingface_hub import DatasetCard, DatasetCardData

    data = DatasetCardData(**metadata(c))
    body: list[str] = [f"# {c.pretty_name or c.name}", "", *_what(c), "", *_composition(c)]
    for section in (_baselines(c), _leakage(c), _plots(c)):
        if section:
            body += ["", *section]
    if c.about:
        body += ["", c.about.strip()]
    kept = [f"`{n}`" for n in c.features if n not in ROW_COLUMNS]
    columns = [*COLUMNS, *([f"Input fields kept as they were (`source.keep`): {', '.join(kept)}."] if kept else [])]
    body += ["", *_licence(c), "", *_provenance(c), "", *_ledger(c.stats), "", *columns]
    body += ["", "## Build configuration", "", "```yaml", c.config_yaml.rstrip(), "```", ""]
    text = f"---\n{data.to_yaml()}\n---\n\n" + "\n".join(body)
    return str(DatasetCard(text))


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
