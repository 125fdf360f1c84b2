"""The local runner: the chunks on this machine, in ``runner.workers`` processes."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import as_completed

import pyarrow as pa
from tqdm import tqdm

from builder.pipeline.chain import Pipeline
from builder.runners.base import Runner
from builder.runners.chunks import ChunkStore, run_chunk
from builder.runners.workers import process_pool

# What forked workers need, set by the parent just before it forks (nothing is pickled).
_JOB: tuple[Pipeline, pa.Table, ChunkStore, int] | None = None


def _work(k: int) -> int:
    pipeline, docs, store, batch_size = _JOB
    return run_chunk(pipeline, docs, store, k, batch_size)


class LocalRunner(Runner):
    kind = "local"

    def run(
        self, docs: pa.Table, pipeline: Pipeline, store: ChunkStore, meanwhile: Callable[[], None] | None = None
    ) -> None:
        global _JOB
        pending = store.pending()
        todo = sum(store.bounds(k)[1] - store.bounds(k)[0] for k in pending)
        workers = min(self.cfg.workers, max(1, len(pending)))
        bar = tqdm(
            total=todo,
            unit="doc",
            desc=f"building rows ({'+'.join(s.name for s in pipeline.stages)})",
            disable=not self.cfg.progress,
        )
        with bar:
            if workers <= 1:
                for k in pending:
                    bar.update(run_chunk(pipeline, docs, store, k, self.cfg.batch_size))
                return
            _JOB = (pipeline, docs, store, self.cfg.batch_size)
            try:
                with process_pool(workers) as pool:  # forked at the first task: _JOB is set
                    futures = [pool.submit(_work, k) for k in pending]
                    if meanwhile is not None:
                        meanwhile()
                    for done in as_completed(futures):
                        bar.update(done.result())
            finally:
                _JOB = None
