"""Sentence segmentation: our Segmenter against NLTK's Punkt (and pysbd), and a check
that ours gives Punkt's sentences on every document.

    python -m benchmarks.segment [--pysbd-chars N] [--rounds N]

Inputs: ``../shared/corpora/*.jsonl`` (field ``text``) and ``../shared/real_pairs/*.jsonl``
(both sides, ``noisy`` and ``clean``), one set per file and side.

- boundaries: ``Segmenter.spans`` on every paragraph against the reference tokenizer's
  ``span_tokenize`` (NLTK 3.10.4 Punkt with our parameters, ``builder.text.punkt_reference``)
  on the same paragraphs: Punkt alone, without our paragraph and tag work. Ours starts
  each run with empty memos (``_warm``: with the memos the runs before filled, as in a
  long build). Times are this process's CPU time (the machine is
  shared), the fastest of ``--rounds`` runs, alternating the two.
- split: ``Segmenter.split`` against ``ReferenceSegmenter.split`` (the code it
  replaced) on whole documents, which adds paragraphs and boilerplate tags to both; the
  fastest of ``--rounds`` runs, alternating the two, each document's sentences let go
  after use (as a build does).
- pysbd (if installed): its English segmenter with character spans, on the first
  ``--pysbd-chars`` characters of paragraphs of each set (it is much slower); MB/s only.
- differences: documents whose ``split()`` differs from the reference, in both paragraph
  modes. Must be 0.

Results: benchmarks/results/segment.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from benchmarks.common import SHARED, write_result
from builder.text.punkt_reference import ReferenceSegmenter, reference_tokenizer
from builder.text.segment import Segmenter


def load_sets() -> dict[str, list[str]]:
    sets: dict[str, list[str]] = {}
    for path in sorted((SHARED / "corpora").glob("*.jsonl")):
        sets[path.stem] = [json.loads(line)["text"] for line in path.open(encoding="utf-8")]
    for path in sorted((SHARED / "real_pairs").glob("*.jsonl")):
        rows = [json.loads(line) for line in path.open(encoding="utf-8")]
        for side in ("noisy", "clean"):
            sets[f"{path.stem}:{side}"] = [row[side] for row in rows]
    return sets


def _mb_per_s(chars: int, seconds: float) -> float:
    return round(chars / 1e6 / max(seconds, 1e-9), 2)


def _timed(fn) -> float:
    t0 = time.process_time()
    fn()
    return time.process_time() - t0


def boundaries(docs: list[str], rounds: int) -> dict:
    seg = Segmenter()
    punkt = reference_tokenizer(seg.extra_abbreviations)
    paras = [d[s:e] for d in docs for s, e in seg.paragraphs(d)]
    chars = sum(map(len, paras))

    def ours(cold: bool = True) -> None:
        if cold:  # each run starts with empty memos, as a fresh build process does
            for memo in (seg.punkt._contexts, seg.punkt._pairs, seg.punkt._inner):
                memo.clear()
        for p in paras:
            seg.spans(p)

    def theirs() -> None:
        for p in paras:
            list(punkt.span_tokenize(p))

    t_ours, t_punkt = [], []
    for _ in range(rounds):
        t_ours.append(_timed(ours))
        t_punkt.append(_timed(theirs))
    t_warm = min(_timed(lambda: ours(cold=False)) for _ in range(rounds))  # memos filled by the runs before
    return {
        "paragraphs": len(paras),
        "mb": round(chars / 1e6, 2),
        "ours_s": round(min(t_ours), 4),
        "punkt_s": round(min(t_punkt), 4),
        "ours_mb_s": _mb_per_s(chars, min(t_ours)),
        "punkt_mb_s": _mb_per_s(chars, min(t_punkt)),
        "speedup": round(min(t_punkt) / min(t_ours), 1),
        "ours_warm_mb_s": _mb_per_s(chars, t_warm),
        "speedup_warm": round(min(t_punkt) / t_warm, 1),
    }


def split_and_differences(docs: list[str], rounds: int) -> dict:
    out = {}
    for mode in ("line", "blank"):
        ours, ref = Segmenter(mode), ReferenceSegmenter(mode)
        got = [ours.split(d) for d in docs]
        want = [ref.split(d) for d in docs]
        differences = sum(a != b for a, b in zip(got, want, strict=True))
        sentences = sum(map(len, want))
        del got, want
        # timed apart, each document's sentences let go after use: kept for every
        # document, they set off the collector's full passes wherever its thresholds fall
        t_ours, t_ref = [], []
        for _ in range(rounds):
            t_ours.append(_timed(lambda ours=ours: [len(ours.split(d)) for d in docs]))
            t_ref.append(_timed(lambda ref=ref: [len(ref.split(d)) for d in docs]))
        out[mode] = {
            "differences": differences,
            "sentences": sentences,
            "ours_s": round(min(t_ours), 3),
            "reference_s": round(min(t_ref), 3),
            "speedup": round(min(t_ref) / max(min(t_ours), 1e-9), 1),
        }
    return out


def pysbd_rate(docs: list[str], max_chars: int) -> dict:
    try:
        import pysbd
    except ImportError:
        return {"skipped": "pysbd is not installed"}
    seg = pysbd.Segmenter(language="en", clean=False, char_span=True)
    paras, chars = [], 0
    for d in docs:
        for s, e in Segmenter().paragraphs(d):
            if chars >= max_chars:
                break
            paras.append(d[s:e])
            chars += e - s
    ours = Segmenter()
    t_pysbd = _timed(lambda: [seg.segment(p) for p in paras])
    t_ours = _timed(lambda: [ours.spans(p) for p in paras])
    return {
        "mb": round(chars / 1e6, 3),
        "pysbd_mb_s": _mb_per_s(chars, t_pysbd),
        "ours_mb_s": _mb_per_s(chars, t_ours),
        "speedup": round(t_pysbd / max(t_ours, 1e-9), 1),
    }


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--pysbd-chars", type=int, default=300_000)
    args = ap.parse_args(argv)
    sets = load_sets()
    if not sets:
        data = {"skipped": f"no corpora under {SHARED}"}
        write_result("segment", data)
        return data
    data: dict = {"sets": {}}
    for name, docs in sets.items():
        print(f"  {name}: {len(docs)} documents", file=sys.stderr)
        data["sets"][name] = {
            "documents": len(docs),
            "boundaries": boundaries(docs, args.rounds),
            "split": split_and_differences(docs, args.rounds),
            "pysbd": pysbd_rate(docs, args.pysbd_chars),
        }
    rows = data["sets"].values()
    ours = sum(r["boundaries"]["ours_s"] for r in rows)
    punkt = sum(r["boundaries"]["punkt_s"] for r in rows)
    mb = sum(r["boundaries"]["mb"] for r in rows)
    data["total"] = {
        "documents": sum(r["documents"] for r in rows),
        "mb": round(mb, 2),
        "ours_mb_s": round(mb / ours, 2),
        "punkt_mb_s": round(mb / punkt, 2),
        "speedup_over_punkt": round(punkt / ours, 1),
        "speedup_over_punkt_warm": round(
            punkt / sum(r["boundaries"]["mb"] / r["boundaries"]["ours_warm_mb_s"] for r in rows), 1
        ),
        "split_speedup": {
            mode: round(
                sum(r["split"][mode]["reference_s"] for r in rows) / sum(r["split"][mode]["ours_s"] for r in rows), 1
            )
            for mode in ("line", "blank")
        },
        "differences": sum(r["split"][m]["differences"] for r in rows for m in ("line", "blank")),
    }
    write_result("segment", data)
    return data


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:]), indent=2))
