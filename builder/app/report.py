"""What a dataset report shows, read from a built dataset folder.

``load_report(folder, rows)`` checks that the folder is a dataset the builder wrote,
counts its rows per split, kind and recipe, picks a sample of rows per split and kind,
and turns each sampled row's edits into spans of text to highlight. The HTML page
(``report_html``) and the terminal summary (``report_terminal``) only lay this out, so
the two always agree.

The sample is the ``rows`` rows of each split and kind with the smallest stable hash of
their ``id``: the same folder gives the same sample on any machine, and a row stays in
the sample when rows are added to the dataset only if it still ranks among the smallest.
The shards are read a batch at a time, twice (count and rank, then fetch the chosen
rows), so memory is bounded by a batch and the sample, not by the dataset.
"""

from __future__ import annotations

import heapq
import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from builder.core.categories import CATEGORIES
from builder.core.edits import Edit, EditError, replay
from builder.core.resources import read_table
from builder.core.seeding import digest

#: Splits in the order a reader expects them; any other split follows, by name.
SPLIT_ORDER = ("train", "validation", "test")
KIND_ORDER = ("real", "synthetic")
BASELINE_ORDER = ("rows", "cer", "wer", "chrf", "bleu")
SHARD_RE = re.compile(r"^(?P<split>.+)-\d{5}-of-\d{5}\.parquet$")
#: The columns the report reads; a shard without one of them is not the builder's.
COLUMNS = ("id", "doc_id", "kind", "garbled", "clean", "align", "align_score", "edits", "cer", "wer", "recipe")
COUNT_COLUMNS = ("id", "kind", "recipe", "cer", "wer", "align_score")
#: Image types a plot may be, by the bytes it starts with.
IMAGE_TYPES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF8", "image/gif"),
)
STATS = "stats.json"
BATCH_ROWS = 4096


class ReportError(ValueError):
    """A folder that cannot be reported on; the message is one line for the user."""


@dataclass(frozen=True)
class Span:
    """A stretch of a row: unchanged text, or one edit (clean ``before`` became garbled
    ``after``) with the categories it falls in."""

    op: str  # "same" | "insert" | "delete" | "replace"
    before: str
    after: str
    categories: tuple[str, ...] = ()

    @property
    def category(self) -> str:
        return self.categories[0] if self.categories else ""

    @property
    def family(self) -> str:
        return CATEGORIES.get(self.category, "other")


@dataclass(frozen=True)
class SampleRow:
    split: str
    id: str
    doc_id: str
    kind: str
    recipe: str
    align: str
    align_score: float | None
    cer: float | None
    wer: float | None
    garbled: str
    clean: str
    spans: tuple[Span, ...]
    edits_replay: bool  # the recorded edits rebuild the garbled text from the clean one


@dataclass(frozen=True)
class GroupCount:
    """Rows of one split, kind and recipe, with their mean scores."""

    split: str
    kind: str
    recipe: str
    rows: int
    cer: float | None
    wer: float | None
    align_score: float | None


@dataclass(frozen=True)
class Plot:
    key: str
    path: str  # as listed in stats.json
    mime: str = ""  # "" when the file is not there or not an image
    data: bytes = b""
    problem: str = ""


@dataclass
class Report:
    name: str
    stats: dict[str, Any]
    splits: tuple[str, ...]
    counts: list[GroupCount]
    plots: list[Plot]
    samples: list[SampleRow]
    rows_per_group: int
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def total_rows(self) -> int:
        return sum(c.rows for c in self.counts)


# -- the folder ----------------------------------------------------------------------------------


def _datasets_inside(folder: Path) -> list[str]:
    try:
        return sorted(p.name for p in folder.iterdir() if (p / STATS).is_file() and (p / "data").is_dir())
    except OSError:
        return []


def shards(folder: Path) -> dict[str, list[Path]]:
    """``data/<split>-NNNNN-of-NNNNN.parquet`` by split, splits in reading order."""
    found: dict[str, list[Path]] = {}
    for path in sorted((folder / "data").glob("*.parquet")):
        m = SHARD_RE.match(path.name)
        if m:
            found.setdefault(m.group("split"), []).append(path)
    return {s: found[s] for s in sorted(found, key=_split_order)}


def _split_order(split: str) -> tuple[int, str]:
    return (SPLIT_ORDER.index(split) if split in SPLIT_ORDER else len(SPLIT_ORDER), split)


def check_folder(folder: Path) -> tuple[dict[str, Any], dict[str, list[Path]]]:
    """The folder's statistics and shards, or a ReportError saying why it is not a dataset."""
    if not folder.exists():
        raise ReportError(f"{folder}: no such folder")
    if not folder.is_dir():
        raise ReportError(f"{folder} is a file, not a dataset folder")
    has_stats, has_data = (folder / STATS).exists(), (folder / "data").is_dir()
    if not has_stats and not has_data:
        inside = _datasets_inside(folder)
        hint = f"; the datasets in it: {', '.join(inside)}" if inside else ""
        raise ReportError(f"{folder} is not a dataset folder built by garble-builder (no {STATS}, no data/){hint}")
    if not has_stats:
        raise ReportError(f"{folder / STATS} is missing: not a complete dataset folder (rebuild it)")
    try:
        stats = json.loads((folder / STATS).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as e:
        raise ReportError(f"{folder / STATS}: cannot read: {_one_line(e)}") from None
    if not isinstance(stats, dict):
        raise ReportError(f"{folder / STATS}: not a JSON object")
    found = shards(folder) if has_data else {}
    if not found:
        raise ReportError(f"{folder / 'data'} holds no <split>-NNNNN-of-NNNNN.parquet shards: nothing to report")
    return stats, found


def _one_line(e: BaseException) -> str:
    return " ".join(str(e).split()) or type(e).__name__


def _batches(path: Path, columns: tuple[str, ...]) -> Iterator[pa.RecordBatch]:
    try:
        pf = pq.ParquetFile(path)
        missing = [c for c in columns if c not in pf.schema_arrow.names]
        if missing:
            raise ReportError(f"{path}: no column {', '.join(missing)}: not a shard the builder wrote")
        yield from pf.iter_batches(batch_size=BATCH_ROWS, columns=list(columns))
    except (OSError, pa.ArrowException) as e:
        raise ReportError(f"{path}: cannot read: {_one_line(e)}") from None


# -- counting and sampling ------------------------------------------------------------------------


def _rank(row_id: str) -> int:
    """Where a row stands in the sample order: a stable 64-bit hash of its id."""
    return int.from_bytes(digest("report", row_id, size=8), "big")


def _mean(total: float, n: int) -> float | None:
    return total / n if n else None


#: Per kind and recipe: rows, and the sum and count of each score (a score may be null).
_SUMS = (
    ("id", "count"),
    ("cer", "sum"),
    ("cer", "count"),
    ("wer", "sum"),
    ("wer", "count"),
    ("align_score", "sum"),
    ("align_score", "count"),
)


def _scan(split: str, paths: list[Path], rows: int) -> tuple[list[GroupCount], dict[str, list[tuple[int, str]]]]:
    """Counts per kind and recipe, and the ``rows`` smallest-ranked ids per kind."""
    sums: dict[tuple[str, str], list[float]] = {}
    # per kind, the kept (-rank, id): heapq keeps the smallest item on top, and the sample
    # wants its largest rank there, to be replaced by a newcomer of a smaller one
    heaps: dict[str, list[tuple[int, str]]] = {}
    for path in paths:
        for batch in _batches(path, COUNT_COLUMNS):
            table = pa.Table.from_batches([batch])
            for g in table.group_by(["kind", "recipe"]).aggregate(list(_SUMS)).to_pylist():
                acc = sums.setdefault((g["kind"] or "", g["recipe"] or ""), [0.0] * len(_SUMS))
                for i, (column, how) in enumerate(_SUMS):
                    acc[i] += g[f"{column}_{how}"] or 0
            if rows <= 0:
                continue
            for row_id, kind in zip(batch.column("id").to_pylist(), batch.column("kind").to_pylist(), strict=True):
                heap = heaps.setdefault(kind or "", [])
                item = (-_rank(row_id or ""), row_id or "")
                if len(heap) < rows:
                    heapq.heappush(heap, item)
                elif item > heap[0]:
                    heapq.heapreplace(heap, item)
    counts = [
        GroupCount(
            split, kind, recipe, int(a[0]), _mean(a[1], int(a[2])), _mean(a[3], int(a[4])), _mean(a[5], int(a[6]))
        )
        for (kind, recipe), a in sums.items()
    ]
    chosen = {kind: sorted((-k, i) for k, i in heap) for kind, heap in heaps.items()}
    return counts, chosen


def _kind_order(kind: str) -> tuple[int, str]:
    return (KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER), kind)


def _fetch(paths: list[Path], ids: set[str]) -> dict[str, dict[str, Any]]:
    """The rows with these ids, read a batch at a time."""
    wanted = pa.array(sorted(ids), type=pa.string())
    found: dict[str, dict[str, Any]] = {}
    for path in paths:
        for batch in _batches(path, COLUMNS):
            picked = batch.filter(pc.is_in(batch.column("id"), value_set=wanted))
            for row in picked.to_pylist():
                found.setdefault(row["id"], row)
    return found


def _float(x: Any) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


# -- edits as spans --------------------------------------------------------------------------------


def edit_categories(e: Edit) -> tuple[str, ...]:
    """The categories of one edit: a synthetic edit is named after the operation that made
    it; a real row's edit (``insert``/``delete``/``replace``, from a diff) is named the way
    the noise profile names real differences."""
    if e.op in CATEGORIES:
        return (e.op,)
    from builder.profile.categorize import categorize  # only real rows need it

    named = tuple(dict.fromkeys(o.category for o in categorize(e.before, e.after)))
    return named or (e.op,)


def spans(clean: str, edits: list[Edit]) -> tuple[Span, ...]:
    """``clean`` cut into unchanged stretches and edits, in order (edits must not overlap)."""
    out: list[Span] = []
    pos = 0
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        if e.start > pos:
            out.append(Span("same", clean[pos : e.start], clean[pos : e.start]))
        op = "insert" if not e.before else "delete" if not e.after else "replace"
        out.append(Span(op, e.before, e.after, edit_categories(e)))
        pos = e.end
    if pos < len(clean):
        out.append(Span("same", clean[pos:], clean[pos:]))
    return tuple(out)


def sample_row(split: str, row: dict[str, Any]) -> SampleRow:
    garbled, clean = row["garbled"] or "", row["clean"] or ""
    try:
        edits = [
            Edit(e["op"], int(e["start"]), int(e["end"]), e["before"] or "", e["after"] or "")
            for e in row["edits"] or []
        ]
        ok = replay(clean, edits) == garbled
    except (EditError, KeyError, TypeError, ValueError):
        ok = False
    cut = spans(clean, edits) if ok else (Span("same", clean, garbled),)
    return SampleRow(
        split=split,
        id=row["id"] or "",
        doc_id=row["doc_id"] or "",
        kind=row["kind"] or "",
        recipe=row["recipe"] or "",
        align=row["align"] or "",
        align_score=_float(row["align_score"]),
        cer=_float(row["cer"]),
        wer=_float(row["wer"]),
        garbled=garbled,
        clean=clean,
        spans=cut,
        edits_replay=ok,
    )


# -- plots -----------------------------------------------------------------------------------------


def _plots(folder: Path, listed: Any) -> list[Plot]:
    """Each plot stats.json lists, read if it is an image inside the folder."""
    if not isinstance(listed, dict):
        return []
    out = []
    root = folder.resolve()
    for key, rel in listed.items():
        rel = str(rel)
        path = (folder / rel).resolve()
        if Path(rel).is_absolute() or not path.is_relative_to(root):
            out.append(Plot(str(key), rel, problem="outside the dataset folder"))
            continue
        try:
            data = path.read_bytes()
        except OSError:
            out.append(Plot(str(key), rel, problem="listed but not in the folder"))
            continue
        mime = next((m for magic, m in IMAGE_TYPES if data.startswith(magic)), "")
        out.append(Plot(str(key), rel, mime, data if mime else b"", "" if mime else "not a PNG, JPEG or GIF image"))
    return out


# -- shared by the page and the terminal ---------------------------------------------------------


@cache
def families() -> dict[str, tuple[str, str, str]]:
    """family -> (what it covers, CSS colour, ANSI SGR code), from the resource table."""
    return {f: (label, css, sgr) for f, label, css, sgr in read_table("report/families.tsv", str, str, str, str)}


def number(x: Any) -> str:
    """Counts with thousands separators, scores with three decimals, nothing as a dash."""
    if x is None:
        return "–"
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, int):
        return f"{x:,}"
    if isinstance(x, float):
        return "–" if x != x else f"{x:,.3f}"
    return str(x)


def baseline_table(baselines: Any) -> tuple[list[str], list[list[str]]] | None:
    """stats.json ``baselines`` (split -> metric -> value) as a header and rows, splits and
    the usual metrics in reading order (stats.json sorts its keys), any other metric after
    them; None when it is not that shape."""
    if not isinstance(baselines, dict) or not baselines or not all(isinstance(v, dict) for v in baselines.values()):
        return None
    seen = list(dict.fromkeys(k for v in baselines.values() for k in v))
    metrics = [m for m in BASELINE_ORDER if m in seen] + [m for m in seen if m not in BASELINE_ORDER]
    splits = sorted(baselines, key=_split_order)
    return ["split", *metrics], [[str(s), *(number(baselines[s].get(m)) for m in metrics)] for s in splits]


# -- the report ------------------------------------------------------------------------------------


def load_report(folder: str | Path, rows: int = 20) -> Report:
    """Everything the report shows, or a ReportError (one line) when ``folder`` is not a
    dataset this builder wrote. ``rows``: sampled rows per split and kind."""
    if rows < 0:
        raise ReportError(f"--rows must be 0 or more, not {rows}")
    folder = Path(folder)
    stats, found = check_folder(folder)
    counts: list[GroupCount] = []
    samples: list[SampleRow] = []
    for split, paths in found.items():
        split_counts, chosen = _scan(split, paths, rows)
        counts += sorted(split_counts, key=lambda c: (_kind_order(c.kind), c.recipe))
        fetched = _fetch(paths, {i for ids in chosen.values() for _, i in ids}) if chosen else {}
        for kind in sorted(chosen, key=_kind_order):
            samples += [sample_row(split, fetched[i]) for _, i in chosen[kind] if i in fetched]
    name = str(stats.get("name") or folder.resolve().name)
    return Report(name, stats, tuple(found), counts, _plots(folder, stats.get("plots")), samples, rows)
