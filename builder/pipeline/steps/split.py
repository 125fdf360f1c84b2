"""Corpus step: the split of each document, decided by the document (or its group key),
never by row, so no article's rows are in two splits.

A hash of the key places a document the same way in every run and whatever the input
order. The temporal method sends the newest documents to test: its cut-off dates are
those given, or chosen from the dates of the whole corpus so the newest documents fill
the test and validation shares, which is why this is a corpus step. A document without
a readable date cannot be placed in time: ``split.undated`` sends it to train (it cannot
be newer than the test period) or rejects it. The ``units`` stage carries the document's
split to each of its rows.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from builder.core import reasons
from builder.core.errors import ConfigError
from builder.core.seeding import unit_interval
from builder.pipeline.steps.base import CorpusStep

SPLITS = ("train", "validation", "test")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
UNDATED = reasons.UNDATED


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


def temporal_cutoffs(dates: list[str], validation: float, test: float) -> tuple[str | None, str | None]:
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


class Split(CorpusStep):
    name = "split"
    phase = "documents"
    inputs = ("doc_id", "source", "date", "reject", "reject_detail")
    outputs = ("split", "reject", "reject_detail")

    def __init__(self, section: Any) -> None:
        """``section``: the ``split`` config section."""
        super().__init__()
        s = section
        self.method, self.key = s.method, s.key
        train = train_share(s)
        self.shares = (s.validation, s.test)
        self.bounds = (train, train + s.validation)
        self.validation_from, self.test_from = s.validation_from, s.test_from
        self.undated = s.undated

    def assign(self, doc_id: str, source: str, date: str) -> str:
        if self.method == "temporal":
            if not readable_date(date):
                return "train" if self.undated == "train" else UNDATED
            if self.test_from and date >= self.test_from:
                return "test"
            if self.validation_from and date >= self.validation_from:
                return "validation"
            return "train"
        key = {"doc_id": doc_id, "source": source, "date": date}[self.key]
        x = unit_interval("split", key)
        return "train" if x < self.bounds[0] else "validation" if x < self.bounds[1] else "test"

    def choose_cutoffs(self, docs: pa.Table) -> None:
        """Temporal cut-offs not given in the config, from the dates of the usable documents."""
        if self.method != "temporal" or (self.validation_from and self.test_from):
            return
        dates = docs.filter(pc.equal(docs.column("reject"), "")).column("date").to_pylist()
        validation_from, test_from = temporal_cutoffs(dates, *self.shares)
        self.validation_from = self.validation_from or validation_from
        self.test_from = self.test_from or test_from

    def chosen(self) -> dict[str, Any]:
        if self.method != "temporal":
            return {}
        return {"split.validation_from": self.validation_from, "split.test_from": self.test_from}

    def run(self, docs: pa.Table) -> pa.Table:
        self.choose_cutoffs(docs)
        reject, detail = docs.column("reject").to_pylist(), docs.column("reject_detail").to_pylist()
        ids, sources, dates = (docs.column(c).to_pylist() for c in ("doc_id", "source", "date"))
        split = []
        for i in range(docs.num_rows):
            s = "" if reject[i] else self.assign(ids[i], sources[i], dates[i] or "")
            if s == UNDATED:
                given = dates[i]
                reject[i] = UNDATED
                detail[i] = f"no readable date ({given!r})" if given else "no date"
                detail[i] += " for the temporal split (split.undated=reject)"
                s = ""
            split.append(s)
        self.stats = {"undated_rejected": sum(1 for r in reject if r == UNDATED)}
        for name, values in (("reject", reject), ("reject_detail", detail)):
            docs = docs.set_column(docs.schema.get_field_index(name), name, pa.array(values, pa.string()))
        if "split" in docs.schema.names:
            return docs.set_column(docs.schema.get_field_index("split"), "split", pa.array(split, pa.string()))
        return docs.append_column("split", pa.array(split, pa.string()))
