"""``python -m builder.report FOLDER``: a page (or a terminal summary) to look at a built dataset.

    python -m builder.report data/processed/sample -o report.html
    python -m builder.report data/processed/sample --terminal

The page is one self-contained HTML file (styles, script and plots inline; it makes no
request), and the same folder always gives the same bytes.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from builder.core.resources import ResourceError

EPILOG = """\
The sample is the first ROWS rows of each split and kind, ordered by a stable hash of
their id: the same rows on every run and machine. In the page, the filters (split, kind,
recipe, edit category, align_score, cer) can be preset in the address:
report.html#kind=real&min_score=0.9

Exit status: 0 when the report is written; 2 when the folder is not a dataset the
builder wrote (or cannot be read), or the report cannot be written. Any problem is one
line on stderr."""

HTML_ROWS = 20
TERMINAL_ROWS = 2


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="python -m builder.report",
        description=__doc__.splitlines()[0].split(": ", 1)[1].capitalize(),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("folder", help="a dataset folder the builder wrote (holds stats.json and data/)")
    ap.add_argument("-o", "--output", default="report.html", help="the HTML file to write (default: report.html)")
    ap.add_argument(
        "--terminal", action="store_true", help="print the summary and a few rows instead of writing a page"
    )
    ap.add_argument(
        "--rows",
        type=int,
        default=None,
        help=f"sampled rows per split and kind (default: {HTML_ROWS} in the page, {TERMINAL_ROWS} in the terminal)",
    )
    ap.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="ANSI colours in --terminal output (auto: when stdout is a terminal and NO_COLOR is unset)",
    )
    return ap


def _colour(choice: str) -> bool:
    if choice != "auto":
        return choice == "always"
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``path`` whole or not at all: a temporary file beside it, then a rename."""
    if path.is_dir():
        raise OSError(f"{path} is a folder")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise OSError(f"no folder {parent}")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _main(argv: Sequence[str] | None) -> int:
    args = _parser().parse_args(argv)
    from builder.app.report import ReportError, load_report

    rows = args.rows if args.rows is not None else TERMINAL_ROWS if args.terminal else HTML_ROWS
    try:
        report = load_report(args.folder, rows)
    except ReportError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if args.terminal:
        from builder.app.report_terminal import render_terminal

        sys.stdout.write(render_terminal(report, _colour(args.color)))
        sys.stdout.flush()
        return 0
    from builder.app.report_html import render_html

    page = render_html(report).encode("utf-8")
    out = Path(args.output)
    try:
        write_atomically(out, page)
    except OSError as e:
        reason = e.strerror or str(e)
        print(f"error: cannot write the report to {out}: {reason}", file=sys.stderr)
        return 2
    shown = sum(1 for p in report.plots if p.mime)
    print(
        f"wrote {out} ({len(page) / 1024:,.0f} KB): {len(report.samples)} sample rows, "
        f"{shown} plot{'s' if shown != 1 else ''}, dataset {report.name} of {report.total_rows:,} rows"
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:  # e.g. piped into `head`
        return 0
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except ResourceError as e:  # a table of the package was edited badly
        print(f"error: {e}", file=sys.stderr)
        return 2
