"""``python -m builder.align GARBLED CLEAN``: print the sentence alignment as JSON lines.

Each line is one group: the garbled and clean sentences, their indices and the
group's score. With --one-sentence-per-line the files are taken as already split.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from builder.align.aligner import Aligner, AlignerParams
from builder.normalize import normalize_text
from builder.segment import Segmenter


def _sentences(path: str, one_per_line: bool, segmenter: Segmenter) -> list[str]:
    text = normalize_text(Path(path).read_text(encoding="utf-8"))
    if one_per_line:
        return [line.strip() for line in text.splitlines() if line.strip()]
    return segmenter.sentences(text)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m builder.align", description=__doc__.splitlines()[0])
    ap.add_argument("garbled", help="garbled text file (UTF-8)")
    ap.add_argument("clean", help="clean reference text file (UTF-8)")
    ap.add_argument("--one-sentence-per-line", action="store_true", help="files are already one sentence per line")
    ap.add_argument("--threshold", type=float, default=None, help="fixed group threshold (default: per document)")
    ap.add_argument("--max-group", type=int, default=2, choices=(2, 3))
    args = ap.parse_args(argv)
    seg = Segmenter()
    try:
        garbled = _sentences(args.garbled, args.one_sentence_per_line, seg)
        clean = _sentences(args.clean, args.one_sentence_per_line, seg)
    except (OSError, UnicodeDecodeError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    aligner = Aligner(AlignerParams(threshold=args.threshold, max_group=args.max_group))
    for g in aligner.align(garbled, clean):
        print(
            json.dumps(
                {
                    "garbled": [garbled[i] for i in g.garbled],
                    "clean": [clean[j] for j in g.clean],
                    "garbled_idx": list(g.garbled),
                    "clean_idx": list(g.clean),
                    "score": round(g.score, 4),
                },
                ensure_ascii=False,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
