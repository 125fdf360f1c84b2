"""The garbage collector and the allocators during a build.

Every full collection walks every container the process holds: the modules, the config,
what the corpus steps left behind. A build makes enough long-lived objects (memos,
caches, row batches) to start a full collection every second or so, and each one walked
some 150,000 objects that could never be garbage: 6% of a one-worker build. Objects
alive before the heavy work are set aside (``gc.freeze``) so the collector skips them;
forked workers inherit that, and their pages stay shared. The youngest generation is
also collected less often (every ``YOUNG_THRESHOLD`` new containers, not 700): a build
makes millions of short-lived tuples (edits, pieces, rows) that reference counting frees
at once, and the collections they set off, each moving the survivors up a generation,
cost 6% of a one-worker build. At 10,000 a collection still fell inside most batches and
walked their live rows (0.6 to 1.0 s of a 20,000-document build); at 100,000 the build
sets off almost none (0.15 s), and the cyclic garbage waiting for one stays a few
megabytes. The collector is as it was once the build ends, whatever way it ends.

Freed memory is not always handed back: Arrow's allocator keeps freed blocks for reuse,
and glibc's keeps freed pages inside its heap when a live allocation sits above them.
The writer frees a batch's copies (its rows, their casts, the baselines' strings) a
thousand times at a million documents, and what the allocators kept grew with the
corpus; ``give_back`` returns it between steps and every few hundred batches.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache

import pyarrow as pa

#: New container objects between two collections of the youngest generation during a build.
YOUNG_THRESHOLD = 100_000


def set_aside() -> None:
    """Collect once, then leave every object alive now out of later collections."""
    gc.collect()
    gc.freeze()


@contextmanager
def frozen_heap() -> Iterator[None]:
    """Set aside what is alive now; ``set_aside`` may be called again inside. On exit
    everything set aside since entry goes back to the collector (and what was frozen
    before entry stays frozen)."""
    before, thresholds = gc.get_freeze_count(), gc.get_threshold()
    set_aside()
    gc.set_threshold(max(thresholds[0], YOUNG_THRESHOLD), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        if before == 0:
            gc.unfreeze()


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim`` (None elsewhere: musl, macOS)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


def give_back() -> None:
    """Return the memory freed so far to the system: Arrow's unused blocks, and the free
    pages of glibc's heap (``malloc_trim``). A few milliseconds; no object is touched."""
    pa.default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
