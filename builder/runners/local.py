"""The local runner: ``datasets.map(batched=True, num_proc=N)`` on this machine."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from builder.pipeline import Pipeline
from builder.runners.base import Runner
from builder.schema import WORK_FEATURES


class LocalRunner(Runner):
    kind = "local"

    def run(self, docs, pipeline: Pipeline, workdir: Path) -> pa.Table:
        workers = self.cfg.runner.workers
        work = docs.map(
            pipeline,
            batched=True,
            batch_size=self.cfg.runner.batch_size,
            num_proc=workers if workers > 1 else None,
            remove_columns=docs.column_names,
            features=WORK_FEATURES,
            load_from_cache_file=False,
            cache_file_name=str(workdir / "rows.arrow"),
            desc=f"building rows ({'+'.join(pipeline.names)})",
        )
        return work.data.table
