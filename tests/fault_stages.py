"""Stages that tests put into ``pipeline.stages`` to make faults happen on cue.

``Gate`` lets documents through until it meets document ``GATE_AT``; then it writes its
pid to the file ``GATE_FILE`` names and waits there for good, so a test can kill the build
at a known point of its work. Without ``GATE_FILE`` in the environment it does nothing,
so the same config run again (the resume) passes straight through.

``Explode`` raises on a whole batch when it holds a document whose clean text contains
"EXPLODE": the pipeline must turn that document alone into a reject.
"""

from __future__ import annotations

import os
import time

from builder.pipeline.steps.base import Batch, Stage


class Gate(Stage):
    name = "gate"
    inputs = ("doc_seq",)
    outputs = ()

    def __call__(self, batch: Batch) -> Batch:
        gate = os.environ.get("GATE_FILE")
        if gate and any(seq >= int(os.environ.get("GATE_AT", "0")) for seq in batch["doc_seq"]):
            with open(gate + f".{os.getpid()}", "w") as fh:
                fh.write(str(os.getpid()))
            while True:  # held here until the test kills the build
                time.sleep(0.05)
        return batch


class Explode(Stage):
    name = "explode"
    inputs = ("clean",)
    outputs = ()

    def __call__(self, batch: Batch) -> Batch:
        if any("EXPLODE" in c for c in batch["clean"]):
            raise RuntimeError("a stage that cannot cope with this document")
        return batch
