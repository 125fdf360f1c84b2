"""The Ray runner: reading and chunks as Ray tasks, on one machine or a cluster.

``runner.address=auto`` (or ``ray://...``) joins a running cluster; left empty, a local
Ray instance of ``runner.workers`` CPUs is started for the build and stopped after it.

What runs where:

- Reading: one task per input file, or per byte range of a large JSON Lines file
  (``builder.pipeline.readers.ranges``: the cluster's CPUs four times over, 4 to 64 MB a
  range, line breaks counted by tasks too), on any node, each writing its documents to
  an Arrow file in the work folder (the same reader code and reject rules as a local
  build). The driver then joins the parts in reading order, numbers the documents and
  rejects repeated ids (``builder.pipeline.readers.assemble``), holding 8 bytes a
  document; a file whose ranges did not all end between records is read again whole.
  Inputs that are not a set of files (the sample, a folder of text pairs, a
  hub dataset), and ``source.limit``, are read by the driver.
- The corpus steps (pairing, near-copies, the split) run on the driver, as locally.
- Chunks: one task per chunk still missing. A task maps the documents file, builds the
  chunk's rows and writes the chunk file itself; only its document count comes back,
  so no row passes through the driver.

So the work folder, under ``write.root``, must be a path every node sees (local disk for
a one-machine cluster; a shared filesystem in production), as must ``source.path``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
from tqdm import tqdm

from builder.core.errors import ConfigError
from builder.pipeline.chain import Pipeline
from builder.pipeline.readers.base import Reader
from builder.runners.base import Runner
from builder.runners.chunks import ChunkStore, run_chunk


def _ray() -> Any:
    try:
        import ray
    except ImportError as e:
        raise ConfigError("runner=ray needs Ray: pip install -e '.[ray]'") from e
    return ray


def build_chunk(pipeline: Pipeline, docs_path: str, folder: str, n_docs: int, size: int, k: int, batch: int) -> int:
    """Chunk ``k`` built from the mapped documents file and saved by this task."""
    docs = pa.ipc.open_file(pa.memory_map(docs_path)).read_all()
    store = ChunkStore(Path(folder), n_docs, size, tidy=False)
    return run_chunk(pipeline, docs, store, k, batch)


class RayRunner(Runner):
    kind = "ray"

    def __init__(self, section: Any) -> None:
        super().__init__(section)
        self.started = False

    def __enter__(self) -> RayRunner:
        ray = _ray()
        if not ray.is_initialized():
            address = self.cfg.address or "local"
            ray.init(
                address=address,
                num_cpus=self.cfg.workers if address == "local" else None,
                include_dashboard=False,
                log_to_driver=False,
            )
            self.started = True
        return self

    def __exit__(self, *exc: object) -> None:
        if self.started:
            _ray().shutdown()
            self.started = False

    def _gather(self, refs: list[Any], what: str, unit: str, sizes: list[int] | None = None) -> list[Any]:
        """The tasks' results in submission order, with a progress bar as they finish."""
        ray = _ray()
        index = {ref: i for i, ref in enumerate(refs)}
        results: list[Any] = [None] * len(refs)
        total = sum(sizes) if sizes else len(refs)
        with tqdm(total=total, unit=unit, desc=what, disable=not self.cfg.progress) as bar:
            waiting = list(refs)
            while waiting:
                done, waiting = ray.wait(waiting, num_returns=1)
                for ref in done:
                    i = index[ref]
                    results[i] = ray.get(ref)
                    bar.update(sizes[i] if sizes else 1)
        return results

    def read(self, reader: Reader, out: Path) -> None:
        """A part a task on the cluster whenever the input is a set of files (one file or
        many, a large one in ranges: the driver never reads them); else here, in one stream."""
        if not reader.by_file:
            return super().read(reader, out)
        self.read_parts(reader, self.plan(reader, reader.parts()), out)

    def read_workers(self) -> int:
        """The cluster's CPUs: a large file is cut for all of them."""
        return max(1, int(_ray().cluster_resources().get("CPU", self.cfg.workers)))

    def run_tasks(self, function: Callable, tasks: list[tuple], what: str, unit: str) -> list[Any]:
        task = _ray().remote(function)
        return self._gather([task.remote(*t) for t in tasks], what, unit)

    def run(
        self, docs: pa.Table, pipeline: Pipeline, store: ChunkStore, meanwhile: Callable[[], None] | None = None
    ) -> None:
        """The chunks on the cluster; ``meanwhile`` is not called: the build's own steps
        around the rows run without worker processes to prepare."""
        ray = _ray()
        pending = store.pending()
        if not pending:
            return
        docs_path = store.folder.parent / "docs-for-workers.arrow"  # the documents as the corpus steps left them
        tmp = docs_path.with_name(f".{docs_path.name}.{os.getpid()}.tmp")
        with pa.OSFile(str(tmp), "wb") as sink, pa.ipc.new_file(sink, docs.schema) as writer:
            for batch in docs.to_reader(max_chunksize=4096):
                writer.write_batch(batch)
        os.replace(tmp, docs_path)
        task = ray.remote(build_chunk)
        args = (str(docs_path), str(store.folder), store.n_docs, store.chunk_size)
        shared = ray.put(pipeline)  # sent to each node once, not with every task
        refs = [task.remote(shared, *args, k, self.cfg.batch_size) for k in pending]
        sizes = [store.bounds(k)[1] - store.bounds(k)[0] for k in pending]
        desc = f"building rows on Ray ({'+'.join(s.name for s in pipeline.stages)})"
        self._gather(refs, desc, "doc", sizes)
        docs_path.unlink(missing_ok=True)
