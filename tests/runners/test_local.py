"""The local runner hands its process work to do while its workers build the rows."""

from __future__ import annotations

import multiprocessing
import os

import pytest

from builder.app import build as build_module


@pytest.mark.parametrize("workers", [1, 2])
def test_the_driver_prepares_the_writers_imports_while_its_workers_build_rows(
    cfg_factory, news_jsonl, monkeypatch, workers
):
    calls = []

    def meanwhile() -> None:
        calls.append((os.getpid(), len(multiprocessing.active_children())))

    monkeypatch.setattr(build_module, "load_matplotlib", meanwhile)
    cfg = cfg_factory(
        "source=jsonl", f"source.path={news_jsonl}", "noise=typo", f"runner.workers={workers}", "runner.chunk_size=2"
    )
    build_module.build(cfg)
    if workers == 1:
        assert calls == []  # no worker to hand the imports on to: the plots import them when drawn
    else:
        assert calls == [(os.getpid(), 2)]  # once, here, with the row workers already started
