"""Realism benchmark: synthetic garbling against real garbled/clean pairs.

For each set of real pairs, the clean sides are garbled with a recipe and both are
categorised the same way (``builder.profile.realism``): per-category rates, CER and WER
distributions, a logistic and a boosted-trees classifier two-sample test (the latter
when scikit-learn, the ``realism`` extra, is installed), each with the two-halves
yardstick.

- MT: MLQE-PE machine translation and post-edits (detokenised), with the hand-made
  ``rtt`` recipe on all pairs, and with a profile estimated from one half of the pairs
  (split by a hash of the pair id) evaluated on the other half;
- OCR: ICDAR post-OCR segments (line-aligned), with the ``ocr`` recipe on all segments,
  and with a profile estimated from half of the documents evaluated on the other half;
- seed: the seed article cut into its aligned sentence groups, with ``rtt``, and with the
  bundled ``seed`` profile (estimated from this very article: in-sample, a sanity check).

The real pairs come from ../shared when present; a set that is missing is skipped. The
fluency measure looks bigrams up in the BBC corpus of ../shared/corpora (news, disjoint
from every pair set and from the noise tables), or in the Lee corpus when it is absent.

    python -m benchmarks.realism [--quick]

Results: benchmarks/results/realism.json and realism.md.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

from benchmarks.common import RESULTS, SHARED, write_result
from builder.core.resources import SAMPLE_DIR
from builder.noise.recipe import Recipe, load_recipe
from builder.profile.estimate import Profile, ProfileBuilder
from builder.profile.fluency import Reference, pair_counts
from builder.profile.pairs import (
    PairMeasurer,
    PairStats,
    halves,
    read_pairs,
    read_text_pair,
    sentence_pairs,
)
from builder.profile.realism import compare, markdown, synthesize
from builder.profile.to_recipe import recipe_from_profile

MLQE = SHARED / "real_pairs" / "mlqe_pe_xx_en.jsonl"
ICDAR = SHARED / "real_pairs" / "icdar_postocr_en.jsonl"
BBC = SHARED / "corpora" / "bbc_news_greene2006.jsonl"
_REFERENCE: list[Reference] = []


def reference() -> Reference:
    """The fluency reference: BBC news when ../shared has it, else the Lee corpus."""
    if not _REFERENCE:
        import json

        if BBC.exists():
            texts = [json.loads(line)["text"] for line in BBC.open(encoding="utf-8")]
        else:
            from benchmarks.common import corpus_path

            path, _ = corpus_path()
            texts = [json.loads(line)["text"] for line in path.open(encoding="utf-8")]
        _REFERENCE.append(Reference.from_texts(texts))
    return _REFERENCE[0]


def _run(
    name: str,
    pairs: Sequence[tuple[str, str]],
    real: Sequence[PairStats],
    recipe: Recipe,
    measurer: PairMeasurer,
    note: str = "",
    groups: Sequence[str] | None = None,
) -> dict:
    t0 = time.perf_counter()
    garbled = synthesize([c for c, _ in pairs], recipe, 0, measurer)
    synthetic = [measurer.measure(c, g) for (c, _), g in zip(pairs, garbled, strict=True)]
    cleans = [c for c, _ in pairs]
    fluency = (
        pair_counts(reference(), [g for _, g in pairs], cleans),
        pair_counts(reference(), garbled, cleans),
    )
    result = compare(real, synthetic, name, recipe.name, groups=groups, fluency=fluency, pairs=pairs, garbled=garbled)
    result["note"] = note
    result["seconds"] = round(time.perf_counter() - t0, 1)
    boosted = result["boosted"] or {}
    print(
        f"  {name} / {recipe.name}: {result['within']} of {result['compared']} categories within, "
        f"AUC {result['classifier']['auc']:.3f}, boosted "
        + (f"{boosted['auc']:.3f} (yardstick {boosted['yardstick_auc']:.3f})" if "auc" in boosted else "skipped"),
        file=sys.stderr,
    )
    return result


def _profile(pairs: Sequence[tuple[str, str]], name: str, measurer: PairMeasurer) -> Profile:
    builder = ProfileBuilder(measurer)
    for clean, garbled in pairs:
        builder.add(clean, garbled)
    return builder.finish(name, {"benchmark": "realism", "pairs": len(pairs)})


def _held_out(
    label: str, items: list[tuple[str, str, str]], group_of, measurer: PairMeasurer
) -> tuple[list[tuple[str, str]], list[PairStats], Recipe, dict]:
    """A profile from one half of ``items`` (split by group) and the other half to test it on."""
    groups = sorted({group_of(i) for i, _, _ in items})
    a, _ = halves(groups, salt=f"realism:{label}")
    train_groups = {groups[k] for k in a}
    train = [(c, g) for i, c, g in items if group_of(i) in train_groups]
    test = [(c, g) for i, c, g in items if group_of(i) not in train_groups]
    made = recipe_from_profile(_profile(train, f"{label}-half", measurer))
    info = {
        "train_pairs": len(train),
        "missing_ops": made.missing,
        "probabilities": made.probabilities,
        "test_groups": [group_of(i) for i, _, _ in items if group_of(i) not in train_groups],
    }
    return test, [measurer.measure(c, g) for c, g in test], made.recipe, info


def mt_cases(measurer: PairMeasurer, limit: int | None) -> list[dict]:
    items = list(read_pairs(MLQE, detokenize=True, limit=limit))
    pairs = [(c, g) for _, c, g in items]
    real = [measurer.measure(c, g) for c, g in pairs]
    out = [_run("MT (MLQE-PE, all pairs)", pairs, real, load_recipe("rtt"), measurer)]
    test, test_real, recipe, info = _held_out("mlqe", items, lambda i: i, measurer)
    note = f"profile estimated from the other {info['train_pairs']} pairs; no operation for: " + (
        ", ".join(info["missing_ops"]) or "none"
    )
    out.append(_run("MT (MLQE-PE, held-out half)", test, test_real, recipe, measurer, note))
    if limit is None:  # the bundled profile was learned from all the pairs: in-sample
        bundled = recipe_from_profile(Profile.load("mt")).recipe
        note = "in-sample: the bundled mt profile was learned from these very pairs"
        out.append(_run("MT (MLQE-PE, all pairs)", pairs, real, bundled, measurer, note))
    return out


def ocr_cases(measurer: PairMeasurer, limit: int | None) -> list[dict]:
    items = list(read_pairs(ICDAR, split_lines=True, limit=limit))
    pairs = [(c, g) for _, c, g in items]
    real = [measurer.measure(c, g) for c, g in pairs]
    documents = [i.split("/")[0] for i, _, _ in items]
    out = [_run("OCR (ICDAR, all segments)", pairs, real, load_recipe("ocr"), measurer, groups=documents)]
    test, test_real, recipe, info = _held_out("icdar", items, lambda i: i.split("/")[0], measurer)
    note = f"profile estimated from the other documents' {info['train_pairs']} segments; no operation for: " + (
        ", ".join(info["missing_ops"]) or "none"
    )
    out.append(
        _run("OCR (ICDAR, held-out documents)", test, test_real, recipe, measurer, note, groups=info["test_groups"])
    )
    return out


def seed_cases(measurer: PairMeasurer) -> list[dict]:
    ((_, clean, garbled),) = read_text_pair(SAMPLE_DIR / "garbled.txt", SAMPLE_DIR / "restored.txt")
    pairs = sentence_pairs(clean, garbled, measurer)
    real = [measurer.measure(c, g) for c, g in pairs]
    seed_recipe = recipe_from_profile(Profile.load("seed")).recipe
    return [
        _run("seed article (sentence groups)", pairs, real, load_recipe("rtt"), measurer),
        _run(
            "seed article (sentence groups)",
            pairs,
            real,
            seed_recipe,
            measurer,
            "in-sample: the bundled seed profile was estimated from this article",
        ),
    ]


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="2,000 MT pairs and 300 OCR segments")
    args = ap.parse_args(argv if argv is not None else [])
    measurer = PairMeasurer()
    t0 = time.perf_counter()
    results, skipped = [], []
    for label, path, run in (
        ("MT", MLQE, lambda: mt_cases(measurer, 2000 if args.quick else None)),
        ("OCR", ICDAR, lambda: ocr_cases(measurer, 300 if args.quick else None)),
    ):
        if path.is_file():
            results += run()
        else:
            skipped.append(f"{label}: {path} not found")
    results += seed_cases(measurer)
    data = {"quick": args.quick, "seconds": round(time.perf_counter() - t0, 1), "skipped": skipped, "runs": results}
    write_result("realism", data)
    (RESULTS / "realism.md").write_text(render(data), encoding="utf-8")
    return {
        "runs": [
            {
                "set": r["name"],
                "recipe": r["recipe"],
                "within": f"{r['within']}/{r['compared']}",
                "auc": r["classifier"]["auc"],
                "auc_yardstick": r["classifier"]["yardstick_auc"],
                "boosted_auc": (r["boosted"] or {}).get("auc"),
                "boosted_auc_yardstick": (r["boosted"] or {}).get("yardstick_auc"),
                "fluency": r.get("fluency"),
            }
            for r in results
        ],
        "skipped": skipped,
    }


def render(data: dict) -> str:
    lines = [
        "# Realism: synthetic garbling against real pairs",
        "",
        "Written by `benchmarks/realism.py`; the method is in `builder/profile/realism.py`. A category is",
        "*within* when |real - synthetic| is no larger than the yardstick: "
        + (data["runs"][0]["yardstick"] if data["runs"] else "")
        + ". Rates are per clean word (per clean sentence for the sentence categories).",
        "",
    ]
    if data["skipped"]:
        lines += [f"Skipped: {'; '.join(data['skipped'])}.", ""]
    lines += [
        "| set | recipe | categories within | CER | WER | classifier AUC (yardstick) "
        "| boosted-trees AUC (yardstick) | fluency gap: real, synthetic (yardstick) |",
        "|---|---|---:|---|---|---|---|---|",
    ]
    for r in data["runs"]:
        f = r.get("fluency")
        fluent = (
            f"{f['real']:+.3f}, {f['synthetic']:+.3f} ({f['yardstick']:.3f}) {'ok' if f['within'] else 'outside'}"
            if f
            else "–"
        )
        b = r.get("boosted") or {}
        boosted = f"{b['auc']:.3f} ({b['yardstick_auc']:.3f})" if "auc" in b else "–"
        lines.append(
            f"| {r['name']} | `{r['recipe']}` | {r['within']} of {r['compared']} "
            f"| {'ok' if r['cer']['within'] else 'outside'} | {'ok' if r['wer']['within'] else 'outside'} "
            f"| {r['classifier']['auc']:.3f} ({r['classifier']['yardstick_auc']:.3f}) | {boosted} | {fluent} |"
        )
    lines.append("")
    for r in data["runs"]:
        lines.append(markdown(r))
        if r.get("note"):
            lines += [f"Note: {r['note']}.", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    import json

    print(json.dumps(main(sys.argv[1:]), indent=2))
