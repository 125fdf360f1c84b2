"""Build a word-bigram table for fluent garbling from clean text.

    python -m builder.app.bigrams_cli clean.jsonl --field clean --detokenize --out bigrams.tsv.gz

Reads JSON lines (the text in ``--field``) or plain text files (one text per line),
counts the word pairs of ``builder.text.wordpairs`` and writes the table
``builder.noise.bigrams`` reads; pass it to a build as ``noise.bigrams=<path>``. The
shipped table (``make bigrams``) was built this way from the post-edited side of
MLQE-PE (CC0). Use clean text only, and text the build will not garble.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator, Sequence
from pathlib import Path


def _texts(paths: Sequence[str], field: str | None) -> Iterator[str]:
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    continue
                yield json.loads(line)[field] if field else line


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m builder.app.bigrams_cli", description=__doc__.split("\n")[0])
    ap.add_argument("inputs", nargs="+", help="JSON lines files (with --field) or text files")
    ap.add_argument("--field", default=None, help="the JSON field holding the clean text")
    ap.add_argument("--detokenize", action="store_true", help="Moses-detokenise first (needs the moses extra)")
    ap.add_argument("--min-count", type=int, default=1)
    ap.add_argument("--source", default="", help="where the text comes from and its licence, for the header")
    ap.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    from builder.noise.bigrams import Bigrams

    texts: Iterator[str] = _texts(args.inputs, args.field)
    if args.detokenize:
        from builder.text.detokenize import detokenizer

        detok = detokenizer("en", "--detokenize")
        texts = map(detok, texts)
    table = Bigrams.from_texts(texts, args.min_count)
    header = [
        "Word-bigram counts of clean English, read by builder.noise.bigrams (fluent garbling).",
        "Columns: first word, second word, count; <s> and </s> mark a sentence's start and end.",
        f"Built by python -m builder.app.bigrams_cli from {', '.join(Path(p).name for p in args.inputs)}.",
    ]
    if args.source:
        header.append(f"Source: {args.source}")
    table.save(args.out, header)
    print(f"{len(table)} word pairs of {len(table.words)} words -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
