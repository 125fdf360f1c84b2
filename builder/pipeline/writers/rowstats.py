"""What the card's tables and plots show, gathered from the written rows a batch at a time.

Counts (rows per split, kind and recipe; per source and kind; edits per category) and
fixed-bin histograms (CER, WER, clean length, real rows' align_score): memory is the same
for a thousand rows or a billion, and the result does not depend on how rows were batched.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from builder.profile.categorize import categorize

#: Error-rate histograms: 50 bins over [0, 1]; a rate above 1 (more edits than reference
#: characters or words) counts in the last bin.
RATE_BINS = np.linspace(0.0, 1.0, 51)
#: Clean length in characters: log-spaced bins from 1 to 100,000 (longer: the last bin).
LENGTH_BINS = np.logspace(0, 5, 41)
#: Real rows' edits are diffs, not named operations: the first this many real rows are
#: put into edit categories (``builder.profile.categorize``, about half a millisecond each).
MAX_CATEGORIZED_REAL = 5000


def _histogram(values: np.ndarray, bins: np.ndarray) -> np.ndarray:
    clipped = np.clip(values[~np.isnan(values)], bins[0], bins[-1])
    return np.histogram(clipped, bins=bins)[0].astype(np.int64)


@dataclass
class RowStats:
    """Counts and histograms of the rows written, keyed by split and kind."""

    rows: Counter = field(default_factory=Counter)  # (split, kind, recipe) -> rows
    sources: Counter = field(default_factory=Counter)  # (source, kind) -> rows
    categories: dict[str, Counter] = field(default_factory=dict)  # kind -> edit category -> edits
    categorized_real: int = 0  # real rows whose edits were put into categories
    hist: dict[tuple[str, str, str], np.ndarray] = field(default_factory=dict)  # (measure, split, kind)
    #: real rows it puts into categories at most: fewer for the counts of one batch, when
    #: earlier batches took part of the ``MAX_CATEGORIZED_REAL`` (``merge``)
    real_limit: int = MAX_CATEGORIZED_REAL

    def _add_hist(self, measure: str, split: str, kind: str, values: np.ndarray, bins: np.ndarray) -> None:
        key = (measure, split, kind)
        counts = _histogram(values, bins)
        self.hist[key] = self.hist[key] + counts if key in self.hist else counts

    def add(self, table: pa.Table) -> None:
        """Count one batch of written rows (the row columns and ``split``)."""
        for keys, counter in ((("split", "kind", "recipe"), self.rows), (("source", "kind"), self.sources)):
            # one thread: groups come in the order they first appear, as the counters had them
            counted = table.select(list(keys)).group_by(list(keys), use_threads=False).aggregate([([], "count_all")])
            names = zip(*(counted.column(k).to_pylist() for k in keys), strict=True)
            counter.update(dict(zip(names, counted.column("count_all").to_pylist(), strict=True)))
        split = table.column("split")
        kind = table.column("kind")
        cer = table.column("cer").to_numpy(zero_copy_only=False).astype(np.float64)
        wer = table.column("wer").to_numpy(zero_copy_only=False).astype(np.float64)
        score = table.column("align_score").to_numpy(zero_copy_only=False).astype(np.float64)
        length = pc.utf8_length(table.column("clean")).to_numpy(zero_copy_only=False).astype(np.float64)
        pairs = table.select(["split", "kind"]).group_by(["split", "kind"], use_threads=False).aggregate([])
        for s, k in sorted(zip(pairs.column("split").to_pylist(), pairs.column("kind").to_pylist(), strict=True)):
            m = pc.fill_null(pc.and_(pc.equal(split, s), pc.equal(kind, k)), False).to_numpy(zero_copy_only=False)
            self._add_hist("cer", s, k, cer[m], RATE_BINS)
            self._add_hist("wer", s, k, wer[m], RATE_BINS)
            self._add_hist("length", s, k, length[m], LENGTH_BINS)
            if k == "real":
                self._add_hist("align_score", s, k, score[m], RATE_BINS)
        self._count_edits(table, pc.fill_null(pc.equal(kind, "real"), False).to_numpy(zero_copy_only=False))

    def _count_edits(self, table: pa.Table, real_rows: np.ndarray) -> None:
        synthetic = table.filter(pa.array(~real_rows))
        if synthetic.num_rows:
            ops = pc.struct_field(pc.list_flatten(synthetic.column("edits")), "op")
            counts = self.categories.setdefault("synthetic", Counter())
            for item in pc.value_counts(ops).to_pylist():
                counts[item["values"]] += item["counts"]
        room = self.real_limit - self.categorized_real
        real = table.filter(pa.array(real_rows)).slice(0, max(room, 0))
        if real.num_rows:
            counts = self.categories.setdefault("real", Counter())
            for clean, garbled in zip(
                real.column("clean").to_pylist(), real.column("garbled").to_pylist(), strict=True
            ):
                counts.update(obs.category for obs in categorize(clean, garbled))
            self.categorized_real += real.num_rows

    def merge(self, other: RowStats) -> None:
        """Add the counts of later rows (a batch counted apart, on a worker): merged in
        the rows' order, every key comes first where it would have had the rows been
        counted here, so the card's tables keep their order."""
        self.rows.update(other.rows)
        self.sources.update(other.sources)
        for kind, counts in other.categories.items():
            self.categories.setdefault(kind, Counter()).update(counts)
        self.categorized_real += other.categorized_real
        for key, counts in other.hist.items():
            self.hist[key] = self.hist[key] + counts if key in self.hist else counts

    @property
    def kinds(self) -> list[str]:
        return sorted({k for _, k, _ in self.rows})

    @property
    def splits(self) -> list[str]:
        return sorted({s for s, _, _ in self.rows})

    def kind_rows(self, kind: str) -> int:
        return sum(n for (_, k, _), n in self.rows.items() if k == kind)
