"""``python -m builder.align GARBLED CLEAN``: print the sentence alignment as JSON lines.

Each line is one group: the garbled and clean sentences, their indices and the
group's score. With --one-sentence-per-line the files are taken as already split.

A thin wrapper over ``builder.app.api.iter_align``; the aligner and the segmenter (NLTK,
SciPy) are imported after the arguments are read, so ``--help`` answers at once.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING

from builder.core.resources import ResourceError

if TYPE_CHECKING:
    from builder.app.api import AlignedGroup

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


def _side(path: str, one_per_line: bool) -> list[str]:
    from builder.app.api import split_sentences
    from builder.core.textfile import TextFileError, read_utf8

    try:
        text = read_utf8(path)
    except TextFileError as e:
        raise InputError(str(e)) from None
    found = split_sentences(text, lines=one_per_line)
    if not found:
        raise InputError(f"{path}: no text (the file is empty or only whitespace): nothing to align", code=1)
    return found


def _print_groups(groups: Iterable[AlignedGroup]) -> None:
    for g in groups:
        row = {
            "garbled": g.garbled,
            "clean": g.clean,
            "garbled_idx": g.garbled_idx,
            "clean_idx": g.clean_idx,
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
    try:
        garbled = _side(args.garbled, args.one_sentence_per_line)
        clean = _side(args.clean, args.one_sentence_per_line)
    except InputError as e:
        print(f"error: {e}", file=sys.stderr)
        return e.code
    from builder.app.api import iter_align

    try:
        _print_groups(iter_align(garbled, clean, threshold=args.threshold, max_group=args.max_group))
    except ResourceError as e:  # a word list or table of the package was edited badly
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0
