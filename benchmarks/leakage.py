"""Leakage across splits, and the share of unchanged rows, measured on real corpora.

- BBC (``../shared/corpora``), ``noise=typo``: built with near-copy grouping and the
  evaluation-row filter off (``dedup.near=false dedup.eval_in_train=keep``) and with the
  defaults; what ``stats.json`` counts under ``leakage`` and ``steps``, and how many of
  the near-copy pairs a split by each article's own id would have put in two splits.
- The share of written rows whose garbled side equals the clean side: in the BBC typo
  build with every identical row kept and with the default ``filter.keep_identical``,
  and in builds of the real OCR and MT pairs (``noise=none``, every identical row kept),
  the evidence the default share comes from.

    python -m benchmarks.leakage

Results: benchmarks/results/leakage.json. Needs ../shared (GARBLE_SHARED).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pyarrow as pa
import pyarrow.parquet as pq

from benchmarks.common import SHARED, write_result
from builder.app.api import build
from builder.core.schema import DOC_FEATURES
from builder.pipeline.steps.neardup import NearDup
from builder.pipeline.steps.split import Split

BBC = SHARED / "corpora" / "bbc_news_greene2006.jsonl"
REAL = {"ocr": SHARED / "real_pairs" / "icdar_postocr_en.jsonl", "mt": SHARED / "real_pairs" / "mlqe_pe_xx_en.jsonl"}


def identical_share(folder: Path) -> dict:
    table = pq.read_table(folder / "data", columns=["garbled", "clean"])
    pairs = zip(table.column("garbled").to_pylist(), table.column("clean").to_pylist(), strict=True)
    same = sum(g == c for g, c in pairs)
    return {"rows": table.num_rows, "identical": same, "share": round(same / max(table.num_rows, 1), 4)}


def built(path: Path, root: Path, name: str, *overrides: str) -> dict:
    result = build(
        [
            f"source.path={path}",
            "source=jsonl",
            f"write.root={root}",
            f"write.name={name}",
            "runner.progress=false",
            *overrides,
        ]
    )
    stats = json.loads((result.path / "stats.json").read_text())
    return {
        "overrides": list(overrides),
        "leakage": stats["leakage"],
        "steps": {k: v for k, v in stats["steps"].items() if k in ("neardup", "leakage", "split", "dedup")},
        "rows_written": stats["rows"]["written"],
        "identical": identical_share(result.path),
    }


def straddling_pairs() -> dict:
    """Near-copy pairs of BBC, and how many a split by each article's own id separates."""
    records = [json.loads(line) for line in BBC.open(encoding="utf-8")]
    docs = pa.Table.from_pylist(
        [
            {c: "" for c in DOC_FEATURES} | {"doc_seq": i, "doc_id": r["id"], "clean": r["text"]}
            for i, r in enumerate(records)
        ],
        schema=DOC_FEATURES.arrow_schema,
    )
    near = NearDup(SimpleNamespace(near=True, threshold=0.6, shingle=3, perms=128))
    grouped = near.run(docs)
    section = SimpleNamespace(
        method="hash", key="doc_id", column="split", train=None, validation=0.1, test=0.1,
        validation_from=None, test_from=None, undated="train",
    )  # fmt: skip
    alone = Split(section).run(docs).column("split").to_pylist()
    together = Split(section).run(grouped).column("split").to_pylist()
    folded = [" ".join(r["text"].lower().split()) for r in records]
    pairs = near.pairs.tolist()
    rewrites = [(i, j) for i, j in pairs if folded[i] != folded[j]]
    return {
        "pairs": len(pairs),
        "exact_copies": len(pairs) - len(rewrites),
        "rewrites": len(rewrites),
        "rewrites_in_two_splits_by_own_id": sum(alone[i] != alone[j] for i, j in rewrites),
        "pairs_in_two_splits_grouped": sum(together[i] != together[j] for i, j in pairs),
    }


def main(argv: list[str] | None = None) -> dict:
    out: dict = {"bbc_pairs": straddling_pairs()}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        out["bbc_typo"] = {
            "off": built(BBC, root, "off", "noise=typo", "dedup.near=false", "dedup.eval_in_train=keep"),
            "all_identical_kept": built(BBC, root, "all", "noise=typo", "filter.keep_identical=1"),
            "defaults": built(BBC, root, "defaults", "noise=typo"),
        }
        out["real_identical"] = {}
        for kind, path in REAL.items():
            overrides = ["source=jsonl", f"source.path={path}", "noise=none", "filter.keep_identical=1"]
            overrides += ["runner.progress=false", f"write.root={root}", f"write.name={kind}"]
            out["real_identical"][kind] = identical_share(build(overrides).path)
    write_result("leakage", out)
    return out


if __name__ == "__main__":
    print(json.dumps(main(), indent=2))
