"""Where a batch of rows lies in a memory-mapped Arrow file, so that a worker process can
read the batch itself instead of being sent it.

Sending a batch to a worker pickles its buffers, pipes them and unpickles them: at two
workers the writer's counting sent every row's texts and edits that way, a few hundred
megabytes at 20,000 documents. A worker given where the rows are maps the same file and
reads them from the page cache, without a copy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pyarrow as pa

#: This process's open readers, by path: a worker reads many batches of one file.
_READERS: dict[str, pa.ipc.RecordBatchFileReader] = {}


@dataclass(frozen=True)
class RowsAt:
    """Rows ``start`` to ``start + length`` of record batch ``batch`` of the Arrow file ``path``."""

    path: str
    batch: int
    start: int
    length: int

    def read(self, columns: Sequence[str]) -> pa.Table:
        """The rows' ``columns``, mapped from the file (every column is read and the others
        left untouched: a reader told to read only some copies them into memory)."""
        reader = _READERS.get(self.path)
        if reader is None:
            _READERS.clear()  # a new file: the build's earlier ones are gone
            reader = _READERS[self.path] = pa.ipc.open_file(pa.memory_map(self.path))
        batch = reader.get_batch(self.batch).slice(self.start, self.length)
        return pa.Table.from_batches([batch]).select(list(columns))
