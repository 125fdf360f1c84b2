"""The hostile-input table: each case is a small corpus built end to end.

A case names the files to write under ``in/`` (bytes, text, or a function that makes
the path: a link, a folder, a Parquet file), the overrides, and the outcome a user
relies on:

- ``Built``: the good records' doc_ids are in the written dataset, each bad record is
  in rejects.jsonl with its reason and a detail that names its file and line (or row),
  and the ledger in stats.json adds up to the number of records written;
- ``Fails``: one error of the given type whose one-line message matches, and nothing
  in ``write.root`` but the builder's own ``<name>.failed/`` report where there is one.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from builder.app.build import BuildResult, build
from builder.core.errors import NothingToWrite
from tests.conftest import compose_cfg

NAME = "case"  # write.name of every case, so the report folder is known
DEFAULTS = (
    "noise=typo",
    "noise.level=0.5",
    "filter.min_chars=1",
    "split.validation=0",
    "split.test=0",
    f"write.name={NAME}",
)

Content = bytes | str | Callable[[Path], None]


def article(doc_id: str, **extra: Any) -> dict[str, Any]:
    """A good record: two sentences that typo noise at 0.5 cannot leave unchanged."""
    text = (
        f"Report {doc_id}: the city council met on Monday to discuss the budget for schools. "
        f"Members voted to approve funding after a long debate about {doc_id} and the roads."
    )
    return {"id": doc_id, "text": text, **extra}


def line(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def jsonl(*items: Any, end: str = "\n") -> str:
    """JSON Lines: dicts are dumped, strings are written as given."""
    return end.join(line(i) for i in items) + end


def good_file(*ids: str) -> str:
    return jsonl(*(article(i) for i in ids))


@dataclass(frozen=True)
class Reject:
    """A bad record: its reason, where it is (``file:line`` or ``file:rowN``) and a
    pattern its detail holds after the place."""

    reason: str
    where: str
    what: str = ""


@dataclass(frozen=True)
class Built:
    good: tuple[str, ...]  # doc_ids that must be in the dataset
    n_in: int  # the records the case wrote, as the ledger must count them
    rejects: tuple[Reject, ...] = ()  # exactly the rejects, in input order
    filtered: dict[str, int] = field(default_factory=dict)  # documents filtered, by reason
    written: int | None = None  # documents written, when more than ``good`` (ids not known up front)
    either: tuple[str, ...] = ()  # doc_ids written or filtered, not rejected (noise may leave a text as it was)
    check: Callable[[Outcome], None] | None = None


@dataclass(frozen=True)
class Fails:
    error: type[Exception]
    match: str
    n_in: int = 0  # with a report: the documents its ledger counts
    report: bool = False  # a <name>.failed/ folder holds the ledger


@dataclass(frozen=True)
class Case:
    id: str
    kind: str  # source kind
    files: dict[str, Content]
    expect: Built | Fails
    overrides: tuple[str, ...] = ()
    path: str = "in"  # source.path, relative to the case's folder


@dataclass(repr=False)
class Outcome:
    result: BuildResult
    stats: dict[str, Any]
    rejects: list[dict[str, Any]]
    rows: pa.Table

    def rows_of(self, doc_id: str) -> list[dict[str, Any]]:
        return [r for r in self.rows.to_pylist() if r["doc_id"] == doc_id]

    def clean_texts(self, doc_id: str) -> list[str]:
        """The clean side of every row the document gave, written or filtered."""
        filtered = pq.read_table(self.result.path / "filtered", columns=["id", "doc_id", "clean"])
        rows = self.rows.select(["id", "doc_id", "clean"]).to_pylist() + filtered.to_pylist()
        return [r["clean"] for r in sorted(rows, key=lambda r: r["id"]) if r["doc_id"] == doc_id]


def clean_text_has(doc_id: str, *needles: str) -> Callable[[Outcome], None]:
    """A check: the document's clean side (rows written or filtered) holds ``needles`` as given."""

    def check(out: Outcome) -> None:
        clean = " ".join(out.clean_texts(doc_id))
        for needle in needles:
            assert needle in clean, (needle, clean)

    return check


def make_files(folder: Path, files: dict[str, Content]) -> None:
    for rel, content in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif isinstance(content, str):
            path.write_bytes(content.encode("utf-8"))
        else:
            content(path)


def config(case: Case, tmp: Path):
    """The case's overrides win over the defaults (``noise=none`` replaces ``noise=typo``)."""
    keys = {o.split("=", 1)[0] for o in case.overrides}
    defaults = [d for d in DEFAULTS if d.split("=", 1)[0] not in keys]
    return compose_cfg(tmp, f"source={case.kind}", f"source.path={tmp / case.path}", *defaults, *case.overrides)


def run(case: Case, tmp: Path) -> Outcome | None:
    """Build the case and check its outcome; the Outcome of a built case."""
    (tmp / "in").mkdir()
    make_files(tmp / "in", case.files)
    cfg = config(case, tmp)
    if isinstance(case.expect, Fails):
        check_failure(case.expect, cfg, tmp / "out")
        return None
    result = build(cfg)
    outcome = Outcome(
        result, json.loads((result.path / "stats.json").read_text()), read_rejects(result.path), _rows(result.path)
    )
    check_built(case.expect, outcome)
    return outcome


def read_rejects(folder: Path) -> list[dict[str, Any]]:
    text = (folder / "rejects.jsonl").read_text(encoding="utf-8")
    return [json.loads(x) for x in text.splitlines()]


def _rows(folder: Path) -> pa.Table:
    files = sorted((folder / "data").glob("*.parquet"))
    return pa.concat_tables(pq.read_table(f) for f in files)


def check_ledger(stats: dict[str, Any], n_in: int) -> None:
    d = stats["documents"]
    assert d["in"] == n_in, d
    assert d["in"] == d["written"] + sum(d["filtered"].values()) + sum(d["rejected"].values()) + d["paired"], d
    assert stats["ledger_balanced"] is True


def check_built(expect: Built, out: Outcome) -> None:
    check_ledger(out.stats, expect.n_in)
    docs = out.stats["documents"]
    ids = set(out.rows.column("doc_id").to_pylist())
    either = set(expect.either)
    written = (expect.written if expect.written is not None else len(expect.good)) + len(ids & either)
    assert set(expect.good) <= ids, f"good records missing from the dataset: {set(expect.good) - ids}"
    assert len(ids) == written == docs["written"], (ids, docs)
    got = [(r["reason"], r["detail"]) for r in out.rejects]
    assert [r for r, _ in got] == [r.reason for r in expect.rejects], got
    for (_, detail), want in zip(got, expect.rejects, strict=True):
        assert detail.startswith(f"{want.where}: "), (detail, want.where)
        assert re.search(want.what, detail[len(want.where) + 2 :]), (detail, want.what)
    assert docs["rejected"] == dict(Counter(r.reason for r in expect.rejects))
    missed = len(either - ids)  # documents of ``either`` that were filtered, for whatever reason
    if missed:
        assert sum(docs["filtered"].values()) == sum(expect.filtered.values()) + missed, docs
    else:
        assert docs["filtered"] == expect.filtered, docs
    if expect.check is not None:
        expect.check(out)


def check_failure(expect: Fails, cfg: Any, root: Path) -> None:
    with pytest.raises(expect.error) as info:
        build(cfg)
    message = str(info.value)
    assert "\n" not in message and re.search(expect.match, message), message
    left = sorted(p.name for p in root.iterdir()) if root.exists() else []
    if not expect.report:
        assert left == [], left
        assert not isinstance(info.value, NothingToWrite)
        return
    assert left == [f"{NAME}.failed"], left
    report = root / f"{NAME}.failed"
    assert {"stats.json", "rejects.jsonl", "config.yaml"} <= {p.name for p in report.iterdir()}
    assert str(report) in message
    stats = json.loads((report / "stats.json").read_text())
    check_ledger(stats, expect.n_in)
    assert len(read_rejects(report)) == sum(stats["documents"]["rejected"].values())
