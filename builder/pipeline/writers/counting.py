"""What the writer counts of each batch of kept rows: the card's row statistics and the
identity baselines' per-row counts.

Counting costs the writer as much as encoding Parquet, so with worker processes each
batch is counted on one while the driver goes on writing, and the results are merged in
the rows' order: the same counts, the same first appearances, as counting them in turn.
The only count that depends on the rows before a batch, how many real rows may still be
put into edit categories, is known from the batches already handed out.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from concurrent.futures import Future

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from builder.pipeline.writers.baselines import IdentityBaselines, plain_counts
from builder.pipeline.writers.mapped import RowsAt
from builder.pipeline.writers.rowstats import MAX_CATEGORIZED_REAL, RowStats

#: The columns counting reads.
COUNTED = ("split", "kind", "recipe", "source", "cer", "wer", "align_score", "clean", "garbled", "edits", "id")

#: A batch's counts: its row statistics, and the ``plain_counts`` of each split's rows.
BatchResult = tuple[RowStats, list[tuple[str, tuple]]]


def count_batch(rows: pa.Table, shares: dict[str, float], real_limit: int) -> BatchResult:
    """The counts of one batch of kept rows: its ``RowStats`` (putting at most
    ``real_limit`` real rows into edit categories), and for each split of ``shares`` with
    rows here, their ``plain_counts`` (chrF and BLEU scoring the rows sampled at the split's share)."""
    stats = RowStats(real_limit=real_limit)
    stats.add(rows)
    split = rows.column("split")
    scored = rows.select(["garbled", "clean", "id", "cer", "wer"])
    parts = []
    for s, share in shares.items():
        part = scored.filter(pc.fill_null(pc.equal(split, s), False))
        if part.num_rows:
            garbled, clean, ids, cer, wer = part.columns
            parts.append((s, plain_counts(garbled, clean, ids, share, cer, wer)))
    return stats, parts


def count_kept(where: RowsAt, keep: np.ndarray, shares: dict[str, float], real_limit: int) -> BatchResult:
    """``count_batch`` of the rows ``keep`` picks out of those at ``where``, read here."""
    return count_batch(where.read(COUNTED).filter(pa.array(keep)), shares, real_limit)


class BatchCounts:
    """Counts the batches it is given, into ``rowstats`` and ``baselines``: on the
    workers of ``submit`` (at most ``in_flight`` batches waiting), or here without one."""

    def __init__(
        self,
        rowstats: RowStats,
        baselines: IdentityBaselines,
        splits: list[str],
        submit: Callable[..., Future] | None = None,
        in_flight: int = 4,
    ) -> None:
        self.rowstats, self.baselines = rowstats, baselines
        self.shares = {s: baselines.share.get(s, 1.0) for s in splits}
        self.submit, self.in_flight = submit, in_flight
        self.pending: deque[Future] = deque()
        self.real_before = 0  # real rows in the batches handed out so far

    def add(self, rows: pa.Table, keep: pa.Array | None = None, where: RowsAt | None = None) -> None:
        """Count the rows ``keep`` picks out of ``rows`` (all of them without a mask): the
        row columns and ``split``. ``where``: the mapped rows ``rows`` are, a worker then
        reads them there instead of being sent them (``count_kept``). The kept rows are
        never cut out here: the writer cuts each split's apart, and one copy is enough."""
        kind = rows.column("kind") if keep is None else pc.filter(rows.column("kind"), keep)
        limit = max(MAX_CATEGORIZED_REAL - self.real_before, 0)
        self.real_before += pc.sum(pc.fill_null(pc.equal(kind, "real"), False)).as_py() or 0
        if self.submit is not None and where is not None:
            mask = np.ones(rows.num_rows, dtype=bool) if keep is None else keep.to_numpy(zero_copy_only=False)
            self.pending.append(self.submit(count_kept, where, mask, self.shares, limit))
        else:
            counted = rows.select(list(COUNTED))
            counted = counted if keep is None else counted.filter(keep)
            if self.submit is None:
                self._merge(count_batch(counted, self.shares, limit))
                return
            self.pending.append(self.submit(count_batch, counted, self.shares, limit))
        while len(self.pending) > self.in_flight:  # memory: a few batches at most
            self._merge(self.pending.popleft().result())

    def finish(self) -> None:
        """Merge every batch still being counted, in order."""
        while self.pending:
            self._merge(self.pending.popleft().result())

    def _merge(self, result: BatchResult) -> None:
        stats, parts = result
        self.rowstats.merge(stats)
        for split, counts in parts:
            self.baselines.add_counts(split, counts)
