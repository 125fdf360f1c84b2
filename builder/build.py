"""One build: read, run the pipeline, account for everything, write, publish.

All output goes to a hidden staging folder next to the target and is renamed into
place only when complete, so an interrupted build leaves the previous dataset as
it was. Intermediate Arrow files live in a second hidden folder, removed at the end.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.compute as pc
from omegaconf import DictConfig, OmegaConf

from builder.config import ConfigError, validate
from builder.pipeline import Pipeline
from builder.readers import make_reader
from builder.runners import RUNNERS
from builder.schema import DOC_FEATURES, work_schema
from builder.stages.split import ISO_DATE, SPLITS
from builder.write.card import card
from builder.write.ledger import build_ledger
from builder.write.publish import publish, staging_dir
from builder.write.shards import write_split, write_table_rows

log = logging.getLogger("builder")


@dataclass
class BuildResult:
    path: Path
    stats: dict[str, Any]


def dataset_name(cfg: DictConfig, sweep_suffix: str = "") -> str:
    name = cfg.write.name
    if name == "auto":
        name = cfg.source.name + (f"__{sweep_suffix}" if sweep_suffix else "")
    return re.sub(r"[^\w.=,+-]+", "_", name)


def _generate(source_cfg: dict):
    """Documents for ``Dataset.from_generator`` (a plain function: it must pickle)."""
    reader = make_reader(OmegaConf.create(source_cfg))
    yield from reader.documents()


def read_documents(cfg: DictConfig, workdir: Path):
    import datasets
    from datasets.exceptions import DatasetGenerationError

    source = OmegaConf.to_container(cfg.source, resolve=True)
    try:
        return datasets.Dataset.from_generator(
            _generate,
            gen_kwargs={"source_cfg": source},
            features=DOC_FEATURES,
            cache_dir=str(workdir / "cache"),
            keep_in_memory=False,
        )
    except DatasetGenerationError as e:
        cause = e.__cause__
        while cause is not None and not isinstance(cause, ConfigError):
            cause = cause.__cause__
        if isinstance(cause, ConfigError):
            raise cause from None
        raise


def temporal_cutoffs(dates: list[str], validation: float, test: float) -> tuple[str | None, str | None]:
    """The first dates of the validation and test periods so that the newest documents
    fill the test share and the next newest the validation share."""
    iso = sorted(d for d in dates if d and ISO_DATE.match(d))
    if not iso:
        raise ConfigError("split.method=temporal: no document has an ISO date (YYYY-MM-DD)")
    n = len(iso)

    def start(share: float) -> str | None:
        k = round(n * (1 - share))
        return iso[k] if share > 0 and k < n else None

    return start(validation + test), start(test)


def build(cfg: DictConfig, sweep_suffix: str = "") -> BuildResult:
    t0 = time.perf_counter()
    validate(cfg)
    _progress(cfg.runner.progress)
    Pipeline(cfg)  # checks the stage order before any document is read
    name = dataset_name(cfg, sweep_suffix)
    root = Path(cfg.write.root).expanduser()
    final = root / name
    if final.exists() and not cfg.write.overwrite:
        raise ConfigError(f"{final} exists (write.overwrite=false)")
    root.mkdir(parents=True, exist_ok=True)
    workdir, staging = staging_dir(final, "work"), staging_dir(final, "tmp")
    workdir.mkdir()
    try:
        docs = read_documents(cfg, workdir)
        if cfg.source.pairing:
            from builder.pairing_step import pair_corpus

            docs = pair_corpus(docs, cfg)
        cfg = _with_temporal_cutoffs(cfg, docs)
        pipeline = Pipeline(cfg)
        work = RUNNERS[cfg.runner.kind](cfg).run(docs, pipeline, workdir)
        stats = _write(work, cfg, name, staging)
        stats["time_seconds"] = round(time.perf_counter() - t0, 3)
        clean_mb = (pc.sum(pc.binary_length(docs.data.table["clean"])).as_py() or 0) / 1e6
        stats["throughput"] = {
            "documents_per_second": round(stats["documents"]["in"] / max(stats["time_seconds"], 1e-9), 2),
            "clean_mb_per_second": round(clean_mb / max(stats["time_seconds"], 1e-9), 4),
            "workers": cfg.runner.workers,
        }
        (staging / "stats.json").write_text(json.dumps(stats, indent=2, sort_keys=True) + "\n")
        publish(staging, final)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        shutil.rmtree(staging, ignore_errors=True)
    return BuildResult(final, stats)


def _progress(enabled: bool) -> None:
    import datasets

    if enabled:
        datasets.enable_progress_bars()
    else:
        datasets.disable_progress_bars()


def _with_temporal_cutoffs(cfg: DictConfig, docs) -> DictConfig:
    s = cfg.split
    if s.method != "temporal" or (s.validation_from and s.test_from):
        return cfg
    validation_from, test_from = temporal_cutoffs(docs["date"], s.validation, s.test)
    cfg = cfg.copy()
    cfg.split.validation_from = s.validation_from or validation_from
    cfg.split.test_from = s.test_from or test_from
    return cfg


LEDGER_COLUMNS = ["doc_seq", "doc_id", "source", "doc_hash", "reject", "reject_detail", "drop", "split", "kind", "lang"]


def _write(work, cfg: DictConfig, name: str, staging: Path) -> dict[str, Any]:
    cols = work.select(LEDGER_COLUMNS).to_pandas()
    ledger = build_ledger(cols, dedup=cfg.filter.dedup_documents)
    ok = cols["reject"].to_numpy(dtype=object) == ""
    keep = ok & (ledger.drop == "")
    split = cols["split"].to_numpy(dtype=object)
    data_dir = staging / "data"
    split_rows, split_files, split_bytes = {}, {}, {}
    for s in SPLITS:
        idx = np.flatnonzero(keep & (split == s))
        split_rows[s] = len(idx)
        if len(idx):
            split_files[s], split_bytes[s] = write_split(
                work, idx, s, data_dir, cfg.write.max_rows_per_shard, cfg.write.compression
            )
        else:
            log.warning("split %r is empty: it is left out of the dataset", s)
    filtered_idx = np.flatnonzero(ok & (ledger.drop != ""))
    schema = work_schema()
    write_table_rows(work, filtered_idx, staging / "filtered.parquet", schema, {"drop": ledger.drop})
    with open(staging / "rejects.jsonl", "w", encoding="utf-8") as fh:
        for rec in ledger.rejects.to_dict("records"):
            fh.write(
                json.dumps(
                    {k: (int(v) if isinstance(v, np.integer) else v) for k, v in rec.items()}, ensure_ascii=False
                )
                + "\n"
            )
    config_yaml = OmegaConf.to_yaml(cfg, resolve=True)
    (staging / "config.yaml").write_text(config_yaml)
    stats = {
        "name": name,
        "documents": ledger.documents,
        "ledger_balanced": ledger.balanced,
        "rows": ledger.rows,
        "splits": {s: split_rows[s] for s in SPLITS},
        "split_bytes": split_bytes,
        "languages": sorted(set(pd.unique(cols.loc[keep, "lang"]))),
        "cer_mean": _mean(work, keep, "cer"),
        "seed": int(cfg.seed),
    }
    if not ledger.balanced:
        raise RuntimeError(f"ledger does not add up: {ledger.documents}")
    (staging / "README.md").write_text(card(name, split_rows, split_files, stats, config_yaml))
    return stats


def _mean(work, mask: np.ndarray, column: str) -> float | None:
    values = work.column(column).to_numpy(zero_copy_only=False)[mask]
    values = values[~pd.isna(values)].astype(float)
    return round(float(values.mean()), 6) if len(values) else None
