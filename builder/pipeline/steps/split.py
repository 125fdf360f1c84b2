"""Stage: the split of each row, decided by its document (or group key), never by row.

A hash of the key places a document the same way in every run and whatever the
input order; the temporal method sends the newest documents to test. A document
without a readable date cannot be placed in time: ``split.undated`` sends it to
train (it cannot be newer than the test period) or rejects it.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from builder.core.seeding import unit_interval
from builder.pipeline.steps.base import Batch, Stage, batch_len

SPLITS = ("train", "validation", "test")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
UNDATED = "undated"


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


class Split(Stage):
    name = "split"
    inputs = ("doc_id", "source", "date", "reject", "reject_detail")
    outputs = ("split", "reject", "reject_detail")

    def __init__(self, section: Any) -> None:
        s = section
        self.method, self.key = s.method, s.key
        train = train_share(s)
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

    def __call__(self, batch: Batch) -> Batch:
        reject, detail = list(batch["reject"]), list(batch["reject_detail"])
        split = []
        for i in range(batch_len(batch)):
            s = "" if reject[i] else self.assign(batch["doc_id"][i], batch["source"][i], batch["date"][i] or "")
            if s == UNDATED:
                given = batch["date"][i]
                reject[i] = UNDATED
                detail[i] = f"no readable date ({given!r})" if given else "no date"
                detail[i] += " for the temporal split (split.undated=reject)"
                s = ""
            split.append(s)
        return {**batch, "split": split, "reject": reject, "reject_detail": detail}
