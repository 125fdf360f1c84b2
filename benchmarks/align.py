"""Alignment benchmark: our aligner against Gale-Church and bertalign, side by side.

Every set has gold (see ``align_data``); every aligner runs on the same documents in
this process, and speed is reported as sentences per second and as a ratio to the
peers, so a noisy machine moves all of them together. Scores are counted as
vecalign's scorer counts them (``align_scoring``). A peer that is not installed is
reported as missing and the run goes on.

    python benchmarks/align.py [--quick] [--bertalign-max-sentences N]

Results: benchmarks/results/align.json and align.md (the table the README shows).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.align_data import SETS, AlignCase, all_sets, summary
from benchmarks.align_scoring import score
from benchmarks.common import RESULTS, write_result
from benchmarks.peers import ALIGNERS

QUALITY_SETS = ("seed", "synthetic", "mlqe", "mlqe_all", "icdar")


def run_aligner(aligner, cases: list[AlignCase]) -> dict:
    preds, errors, t0 = [], 0, time.perf_counter()
    for case in cases:
        try:
            preds.append(aligner.align(case.garbled, case.clean))
        except Exception as e:
            errors += 1
            print(f"  {case.name}: {type(e).__name__}: {e}", file=sys.stderr)
            preds.append([((i,), ()) for i in range(len(case.garbled))] + [((), (j,)) for j in range(len(case.clean))])
    seconds = time.perf_counter() - t0
    sentences = sum(len(c.garbled) + len(c.clean) for c in cases)
    result = score([c.gold for c in cases], preds)
    result.pop("counts", None)
    return {
        **{k: round(v, 4) for k, v in result.items()},
        "seconds": round(seconds, 3),
        "sentences_per_second": round(sentences / max(seconds, 1e-9), 1),
        "documents": len(cases),
        "failed_documents": errors,
    }


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="5 documents per set, long set up to 1,000")
    ap.add_argument(
        "--bertalign-max-sentences",
        type=int,
        default=1000,
        help="skip bertalign on long documents above this size (it needs ~0.1 s a sentence)",
    )
    args = ap.parse_args(argv or [])
    available = {}
    for name, aligner in ALIGNERS.items():
        ok, reason = aligner.available()
        available[name] = ok
        if not ok:
            print(f"{name}: not available ({reason}); left out", file=sys.stderr)
    sets = all_sets({k: SETS[k] for k in QUALITY_SETS})
    results: dict = {"available": available, "sets": {}, "long": []}
    for set_name, cases in sets.items():
        cases = cases[:5] if args.quick else cases
        results["sets"][set_name] = {"summary": summary(cases), "aligners": {}}
        for name, aligner in ALIGNERS.items():
            if available[name]:
                print(f"{set_name}: {name} ...", file=sys.stderr)
                results["sets"][set_name]["aligners"][name] = run_aligner(aligner, cases)
    long_cases = all_sets({"long": SETS["long"]}).get("long", [])
    for case in long_cases:
        n = len(case.clean)
        if args.quick and n > 1000:
            continue
        row = {"clean_sentences": n, "garbled_sentences": len(case.garbled)}
        for name, aligner in ALIGNERS.items():
            if not available[name] or (name == "bertalign" and n > args.bertalign_max_sentences):
                continue
            print(f"long {n}: {name} ...", file=sys.stderr)
            r = run_aligner(aligner, [case])
            row[name] = {
                "f1_strict": r["f1_strict"],
                "seconds": r["seconds"],
                "failed": r["failed_documents"] > 0,
                "ms_per_sentence": round(1000 * r["seconds"] / (n + len(case.garbled)), 4),
            }
        results["long"].append(row)
    write_result("align", results)
    (RESULTS / "align.md").write_text(markdown(results))
    return results


def markdown(results: dict) -> str:
    names = [n for n, ok in results["available"].items() if ok]
    lines = [
        "| set | aligner | strict P | strict R | strict F1 | lax F1 | 1-0/0-1 P | 1-0/0-1 R | sentences/s |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for set_name, data in results["sets"].items():
        for name in names:
            r = data["aligners"].get(name)
            if r:
                lines.append(
                    f"| {set_name} | {name} | {r['precision_strict']:.3f} | {r['recall_strict']:.3f} | "
                    f"**{r['f1_strict']:.3f}** | {r['f1_lax']:.3f} | {r['indel_precision']:.3f} | "
                    f"{r['indel_recall']:.3f} | {r['sentences_per_second']:,.0f} |"
                )
    lines += [
        "",
        "| clean sentences | " + " | ".join(f"{n} ms/sentence (F1)" for n in names) + " |",
        "|---:|" + "---:|" * len(names),
    ]
    for row in results["long"]:
        cells = [
            "not run"
            if n not in row
            else "failed"
            if row[n].get("failed")
            else f"{row[n]['ms_per_sentence']:.3f} ({row[n]['f1_strict']:.3f})"
            for n in names
        ]
        lines.append(f"| {row['clean_sentences']:,} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main(sys.argv[1:])
