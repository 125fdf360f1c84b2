"""Worker processes that never outlive the build that started them.

A forked worker asks the kernel to kill it when its parent dies (``PR_SET_PDEATHSIG``,
Linux), and checks that its parent is still the one that forked it, so a build killed
with SIGKILL leaves no worker writing into its folder. Workers ignore SIGINT: Ctrl-C
reaches the whole process group, and only the parent should decide what happens.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any

from builder.pipeline.writers.lock import close_inherited

_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return


def init_worker(parent_pid: int) -> None:
    """Pool initializer: tie the worker to its parent, leave SIGINT to the parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with_parent()
    close_inherited()
    if os.getppid() != parent_pid:  # the parent died before the kernel could be asked
        os._exit(1)


@contextmanager
def process_pool(workers: int) -> Iterator[ProcessPoolExecutor | None]:
    """``workers`` forked processes tied to this build (see ``init_worker``) for work the
    parent hands out as it goes; None for one worker: the caller runs it inline.

    A worker that dies (killed, or out of memory) breaks the pool: the tasks waiting on it
    raise ``BrokenProcessPool`` instead of waiting for ever, and the build says so in one
    line (``builder.app.build``). When the block fails, the workers are stopped at once
    rather than waited for: their unfinished work is never used."""
    if workers <= 1:
        yield None
        return
    ctx = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(workers, mp_context=ctx, initializer=init_worker, initargs=(os.getpid(),))
    try:
        yield pool
    except BaseException:
        stop_workers(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def stop_workers(pool: ProcessPoolExecutor) -> None:
    """Terminate the pool's processes (the executor keeps them in ``_processes``; Python
    3.14's ``terminate_workers`` is the public form)."""
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        if proc.is_alive():
            proc.terminate()
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        proc.join(timeout=5)


@contextmanager
def on_workers(step: Any, pool: ProcessPoolExecutor | None, workers: int) -> Iterator[None]:
    """While the block runs, ``step.parallel_map`` hands its work to ``pool``'s workers
    (None without a pool: the step maps inline)."""
    step.parallel_map = ordered_map(pool, 2 * workers) if pool else None
    try:
        yield
    finally:
        step.parallel_map = None


def ordered_map(pool: ProcessPoolExecutor, in_flight: int) -> Callable[[Callable, Iterable], Iterator]:
    """``map(function, items)`` on ``pool``, results in the order of ``items``, with at
    most ``in_flight`` items handed over and not yet taken back (``Executor.map`` takes
    the whole iterable at once, which would hold a corpus in memory)."""

    def run(function: Callable, items: Iterable) -> Iterator:
        pending: deque = deque()
        for item in items:
            pending.append(pool.submit(function, item))
            if len(pending) >= in_flight:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()

    return run
