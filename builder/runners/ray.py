"""The Ray runner: the same pipeline as Ray Data ``map_batches`` on a cluster.

``runner.address=auto`` joins a running cluster; left empty, a local Ray instance
is started. Rows come back in document order (``preserve_order``) and are spooled
to an Arrow file a batch at a time, so the driver never holds the corpus.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from builder.config import ConfigError
from builder.pipeline import Pipeline
from builder.runners.base import Runner
from builder.schema import work_schema


class _Batches:
    """Arrow batch in, Arrow batch out, with the declared schema."""

    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline
        self.schema = work_schema()

    def __call__(self, table: pa.Table) -> pa.Table:
        return pa.Table.from_pydict(self.pipeline(table.to_pydict()), schema=self.schema)


class RayRunner(Runner):
    kind = "ray"

    def run(self, docs, pipeline: Pipeline, workdir: Path) -> pa.Table:
        try:
            import ray
            import ray.data
        except ImportError as e:
            raise ConfigError("runner=ray needs Ray: pip install -e '.[ray]'") from e
        started = False
        if not ray.is_initialized():
            address = self.cfg.runner.address or None
            ray.init(
                address=address,
                num_cpus=None if address else self.cfg.runner.workers,
                include_dashboard=False,
                log_to_driver=False,
                ignore_reinit_error=True,
            )
            started = True
        try:
            ctx = ray.data.DataContext.get_current()
            ctx.execution_options.preserve_order = True
            ctx.enable_progress_bars = bool(self.cfg.runner.progress)
            ds = ray.data.from_arrow(docs.data.table)
            rows = ds.map_batches(
                _Batches(pipeline), batch_format="pyarrow", batch_size=self.cfg.runner.batch_size, zero_copy_batch=True
            )
            path = workdir / "rows.arrow"
            schema = work_schema()
            with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_stream(sink, schema) as writer:
                for batch in rows.iter_batches(batch_format="pyarrow", batch_size=None):
                    writer.write_table(batch.cast(schema))
            return pa.ipc.open_stream(pa.memory_map(str(path))).read_all()
        finally:
            if started:
                ray.shutdown()
