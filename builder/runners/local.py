"""The local runner: the chunks, and the files of a many-file input, in ``runner.workers`` processes."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import as_completed
from pathlib import Path
from typing import Any

import pyarrow as pa
from tqdm import tqdm

from builder.pipeline.chain import Pipeline
from builder.pipeline.readers.ranges import line_breaks
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

    def count_lines(self, ranges: list[tuple[Path, int, int]]) -> list[int]:
        """Here: a C scan of the bytes, faster than starting the processes to share it."""
        return [line_breaks(*r) for r in ranges]

    def run_tasks(self, function: Callable, tasks: list[tuple], what: str, unit: str) -> list[Any]:
        """The tasks on ``runner.workers`` processes (here, when there is only one)."""
        results: list[Any] = [None] * len(tasks)
        with (
            tqdm(total=len(tasks), unit=unit, desc=what, disable=not self.cfg.progress) as bar,
            process_pool(min(self.cfg.workers, len(tasks))) as pool,
        ):
            if pool is None:
                for i, task in enumerate(tasks):
                    results[i] = function(*task)
                    bar.update(1)
                return results
            futures = {pool.submit(function, *task): i for i, task in enumerate(tasks)}
            for done in as_completed(futures):
                results[futures[done]] = done.result()
                bar.update(1)
        return results

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
