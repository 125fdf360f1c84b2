"""One build: read, run the pipeline, account for everything, write, publish.

The order of a build, and what each step guarantees:

1. The config and the target folder name are checked; nothing is read before.
2. A lock on the name (``builder.pipeline.writers.lock``) makes a second build of the same name
   refuse at once. Holding it, the build tidies what a killed build of this name left
   and checks that an existing dataset there is the builder's own to replace.
3. Documents are read into the work folder, then built in fixed chunks
   (``builder.runners.chunks``); a killed build's finished chunks are reused when the
   config and input are the same (``builder.app.workspace``).
4. The ledger is counted. When no row survives, the ledger goes to ``<name>.failed/``
   and the build stops with one line; any earlier dataset is left as it was.
5. The dataset is written to a hidden staging folder, signed as the builder's, and
   renamed into place in one step.

Nothing in the dataset depends on timing: the time a build took is in the result and
the summary line, not in the files.
"""

from __future__ import annotations

import errno
import json
import logging
import shutil
import time
from collections.abc import Iterable
from concurrent.futures import Executor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from omegaconf import DictConfig, OmegaConf

from builder.app.config import validate
from builder.app.signature import builder_identity, signature
from builder.app.steps import make_pipeline, pairing_on
from builder.app.workspace import Workspace, fingerprint, input_files
from builder.core.errors import BuildError, ConfigError, NothingToWrite
from builder.core.heap import frozen_heap, give_back, set_aside
from builder.core.schema import ROW_COLUMNS, row_features, work_schema
from builder.noise.language import is_english
from builder.pipeline.readers import make_reader
from builder.pipeline.steps.leakage import Leakage, measure
from builder.pipeline.steps.neardup import NearDup
from builder.pipeline.steps.split import SPLITS, readable_date
from builder.pipeline.writers.baselines import IdentityBaselines
from builder.pipeline.writers.card import CardInput, card
from builder.pipeline.writers.counting import BatchCounts
from builder.pipeline.writers.keep import KeptColumns
from builder.pipeline.writers.ledger import COLUMNS as LEDGER_COLUMNS
from builder.pipeline.writers.ledger import Ledger, RejectLog, batches_of, build_ledger
from builder.pipeline.writers.lock import BuildLock
from builder.pipeline.writers.mapped import RowsAt
from builder.pipeline.writers.plots import draw_plot, load_matplotlib, plot_names, plot_path
from builder.pipeline.writers.publish import publish
from builder.pipeline.writers.rowstats import RowStats
from builder.pipeline.writers.shards import Encoder, ShardWriter
from builder.pipeline.writers.target import Target, is_ours, mark, safe_name
from builder.runners import RUNNERS
from builder.runners.base import Runner
from builder.runners.chunks import ChunkStore
from builder.runners.workers import on_workers, process_pool

log = logging.getLogger("builder")


@dataclass
class BuildResult:
    path: Path
    stats: dict[str, Any]
    timing: dict[str, Any] = field(default_factory=dict)  # seconds and throughput: not in the files
    replaced: bool = False  # an earlier dataset of this name was replaced
    resumed_chunks: int = 0  # chunks reused from an interrupted build
    notes: list[str] = field(default_factory=list)


# -- names ---------------------------------------------------------------------------------------------------------


def input_stem(source: Any) -> str:
    """The folder name a corpus gives by default: its file or folder stem (``news`` for
    news.jsonl.gz), the hub name for a hub dataset, ``sample`` for the sample."""
    if source.kind == "sample" or not source.path:
        return source.kind
    path = Path(str(source.path)).expanduser()
    if source.kind == "hf" and not path.exists():
        return str(source.path)
    while any(ch in path.name for ch in "*?[") and path.name:
        path = path.parent
    if not path.name:
        path = path.resolve()
    name = path.name
    if path.is_file() or "." in name:
        while "." in name and not name.startswith("."):
            name, _, suffix = name.rpartition(".")
            if not suffix or len(suffix) > 8:
                name = f"{name}.{suffix}"
                break
    return name or source.kind


def dataset_name(cfg: DictConfig, sweep_suffix: str = "") -> str:
    """The dataset folder name: ``write.name``, or from the input when it is ``auto``; a
    sweep point adds its overrides, so every point has its own folder."""
    raw, key = cfg.write.name, "write.name"
    if raw == "auto":
        user_named = cfg.source.name != cfg.source.kind
        raw = cfg.source.name if user_named else input_stem(cfg.source)
        key = "source.name" if user_named else "source.path"
    if sweep_suffix:
        raw = f"{raw}__{sweep_suffix}"
    return safe_name(str(raw), key)


def target_for(cfg: DictConfig, sweep_suffix: str = "") -> Target:
    return Target(Path(cfg.write.root).expanduser(), dataset_name(cfg, sweep_suffix))


# -- reading ---------------------------------------------------------------------------------------------------------


def read_documents(cfg: DictConfig, path: Path, runner: Runner) -> pa.Table:
    """Every record of the input as a document row (rejects included), saved as Arrow
    next to the work by the runner; a complete file is reused by a resumed build."""
    if not path.exists():
        runner.read(make_reader(cfg.source, pairing=pairing_on(cfg)), path)
    return pa.ipc.open_stream(pa.memory_map(str(path))).read_all()


def source_files(cfg: DictConfig) -> list[Path]:
    if cfg.source.kind == "sample":
        from builder.pipeline.readers.sample import SampleReader

        return SampleReader(cfg.source).files()
    return input_files(cfg.source.path)


def _record(cfg: DictConfig, chosen: dict[str, Any]) -> DictConfig:
    """The config with what a corpus step chose from the data (for config.yaml)."""
    if not chosen:
        return cfg
    cfg = cfg.copy()
    for key, value in chosen.items():
        OmegaConf.update(cfg, key, value)
    return cfg


def measure_leakage(rows: pa.Table, pipeline: Any) -> dict[str, Any]:
    """What the written splits share, with the near-duplicate pairs the ``neardup`` step
    linked (and the row keys the ``leakage`` step took, when it ran)."""
    near = next((st for st in pipeline.before if isinstance(st, NearDup) and st.enabled), None)
    keys = next((st.keys for st in pipeline.after if isinstance(st, Leakage)), None)
    return measure(rows, near.pairs if near else None, near.threshold if near else None, keys)


def noise_counts(rows: pa.Table, default_lang: str) -> dict[str, int]:
    """What the noise step did, counted from its rows (a batch stage counts nothing
    itself): ``non_english_documents`` were garbled with the recipe's script-neutral part
    only (``Recipe.script_neutral``); documents rejected later are not counted. A batch
    at a time: the rows of a document are contiguous, so counting where a run of such
    rows starts counts each document once."""
    found, previous, english = 0, None, {}
    for batch in batches_of(rows, ("doc_seq", "kind", "reject", "lang"), size=65536):
        mask = pc.and_(pc.equal(batch.column("kind"), "synthetic"), pc.equal(batch.column("reject"), ""))
        part = batch.filter(pc.fill_null(mask, False))
        langs = part.column("lang")
        for lang in pc.unique(langs).to_pylist():
            if lang not in english:
                english[lang] = is_english(lang, default_lang)
        other = [lang for lang, yes in english.items() if not yes]
        if not other or not part.num_rows:
            continue
        seqs = part.filter(pc.is_in(langs, pa.array(other, pa.string()))).column("doc_seq").to_numpy()
        starts = np.ones(len(seqs), dtype=bool)
        starts[1:] = seqs[1:] != seqs[:-1]
        if len(seqs) and seqs[0] == previous:
            starts[0] = False
        found += int(starts.sum())
        if len(seqs):
            previous = int(seqs[-1])
    return {"non_english_documents": found}


def date_counts(docs: pa.Table) -> dict[str, Any]:
    """How many usable documents have a readable date, an unreadable one, or none."""
    readable = unreadable = missing = 0
    examples: set[str] = set()  # the five smallest unreadable dates
    for batch in batches_of(docs, ("date", "reject"), size=65536):
        ok = pc.fill_null(pc.equal(batch.column("reject"), ""), False)
        for d in batch.column("date").filter(ok).to_pylist():
            if not d:
                missing += 1
            elif readable_date(d):
                readable += 1
            else:
                unreadable += 1
                if len(examples) < 5 or d < max(examples):
                    examples.add(d)
                    if len(examples) > 5:
                        examples.remove(max(examples))
    return {"readable": readable, "unreadable": unreadable, "missing": missing, "unreadable_examples": sorted(examples)}


# -- the build -------------------------------------------------------------------------------------------------------


def build(cfg: DictConfig, sweep_suffix: str = "") -> BuildResult:
    t0 = time.perf_counter()
    validate(cfg)
    make_pipeline(cfg)  # checks the stage order before any document is read
    target = target_for(cfg, sweep_suffix)
    target.prepare_root()
    try:
        with BuildLock(target.hidden("lock"), str(target.final)), frozen_heap():
            return _build_locked(cfg, target, t0)
    except OSError as e:
        if not is_write_fault(e, target):
            raise
        raise BuildError(os_error_line(e, target)) from None
    except BrokenProcessPool:
        raise BuildError(WORKER_DIED) from None


WORKER_DIED = (
    "a worker process died (killed, or out of memory: fewer runner.workers or a smaller "
    "runner.chunk_size use less); nothing was replaced, and the finished work is kept: "
    "run the same command again to resume"
)


_DISK_FULL_OR_READ_ONLY = {errno.ENOSPC, errno.EDQUOT, errno.EROFS}


def is_write_fault(e: OSError, target: Target) -> bool:
    """An error of the disk the dataset goes to (not of the input, which readers account for)."""
    if e.errno in _DISK_FULL_OR_READ_ONLY:
        return True
    root = str(target.root.resolve())
    return any(str(Path(f).resolve()).startswith(root) for f in (e.filename, e.filename2) if f)


def os_error_line(e: OSError, target: Target) -> str:
    where = e.filename or target.final
    what = e.strerror or type(e).__name__
    return f"cannot write the dataset {target.final}: {what} ({where}); nothing was replaced"


def _build_locked(cfg: DictConfig, target: Target, t0: float) -> BuildResult:
    notes = target.recover()
    replaced = target.check_replaceable(cfg.write.overwrite)
    plain = OmegaConf.to_container(cfg, resolve=True)
    files = source_files(cfg)
    workspace = Workspace(target.work, fingerprint(plain, files))
    note = workspace.open(cfg.write.resume)
    if note:
        notes.append(note)
    for n in notes:
        log.info(n)
    staging = target.staging
    # The build's own worker processes, for the corpus steps and the writer (a Ray build
    # runs its rows on the cluster and these steps here, inline).
    pool_workers = cfg.runner.workers if cfg.runner.kind == "local" else 1
    try:
        pipeline = make_pipeline(cfg)
        with RUNNERS[cfg.runner.kind](cfg.runner) as runner:
            try:
                docs = read_documents(cfg, workspace.docs, runner)
                scratch = workspace.scratch()
                for step in (*pipeline.before, *pipeline.after):
                    step.scratch = scratch
                with process_pool(pool_workers) as pool:
                    for step in pipeline.before:
                        with on_workers(step, pool, cfg.runner.workers):
                            docs = step.run(docs)
                        cfg = _record(cfg, step.chosen())
                kept = KeptColumns.from_documents(docs, list(cfg.source.keep), ROW_COLUMNS) if cfg.source.keep else None
            except ConfigError:
                workspace.remove()  # the input does not fit the config: nothing worth resuming
                raise
            store = ChunkStore(workspace.rows, docs.num_rows, cfg.runner.chunk_size)
            reused = store.n_chunks - len(store.pending())
            if reused:
                log.info("reusing %d of %d finished chunks", reused, store.n_chunks)
            set_aside()  # the corpus steps' leftovers: not walked by every collection while rows are built
            # While the workers build the rows, this process imports what the writer's
            # workers will draw with: forked later, they have it.
            runner.run(docs, pipeline, store, load_matplotlib if pool_workers > 1 else None)
        before_join = workspace.size()
        rows = store.table()
        with process_pool(pool_workers) as pool:
            for step in pipeline.after:
                with on_workers(step, pool, cfg.runner.workers):
                    rows = step.run(rows)
        give_back()  # what joining the chunks and the rows steps freed
        work_bytes = max(before_join + store.joined_bytes, workspace.size())  # its largest: the join, or now
        leakage = measure_leakage(rows, pipeline)
        paired = sum(step.stats.get("paired", 0) for step in pipeline.before)
        step_stats = {step.name: step.stats for step in (*pipeline.before, *pipeline.after) if step.stats}
        rejects = RejectLog(workspace.folder / "rejects.jsonl")
        ledger = build_ledger(batches_of(rows, LEDGER_COLUMNS), paired, rejects)
        rejects.close()
        if not ledger.balanced:
            raise RuntimeError(f"ledger does not add up: {ledger.documents}")
        dates = date_counts(docs)
        clean_mb = (pc.sum(pc.binary_length(docs.column("clean"))).as_py() or 0) / 1e6
        # The documents are not needed past here: at a million, their mapped table's
        # record batch structures alone hold some ten megabytes of the heap.
        del docs
        if dates["unreadable"]:
            log.warning(
                "%d documents have a date that cannot be read (e.g. %s): they count as undated",
                dates["unreadable"],
                ", ".join(repr(d) for d in dates["unreadable_examples"][:3]),
            )
        if not sum(ledger.rows["written"].values()):
            try:
                _fail(cfg, target, ledger, rejects, dates, step_stats)
            finally:
                workspace.remove()  # the work is complete: a rerun would fail the same way
        noise = noise_counts(rows, cfg.source.lang)
        # The writer reads the rows file a batch at a time (``ChunkStore.batches``); only
        # the columns the rows steps rewrote are held whole.
        held = {c: rows.column(c) for step in pipeline.after for c in step.outputs if c in rows.column_names}
        del rows
        staging.mkdir()
        mark(staging, target.name)  # from the start, so a dead build's staging is known as the builder's
        set_aside()  # before the writer's workers are forked
        # The local runner's workers count the rows, score the baselines and draw the plots.
        with process_pool(pool_workers) as pool:
            stats = _write(
                store.batches(work_schema().names, WRITE_ROWS, held),
                ledger,
                rejects,
                dates,
                {"steps": step_stats, "leakage": leakage, "kept": kept, "noise": noise},
                cfg,
                target.name,
                staging,
                files,
                pool,
            )
        publish(staging, target.final, target.previous)
        if target.report.exists() and is_ours(target.report):
            shutil.rmtree(target.report, ignore_errors=True)  # the failure it reported is over
        workspace.remove()
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    seconds = time.perf_counter() - t0
    timing = {
        "seconds": round(seconds, 3),
        "documents_per_second": round(stats["documents"]["in"] / max(seconds, 1e-9), 2),
        "clean_mb_per_second": round(clean_mb / max(seconds, 1e-9), 4),
        "workers": cfg.runner.workers,
        "work_folder_mb": round(work_bytes / 1e6, 1),  # at its largest; removed now
    }
    return BuildResult(target.final, stats, timing, replaced, reused, notes)


# -- accounting and writing ------------------------------------------------------------------------------------------


def top_reasons(ledger: Ledger, k: int = 3) -> str:
    docs = ledger.documents
    counts = {**{f"filtered {r}": n for r, n in docs["filtered"].items()}}
    counts.update({f"rejected {r}": n for r, n in docs["rejected"].items()})
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
    return ", ".join(f"{r} {n:,}" for r, n in top)


def _fail(cfg: DictConfig, target: Target, ledger: Ledger, rejects: RejectLog, dates: dict, steps: dict) -> None:
    """No row survived: keep the ledger where the user can read it, and stop."""
    docs = ledger.documents
    stats = {"name": target.name, "documents": docs, "ledger_balanced": ledger.balanced, "rows": ledger.rows}
    stats["dates"] = dates
    stats["steps"] = steps
    report = target.report
    where = ""
    if report.exists() and not is_ours(report):
        where = f"; the ledger was not written ({report} exists and is not the builder's)"
    else:
        tmp = target.staging
        tmp.mkdir()
        (tmp / "stats.json").write_text(json.dumps(stats, indent=2, sort_keys=True) + "\n")
        rejects.copy_to(tmp / "rejects.jsonl")
        (tmp / "config.yaml").write_text(OmegaConf.to_yaml(cfg, resolve=True))
        mark(tmp, target.name)
        publish(tmp, report, target.previous)
        where = f"; stats.json and rejects.jsonl are in {report}"
    kept = f"; {target.final} was left as it was" if target.final.exists() else ""
    if docs["in"] == 0:
        what = f"no documents were read from source.path={cfg.source.path!r}"
    else:
        what = f"none of the {docs['in']:,} documents gave a row ({top_reasons(ledger)})"
    raise NothingToWrite(f"nothing to write: {what}{where}{kept}", str(report))


#: Rows the writer takes at a time. Its counting (row stats, baselines) costs about the
#: same per call whatever the rows, but each batch is held several times over (kept rows,
#: their cast, the baselines' Python strings): 8,192 saved about a second at 20,000
#: documents and raised peak memory by 26 MB at 10,000.
WRITE_ROWS = 2048
#: Batches between two hand-backs of freed memory (``give_back``) while writing.
GIVE_BACK_EVERY = 128


def _write(
    work: Iterable[tuple[RowsAt, pa.RecordBatch]],
    ledger: Ledger,
    rejects: RejectLog,
    dates: dict,
    counted: dict,
    cfg: DictConfig,
    name: str,
    staging: Path,
    files: list[Path],
    pool: Executor | None = None,
) -> dict[str, Any]:
    """The rows (``work``: record batches of the work schema, in order, each with where
    it lies in the rows file) go to their split's shards, the filtered rows to
    ``filtered/``'s; the same pass gathers what the card's tables, plots and baselines need."""
    split_rows = {s: int(ledger.rows["written"].get(s, 0)) for s in SPLITS}
    kept_columns = counted["kept"]
    row_features_ = row_features(kept_columns.features() if kept_columns else None)
    row_schema_, all_schema = row_features_.arrow_schema, work_schema()
    # with worker processes the driver is the bottleneck here: a thread encodes the row groups
    encoder = Encoder() if pool else None
    max_rows = cfg.write.max_rows_per_shard
    writers = {
        s: ShardWriter(staging / "data", s, n, max_rows, row_schema_, cfg.write.compression, encoder)
        for s, n in split_rows.items()
        if n
    }
    for s, n in split_rows.items():
        if not n:
            log.warning("split %r is empty: it is left out of the dataset", s)
    filtered_rows = sum(ledger.rows["filtered"].values())
    # the work columns the shards take (the kept document columns are added to them)
    written = [c for c in row_schema_.names if c in all_schema.names]
    if kept_columns and "doc_seq" not in written:
        written.append("doc_seq")
    filtered = ShardWriter(staging / "filtered", "filtered", filtered_rows, max_rows, all_schema, "zstd", encoder)
    cer_sum, cer_n, languages = 0.0, 0, set()
    rowstats = RowStats()
    submit, in_flight = (pool.submit if pool else None), 4 * cfg.runner.workers
    baselines = IdentityBaselines(submit, in_flight, cfg.card.baseline_sample, split_rows)
    # the rows' statistics and baselines are counted on the workers while the driver writes
    counts = BatchCounts(rowstats, baselines, list(writers), submit, in_flight)
    try:
        for k, (where, batch) in enumerate(work):
            if k % GIVE_BACK_EVERY == GIVE_BACK_EVERY - 1:
                give_back()  # the copies of the batches written so far
            table = pa.Table.from_batches([batch])
            # null as "": the ledger's rule (a falsy reason is none), so its counts are the files'
            drop = pc.fill_null(batch.column("drop"), "")
            ok = pc.equal(pc.fill_null(batch.column("reject"), ""), "")
            dropped = pc.not_equal(drop, "")
            gone = pc.and_(ok, dropped)
            if pc.any(gone).as_py():
                part = table.filter(gone)
                part = part.set_column(part.schema.get_field_index("drop"), "drop", drop.filter(gone))
                filtered.write(part)
            keep = pc.and_not(ok, dropped)
            if not pc.any(keep).as_py():
                continue
            cer = pc.filter(batch.column("cer"), keep).drop_null()
            cer_sum, cer_n = cer_sum + (pc.sum(cer).as_py() or 0.0), cer_n + len(cer)
            languages.update(pc.unique(pc.filter(batch.column("lang"), keep)).to_pylist())
            counts.add(table, keep, where)
            # each split's kept rows cut out of the batch at once: one copy of the texts
            split = batch.column("split")
            rows = table.select(written)
            for s, writer in writers.items():
                part = rows.filter(pc.and_(keep, pc.equal(split, s)))
                if not part.num_rows:
                    continue
                if kept_columns:
                    for column, values in kept_columns.take(part.column("doc_seq")).items():
                        part = part.append_column(column, values)
                writer.write(part)
        counts.finish()
    finally:
        try:
            filtered.close(keep_empty=True)
            for writer in writers.values():
                writer.close()
        finally:
            if encoder is not None:
                encoder.close()
    rejects.copy_to(staging / "rejects.jsonl")
    config_yaml = OmegaConf.to_yaml(cfg, resolve=True)
    (staging / "config.yaml").write_text(config_yaml)
    split_files = {s: w.names for s, w in writers.items()}
    give_back()  # before matplotlib's import and drawing, the last large allocations
    # On the workers when there are some (importing matplotlib and drawing take seconds),
    # one plot a task, after the baselines' last rows.
    baselines.flush()
    plot_list, plot_notes = plot_names(rowstats)
    drawn = [pool.submit(draw_plot, p, rowstats, staging) for p in plot_list] if pool else []
    baseline_scores = baselines.result(SPLITS)
    if not pool:
        for p in plot_list:
            draw_plot(p, rowstats, staging)
    # with workers, the plots are drawn while the statistics and the card that links them are written
    plots = {p: plot_path(p) for p in plot_list}
    stats = {
        "name": name,
        "documents": ledger.documents,
        "ledger_balanced": ledger.balanced,
        "rows": ledger.rows,
        "splits": split_rows,
        "split_bytes": {s: w.nbytes for s, w in writers.items()},
        "languages": sorted(languages),
        "cer_mean": round(cer_sum / cer_n, 6) if cer_n else None,
        "dates": dates,
        "seed": int(cfg.seed),
        "steps": counted["steps"],  # what each corpus step counted
        "leakage": counted["leakage"],  # what the splits share (zero is the goal)
        "noise": counted["noise"],  # what the noise step did (non-English documents)
        "baselines": baseline_scores,
        "signature": signature(OmegaConf.to_container(cfg, resolve=True), files, cfg.source.path),
        "builder": builder_identity(),
    }
    stats["plots"], stats["plot_notes"] = plots, plot_notes
    if cfg.split.method == "temporal":
        stats["undated"] = {"documents": dates["unreadable"] + dates["missing"], "to": cfg.split.undated}
    (staging / "stats.json").write_text(json.dumps(stats, indent=2, sort_keys=True) + "\n")
    about = ""
    if cfg.source.kind == "sample":
        from builder.pipeline.readers.sample import provenance

        about = provenance()
    facts = CardInput(
        name=name,
        split_rows=split_rows,
        split_files=split_files,
        stats=stats,
        config_yaml=config_yaml,
        rowstats=rowstats,
        license=cfg.card.license,
        pretty_name=cfg.card.pretty_name,
        description=cfg.card.description,
        tags=list(cfg.card.tags),
        about=about,
        input_files=len(files),
        features=row_features_,
    )
    (staging / "README.md").write_text(card(facts))
    for done in drawn:
        done.result()
    return stats
