"""Export a noise profile's substitution table as a file a recipe can name.

    python -m builder.app.tables_cli builder/resources/profiles/mt.json --min-count 3 \\
        --out-dir builder/resources/noise --prefix mt_

Writes ``<prefix>substitutions.tsv``, the ``word_substitute`` table (before, after, count,
seen, most frequent first). A recipe uses it as
``{op: word_substitute, params: {table: noise/mt_substitutions.tsv}}``. Rows seen fewer
than ``--min-count`` times are left out: a table for any text should hold what real
garbling does again and again, not one pair's slip or rare word.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

_FILES = {"word_substitute": "substitutions"}


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m builder.app.tables_cli", description=__doc__.split("\n")[0])
    ap.add_argument("profile")
    ap.add_argument("--min-count", type=int, default=3)
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("--prefix", default="")
    ap.add_argument("--source", default="", help="where the pairs come from and their licence, for the header")
    args = ap.parse_args(argv)
    from builder.profile.estimate import Profile

    profile = Profile.load(args.profile)
    origin = profile.source.get("path", profile.name)
    for category, stem in _FILES.items():
        rows = [r for r in profile.tables.get(category, []) if r[2] >= args.min_count and "\t" not in r[0] + r[1]]
        path = Path(args.out_dir) / f"{args.prefix}{stem}.tsv"
        lines = [
            f"# The word_substitute table of the noise profile {profile.name!r}: what real garbling put in",
            "# place of a word, the recurring choices only (rows seen fewer than "
            f"{args.min_count} times are left out).",
            "#",
            "# Format: four tab-separated columns: the word, what came back, how often, and how often",
            "# the word occurred in the clean text (per-word odds: count / seen).",
            "# Used by: recipes that name this file as a word_substitute table (builder/conf/noise/rtt.yaml).",
            f"# Source: {Path(str(origin)).name}, through python -m builder.app.tables_cli (make tables);",
            "# regenerate it, do not edit it by hand.",
            "",
        ]
        lines += [f"{r[0]}\t{r[1]}\t{int(r[2])}\t{int(r[3]) if len(r) > 3 else 0}" for r in rows]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{len(rows)} rows -> {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
