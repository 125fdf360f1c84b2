"""A pipeline: stages, checked once, run as one batch function.

Building the pipeline checks that every stage finds the columns it reads, so a
misordered config fails before any document is read (the application makes the
stages from ``pipeline.stages``, see ``builder.app.steps``). The stages are fused into
one function: intermediate columns (sentence spans, groups) never need an Arrow type,
and only the final rows do.
"""

from __future__ import annotations

from builder.core import reasons
from builder.core.errors import ConfigError
from builder.core.schema import DOC_COLUMNS, WORK_COLUMNS
from builder.pipeline.steps import STAGES
from builder.pipeline.steps.base import Batch, CorpusStep, Stage, batch_len, error_detail
from builder.pipeline.steps.units import reject_row

Step = Stage | CorpusStep


def phases(steps: list[Step]) -> tuple[list[CorpusStep], list[Stage], list[CorpusStep]]:
    """The corpus steps on documents, the batch stages, and the corpus steps on rows, in
    the order they run; ConfigError when a corpus step sits where it could not run."""
    before: list[CorpusStep] = []
    stages: list[Stage] = []
    after: list[CorpusStep] = []
    for st in steps:
        if isinstance(st, CorpusStep) and st.phase == "documents":
            if stages or after:
                raise ConfigError(
                    f"pipeline.stages: {st.name!r} works on the whole corpus of documents: "
                    "put it before the first stage that works in batches"
                )
            before.append(st)
        elif isinstance(st, CorpusStep):
            after.append(st)
        else:
            if after:
                raise ConfigError(
                    f"pipeline.stages: {after[0].name!r} works on the rows of the whole corpus: "
                    f"put it after the last stage that works in batches ({st.name!r})"
                )
            stages.append(st)
    return before, stages, after


def check_columns(stages: list[Step]) -> None:
    """Raise ConfigError naming the first step that reads a column nobody wrote."""
    available = set(DOC_COLUMNS)
    for st in stages:
        missing = [c for c in st.inputs if c not in available]
        if missing:
            writers = sorted({w.name for w in STAGES.values() if set(missing) & set(w.outputs)})
            hint = f" (written by {', '.join(writers)})" if writers else ""
            raise ConfigError(
                f"pipeline.stages: stage {st.name!r} reads {', '.join(missing)}, which no earlier stage writes{hint}"
            )
        replaces = getattr(st, "replaces_columns", False)
        available = set(st.outputs) if replaces else available | set(st.outputs)
    missing = [c for c in WORK_COLUMNS if c not in available]
    if missing:
        raise ConfigError(f"pipeline.stages: the pipeline never writes {', '.join(missing)} (is 'units' missing?)")


class Pipeline:
    """The steps of a build. ``before`` run on the whole documents table, ``stages`` on
    batches of documents (by a runner, anywhere), ``after`` on the whole rows table."""

    def __init__(self, steps: list[Step]) -> None:
        self.steps = list(steps)
        self.before, self.stages, self.after = phases(self.steps)
        check_columns(self.steps)

    def __call__(self, batch: Batch) -> Batch:
        for st in self.stages:
            batch = st(batch)
        return {c: batch[c] for c in WORK_COLUMNS}

    def safe(self, batch: Batch) -> Batch:
        """The rows of a batch, whatever its documents hold. Stages reject a document that
        makes them fail; if a stage fails on a whole batch anyway, each document is run
        alone, and one that still fails leaves a single ``stage_error`` row: a record can
        never stop the build."""
        try:
            return self(batch)
        except Exception:
            if batch_len(batch) == 0:
                raise
        out: dict[str, list] = {c: [] for c in WORK_COLUMNS}
        for i in range(batch_len(batch)):
            one = {c: v[i : i + 1] for c, v in batch.items()}
            try:
                rows = self(one)
            except Exception as exc:
                doc = {c: v[0] for c, v in one.items()}
                rows = {c: [v] for c, v in reject_row(doc, reasons.STAGE_ERROR, error_detail("pipeline", exc)).items()}
            for c in WORK_COLUMNS:
                out[c].extend(rows[c])
        return out

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.steps]

    def __getstate__(self) -> dict:
        """Workers run the batch stages only: the corpus steps stay with the driver."""
        return {**self.__dict__, "steps": list(self.stages), "before": [], "after": []}
