"""Structured configs: the schema Hydra checks every YAML file and override against.

A wrong key or a value of the wrong type fails when the config is composed, before
any work starts; ``validate`` then checks what types cannot (ranges, names).
"""

from __future__ import annotations

import codecs
import typing
from dataclasses import dataclass, field, is_dataclass
from typing import Any

from hydra.core.config_store import ConfigStore
from omegaconf import MISSING

from builder.core.errors import ConfigError
from builder.noise.recipe import RecipeSpec
from builder.pipeline.steps.split import train_share

__all__ = ["BuildConfig", "ConfigError", "register", "train_share", "validate"]


@dataclass
class FieldsConfig:
    """Which input field holds each document attribute (null: try the usual names)."""

    doc_id: str | None = None
    clean: str | None = None
    garbled: str | None = None
    title: str | None = None
    date: str | None = None
    url: str | None = None
    source: str | None = None
    lang: str | None = None


@dataclass
class SourceConfig:
    kind: str = MISSING  # sample | jsonl | parquet | csv | textdir | hf
    name: str = MISSING  # names the output folder unless write.name says otherwise
    path: str | None = None  # file, folder or glob; hub name or local path for hf
    fields: FieldsConfig = field(default_factory=FieldsConfig)
    lang: str = "en"
    limit: int | None = None  # read at most this many records (for quick trials)
    max_chars: int = 2_000_000  # longer documents are rejected, not loaded
    encoding: str = "utf-8"  # text encoding of jsonl/csv/textdir files (latin-1, cp1252, ...); a BOM wins
    # hf only
    split: str = "train"
    config_name: str | None = None
    # csv only
    delimiter: str = ","
    header: str = "auto"  # auto | true | false: whether the first row names the columns
    columns: list[str] | None = None  # column names for files without a header row
    # textdir only: the two sub-folders holding matching file names
    garbled_dir: str = "garbled"
    clean_dir: str = "clean"
    glob: str = "*.txt"
    # sample only: include the Lee corpus of clean ABC news (needs gensim)
    include_lee: bool = True


@dataclass
class PairingConfig:
    """Garbled records without their clean text: pair them with clean records by content."""

    enabled: bool = False
    min_score: float = 0.5  # share of both documents the alignment must explain
    candidates: int = 3  # clean candidates verified per garbled document


@dataclass
class DedupConfig:
    """Documents that repeat an earlier one."""

    exact: bool = True  # drop the rows of a document whose text (case and spaces folded) came before


@dataclass
class NormalizeConfig:
    unicode_form: str = "NFC"  # NFC keeps ligatures and look-alikes: they are data
    boilerplate: str = "keep"  # keep | drop | unit


@dataclass
class SegmentConfig:
    paragraphs: str = "line"  # line: every newline ends a paragraph; blank: only blank lines
    extra_abbreviations: list[str] = field(default_factory=list)
    min_chars: int = 1


@dataclass
class AlignConfig:
    ngram: int = 3  # character n-gram size of the similarity features
    max_group: int = 2  # 2 allows 1-2, 2-1, 2-2; 3 adds 1-3 and 3-1
    threshold: float | None = None  # weighted n-gram Dice a group must beat; null: measured per document
    null_quantile: float = 0.95  # auto threshold: this quantile of unrelated sentence pairs' Dice
    null_margin: float = 0.0  # ... plus this
    threshold_floor: float = 0.1  # ... never below this
    fallback_threshold: float = 0.25  # documents too short to measure
    merge_cost: float = 0.3  # cost of a merge per unit of mass its smaller members add
    skip_cost: float = 0.0  # cost of leaving a sentence unaligned (1-0, 0-1), in mean sentence masses
    max_exact_cells: int = 250_000  # garbled x clean sentences aligned exactly; longer: coarse to fine
    block: int = 8  # sentences per block at each coarser level of a long document
    margin: int = 2  # blocks of slack around the coarse path
    pair_gaps: bool = True  # a lone garbled and a lone clean sentence between groups become a 1-1
    embedding: str | None = None  # optional sentence-transformers model for paraphrase-heavy text
    embedding_weight: float = 0.5
    embedding_threshold: float = 0.5
    # share of both sides explained by confident groups that a garbled/clean record needs;
    # below it the record is rejected whole as unrelated_pair (benchmarks/align.py chose 0.1:
    # unrelated articles score <= 0.011, true one-sentence pairs lose < 1% up to 0.2)
    min_document_score: float = 0.1


@dataclass
class NoiseConfig(RecipeSpec):
    """A recipe (name, level, ops, structure, protect_names) and how the build uses it."""

    apply_to: str = "clean_only"  # clean_only | all (also garble documents that have a garbled side)
    # a noise profile (python -m builder.profile) or a bundled one's name: replaces ops and
    # structure, and level then scales the profile's rates (1: as estimated)
    path: str | None = None


@dataclass
class UnitsConfig:
    level: str = "sentence"  # sentence | window | document
    max_chars: int = 1000  # window: consecutive groups up to this many clean characters


@dataclass
class FilterConfig:
    min_chars: int = 10
    max_chars: int = 5000
    max_length_ratio: float = 3.0
    drop_identical: bool = True
    drop_unaligned: bool = True  # 1-0 and 0-1 groups
    min_align_score: float = 0.5


@dataclass
class SplitConfig:
    method: str = "hash"  # hash | temporal
    key: str = "doc_id"  # doc_id | source | date: all rows sharing it go to one split
    train: float | None = None  # null: whatever validation and test leave
    validation: float = 0.1
    test: float = 0.1
    # temporal only: documents dated on or after these ISO dates go to validation / test;
    # left empty, they are chosen so the newest documents fill the test and validation ratios
    validation_from: str | None = None
    test_from: str | None = None
    undated: str = "train"  # temporal only: documents without a readable date go to train, or reject


@dataclass
class WriteConfig:
    root: str = "data/processed"
    name: str = "auto"  # auto: the source name (plus the sweep overrides in a multirun)
    max_rows_per_shard: int = 200_000
    compression: str = "zstd"
    overwrite: bool = True  # replace an earlier dataset this builder wrote under the same name
    resume: bool = True  # reuse the finished work of a killed build with the same config and input


@dataclass
class RunnerConfig:
    kind: str = "local"  # local | ray
    workers: int = 1
    batch_size: int = 64
    chunk_size: int = 128  # documents per work chunk: the unit of parallel work and of resuming
    address: str | None = None  # ray only: "auto" joins a running cluster
    progress: bool = True


@dataclass
class PipelineConfig:
    stages: list[Any] = field(
        default_factory=lambda: [
            "pair", "split", "normalize", "segment", "align", "noise", "units", "measure", "filter", "dedup"
        ]
    )


@dataclass
class BuildConfig:
    source: SourceConfig = MISSING
    pairing: PairingConfig = field(default_factory=PairingConfig)
    normalize: NormalizeConfig = field(default_factory=NormalizeConfig)
    segment: SegmentConfig = field(default_factory=SegmentConfig)
    align: AlignConfig = field(default_factory=AlignConfig)
    noise: NoiseConfig = MISSING
    units: UnitsConfig = field(default_factory=UnitsConfig)
    filter: FilterConfig = field(default_factory=FilterConfig)
    split: SplitConfig = field(default_factory=SplitConfig)
    dedup: DedupConfig = field(default_factory=DedupConfig)
    write: WriteConfig = field(default_factory=WriteConfig)
    runner: RunnerConfig = field(default_factory=RunnerConfig)
    pipeline: PipelineConfig = field(default_factory=PipelineConfig)
    seed: int = 0


def register() -> None:
    """Store the root schema; config.yaml extends it, so every group option merged into
    it is checked against its group's dataclass (unknown keys and wrong types fail)."""
    ConfigStore.instance().store(name="build_schema", node=BuildConfig)


def unknown_keys(cfg: Any, schema: type | None = None, prefix: str = "") -> list[str]:
    """Keys in ``cfg`` that its schema does not declare. Hydra lets ``+key=value`` add a
    key the schema lacks; a misspelt ``+split.tset`` must fail like ``split.tset``."""
    schema = schema or BuildConfig
    hints = typing.get_type_hints(schema)
    out = []
    for key in cfg:
        if key not in hints:
            out.append(f"{prefix}{key}")
            continue
        kind = hints[key]
        value = cfg[key]
        inner = [a for a in typing.get_args(kind) if is_dataclass(a)]
        if is_dataclass(kind) and value is not None:
            out += unknown_keys(value, kind, f"{prefix}{key}.")
        elif inner and value is not None and typing.get_origin(kind) is list:
            for i, item in enumerate(value):
                out += unknown_keys(item, inner[0], f"{prefix}{key}[{i}].")
    return out


def _check(cond: bool, msg: str) -> None:
    if not cond:
        raise ConfigError(msg)


def _choice(value: str, allowed: tuple[str, ...], key: str) -> None:
    _check(value in allowed, f"{key}={value!r} is not one of {', '.join(allowed)}")


def validate(cfg: Any) -> None:
    """Check what the types cannot. Raises ConfigError with one line."""
    extra = unknown_keys(cfg)
    if extra:
        hint = "a '+' override cannot add keys; python -m builder --help lists them"
        raise ConfigError(f"{extra[0]}: no such key ({hint})")
    from builder.noise.registry import OPERATIONS
    from builder.pipeline.readers import READERS
    from builder.pipeline.steps import STAGES

    _choice(cfg.source.kind, tuple(READERS), "source.kind")
    if cfg.source.kind not in ("sample",):
        _check(bool(cfg.source.path), f"source={cfg.source.kind} needs source.path=<file, folder or name>")
    _check(cfg.source.max_chars > 0, "source.max_chars must be positive")
    _check(cfg.source.limit is None or cfg.source.limit >= 1, "source.limit must be at least 1 (or null: no limit)")
    _check(0 <= cfg.pairing.min_score <= 1, "pairing.min_score must be between 0 and 1")
    _check(cfg.pairing.candidates >= 1, "pairing.candidates must be at least 1")
    try:
        codecs.lookup(cfg.source.encoding)
    except LookupError:
        raise ConfigError(f"source.encoding={cfg.source.encoding!r} is not an encoding Python knows") from None
    _choice(str(cfg.source.header).lower(), ("auto", "true", "false"), "source.header")
    _choice(cfg.normalize.unicode_form, ("NFC", "NFKC", "none"), "normalize.unicode_form")
    _choice(cfg.normalize.boilerplate, ("keep", "drop", "unit"), "normalize.boilerplate")
    _choice(cfg.segment.paragraphs, ("line", "blank"), "segment.paragraphs")
    _check(cfg.align.ngram >= 1, "align.ngram must be at least 1")
    _check(cfg.align.threshold is None or 0 <= cfg.align.threshold < 1, "align.threshold must be null or in [0, 1)")
    _check(0 < cfg.align.null_quantile < 1, "align.null_quantile must be in (0, 1)")
    _check(cfg.align.block >= 2, "align.block must be at least 2")
    _choice(str(cfg.align.max_group), ("2", "3"), "align.max_group")
    _check(0 <= cfg.align.min_document_score <= 1, "align.min_document_score must be between 0 and 1")
    _check(0 <= cfg.noise.level <= 1, f"noise.level={cfg.noise.level} must be between 0 and 1")
    _choice(cfg.noise.apply_to, ("clean_only", "all"), "noise.apply_to")
    for key in ("split", "merge", "drop", "insert"):
        rate = getattr(cfg.noise.structure, key)
        _check(0 <= rate <= 1, f"noise.structure.{key}={rate} must be between 0 and 1")
    for i, op in enumerate(cfg.noise.ops):
        _choice(op.op, tuple(OPERATIONS), f"noise.ops[{i}].op")
        _check(op.weight >= 0, f"noise.ops[{i}].weight must not be negative")
    if getattr(cfg.noise, "path", None):
        from builder.profile.estimate import ProfileError, resolve_path

        _check(not cfg.noise.ops, "noise.path (a profile) replaces noise.ops: use noise=profile noise.path=<file>")
        try:
            resolve_path(cfg.noise.path)
        except ProfileError as e:
            raise ConfigError(f"noise.path: {e}") from None
    _choice(cfg.units.level, ("sentence", "window", "document"), "units.level")
    _check(cfg.units.max_chars > 0, "units.max_chars must be positive")
    f = cfg.filter
    _check(0 <= f.min_chars <= f.max_chars, "filter.min_chars must be between 0 and filter.max_chars")
    _check(f.max_length_ratio >= 1, "filter.max_length_ratio must be at least 1")
    s = cfg.split
    _choice(s.method, ("hash", "temporal"), "split.method")
    _choice(s.key, ("doc_id", "source", "date"), "split.key")
    _choice(s.undated, ("train", "reject"), "split.undated")
    ratios = (train_share(s), s.validation, s.test)
    _check(all(r >= 0 for r in ratios), f"split ratios must not be negative (train={ratios[0]:g})")
    _check(abs(sum(ratios) - 1) < 1e-6, f"split.train + split.validation + split.test = {sum(ratios):g}, not 1")
    _check(cfg.write.max_rows_per_shard > 0, "write.max_rows_per_shard must be positive")
    _choice(cfg.write.compression, ("zstd", "snappy", "gzip", "none"), "write.compression")
    _check(
        "/" not in cfg.write.name and cfg.write.name not in ("", ".", ".."),
        f"write.name={cfg.write.name!r} must be a plain folder name (use write.root for the parent)",
    )
    _choice(cfg.runner.kind, ("local", "ray"), "runner.kind")
    _check(cfg.runner.workers >= 1, "runner.workers must be at least 1")
    _check(cfg.runner.batch_size >= 1, "runner.batch_size must be at least 1")
    _check(cfg.runner.chunk_size >= 1, "runner.chunk_size must be at least 1")
    for st in cfg.pipeline.stages:
        if isinstance(st, str):
            _check(st in STAGES or "." in st, f"pipeline.stages: unknown stage {st!r} (known: {', '.join(STAGES)})")
        else:
            _check("_target_" in st, f"pipeline.stages: {st!r} is neither a stage name nor a node with _target_")
