"""Alignment benchmark: our aligner against Gale-Church and bertalign, side by side.

Every set has gold (see ``align_data``); every aligner runs on the same documents in
this process, and speed is reported as sentences per second and as a ratio to the
peers, so a noisy machine moves all of them together. Scores are counted as
vecalign's scorer counts them (``align_scoring``). A peer that is not installed is
reported as missing and the run goes on.

    python -m benchmarks.align [--quick] [--bertalign-max-sentences N]

It also measures the document check (``align_relatedness``): per set, how many true
pairs are rejected as ``unrelated_pair``, how many rows unrelated and partly related
documents would write through the real pipeline, and how their groups score; from that,
the range of ``align.min_document_score`` that works and the default it suggests.

Results: benchmarks/results/align.json and align.md (the tables the README shows).
"""

from __future__ import annotations

import argparse
import sys
import time

from benchmarks import align_mismatch, align_relatedness
from benchmarks.align_data import SETS, AlignCase, all_sets, summary
from benchmarks.align_scoring import score
from benchmarks.common import RESULTS, compose, write_result
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
    quality = {name: cases[:5] if args.quick else cases for name, cases in sets.items()}
    results["relatedness"] = relatedness(quality, args.quick)
    write_result("align", results)
    (RESULTS / "align.md").write_text(markdown(results))
    return results


def relatedness(quality: dict[str, list[AlignCase]], quick: bool) -> dict:
    """The document check on every set: true pairs kept, unrelated ones rejected whole."""
    default = float(compose(RESULTS / "unused").align.min_document_score)
    sets = dict(quality)
    more = {**align_mismatch.MISMATCH_SETS, **align_mismatch.SHORT_SETS}
    for name, cases in all_sets(more).items():
        sets[name] = cases[:5] if quick else cases
    reports = {}
    for name, cases in sets.items():
        print(f"relatedness: {name} ...", file=sys.stderr)
        reports[name] = align_relatedness.measure(cases, default)
    choice = align_relatedness.choose_default(reports)
    print("relatedness: building each set with the real pipeline ...", file=sys.stderr)
    for name, row in align_relatedness.built(sets).items():
        reports[name]["built"] = row
    for report in reports.values():
        report.pop("_scores")
    return {"min_document_score": default, "choice": choice, "sets": reports}


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
    if "relatedness" in results:
        lines += ["", *relatedness_markdown(results["relatedness"])]
    return "\n".join(lines) + "\n"


def relatedness_markdown(rel: dict) -> list[str]:
    """One row per set: rejected as unrelated, rows written, document and group scores."""
    bar = rel["min_document_score"]
    lines = [
        f"| set | documents | rejected as unrelated (align.min_document_score={bar:g}) | rows written |"
        " document score min / median | highest align_score of a wrong group | wrong groups kept at"
        " min_align_score 0 / 0.5 |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, r in rel["sets"].items():
        b = r.get("built", {})
        share = b.get("rejected_unrelated_share", r["rejected_share"])
        kept = r["wrong_groups_kept_by_min_align_score"]
        top = r["max_align_score_of_wrong_groups"]
        lines.append(
            f"| {name} | {r['documents']:,} | {share:.1%} | {b.get('rows_written', '–'):,} |"
            f" {r['document_score']['min']:.2f} / {r['document_score']['p50']:.2f} |"
            f" {'–' if top is None else f'{top:.2f}'} | {kept['0.0']} / {kept['0.5']} |"
        )
    c = rel["choice"]
    lines += [
        "",
        f"Admissible align.min_document_score: above {c['lower_unrelated_max']:.3f} (the best unrelated BBC"
        f" pair) and at most {c['upper']:.3f} (under 1% of each true set, no partly related document);"
        f" suggested {c['chosen']:g}.",
    ]
    return lines


if __name__ == "__main__":
    main(sys.argv[1:])
