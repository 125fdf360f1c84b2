"""Stage: the split of each row, decided by its document (or group key), never by row.

A hash of the key places a document the same way in every run and whatever the
input order; the temporal method sends the newest documents to test.
"""

from __future__ import annotations

import re
from typing import Any

from builder.config import train_share
from builder.seeding import unit_interval
from builder.stages.base import Batch, Stage, batch_len

SPLITS = ("train", "validation", "test")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class Split(Stage):
    name = "split"
    inputs = ("doc_id", "source", "date", "reject")
    outputs = ("split",)

    def __init__(self, cfg: Any) -> None:
        s = cfg.split
        self.method, self.key = s.method, s.key
        train = train_share(s)
        self.bounds = (train, train + s.validation)
        self.validation_from, self.test_from = s.validation_from, s.test_from

    def assign(self, doc_id: str, source: str, date: str) -> str:
        if self.method == "temporal":
            if not ISO_DATE.match(date):
                return "train"  # undated news cannot be newer than the test period
            if self.test_from and date >= self.test_from:
                return "test"
            if self.validation_from and date >= self.validation_from:
                return "validation"
            return "train"
        key = {"doc_id": doc_id, "source": source, "date": date}[self.key]
        x = unit_interval("split", key)
        return "train" if x < self.bounds[0] else "validation" if x < self.bounds[1] else "test"

    def __call__(self, batch: Batch) -> Batch:
        split = [
            "" if batch["reject"][i] else self.assign(batch["doc_id"][i], batch["source"][i], batch["date"][i] or "")
            for i in range(batch_len(batch))
        ]
        return {**batch, "split": split}
