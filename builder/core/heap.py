"""The garbage collector during a build.

Every full collection walks every container the process holds: the modules, the config,
what the corpus steps left behind. A build makes enough long-lived objects (memos,
caches, row batches) to start a full collection every second or so, and each one walked
some 150,000 objects that could never be garbage: 6% of a one-worker build. Objects
alive before the heavy work are set aside (``gc.freeze``) so the collector skips them;
forked workers inherit that, and their pages stay shared. The collector is as it was
once the build ends, whatever way it ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


def set_aside() -> None:
    """Collect once, then leave every object alive now out of later collections."""
    gc.collect()
    gc.freeze()


@contextmanager
def frozen_heap() -> Iterator[None]:
    """Set aside what is alive now; ``set_aside`` may be called again inside. On exit
    everything set aside since entry goes back to the collector (and what was frozen
    before entry stays frozen)."""
    before = gc.get_freeze_count()
    set_aside()
    try:
        yield
    finally:
        if before == 0:
            gc.unfreeze()
