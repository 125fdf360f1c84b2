"""Structured configs: the schema Hydra checks every YAML file and override against.

A wrong key or a value of the wrong type fails when the config is composed, before
any work starts; ``validate`` then checks what types cannot (ranges, names).

Each group's class docstring (its first line) and each key's ``option(default, "help")``
are what ``python -m builder --help`` prints: the schema is where keys are described.
This module imports neither Hydra nor the pipeline at import time, so the help is quick.
"""

from __future__ import annotations

import codecs
import typing
from dataclasses import dataclass, is_dataclass
from typing import Any

from omegaconf import MISSING

from builder.core.errors import ConfigError
from builder.core.options import option
from builder.noise.spec import MAX_LEVEL, RecipeSpec

__all__ = ["GROUPS", "BuildConfig", "ConfigError", "register", "validate"]


@dataclass
class FieldsConfig:
    """Which input field holds each document attribute (null: try the usual names)."""

    doc_id: str | None = option(None, "the document id (else doc_id, id, article_id, uid; none: a hash)")
    clean: str | None = option(None, "the clean text (else clean, text, body, content, article, reference)")
    garbled: str | None = option(None, "the garbled text (else garbled, noisy, ocr, corrupted, spun)")
    title: str | None = option(None, "the title (else title, headline)")
    date: str | None = option(None, "the date (else date, published, publish_date, datetime, timestamp)")
    url: str | None = option(None, "the url (else url, link)")
    source: str | None = option(None, "the source (else source, outlet, publisher)")
    lang: str | None = option(None, "the language (else lang, language)")


@dataclass
class SourceConfig:
    """Where the documents come from: the embedded sample, files, or a Hugging Face dataset."""

    kind: str = option(MISSING, "sample | jsonl | parquet | csv | textdir | hf")
    name: str = option(MISSING, "names the output folder unless write.name says otherwise")
    path: str | None = option(None, "file, folder or glob; hub name or local path for hf")
    fields: FieldsConfig = option(doc="which input field holds each attribute", factory=FieldsConfig)
    lang: str = option("en", "the language of documents that do not name theirs")
    limit: int | None = option(None, "read at most this many records (for quick trials)")
    keep: list[str] = option(
        doc="input fields written with every row, with their types (e.g. [src, hter])", factory=list
    )
    max_chars: int = option(2_000_000, "longer documents are rejected, not loaded")
    encoding: str = option("utf-8", "encoding of jsonl/csv/textdir files (latin-1, cp1252...); a BOM wins")
    detokenize: str = option("none", "none | moses: detokenise both sides of tokenised text (Perth . -> Perth.)")
    split: str = option("train", "hf only: the split to read")
    config_name: str | None = option(None, "hf only: the dataset's config name")
    delimiter: str = option(",", "csv only: the field delimiter (.tsv files use a tab)")
    header: str = option("auto", "csv only: auto | true | false: does the first row name the columns")
    columns: list[str] | None = option(None, "csv only: column names for files without a header row")
    garbled_dir: str = option("garbled", "textdir only: the sub-folder of garbled files")
    clean_dir: str = option("clean", "textdir only: the sub-folder of clean files with matching names")
    glob: str = option("*.txt", "textdir only: which files to read")
    include_lee: bool = option(True, "sample only: include the Lee corpus of clean ABC news (gensim)")


@dataclass
class PairingConfig:
    """Garbled records without their clean text: pair them with clean records by content."""

    enabled: bool = option(False, "pair garbled records that lack their clean text with clean ones")
    min_score: float = option(0.5, "share of both documents the alignment must explain")
    candidates: int = option(3, "clean candidates verified per garbled document")


@dataclass
class DedupConfig:
    """Repeated documents, near-copies across splits, and evaluation text train already has."""

    exact: bool = option(True, "drop the rows of a document seen before (case and spaces folded)")
    near: bool = option(True, "neardup step: group near-copies so each group is in one split")
    # BBC (benchmarks: README): rewrites of one story under one headline score 0.66-0.70,
    # two different stories of one event 0.51 at most
    threshold: float = option(0.6, "near-copies: estimated Jaccard similarity of word shingles at least this")
    shingle: int = option(3, "near-copies: words per shingle")
    perms: int = option(128, "near-copies: MinHash permutations (4 bytes each per document)")
    eval_in_train: str = option(
        "drop", "drop | keep: evaluation rows whose clean text train (or, for test, validation) has"
    )


@dataclass
class NormalizeConfig:
    """Unicode form and boilerplate lines (photo credits, captions, promotions)."""

    unicode_form: str = option("NFC", "NFC | NFKC | none, both sides (NFC keeps ligatures and look-alikes: data)")
    clean: str = option(
        "ligatures", "ligatures | none | nfkc: the clean side only; ligatures spells out ﬁ ﬂ ﬀ ﬃ (presentation forms)"
    )
    boilerplate: str = option("keep", "keep | drop | unit: what to do with boilerplate lines")


@dataclass
class SegmentConfig:
    """Sentence segmentation (NLTK Punkt with English news abbreviations)."""

    paragraphs: str = option("line", "line: every newline ends a paragraph; blank: only blank lines")
    extra_abbreviations: list[str] = option(doc="more abbreviations that do not end a sentence", factory=list)
    min_chars: int = option(1, "shorter sentences are left out")


@dataclass
class AlignConfig:
    """Sentence alignment of garbled and clean documents (no model needed)."""

    ngram: int = option(3, "character n-gram size of the similarity features")
    max_group: int = option(2, "2 allows 1-2, 2-1, 2-2; 3 adds 1-3 and 3-1")
    threshold: float | None = option(None, "weighted n-gram Dice a group must beat; null: per document")
    null_quantile: float = option(0.95, "auto threshold: this quantile of unrelated sentence pairs' Dice")
    null_margin: float = option(0.0, "auto threshold: plus this")
    threshold_floor: float = option(0.1, "auto threshold: never below this")
    fallback_threshold: float = option(0.25, "threshold of documents too short to measure")
    merge_cost: float = option(0.3, "cost of a merge per unit of mass its smaller members add")
    skip_cost: float = option(0.0, "cost of an unaligned sentence (1-0, 0-1), in mean sentence masses")
    max_exact_cells: int = option(250_000, "garbled x clean sentences aligned exactly; longer: coarse to fine")
    block: int = option(8, "sentences per block at each coarser level of a long document")
    margin: int = option(2, "blocks of slack around the coarse path")
    pair_gaps: bool = option(True, "a lone garbled and a lone clean sentence between groups: a 1-1")
    embedding: str | None = option(None, "optional sentence-transformers model for paraphrase-heavy text")
    embedding_weight: float = option(0.5, "share of the group value that comes from embedding cosine")
    embedding_threshold: float = option(0.5, "cosine a group needs to be worth aligning")
    # benchmarks/align.py chose 0.1: unrelated articles score <= 0.011, true one-sentence
    # pairs lose < 1% up to 0.2
    min_document_score: float = option(0.1, "share of both sides confident groups must explain (else: unrelated)")


@dataclass
class NoiseConfig(RecipeSpec):
    """A recipe (name, level, ops, structure, protect_names, protect_numbers) and how the build uses it."""

    apply_to: str = option("clean_only", "clean_only | all (also garble documents that have a garbled side)")
    path: str | None = option(None, "a noise profile file or a bundled one's name: replaces ops, structure")


@dataclass
class UnitsConfig:
    """What one row holds: an aligned sentence group, a window of groups, or a document."""

    level: str = option("sentence", "sentence | window | document")
    max_chars: int = option(1000, "window: consecutive groups up to this many clean characters")


@dataclass
class FilterConfig:
    """Which built rows are dropped (each dropped row keeps its reason in filtered/)."""

    min_chars: int = option(10, "shorter rows are dropped")
    max_chars: int = option(5000, "longer rows are dropped")
    max_length_ratio: float = option(3.0, "drop rows whose longer side is over this many times the shorter")
    keep_identical: float = option(0.7, "share of rows whose garbled side equals the clean side that is kept")
    drop_unaligned: bool = option(True, "drop 1-0 and 0-1 groups")
    min_align_score: float = option(0.5, "real rows below this calibrated alignment score are dropped")


@dataclass
class SplitConfig:
    """How rows are split into train, validation and test."""

    method: str = option("hash", "hash | temporal (newest documents to test) | column (an input field)")
    key: str = option("doc_id", "doc_id | source | date: all rows sharing it go to one split")
    train: float | None = option(None, "null: whatever validation and test leave")
    validation: float = option(0.1, "share of validation")
    test: float = option(0.1, "share of test")
    validation_from: str | None = option(None, "temporal only: documents dated on or after this ISO date validate")
    test_from: str | None = option(None, "temporal only: documents dated on or after this ISO date test")
    undated: str = option("train", "temporal only: undated documents go to train, or reject")
    column: str = option("split", "column only: the input field naming each record's split")


@dataclass
class WriteConfig:
    """Where and how the dataset is written."""

    root: str = option("data/processed", "the folder that holds the dataset folders")
    name: str = option("auto", "the dataset folder; auto: from the input (plus the swept overrides)")
    max_rows_per_shard: int = option(200_000, "rows per Parquet file at most")
    compression: str = option("zstd", "zstd | snappy | gzip | none")
    overwrite: bool = option(True, "replace an earlier dataset of this name that the builder wrote")
    resume: bool = option(True, "reuse what a killed build of the same config and input finished")


@dataclass
class CardConfig:
    """The dataset card (README.md): licence, name and what the data is."""

    license: str = option("unknown", "the licence id on the card (cc-by-4.0, other...); unknown: not known")
    pretty_name: str | None = option(None, "the card's title; null: the dataset folder name")
    description: str | None = option(None, "what the text is (e.g. 'OCR of court records'); null: said from the rows")
    tags: list[str] = option(doc="tags added to the card's metadata", factory=list)
    baseline_sample: int | None = option(2000, "chrF/BLEU baselines: about this many rows per split (null: all)")


@dataclass
class RunnerConfig:
    """Where the pipeline runs: local worker processes or a Ray cluster."""

    kind: str = option("local", "local | ray")
    workers: int = option(1, "worker processes (local)")
    batch_size: int = option(64, "documents per batch a worker builds at a time")
    chunk_size: int = option(128, "documents per work chunk: the unit of parallel work and resuming")
    address: str | None = option(None, 'ray only: "auto" joins a running cluster; null starts a local one')
    progress: bool = option(True, "show a progress bar")


@dataclass
class PipelineConfig:
    """The stages, in order (a dotted path adds a stage of your own)."""

    stages: list[Any] = option(
        doc="the stages in order",
        factory=lambda: [
            "pair",
            "neardup",
            "split",
            "normalize",
            "segment",
            "align",
            "noise",
            "units",
            "measure",
            "filter",
            "dedup",
            "leakage",
        ],
    )


@dataclass
class BuildConfig:
    source: SourceConfig = option(MISSING)
    pairing: PairingConfig = option(factory=PairingConfig)
    normalize: NormalizeConfig = option(factory=NormalizeConfig)
    segment: SegmentConfig = option(factory=SegmentConfig)
    align: AlignConfig = option(factory=AlignConfig)
    noise: NoiseConfig = option(MISSING)
    units: UnitsConfig = option(factory=UnitsConfig)
    filter: FilterConfig = option(factory=FilterConfig)
    split: SplitConfig = option(factory=SplitConfig)
    dedup: DedupConfig = option(factory=DedupConfig)
    write: WriteConfig = option(factory=WriteConfig)
    card: CardConfig = option(factory=CardConfig)
    runner: RunnerConfig = option(factory=RunnerConfig)
    pipeline: PipelineConfig = option(factory=PipelineConfig)
    seed: int = option(0, "every random choice is drawn from (seed, doc_id, purpose)")


#: The config groups, each with the schema of its section, in pipeline order.
GROUPS: dict[str, type] = {
    name: typing.get_type_hints(BuildConfig)[name] for name in typing.get_type_hints(BuildConfig) if name != "seed"
}


def register() -> None:
    """Store the root schema; config.yaml extends it, so every group option merged into
    it is checked against its group's dataclass (unknown keys and wrong types fail)."""
    from hydra.core.config_store import ConfigStore

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


#: keys that were replaced, with what to write instead
RENAMED = {
    "filter.drop_identical": "filter.drop_identical was replaced by filter.keep_identical, the share of "
    "identical rows kept (0: drop them all, 1: keep them all)",
}


def _check(cond: bool, msg: str) -> None:
    if not cond:
        raise ConfigError(msg)


def _choice(value: str, allowed: tuple[str, ...], key: str) -> None:
    _check(value in allowed, f"{key}={value!r} is not one of {', '.join(allowed)}")


def validate(cfg: Any) -> None:
    """Check what the types cannot. Raises ConfigError with one line."""
    extra = unknown_keys(cfg)
    renamed = [RENAMED[k] for k in extra if k in RENAMED]
    if renamed:
        raise ConfigError(renamed[0])
    if extra:
        hint = "a '+' override cannot add keys; python -m builder --help lists them"
        raise ConfigError(f"{extra[0]}: no such key ({hint})")
    from builder.noise.registry import OPERATIONS
    from builder.pipeline.readers import READERS
    from builder.pipeline.steps import STAGES
    from builder.pipeline.steps.split import train_share

    _choice(cfg.source.kind, tuple(READERS), "source.kind")
    if cfg.source.kind not in ("sample",):
        _check(bool(cfg.source.path), f"source={cfg.source.kind} needs source.path=<file, folder or name>")
    keep = list(cfg.source.keep)
    _check(all(isinstance(k, str) and k for k in keep), "source.keep must be a list of field names")
    _check(len(set(keep)) == len(keep), "source.keep names a field twice")
    if keep:
        from builder.core.schema import ROW_COLUMNS

        clash = [k for k in keep if k in ROW_COLUMNS]
        _check(
            not clash,
            f"source.keep: {clash[0]!r} is already a column of every row; keep another field" if clash else "",
        )
    _check(cfg.source.max_chars > 0, "source.max_chars must be positive")
    _check(cfg.source.limit is None or cfg.source.limit >= 1, "source.limit must be at least 1 (or null: no limit)")
    _check(0 <= cfg.pairing.min_score <= 1, "pairing.min_score must be between 0 and 1")
    _check(cfg.pairing.candidates >= 1, "pairing.candidates must be at least 1")
    try:
        codecs.lookup(cfg.source.encoding)
    except LookupError:
        raise ConfigError(f"source.encoding={cfg.source.encoding!r} is not an encoding Python knows") from None
    _choice(str(cfg.source.header).lower(), ("auto", "true", "false"), "source.header")
    _choice(cfg.source.detokenize, ("none", "moses"), "source.detokenize")
    if cfg.source.detokenize == "moses":
        from builder.text.detokenize import require_moses

        require_moses("source.detokenize=moses")
    _choice(cfg.normalize.unicode_form, ("NFC", "NFKC", "none"), "normalize.unicode_form")
    _choice(cfg.normalize.boilerplate, ("keep", "drop", "unit"), "normalize.boilerplate")
    _choice(cfg.normalize.clean, ("ligatures", "none", "nfkc"), "normalize.clean")
    _choice(cfg.segment.paragraphs, ("line", "blank"), "segment.paragraphs")
    _check(cfg.align.ngram >= 1, "align.ngram must be at least 1")
    _check(cfg.align.threshold is None or 0 <= cfg.align.threshold < 1, "align.threshold must be null or in [0, 1)")
    _check(0 < cfg.align.null_quantile < 1, "align.null_quantile must be in (0, 1)")
    _check(cfg.align.block >= 2, "align.block must be at least 2")
    _choice(str(cfg.align.max_group), ("2", "3"), "align.max_group")
    _check(0 <= cfg.align.min_document_score <= 1, "align.min_document_score must be between 0 and 1")
    _check(0 <= cfg.noise.level <= MAX_LEVEL, f"noise.level={cfg.noise.level} must be between 0 and {MAX_LEVEL:g}")
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
    _choice(s.method, ("hash", "temporal", "column"), "split.method")
    _check(bool(s.column), "split.column must name an input field")
    _choice(s.key, ("doc_id", "source", "date"), "split.key")
    _choice(s.undated, ("train", "reject"), "split.undated")
    ratios = (train_share(s), s.validation, s.test)
    _check(all(r >= 0 for r in ratios), f"split ratios must not be negative (train={ratios[0]:g})")
    _check(abs(sum(ratios) - 1) < 1e-6, f"split.train + split.validation + split.test = {sum(ratios):g}, not 1")
    _check(
        cfg.card.baseline_sample is None or cfg.card.baseline_sample >= 1,
        "card.baseline_sample must be at least 1 (or null: every row)",
    )
    _check(0 <= f.keep_identical <= 1, "filter.keep_identical must be a share between 0 and 1")
    d = cfg.dedup
    _check(0 < d.threshold <= 1, "dedup.threshold must be in (0, 1]")
    _check(d.shingle >= 1, "dedup.shingle must be at least 1")
    _check(16 <= d.perms <= 1024, "dedup.perms must be between 16 and 1024")
    _choice(d.eval_in_train, ("drop", "keep"), "dedup.eval_in_train")
    _check(cfg.write.max_rows_per_shard > 0, "write.max_rows_per_shard must be positive")
    _choice(cfg.write.compression, ("zstd", "snappy", "gzip", "none"), "write.compression")
    _check(
        "/" not in cfg.write.name and cfg.write.name not in ("", ".", ".."),
        f"write.name={cfg.write.name!r} must be a plain folder name (use write.root for the parent)",
    )
    _check(bool(str(cfg.card.license).strip()), "card.license must not be empty (unknown: not known)")
    _choice(cfg.runner.kind, ("local", "ray"), "runner.kind")
    _check(cfg.runner.workers >= 1, "runner.workers must be at least 1")
    _check(cfg.runner.batch_size >= 1, "runner.batch_size must be at least 1")
    _check(cfg.runner.chunk_size >= 1, "runner.chunk_size must be at least 1")
    for st in cfg.pipeline.stages:
        if isinstance(st, str):
            _check(st in STAGES or "." in st, f"pipeline.stages: unknown stage {st!r} (known: {', '.join(STAGES)})")
        else:
            _check("_target_" in st, f"pipeline.stages: {st!r} is neither a stage name nor a node with _target_")
