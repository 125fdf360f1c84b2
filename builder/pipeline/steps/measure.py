"""Stage: edits for real rows (from a diff) and CER/WER for every row."""

from __future__ import annotations

from builder.core.edits import diff
from builder.core.metrics import char_errors, row_rate, word_errors
from builder.pipeline.steps.base import Batch, Stage, batch_len


class Measure(Stage):
    name = "measure"
    inputs = ("kind", "garbled", "clean", "edits", "reject")
    outputs = ("edits", "cer", "wer")

    def __call__(self, batch: Batch) -> Batch:
        n = batch_len(batch)
        edits, c, w = batch["edits"], [None] * n, [None] * n
        # a column that says no row waits for a diff (``EditsColumn``) is left as it is
        fill = not getattr(edits, "complete", False)
        if fill:
            edits = list(edits)
        rows = zip(batch["reject"], batch["kind"], batch["garbled"], batch["clean"], strict=True)
        for i, (reject, kind, g, cl) in enumerate(rows):
            if reject or not kind:
                continue
            if fill and edits[i] is None:
                edits[i] = diff(cl, g)
            if g == cl:
                c[i] = w[i] = 0.0
            else:
                c[i], w[i] = row_rate(char_errors(g, cl)), row_rate(word_errors(g, cl))
        return {**batch, "edits": edits, "cer": c, "wer": w}
