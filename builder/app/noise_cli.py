"""Garble text from the command line: one text per line in, one JSON line out.

    echo "President Zelenskyy met Steve Witkoff in Kyiv." | \\
        python -m builder.noise --recipe mixed --seed 1

``--profile profile.json`` instead of ``--recipe`` garbles to match a noise profile
estimated from real pairs (``python -m builder.profile``).

Each line is one sentence span. With ``--doc-id-from content`` (the default) a line's
doc_id is a stable hash of its text, so the same line garbles the same way wherever it
appears; ``line`` uses the 1-based line number instead.

A thin wrapper over ``builder.app.api.garble`` (with ``segment=False``: a line is one
span, so only word and character operations act). The garbling modules are imported
after the arguments are read, so ``--help`` answers at once.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from builder.core.resources import ResourceError


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m builder.noise", description=__doc__.split("\n")[0])
    which = ap.add_mutually_exclusive_group(required=True)
    which.add_argument("--recipe", help="a builder/conf/noise/<name>.yaml recipe name")
    which.add_argument(
        "--profile", help="a noise profile (python -m builder.profile) or a bundled one's name: garble to match it"
    )
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument(
        "--level", type=float, default=None, help="override the recipe's level (--profile: scale its rates, 1 = as is)"
    )
    ap.add_argument("--doc-id-from", choices=("content", "line"), default="content")
    return ap


def _line_text(raw: bytes) -> str:
    """The line without its terminator (\\n or \\r\\n); anything else is kept."""
    if raw.endswith(b"\n"):
        raw = raw[:-2] if raw.endswith(b"\r\n") else raw[:-1]
    return raw.decode("utf-8")


def _main(argv: Sequence[str] | None) -> int:
    args = _parser().parse_args(argv)
    from builder.app.api import content_id, garble
    from builder.app.recipes import resolve_recipe

    try:
        if args.profile is not None:
            from builder.profile.estimate import Profile

            recipe = resolve_recipe(Profile.load(args.profile), args.level)
        else:
            recipe = resolve_recipe(args.recipe, args.level)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    out = sys.stdout.buffer
    for number, raw in enumerate(sys.stdin.buffer, start=1):
        try:
            text = _line_text(raw)
        except UnicodeDecodeError as exc:
            print(f"error: line {number} is not UTF-8 ({exc.reason})", file=sys.stderr)
            return 1
        doc_id = content_id(text) if args.doc_id_from == "content" else str(number)
        done = garble(text, recipe, seed=args.seed, doc_ids=doc_id, segment=False)
        row = {"clean": text, "garbled": done.garbled, "edits": [e.as_dict() for e in done.edits]}
        out.write(json.dumps(row, ensure_ascii=False).encode("utf-8") + b"\n")
    out.flush()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:  # e.g. piped into `head`
        return 0
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except ResourceError as e:  # a word list or table of the package was edited badly
        print(f"error: {e}", file=sys.stderr)
        return 2
