"""The collector during a build: objects set aside while it runs, all back after."""

import gc

import pytest

from builder.core.heap import YOUNG_THRESHOLD, frozen_heap, set_aside


class Node:
    def __init__(self):
        self.me = self  # a cycle: only the collector frees it


def test_objects_alive_at_entry_are_skipped_and_given_back_on_exit():
    assert gc.get_freeze_count() == 0
    with frozen_heap():
        frozen = gc.get_freeze_count()
        assert frozen > 0
        set_aside()
        assert gc.get_freeze_count() >= frozen
    assert gc.get_freeze_count() == 0


def test_garbage_made_inside_is_still_collected():
    with frozen_heap():
        Node()
        assert gc.collect() > 0


def test_the_collector_is_given_back_when_the_block_fails():
    thresholds = gc.get_threshold()
    with pytest.raises(KeyboardInterrupt), frozen_heap():
        raise KeyboardInterrupt
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == thresholds


def test_the_youngest_generation_is_collected_less_often_inside_only():
    thresholds = gc.get_threshold()
    with frozen_heap():
        assert gc.get_threshold() == (max(thresholds[0], YOUNG_THRESHOLD), *thresholds[1:])
    assert gc.get_threshold() == thresholds


def test_what_was_frozen_before_stays_frozen():
    gc.freeze()
    try:
        before = gc.get_freeze_count()
        with frozen_heap():
            pass
        assert gc.get_freeze_count() >= before
    finally:
        gc.unfreeze()


def _anon_mb() -> float:
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) / 1024 for line in fh if line.startswith("RssAnon:"))


def test_freed_memory_held_inside_the_heap_is_given_back():
    """A live block above freed ones keeps glibc from shrinking its heap: the pages in
    between stay the process's memory until ``give_back``."""
    from builder.core.heap import _malloc_trim, give_back

    if _malloc_trim() is None:
        pytest.skip("glibc's malloc_trim is not available here")
    blocks = [bytes(60_000) + bytes([k % 256]) for k in range(3000)]  # some 180 MB, below mmap's size
    kept = blocks[::20]  # one block in twenty stays alive, scattered through the heap
    del blocks
    before = _anon_mb()
    give_back()
    assert _anon_mb() < before - 80
    assert len(kept) == 150
