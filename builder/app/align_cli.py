"""``python -m builder.align GARBLED CLEAN``: print the sentence alignment as JSON lines.

Each line is one group: the garbled and clean sentences, their indices and the
group's score. With --one-sentence-per-line the files are taken as already split.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable

from builder.align.aligner import Aligner, AlignerParams, Group
from builder.align.windows import iter_windows
from builder.core.textfile import TextFileError, read_utf8
from builder.text.normalize import normalize_text
from builder.text.segment import Segmenter, bounded_pieces

EPILOG = """\
Exit status: 0 when the alignment is printed; 1 when a file holds no text (empty
or only whitespace: nothing to align); 2 when a file cannot be read (missing, a
directory, binary, or not UTF-8). Any problem is one line on stderr.

Long documents are aligned a window of about 50,000 characters at a time, so
memory stays bounded whatever the length; a sentence or line longer than 10,000
characters is cut at whitespace."""


class InputError(Exception):
    """An input file that cannot be aligned; ``code`` is the exit status."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


def sentences(text: str, one_per_line: bool, segmenter: Segmenter) -> list[str]:
    """The sentences of a normalised text: Punkt's, or its lines (long ones cut)."""
    if not one_per_line:
        return segmenter.sentences(text)
    return [line[s:e] for line in text.split("\n") for s, e in bounded_pieces(line, segmenter.max_chars)]


def _side(path: str, one_per_line: bool, segmenter: Segmenter) -> list[str]:
    try:
        text = read_utf8(path)
    except TextFileError as e:
        raise InputError(str(e)) from None
    found = sentences(normalize_text(text), one_per_line, segmenter)
    if not found:
        raise InputError(f"{path}: no text (the file is empty or only whitespace): nothing to align", code=1)
    return found


def _print_groups(groups: Iterable[Group], garbled: list[str], clean: list[str]) -> None:
    for g in groups:
        row = {
            "garbled": [garbled[i] for i in g.garbled],
            "clean": [clean[j] for j in g.clean],
            "garbled_idx": list(g.garbled),
            "clean_idx": list(g.clean),
            "score": round(g.score, 4),
        }
        print(json.dumps(row, ensure_ascii=False))


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="python -m builder.align",
        description=__doc__.splitlines()[0],
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("garbled", help="garbled text file (UTF-8)")
    ap.add_argument("clean", help="clean reference text file (UTF-8)")
    ap.add_argument("--one-sentence-per-line", action="store_true", help="files are already one sentence per line")
    ap.add_argument("--threshold", type=float, default=None, help="fixed group threshold (default: per document)")
    ap.add_argument("--max-group", type=int, default=2, choices=(2, 3))
    return ap


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    seg = Segmenter()
    try:
        garbled = _side(args.garbled, args.one_sentence_per_line, seg)
        clean = _side(args.clean, args.one_sentence_per_line, seg)
    except InputError as e:
        print(f"error: {e}", file=sys.stderr)
        return e.code
    aligner = Aligner(AlignerParams(threshold=args.threshold, max_group=args.max_group))
    _print_groups(iter_windows(aligner, garbled, clean), garbled, clean)
    return 0

