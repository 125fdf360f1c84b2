"""Estimate a noise profile from real garbled/clean pairs (JSONL, one pair a line).

    python -m builder.profile PAIRS.jsonl -o profile.json [--garbled-field mt --clean-field reference]
    python -m builder.profile --text-pair garbled.txt clean.txt --per-sentence -o profile.json

Then garble clean text to match it: ``python -m builder noise=profile noise.path=profile.json``
or ``python -m builder.noise --profile profile.json --seed 1``.

A thin wrapper over ``builder.app.api.estimate_profile``: this reads the pairs from
files and reports.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from tqdm import tqdm

from builder.app.api import estimate_profile
from builder.core.resources import ResourceError
from builder.profile.estimate import TOP, Profile, ProfileError
from builder.profile.pairs import (
    CLEAN_FIELDS,
    GARBLED_FIELDS,
    PairsError,
    read_pairs,
    read_text_pair,
    resolve_fields,
)


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m builder.profile", description=__doc__.split("\n")[0])
    ap.add_argument("pairs", type=Path, nargs="?", help="JSONL file of pairs")
    ap.add_argument(
        "--text-pair",
        nargs=2,
        type=Path,
        metavar=("GARBLED.txt", "CLEAN.txt"),
        help="one document pair as two text files, instead of a JSONL file",
    )
    ap.add_argument("-o", "--output", type=Path, required=True, help="profile file to write (JSON)")
    ap.add_argument(
        "--garbled-field",
        default=None,
        help=f"field holding the garbled text (default: the first of {', '.join(GARBLED_FIELDS)} the file has)",
    )
    ap.add_argument(
        "--clean-field", default=None, help=f"field holding the clean text (default: {', '.join(CLEAN_FIELDS)})"
    )
    ap.add_argument("--name", default=None, help="profile name (default: the pairs file's name)")
    ap.add_argument(
        "--detokenize",
        action="store_true",
        help="Moses-detokenise both sides first (MLQE-PE); needs the moses extra (sacremoses)",
    )
    ap.add_argument(
        "--split-lines",
        action="store_true",
        help="the two sides are line-aligned (line n with line n, as in ICDAR post-OCR): one pair per line",
    )
    ap.add_argument(
        "--per-sentence",
        action="store_true",
        help="cut each pair into its aligned sentence groups first: the unevenness of the noise is then "
        "measured between sentences rather than between documents (for a few long documents)",
    )
    ap.add_argument("--limit", type=int, default=None, help="read at most this many pairs")
    ap.add_argument("--top", type=int, default=TOP, help=f"keep this many (before, after) pairs per category ({TOP})")
    ap.add_argument("--quiet", action="store_true", help="no progress bar")
    return ap


def _check_output(path: Path) -> None:
    """Refuse an output path that cannot be a file before any work is done."""
    if path.is_dir():
        raise PairsError(f"-o {path}: is a directory; name the profile file to write, e.g. {path / 'profile.json'}")


def _pairs(args: argparse.Namespace) -> Iterator[tuple[str, str, str]]:
    if args.text_pair:
        return read_text_pair(*args.text_pair, detokenize=args.detokenize)
    return read_pairs(args.pairs, args.garbled_field, args.clean_field, args.detokenize, args.split_lines, args.limit)


def _profile(args: argparse.Namespace) -> Profile:
    """Read the pairs, measure them, and make the profile."""
    _check_output(args.output)
    if args.pairs is not None:
        args.garbled_field, args.clean_field = resolve_fields(args.pairs, args.garbled_field, args.clean_field)
    where = args.pairs or args.text_pair[0]
    pairs = iter(tqdm(_pairs(args), desc="measuring pairs", unit=" pairs", disable=args.quiet))
    first = next(pairs, None)
    if first is None:
        raise PairsError(f"{where}: no pair with text on both sides")
    source = {
        "path": " + ".join(p.name for p in args.text_pair) if args.text_pair else args.pairs.name,
        "garbled_field": args.garbled_field,
        "clean_field": args.clean_field,
        "detokenize": args.detokenize,
        "split_lines": args.split_lines,
        "per_sentence": args.per_sentence,
        "limit": args.limit,
    }
    return estimate_profile(
        ((garbled, clean) for _, clean, garbled in itertools.chain([first], pairs)),
        name=args.name or where.stem,
        per_sentence=args.per_sentence,
        top=args.top,
        source=source,
        progress=lambda phase, steps: tqdm(total=steps, desc=phase, unit=" steps", disable=args.quiet),
    )


def main(argv: Sequence[str] | None = None) -> int:
    ap = _parser()
    args = ap.parse_args(argv)
    if (args.pairs is None) == (args.text_pair is None):
        ap.error("give a JSONL file of pairs or --text-pair GARBLED.txt CLEAN.txt")
    try:
        profile = _profile(args)
        profile.save(args.output)
    except (PairsError, ProfileError, ResourceError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"error: -o {args.output}: {e.strerror or e}", file=sys.stderr)
        return 2
    top = sorted(((r, c) for c, r in profile.rates.items() if r > 0), reverse=True)[:8]
    shown = ", ".join(f"{c} {r:.4f}" for r, c in top)
    print(
        f"{args.output}: {profile.counts['pairs']} pairs, {profile.counts['words']} words, "
        f"CER {profile.cer['mean']:.3f}, WER {profile.wer['mean']:.3f}; top rates: {shown}",
        file=sys.stderr,
    )
    return 0
