"""The collector during a build: objects set aside while it runs, all back after."""

import gc

import pytest

from builder.core.heap import frozen_heap, set_aside


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
    with pytest.raises(KeyboardInterrupt), frozen_heap():
        raise KeyboardInterrupt
    assert gc.get_freeze_count() == 0


def test_what_was_frozen_before_stays_frozen():
    gc.freeze()
    try:
        before = gc.get_freeze_count()
        with frozen_heap():
            pass
        assert gc.get_freeze_count() >= before
    finally:
        gc.unfreeze()
