"""The Ray runner: the same pipeline as Ray Data ``map_batches`` on a cluster.

``runner.address=auto`` joins a running cluster; left empty, a local Ray instance
is started. Only the chunks the store still lacks are sent. Rows come back in
document order (``preserve_order``) and each chunk is saved as soon as its last row
has arrived, so the driver holds at most one chunk and a killed build keeps the
chunks it finished.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from builder.core.errors import ConfigError
from builder.core.schema import work_schema
from builder.pipeline.chain import Pipeline
from builder.runners.base import Runner
from builder.runners.chunks import ChunkStore


class _Batches:
    """Arrow batch in, Arrow batch out, with the declared schema."""

    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline
        self.schema = work_schema()

    def __call__(self, table: pa.Table) -> pa.Table:
        return pa.Table.from_pydict(self.pipeline.safe(table.to_pydict()), schema=self.schema)


class _ChunkSink:
    """Collects rows in document order and saves each chunk once it is complete."""

    def __init__(self, store: ChunkStore, pending: list[int]) -> None:
        self.store, self.pending = store, pending
        self.at, self.parts = 0, []

    def add(self, batch: pa.Table) -> None:
        chunk = batch.column("doc_seq").to_numpy() // self.store.chunk_size
        for k in np.unique(chunk):
            while self.pending[self.at] != k:
                self.flush()
            self.parts.append(batch.filter(pa.array(chunk == k)))

    def flush(self) -> None:
        schema = work_schema()
        rows = pa.concat_tables(self.parts) if self.parts else schema.empty_table()
        self.store.write(self.pending[self.at], rows.cast(schema))
        self.at, self.parts = self.at + 1, []

    def close(self) -> None:
        while self.at < len(self.pending):
            self.flush()


class RayRunner(Runner):
    kind = "ray"

    def run(self, docs: pa.Table, pipeline: Pipeline, store: ChunkStore) -> None:
        try:
            import ray
            import ray.data
        except ImportError as e:
            raise ConfigError("runner=ray needs Ray: pip install -e '.[ray]'") from e
        pending = store.pending()
        if not pending:
            return
        started = False
        if not ray.is_initialized():
            address = self.cfg.address or None
            ray.init(
                address=address,
                num_cpus=None if address else self.cfg.workers,
                include_dashboard=False,
                log_to_driver=False,
                ignore_reinit_error=True,
            )
            started = True
        try:
            ctx = ray.data.DataContext.get_current()
            ctx.execution_options.preserve_order = True
            ctx.enable_progress_bars = bool(self.cfg.progress)
            todo = pa.concat_tables([docs.slice(s, e - s) for s, e in map(store.bounds, pending)])
            rows = ray.data.from_arrow(todo).map_batches(
                _Batches(pipeline), batch_format="pyarrow", batch_size=self.cfg.batch_size, zero_copy_batch=True
            )
            sink = _ChunkSink(store, pending)
            for batch in rows.iter_batches(batch_format="pyarrow", batch_size=None):
                sink.add(pa.Table.from_batches([batch]) if isinstance(batch, pa.RecordBatch) else batch)
            sink.close()
        finally:
            if started:
                ray.shutdown()
