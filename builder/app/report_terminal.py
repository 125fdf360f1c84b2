"""The dataset report as text: the summary and a few rows with their edits marked.

Edits are marked in place on the clean text's way to the garbled one: with ANSI colours
(the edit family's colour; deleted text struck through, added text underlined) when the
output is a terminal, and with plain markers otherwise, ``[-deleted-]{+added+}`` as
``wdiff`` writes them, so a log or a pipe stays readable and greppable.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from builder.app.report import Report, SampleRow, Span, baseline_table, families, number

RESET = "\x1b[0m"
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")  # what could drive the terminal


def inline(value: Any) -> str:
    """A nested dict of counts on one line: ``in 301, filtered (identical 7, ...)``."""
    if isinstance(value, dict):
        if not value:
            return "none"
        return ", ".join(
            f"{k} ({inline(v)})" if isinstance(v, dict) and v else f"{k} {inline(v)}" for k, v in value.items()
        )
    if isinstance(value, list):
        return ", ".join(inline(v) for v in value) or "none"
    return number(value)


def table(header: list[str], rows: Iterable[list[str]], indent: str = "  ") -> list[str]:
    """Columns padded to their widest cell; text left, numbers right."""
    rows = [header, *rows]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    numeric = [
        len(rows) > 1 and all(_numeric(r[i]) for r in rows[1:]) and any(r[i] != "–" for r in rows[1:])
        for i in range(len(header))
    ]
    return [
        indent + "  ".join(c.rjust(w) if n else c.ljust(w) for c, w, n in zip(r, widths, numeric, strict=True)).rstrip()
        for r in rows
    ]


def _numeric(cell: str) -> bool:
    return cell == "–" or bool(re.fullmatch(r"\d[\d,]*(\.\d+)?", cell))


def count_rows(report: Report) -> list[list[str]]:
    return [
        [c.split, c.kind, c.recipe or "–", number(c.rows), number(c.cer), number(c.wer), number(c.align_score)]
        for c in report.counts
    ]


COUNT_HEADER = ["split", "kind", "recipe", "rows", "cer", "wer", "align_score"]


def clean_text(text: str) -> str:
    """Row text made safe to print: control characters shown as escapes, line breaks as ↵."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text).replace("\n", "↵")


def marked(span: Span, colour: bool) -> str:
    before, after = clean_text(span.before), clean_text(span.after)
    if span.op == "same":
        return after
    if not colour:
        return (f"[-{before}-]" if before else "") + (f"{{+{after}+}}" if after else "")
    sgr = families().get(span.family, families()["other"])[2]
    out = f"\x1b[{sgr};9m{before}{RESET}" if before else ""
    return out + (f"\x1b[{sgr};1;4m{after}{RESET}" if after else "")


def row_lines(row: SampleRow, colour: bool) -> list[str]:
    head = " · ".join(
        [
            row.split,
            row.kind,
            row.recipe or "no recipe",
            row.align or "–",
            f"align_score {number(row.align_score)}",
            f"cer {number(row.cer)}",
            f"wer {number(row.wer)}",
            row.id,
        ]
    )
    garbled = "".join(marked(s, colour) for s in row.spans)
    if not row.edits_replay:
        garbled = clean_text(row.garbled) + "   (its edits do not rebuild this text: shown unmarked)"
    return [head, f"  garbled  {garbled}", f"  clean    {clean_text(row.clean)}"]


def summary_lines(report: Report) -> list[str]:
    stats = report.stats
    n = len(report.splits)
    lines = [f"dataset {report.name}: {number(report.total_rows)} rows in {n} split{'s' if n != 1 else ''}"]
    lines += ["", "rows by split, kind and recipe (mean cer, wer, align_score)"]
    lines += table(COUNT_HEADER, count_rows(report))
    lines += ["", "ledger (stats.json)"]
    for key in ("documents", "rows"):
        if key in stats:
            lines.append(f"  {key}: {inline(stats[key])}")
    if "ledger_balanced" in stats:
        lines.append(f"  balanced: {number(stats['ledger_balanced'])}")
    baselines = baseline_table(stats.get("baselines"))
    if baselines:
        lines += ["", "identity baselines (garbled taken as the restoration)", *table(*baselines)]
    elif "baselines" in stats:
        lines += ["", f"identity baselines: {inline(stats['baselines'])}"]
    if "leakage" in stats:
        leakage = stats["leakage"]
        if isinstance(leakage, dict) and leakage:
            lines += ["", "leakage (what the splits share)", *(f"  {k}: {inline(v)}" for k, v in leakage.items())]
        else:
            lines += ["", f"leakage: {inline(leakage)}"]
    lines += [""]
    if report.plots:
        lines.append(
            "plots: " + ", ".join(f"{p.key} {p.path}" + (f" ({p.problem})" if p.problem else "") for p in report.plots)
        )
    else:
        lines.append("plots: no plots in this dataset")
    return lines


def render_terminal(report: Report, colour: bool) -> str:
    lines = summary_lines(report)
    if report.samples:
        lines += ["", f"sample rows ({report.rows_per_group} per split and kind, by a stable hash of id)"]
        if not colour:
            lines.append("  marks: [-deleted-]{+added+}; a replacement is both")
        for row in report.samples:
            lines += ["", *row_lines(row, colour)]
    return "\n".join(lines) + "\n"
