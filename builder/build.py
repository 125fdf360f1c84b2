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
import pyarrow as pa
import pyarrow.compute as pc
from omegaconf import DictConfig, OmegaConf

from builder.config import ConfigError, validate
from builder.pipeline import Pipeline
from builder.readers import make_reader
from builder.runners import RUNNERS
from builder.schema import DOC_FEATURES, row_schema, work_schema
from builder.stages.split import ISO_DATE, SPLITS
from builder.write.card import card
from builder.write.ledger import COLUMNS as LEDGER_COLUMNS
from builder.write.ledger import as_json, batches_of, build_ledger, final_drop
from builder.write.publish import publish, staging_dir
from builder.write.shards import RowGroupWriter, ShardWriter

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


def _write(work, cfg: DictConfig, name: str, staging: Path) -> dict[str, Any]:
    """Two streaming passes over the built rows: count (the ledger), then write."""
    rejects: list[dict] = []
    ledger = build_ledger(batches_of(work, LEDGER_COLUMNS), cfg.filter.dedup_documents, rejects)
    if not ledger.balanced:
        raise RuntimeError(f"ledger does not add up: {ledger.documents}")
    split_rows = {s: int(ledger.rows["written"].get(s, 0)) for s in SPLITS}
    row_schema_, all_schema = row_schema(), work_schema()
    writers = {
        s: ShardWriter(staging / "data", s, n, cfg.write.max_rows_per_shard, row_schema_, cfg.write.compression)
        for s, n in split_rows.items()
        if n
    }
    for s, n in split_rows.items():
        if not n:
            log.warning("split %r is empty: it is left out of the dataset", s)
    filtered = RowGroupWriter(staging / "filtered.parquet", all_schema, "zstd")
    cer_sum, cer_n, languages = 0.0, 0, set()
    try:
        for batch in batches_of(work, all_schema.names, size=2048):
            table = pa.Table.from_batches([batch])
            drop = final_drop(batch, ledger.duplicates)
            ok = np.asarray(batch.column("reject").to_pylist(), dtype=object) == ""
            keep = ok & (drop == "")
            gone = ok & (drop != "")
            if gone.any():
                part = table.filter(pa.array(gone))
                part = part.set_column(part.schema.get_field_index("drop"), "drop", pa.array(drop[gone], pa.string()))
                filtered.write(part.cast(all_schema))
            if not keep.any():
                continue
            kept = table.filter(pa.array(keep))
            cer = kept.column("cer").drop_null()
            cer_sum, cer_n = cer_sum + (pc.sum(cer).as_py() or 0.0), cer_n + len(cer)
            languages.update(pc.unique(kept.column("lang")).to_pylist())
            split = kept.column("split")
            for s, writer in writers.items():
                part = kept.filter(pc.equal(split, s))
                if part.num_rows:
                    writer.write(part)
    finally:
        filtered.close()
        for writer in writers.values():
            writer.close()
    with open(staging / "rejects.jsonl", "w", encoding="utf-8") as fh:
        for rec in rejects:
            fh.write(json.dumps(as_json(rec), ensure_ascii=False) + "\n")
    config_yaml = OmegaConf.to_yaml(cfg, resolve=True)
    (staging / "config.yaml").write_text(config_yaml)
    split_files = {s: w.names for s, w in writers.items()}
    stats = {
        "name": name,
        "documents": ledger.documents,
        "ledger_balanced": ledger.balanced,
        "rows": ledger.rows,
        "splits": split_rows,
        "split_bytes": {s: w.nbytes for s, w in writers.items()},
        "languages": sorted(languages),
        "cer_mean": round(cer_sum / cer_n, 6) if cer_n else None,
        "seed": int(cfg.seed),
    }
    (staging / "README.md").write_text(card(name, split_rows, split_files, stats, config_yaml))
    return stats
