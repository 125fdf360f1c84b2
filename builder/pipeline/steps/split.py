"""Corpus step: the split of each document, decided by the document (or its group key),
never by row, so no article's rows are in two splits.

A hash of the key places a document the same way in every run and whatever the input
order. The temporal method sends the newest documents to test: its cut-off dates are
those given, or chosen from the dates of the whole corpus so the newest documents fill
the test and validation shares, which is why this is a corpus step. A document without
a readable date cannot be placed in time: ``split.undated`` sends it to train (it cannot
be newer than the test period) or rejects it. The column method takes each document's
split from a field of the input (``split.column``). The ``units`` stage carries the
document's split to each of its rows.

When the ``neardup`` step ran before, its ``group`` column names each document's
near-duplicate group. The hash method places whole groups: documents linked by a group
or by a shared key form one component, placed by the hash of its smallest key. The
temporal and column methods fix each document's place, so a group can straddle two
splits; its documents outside the earliest of them (train, then validation, then test)
are rejected as ``near_duplicate``, so no evaluation document has a near-copy in an
earlier split.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from builder.core import reasons
from builder.core.errors import ConfigError
from builder.core.seeding import unit_interval
from builder.pipeline.steps.base import CorpusStep
from builder.pipeline.steps.scratch import columns

SPLITS = ("train", "validation", "test")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
UNDATED = reasons.UNDATED
#: the spellings of each split an existing split column may use (case-insensitive)
SPLIT_NAMES = {
    **dict.fromkeys(("train", "training"), "train"),
    **dict.fromkeys(("validation", "valid", "val", "dev", "development"), "validation"),
    **dict.fromkeys(("test", "testing", "eval", "evaluation"), "test"),
}


def readable_date(text: str | None) -> bool:
    """An ISO date of the calendar (``2024-13-45`` has the shape and is not one)."""
    if not text or not ISO_DATE.match(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def train_share(split: Any) -> float:
    """The train ratio: ``split.train``, or what validation and test leave."""
    return 1.0 - split.validation - split.test if split.train is None else split.train


def temporal_cutoffs(dates: Iterable[str | None], validation: float, test: float) -> tuple[str | None, str | None]:
    """The first dates of the validation and test periods so that the newest documents
    fill the test share and the next newest the validation share."""
    iso = sorted(d for d in dates if readable_date(d))
    if not iso:
        raise ConfigError("split.method=temporal: no document has a readable date (YYYY-MM-DD)")
    n = len(iso)

    def start(share: float) -> str | None:
        k = round(n * (1 - share))
        return iso[k] if share > 0 and k < n else None

    return start(validation + test), start(test)


def _parts(docs: pa.Table, size: int = 65536) -> Iterator[pa.Table]:
    for start in range(0, docs.num_rows, size):
        yield docs.slice(start, size)


def _usable_dates(docs: pa.Table) -> list[str | None]:
    return docs.filter(pc.equal(docs.column("reject"), "")).column("date").to_pylist()


def column_value(meta: str | None, column: str) -> Any:
    """The value of an input field the reader kept in ``meta`` (None when absent)."""
    if not meta:
        return None
    try:
        return json.loads(meta).get(column)
    except (ValueError, AttributeError):
        return None


class _Components:
    """Union-find over document positions, keyed by the smallest key of each component."""

    def __init__(self, keys: list[str]) -> None:
        self.parent = list(range(len(keys)))
        self.keys = keys

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:
            self.parent[i], i = root, self.parent[i]
        return root

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a == b:
            return
        if (self.keys[b], b) < (self.keys[a], a):
            a, b = b, a
        self.parent[b] = a

    def key(self, i: int) -> str:
        return self.keys[self.find(i)]


class Split(CorpusStep):
    name = "split"
    phase = "documents"
    inputs = ("doc_id", "source", "date", "meta", "reject", "reject_detail")
    optional_inputs = ("group",)
    outputs = ("split", "reject", "reject_detail")

    def __init__(self, section: Any) -> None:
        """``section``: the ``split`` config section."""
        super().__init__()
        s = section
        self.method, self.key, self.column = s.method, s.key, s.column
        train = train_share(s)
        self.shares = (s.validation, s.test)
        self.bounds = (train, train + s.validation)
        self.validation_from, self.test_from = s.validation_from, s.test_from
        self.undated = s.undated

    def by_hash(self, key: str) -> str:
        x = unit_interval("split", key)
        return "train" if x < self.bounds[0] else "validation" if x < self.bounds[1] else "test"

    def by_date(self, date: str) -> str:
        if not readable_date(date):
            return "train" if self.undated == "train" else UNDATED
        if self.test_from and date >= self.test_from:
            return "test"
        if self.validation_from and date >= self.validation_from:
            return "validation"
        return "train"

    def assign(self, doc_id: str, source: str, date: str) -> str:
        if self.method == "temporal":
            return self.by_date(date)
        return self.by_hash({"doc_id": doc_id, "source": source, "date": date}[self.key])

    def choose_cutoffs(self, docs: pa.Table) -> None:
        """Temporal cut-offs not given in the config, from the dates of the usable documents."""
        if self.method != "temporal" or (self.validation_from and self.test_from):
            return
        usable = (
            d for part in _parts(docs.select(["date", "reject"])) for d in _usable_dates(part)
        )  # a sort of the readable dates is all that is held
        validation_from, test_from = temporal_cutoffs(usable, *self.shares)
        self.validation_from = self.validation_from or validation_from
        self.test_from = self.test_from or test_from

    def chosen(self) -> dict[str, Any]:
        if self.method != "temporal":
            return {}
        return {"split.validation_from": self.validation_from, "split.test_from": self.test_from}

    def hash_components(self, cols: dict[str, list], usable: list[int]) -> dict[int, str]:
        """The split of each usable document, placing whole components of documents linked
        by a shared key or a near-duplicate group."""
        keys = cols[self.key]
        comp = _Components([keys[i] or "" for i in usable])
        first_of: dict[tuple[str, str], int] = {}
        for n, i in enumerate(usable):
            for kind, value in (("key", keys[i] or ""), ("group", cols["group"][i] if cols["group"] else None)):
                if value is None:
                    continue
                seen = first_of.setdefault((kind, value), n)
                if seen != n:
                    comp.union(seen, n)
        return {i: self.by_hash(comp.key(n)) for n, i in enumerate(usable)}

    def run(self, docs: pa.Table) -> pa.Table:
        self.choose_cutoffs(docs)
        grouped = "group" in docs.schema.names
        self.stats = {"undated_rejected": 0}
        if self.method == "column":
            self.stats["bad_split_value"] = 0
        if grouped:
            self.stats["near_duplicate_rejected"] = 0
        if grouped and docs.column("group").null_count < docs.num_rows:
            placed = [self.place(docs, linked=True)]  # groups link documents anywhere in the corpus
        else:
            placed = (self.place(part, linked=False) for part in _parts(docs))  # each document alone
        schema = pa.schema([pa.field(name, pa.string()) for name in ("split", "reject", "reject_detail")])
        batches = (pa.record_batch([pa.array(part[n], pa.string()) for n in schema.names], schema) for part in placed)
        new = columns(self.scratch, "split", batches, schema)  # written a part at a time when there is scratch
        for name in schema.names:
            if name in docs.schema.names:
                docs = docs.set_column(docs.schema.get_field_index(name), name, new.column(name))
            else:
                docs = docs.append_column(name, new.column(name))
        return docs

    def place(self, docs: pa.Table, linked: bool) -> dict[str, list]:
        """The split, reject and detail of each document of ``docs``; ``linked``: its
        near-duplicate groups may tie documents together. Adds to ``stats``."""
        n = docs.num_rows
        cols = {c: docs.column(c).to_pylist() for c in ("doc_id", "source", "date", "reject", "reject_detail")}
        cols["group"] = docs.column("group").to_pylist() if linked else None
        reject, detail = cols["reject"], cols["reject_detail"]
        split = [""] * n
        usable = [i for i in range(n) if not reject[i]]
        if self.method == "hash":
            if linked:
                for i, s in self.hash_components(cols, usable).items():
                    split[i] = s
            else:  # a component is the documents sharing a key, placed by that key
                keys = cols[self.key]
                for i in usable:
                    split[i] = self.by_hash(keys[i] or "")
        elif self.method == "temporal":
            for i in usable:
                split[i] = self.by_date(cols["date"][i] or "")
        else:
            meta = docs.column("meta").to_pylist()
            for i in usable:
                split[i] = self.from_column(column_value(meta[i], self.column))
        for i in usable:
            if split[i] in SPLITS:
                continue
            given = cols["date"][i] if split[i] == UNDATED else None
            if split[i] == UNDATED:
                detail[i] = f"no readable date ({given!r})" if given else "no date"
                detail[i] += " for the temporal split (split.undated=reject)"
            else:
                detail[i] = f"split.column={self.column!r}: {split[i][1:]}"
                split[i] = reasons.BAD_SPLIT_VALUE
            reject[i], split[i] = split[i], ""
        if self.method != "hash" and linked:
            self.stats["near_duplicate_rejected"] += self.drop_straddlers(cols, split)
        self.stats["undated_rejected"] += sum(1 for r in reject if r == UNDATED)
        if self.method == "column":
            self.stats["bad_split_value"] += sum(1 for r in reject if r == reasons.BAD_SPLIT_VALUE)
        return {"split": split, "reject": reject, "reject_detail": detail}

    def from_column(self, value: Any) -> str:
        """A split name from the input's split field; a value that names no split comes
        back as ``!why`` (the document is rejected with that detail)."""
        if value is None or value == "":
            return "!no value"
        name = SPLIT_NAMES.get(str(value).strip().lower())
        return name or f"!{str(value)[:40]!r} names no split (train, validation/dev, test)"

    def drop_straddlers(self, cols: dict[str, list], split: list[str]) -> int:
        """Reject the documents of a near-duplicate group placed after the group's earliest split."""
        reject, detail, group, ids = cols["reject"], cols["reject_detail"], cols["group"], cols["doc_id"]
        rank = {s: k for k, s in enumerate(SPLITS)}
        earliest: dict[str, tuple[int, str]] = {}
        for i, g in enumerate(group):
            if split[i] and g is not None:
                here = (rank[split[i]], ids[i])
                earliest[g] = min(earliest.get(g, here), here)
        dropped = 0
        for i, g in enumerate(group):
            if not split[i] or g not in earliest:
                continue
            first_rank, first_id = earliest[g]
            if rank[split[i]] > first_rank:
                reject[i] = reasons.NEAR_DUPLICATE
                detail[i] = (
                    f"a near-duplicate of {first_id!r} (in {SPLITS[first_rank]}) would be in {split[i]}"
                    f" (dedup.threshold)"
                )
                split[i] = ""
                dropped += 1
        return dropped
