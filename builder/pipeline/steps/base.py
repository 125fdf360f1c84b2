"""The stage contract: a pure transform of a columnar batch.

A batch is a dict of equal-length column lists. Each stage declares the columns it
reads and writes, so a pipeline is checked when it is built, and the same stage
runs under any runner (``datasets.map(batched=True)`` or Ray ``map_batches``).

Every stage keeps the rows of one document together and in order, so the output of
a batch never depends on where the batch boundaries fell: one worker or many give
the same rows in the same order.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, ClassVar

from builder.core import reasons

Batch = dict[str, list]


class Stage:
    name: ClassVar[str] = ""
    inputs: ClassVar[tuple[str, ...]] = ()
    outputs: ClassVar[tuple[str, ...]] = ()
    #: True when the stage turns documents into rows: only its outputs survive it.
    replaces_columns: ClassVar[bool] = False

    def __call__(self, batch: Batch) -> Batch:  # pragma: no cover - abstract
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class CorpusStep:
    """A step that needs the whole corpus at once: pairing, the split (its temporal
    cut-offs), duplicate removal.

    It runs on the driver, between the batch stages: on the documents table (``phase =
    "documents"``, before any batch stage) or on the rows table (``phase = "rows"``,
    after them). It returns the table with its ``outputs`` columns set, and counts what
    it did in ``stats`` (a document it takes out of the corpus must be counted there, as
    pairing counts the clean documents it turned into references).
    """

    name: ClassVar[str] = ""
    phase: ClassVar[str] = "documents"
    inputs: ClassVar[tuple[str, ...]] = ()
    outputs: ClassVar[tuple[str, ...]] = ()

    def __init__(self) -> None:
        self.stats: dict[str, int] = {}
        #: An ordered ``map(function, iterable)`` over the build's worker processes, given
        #: by the application when it has some (None: work inline). A step may hand it
        #: per-document work that needs no other document; the results are the same.
        self.parallel_map: Callable[..., Iterable[Any]] | None = None
        #: A folder for what a step would otherwise hold per row (a rewritten column, row
        #: keys): the build's work folder, given by the application; None keeps it in memory
        #: (``builder.pipeline.steps.scratch``). The results are the same.
        self.scratch: Path | None = None

    def run(self, table: Any) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def chosen(self) -> dict[str, Any]:
        """Settings the step chose from the data (dotted config keys), recorded in the
        dataset's config.yaml so the build can be repeated exactly."""
        return {}

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


def batch_len(batch: Batch) -> int:
    for v in batch.values():
        return len(v)
    return 0


def rows(batch: Batch, columns: tuple[str, ...] | list[str] | None = None) -> list[dict[str, Any]]:
    cols = list(batch) if columns is None else list(columns)
    n = batch_len(batch)
    return [{c: batch[c][i] for c in cols} for i in range(n)]


class RejectDocument(Exception):
    """Raised by ``DocStage.process`` to reject its document with a reason of its own
    (not a crash): the document leaves one row carrying ``reason`` and ``detail``."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason, self.detail = reason, detail


def error_detail(stage: str, exc: BaseException) -> str:
    """One line naming the stage, the exception and where it was raised."""
    tb = traceback.extract_tb(exc.__traceback__)
    where = f" at {tb[-1].filename.rsplit('/', 1)[-1]}:{tb[-1].lineno}" if tb else ""
    return f"{stage}: {type(exc).__name__}: {exc}{where}"


class DocStage(Stage):
    """One document in, one document out.

    ``process`` sees one document as a dict and returns its output columns. A
    document already rejected passes through untouched; an exception rejects only
    the document that raised it, with the stage and error as the reason.
    """

    def process(self, doc: dict[str, Any]) -> dict[str, Any]:  # pragma: no cover
        raise NotImplementedError

    def __call__(self, batch: Batch) -> Batch:
        n = batch_len(batch)
        out: dict[str, list] = {c: [None] * n for c in self.outputs}
        reject = list(batch["reject"])
        detail = list(batch["reject_detail"])
        cols = [c for c in self.inputs if c in batch]
        for i in range(n):
            if reject[i]:
                continue
            doc = {c: batch[c][i] for c in cols}
            try:
                result = self.process(doc)
            except RejectDocument as r:
                reject[i], detail[i] = r.reason, r.detail
                continue
            except Exception as exc:
                reject[i] = reasons.STAGE_ERROR
                detail[i] = error_detail(self.name, exc)
                continue
            for c in self.outputs:
                out[c][i] = result[c]
        return {**batch, **out, "reject": reject, "reject_detail": detail}
