"""How often garbling changes a number: real pairs against each recipe.

This is the evidence behind each recipe's ``protect_numbers`` default (see the comment
in each ``builder/conf/noise/*.yaml``).

How it counts. A number token is what ``builder.text.numbers`` finds: digits as written
with their inner separators, a currency sign before and a percent sign after ("$18.90",
"140,000", "16%", "2024", "1st", "COVID-19" holds "19"). For each pair, the clean
side's tokens are matched against the garbled side's tokens as multisets: a clean token
is *kept* when the garbled side holds the same token verbatim (each garbled token
matches one clean token at most). *changed* = tokens - kept. As a looser view,
*kept as text* counts a clean token found anywhere in the garbled text as a substring
(a number run into a word, "in1861", is kept as text but not as a token). *same digits*:
changed tokens for which the garbled side holds a token of the same digits ("1,500" as
"1500", "7th" as "7"), a change of format rather than of value.

Pairs, aligned as the data allows:

- OCR: ICDAR 2017/2019 post-OCR, line-aligned segments (line n of the OCR output with
  line n of the gold; 1,285 segments);
- MT: MLQE-PE machine translation and its post-edit (10,000 sentences), Moses-
  detokenised first with the package's detokeniser (the ``moses`` extra).

Real pairs are counted all together and up to a CER of 0.1, 0.2 and 0.3 (light garbling,
to set beside a recipe's; for MT, without the sentences it lost altogether). Each recipe
(at its own default level, sentence structure included) garbles the clean sides of both
sets with ``protect_numbers`` off and on, counted the same way.

    python -m benchmarks.numbers [--quick]

Results: benchmarks/results/numbers.json and numbers.md. The real pairs come from
../shared; a set that is missing is skipped.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from collections import Counter
from collections.abc import Sequence

from benchmarks.common import RESULTS, SHARED, write_result
from builder.app.recipes import resolve_recipe
from builder.core.metrics import cer
from builder.noise.recipe import Recipe
from builder.profile.pairs import PairMeasurer, read_pairs
from builder.profile.realism import synthesize
from builder.text.numbers import kept_numbers, number_tokens

MLQE = SHARED / "real_pairs" / "mlqe_pe_xx_en.jsonl"
ICDAR = SHARED / "real_pairs" / "icdar_postocr_en.jsonl"
#: The recipes whose default is decided here, and the real set each one imitates.
RECIPES = {"typo": None, "ocr": "OCR", "rtt": "MT", "names": "MT", "mixed": None, "profile": "MT"}
#: Real pairs are also counted up to these CERs: light garbling to set beside a recipe's,
#: and MT without the sentences it lost altogether (hallucinated output).
CER_BARS = (0.1, 0.2, 0.3)


def count(pairs: Sequence[tuple[str, str]]) -> dict:
    """Number tokens of the clean sides and how many the garbled sides keep."""
    tokens = kept = as_text = with_numbers = with_change = same_digits = 0
    cer_sum = 0.0
    for clean, garbled in pairs:
        cer_sum += cer(garbled, clean)
        n, k = kept_numbers(clean, garbled)
        if not n:
            continue
        tokens += n
        kept += k
        as_text += sum(1 for t in number_tokens(clean) if t in garbled)
        with_numbers += 1
        with_change += k < n
        if k < n:
            want, have = Counter(number_tokens(clean)), Counter(number_tokens(garbled))
            other = Counter(_digits(t) for t in (have - want).elements())
            same_digits += sum((Counter(_digits(t) for t in (want - have).elements()) & other).values())
    return {
        "pairs": len(pairs),
        "cer_mean": round(cer_sum / max(1, len(pairs)), 4),
        "pairs_with_numbers": with_numbers,
        "pairs_with_a_changed_number": with_change,
        "number_tokens": tokens,
        "changed": tokens - kept,
        "changed_rate": round((tokens - kept) / max(1, tokens), 4),
        "changed_as_text_rate": round((tokens - as_text) / max(1, tokens), 4),
        # changed, but the garbled side has a token of the same digits ("1,500" as "1500",
        # "7th" as "7"): a change of format, not of the number's value
        "changed_same_digits": same_digits,
    }


def _digits(token: str) -> str:
    return "".join(c for c in token if c.isdigit())


def _protected(recipe: Recipe, on: bool) -> Recipe:
    return dataclasses.replace(recipe, protect_numbers=on)


def real_sets(quick: bool) -> tuple[dict[str, list[tuple[str, str]]], list[str]]:
    """(clean, garbled) pairs per real set, and the sets skipped."""
    sets, skipped = {}, []
    if ICDAR.is_file():
        items = read_pairs(ICDAR, split_lines=True, limit=300 if quick else None)
        sets["OCR"] = [(c, g) for _, c, g in items]
    else:
        skipped.append(f"OCR: {ICDAR} not found")
    if MLQE.is_file():
        items = read_pairs(MLQE, detokenize=True, limit=2000 if quick else None)
        sets["MT"] = [(c, g) for _, c, g in items]
    else:
        skipped.append(f"MT: {MLQE} not found")
    return sets, skipped


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="2,000 MT pairs and 300 OCR segments")
    args = ap.parse_args(argv if argv is not None else [])
    t0 = time.perf_counter()
    sets, skipped = real_sets(args.quick)
    measurer = PairMeasurer()
    real = {}
    for name, pairs in sets.items():
        real[name] = count(pairs)
        for bar in CER_BARS:
            real[f"{name}, CER <= {bar}"] = count([(c, g) for c, g in pairs if cer(g, c) <= bar])
    for name, r in real.items():
        print(f"  real {name}: {r['changed']} of {r['number_tokens']} numbers changed", file=sys.stderr)
    synthetic: dict[str, dict] = {}
    for name, imitates in RECIPES.items():
        base = resolve_recipe(name)
        runs = {}
        for set_name, pairs in sets.items():
            cleans = [c for c, _ in pairs]
            for on in (False, True):
                garbled = synthesize(cleans, _protected(base, on), 0, measurer)
                runs[f"{set_name}, protect_numbers={str(on).lower()}"] = count(list(zip(cleans, garbled, strict=True)))
        synthetic[name] = {"level": base.level, "imitates": imitates, "runs": runs}
        off = ", ".join(f"{k.split(',')[0]} {v['changed_rate']:.2%}" for k, v in runs.items() if k.endswith("false"))
        print(f"  {name} (level {base.level:g}), unprotected: {off}", file=sys.stderr)
    data = {
        "quick": args.quick,
        "seconds": round(time.perf_counter() - t0, 1),
        "skipped": skipped,
        "real": real,
        "synthetic": synthetic,
    }
    write_result("numbers", data)
    (RESULTS / "numbers.md").write_text(render(data), encoding="utf-8")
    return {
        "real": {k: v["changed_rate"] for k, v in real.items()},
        "synthetic": {name: {k: v["changed_rate"] for k, v in s["runs"].items()} for name, s in synthetic.items()},
        "skipped": skipped,
    }


def render(data: dict) -> str:
    lines = [
        "# Numbers: how often garbling changes one",
        "",
        "Written by `benchmarks/numbers.py` (the method is in its docstring). *changed*: clean number",
        "tokens not found verbatim as tokens on the garbled side; *as text*: not found even as a substring.",
        "",
    ]
    if data["skipped"]:
        lines += [f"Skipped: {'; '.join(data['skipped'])}.", ""]
    lines += [
        "| pairs | kind | mean CER | pairs with numbers | number tokens | changed | changed, as text "
        "| of them same digits | pairs with a change |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, r in data["real"].items():
        lines.append(_row(name, "real", r))
    for name, s in data["synthetic"].items():
        for run, r in s["runs"].items():
            lines.append(_row(run, f"`{name}` (level {s['level']:g})", r))
    return "\n".join(lines) + "\n"


def _row(name: str, kind: str, r: dict) -> str:
    share = r["pairs_with_a_changed_number"] / max(1, r["pairs_with_numbers"])
    return (
        f"| {name} | {kind} | {r['cer_mean']:.3f} | {r['pairs_with_numbers']:,} of {r['pairs']:,} "
        f"| {r['number_tokens']:,} "
        f"| {r['changed']:,} ({r['changed_rate']:.2%}) | {r['changed_as_text_rate']:.2%} "
        f"| {r['changed_same_digits']:,} | {share:.1%} |"
    )


if __name__ == "__main__":
    import json

    print(json.dumps(main(sys.argv[1:]), indent=2))
