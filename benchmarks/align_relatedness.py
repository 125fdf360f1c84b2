"""Does the build keep every true pair and reject every unrelated one? Measured per set.

For each set (``align_data`` true pairs, ``align_mismatch`` unrelated, partly related and
one-sentence pairs) this measures the document score of
:func:`builder.align.relatedness.document_score` on the build's own alignment, and:

- the share of documents rejected as ``unrelated_pair`` at each candidate
  ``align.min_document_score`` and at the configured default;
- for unrelated documents, the largest document score and the largest ``align_score``
  of any of their groups (no group of an unrelated document may look confident);
- for partly related documents, the scores of the groups the gold says are wrong (the
  replaced stretch) and of the right ones, and how many wrong ones each
  ``filter.min_align_score`` would keep;
- rows written by the real pipeline (``builder.app.build.build`` on a JSONL of the set, the
  default config), with the reject reasons from its stats.

:func:`choose_default` turns the scores into the range of ``align.min_document_score``
that rejects every unrelated BBC pair while rejecting under 1% of each true set and no
partly related document, and picks a value inside it.
"""

from __future__ import annotations

import json
import math
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from benchmarks.align_data import AlignCase
from benchmarks.common import compose
from builder.align import Aligner
from builder.align.relatedness import document_score
from builder.app.build import build
from builder.core.reasons import UNRELATED_PAIR

THRESHOLDS = (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5)
MIN_ALIGN_SCORES = (0.0, 0.5, 0.9)
#: Sets whose every document is a true pair: each may lose under 1% of its documents.
TRUE_SETS = ("seed", "synthetic", "mlqe", "icdar", "mlqe_sentences", "icdar_segments")
#: True pairs, hallucinations and misaligned source rows included: reported, not bounding the default.
TRUE_SETS_WITH_NOISE = ("mlqe_all", "mlqe_sentences_all")
#: Sets whose every document must be rejected (0 rows written).
UNRELATED_SETS = ("unrelated_same_topic", "unrelated_other_topic")
#: One unrelated sentence a side: reported, not bounding the default (too little evidence to promise).
UNRELATED_SHORT = ("unrelated_sentences",)
PARTLY_SETS = ("partly_related",)
#: Below this share, a true set's rejections are acceptable.
MAX_TRUE_REJECTED = 0.01


def _q(xs: Sequence[float], p: float) -> float | None:
    return round(float(np.quantile(xs, p)), 4) if len(xs) else None


def measure(cases: Sequence[AlignCase], min_document_score: float) -> dict:
    """Document scores and group scores of one set, aligned as the build aligns."""
    aligner = Aligner()
    scores, wrong, right = [], [], []
    for case in cases:
        groups = aligner.align(case.garbled, case.clean)
        scores.append(document_score(groups, len(case.garbled), len(case.clean)))
        gold = {(tuple(g), tuple(c)) for g, c in case.gold}
        for g in groups:
            if g.garbled and g.clean:
                (right if (g.garbled, g.clean) in gold else wrong).append(g.score)
    s = np.array(scores)
    out = {
        "documents": len(cases),
        "rejected_share": round(float((s < min_document_score).mean()), 4) if len(s) else None,
        "rejected": int((s < min_document_score).sum()),
        "document_score": {
            "min": _q(s, 0),
            "p1": _q(s, 0.01),
            "p5": _q(s, 0.05),
            "p50": _q(s, 0.5),
            "max": _q(s, 1),
        },
        "rejected_share_by_min_document_score": {
            str(t): round(float((s < t).mean()), 4) if len(s) else None for t in THRESHOLDS
        },
        "groups_right": len(right),
        "groups_wrong": len(wrong),
        "max_align_score_of_wrong_groups": round(max(wrong), 4) if wrong else None,
        "mean_align_score_of_wrong_groups": round(float(np.mean(wrong)), 4) if wrong else None,
        "mean_align_score_of_right_groups": round(float(np.mean(right)), 4) if right else None,
        "wrong_groups_kept_by_min_align_score": {str(t): int(sum(x >= t for x in wrong)) for t in MIN_ALIGN_SCORES},
        "_scores": scores,  # dropped before writing; choose_default reads it
    }
    return out


#: A true pair added to every built set: a build whose every record is rejected writes no
#: dataset at all (it stops with an error and the ledger), so each set gets one document
#: that always gives rows; its rows and its document are taken out of the counts.
WITNESS = {
    "id": "witness-true-pair",
    "garbled": "Teh council met on Mondey and aproved the budjet for new roads. Residents welcomed the decison.",
    "clean": "The council met on Monday and approved the budget for new roads. Residents welcomed the decision.",
}


def built_rows(set_name: str, cases: Sequence[AlignCase], root: Path, *overrides: str) -> dict:
    """Build the set with the real pipeline (default config, one document a record)."""
    path = root / f"{set_name}.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for k, case in enumerate(cases):
            record = {"id": f"{k:05d}-{case.name}", "garbled": " ".join(case.garbled), "clean": " ".join(case.clean)}
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        fh.write(json.dumps(WITNESS) + "\n")
    cfg = compose(
        root / "out",
        "source=jsonl",
        f"source.path={path}",
        f"source.name={set_name}",
        "runner.progress=false",
        "write.overwrite=true",
        *overrides,
    )
    result = build(cfg)
    docs = result.stats["documents"]
    doc_ids = pa.concat_tables(
        [pq.read_table(f, columns=["doc_id"]) for f in sorted((result.path / "data").glob("*.parquet"))]
    ).column("doc_id")
    witness_rows = int(pc.sum(pc.equal(doc_ids, WITNESS["id"])).as_py() or 0)
    if not witness_rows:
        raise RuntimeError(f"{set_name}: the witness document wrote no row")
    documents = docs["in"] - 1
    return {
        "documents_in": documents,
        "rows_written": len(doc_ids) - witness_rows,
        "documents_written": docs["written"] - 1,
        "rejected": docs["rejected"],
        "filtered": docs["filtered"],
        "rejected_unrelated_share": round(docs["rejected"].get(UNRELATED_PAIR, 0) / max(1, documents), 4),
    }


def built(sets: dict[str, Sequence[AlignCase]]) -> dict[str, dict]:
    with tempfile.TemporaryDirectory() as tmp:
        return {name: built_rows(name, cases, Path(tmp)) for name, cases in sets.items()}


def _upper(scores: Sequence[float], allowed: float) -> float:
    """The largest bar that rejects a share of ``scores`` under ``allowed`` (strictly)."""
    ordered = sorted(scores)
    k = max(0, math.ceil(allowed * len(ordered)) - 1)  # documents that may fall below the bar
    return ordered[k]


def choose_default(reports: dict[str, dict], step: float = 0.05) -> dict:
    """The range of admissible ``align.min_document_score`` and a value in it.

    Lower end: the highest document score of an unrelated BBC pair (the bar must be
    above it). Upper end: the largest bar under which each true set loses under 1% of its
    documents and no partly related document is lost. The value: the middle of the range,
    rounded down to ``step``, and kept above the lower end.
    """
    unrelated = [s for name in UNRELATED_SETS if name in reports for s in reports[name]["_scores"]]
    uppers = {name: _upper(reports[name]["_scores"], MAX_TRUE_REJECTED) for name in TRUE_SETS if name in reports}
    uppers.update({name: min(reports[name]["_scores"]) for name in PARTLY_SETS if name in reports})
    lower = max(unrelated) if unrelated else 0.0
    upper = min(uppers.values()) if uppers else 1.0
    middle = math.floor((lower + upper) / 2 / step) * step
    value = round(middle if middle > lower else (lower + upper) / 2, 4)
    return {
        "lower_unrelated_max": round(lower, 4),
        "upper": round(upper, 4),
        "upper_by_set": {k: round(v, 4) for k, v in uppers.items()},
        "admissible": lower < upper,
        "chosen": value,
    }
