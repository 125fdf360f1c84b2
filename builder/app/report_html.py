"""The dataset report as one self-contained HTML page.

The page's frame, styles and script are data files (``builder/resources/report/``); this
module fills the template's ``{{slots}}`` with escaped HTML made from a ``Report``. Rows
are written into the page (the script only filters them), so the page reads the same
with scripts off, and the same report gives the same bytes: no clock, no random, every
list in a fixed order.
"""

from __future__ import annotations

import base64
import html
import re
from collections import Counter
from typing import Any

from builder.app.report import Report, SampleRow, Span, baseline_table, families, number
from builder.core.categories import CATEGORIES, FAMILIES
from builder.core.resources import RESOURCES_DIR

TEMPLATE_DIR = RESOURCES_DIR / "report"
_SLOT = re.compile(r"\{\{(\w+)\}\}")
#: The stats.json keys the summary shows in their own place; the rest go under "more".
#: The recipe filter's value for rows without a recipe (real rows).
NO_RECIPE = "(none)"
SHOWN_KEYS = ("name", "documents", "rows", "ledger_balanced", "baselines", "leakage", "plots")


def esc(x: Any) -> str:
    return html.escape(str(x), quote=True)


def _resource(name: str) -> str:
    return (TEMPLATE_DIR / name).read_text(encoding="utf-8")


def fill(template: str, slots: dict[str, str]) -> str:
    """The template with each ``{{name}}`` replaced, in one pass (a value is never scanned
    again, so text that looks like a slot stays text); an unknown slot is an error."""

    def one(m: re.Match[str]) -> str:
        return slots[m.group(1)]

    return _SLOT.sub(one, template)


# -- summary ----------------------------------------------------------------------------------------


def kv(value: Any) -> str:
    """A nested dict (of counts, mostly) as nested two-column tables."""
    if isinstance(value, dict):
        if not value:
            return '<span class="none">none</span>'
        cells = "".join(f"<tr><th>{esc(k)}</th><td>{kv(v)}</td></tr>" for k, v in value.items())
        return f'<table class="kv">{cells}</table>'
    if isinstance(value, list):
        return esc(", ".join(number(v) for v in value)) if value else '<span class="none">none</span>'
    return esc(number(value))


def grid(header: list[str], rows: list[list[str]], numeric: set[int], total: list[str] | None = None) -> str:
    def cls(i: int) -> str:
        return ' class="num"' if i in numeric else ""

    head = "".join(f"<th{cls(i)}>{esc(h)}</th>" for i, h in enumerate(header))
    body = "".join("<tr>" + "".join(f"<td{cls(i)}>{esc(c)}</td>" for i, c in enumerate(r)) + "</tr>" for r in rows)
    if total:
        body += '<tr class="total">' + "".join(f"<td{cls(i)}>{esc(c)}</td>" for i, c in enumerate(total)) + "</tr>"
    return f'<table class="grid"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def card(title: str, content: str) -> str:
    return f'<div class="card"><h3>{esc(title)}</h3>{content}</div>'


def summary(report: Report) -> str:
    stats = report.stats
    counts = [
        [c.split, c.kind, c.recipe or "–", number(c.rows), number(c.cer), number(c.wer), number(c.align_score)]
        for c in report.counts
    ]
    total = ["all", "", "", number(report.total_rows), "", "", ""]
    header = ["split", "kind", "recipe", "rows", "mean cer", "mean wer", "mean align_score"]
    parts = [card("Rows by split, kind and recipe", grid(header, counts, {3, 4, 5, 6}, total))]
    ledger = "".join(f"<div><h4>{esc(k)}</h4>{kv(stats[k])}</div>" for k in ("documents", "rows") if k in stats)
    ledger = f'<div class="cols">{ledger}</div>' if ledger else ""
    if "ledger_balanced" in stats:
        ok = stats["ledger_balanced"] is True
        ledger += (
            f'<p class="{"ok" if ok else "warn"}">{"the ledger adds up" if ok else "the ledger does not add up"}</p>'
        )
    parts.append(card("Ledger (stats.json)", ledger or '<span class="none">not in stats.json</span>'))
    table = baseline_table(stats.get("baselines"))
    if table:
        header, rows = table
        parts.append(
            card("Identity baselines (garbled as the restoration)", grid(header, rows, set(range(1, len(header)))))
        )
    elif "baselines" in stats:
        parts.append(card("Identity baselines", kv(stats["baselines"])))
    if "leakage" in stats:
        parts.append(card("Leakage", kv(stats["leakage"])))
    rest = {k: v for k, v in stats.items() if k not in SHOWN_KEYS}
    more = f"<details><summary>everything else in stats.json</summary>{kv(rest)}</details>" if rest else ""
    return f'<div class="cards">{"".join(parts)}</div>{more}'


# -- plots ------------------------------------------------------------------------------------------


def plots(report: Report) -> str:
    if not report.plots:
        return '<p class="empty">no plots in this dataset</p>'
    figures, problems = [], []
    for p in report.plots:
        if p.mime:
            uri = f"data:{p.mime};base64,{base64.b64encode(p.data).decode('ascii')}"
            figures.append(
                f'<figure><img src="{uri}" alt="{esc(p.key)}" data-plot="{esc(p.key)}">'
                f"<figcaption>{esc(p.key)}: {esc(p.path)}</figcaption></figure>"
            )
        else:
            problems.append(f"<li>{esc(p.key)}: {esc(p.path)} ({esc(p.problem)})</li>")
    out = f'<div class="cards">{"".join(figures)}</div>' if figures else ""
    if problems:
        out += f'<p class="warn">Not shown:</p><ul class="warn">{"".join(problems)}</ul>'
    return out


# -- rows -------------------------------------------------------------------------------------------


def _title(span: Span) -> str:
    what = " + ".join(span.categories) or span.op
    if span.op == "insert":
        return f"{what}: added {span.after!r}"
    if span.op == "delete":
        return f"{what}: deleted {span.before!r}"
    return f"{what}: {span.before!r} → {span.after!r}"


def garbled_html(spans: tuple[Span, ...]) -> str:
    """The garbled text with each edit in place: added text underlined, replaced text
    marked, deleted text struck through; hovering names the category and the change."""
    out = []
    for s in spans:
        if s.op == "same":
            out.append(esc(s.after))
            continue
        attrs = f'class="e f-{esc(s.family)}" data-cat="{esc(s.category)}" title="{esc(_title(s))}"'
        tag = {"insert": "ins", "delete": "del", "replace": "mark"}[s.op]
        out.append(f"<{tag} {attrs}>{esc(s.after if s.op != 'delete' else s.before)}</{tag}>")
    return "".join(out)


def clean_html(spans: tuple[Span, ...]) -> str:
    """The clean text with what each edit changed marked in the same colour (an
    insertion point as a caret)."""
    out = []
    for s in spans:
        if s.op == "same":
            out.append(esc(s.before))
        elif s.op == "insert":
            out.append(f'<span class="caret" title="{esc(_title(s))}">‸</span>')
        else:
            out.append(f'<mark class="e f-{esc(s.family)}" title="{esc(_title(s))}">{esc(s.before)}</mark>')
    return "".join(out)


def _data_number(x: float | None) -> str:
    return "" if x is None else repr(round(x, 6))


def row_html(row: SampleRow) -> str:
    cats = sorted({c for s in row.spans for c in s.categories})
    attrs = (
        f'data-split="{esc(row.split)}" data-kind="{esc(row.kind)}" data-recipe="{esc(row.recipe or NO_RECIPE)}" '
        f'data-score="{_data_number(row.align_score)}" data-cer="{_data_number(row.cer)}" '
        f'data-cats="{esc(" ".join(cats))}"'
    )
    meta = [
        f'<span class="badge">{esc(row.split)}</span>',
        f'<span class="badge {esc(row.kind)}">{esc(row.kind)}</span>',
        f"<span>recipe {esc(row.recipe or '–')}</span>",
        f"<span>align {esc(row.align or '–')}</span>",
        f"<span>align_score {esc(number(row.align_score))}</span>",
        f"<span>cer {esc(number(row.cer))}</span>",
        f"<span>wer {esc(number(row.wer))}</span>",
        f"<span>{len([s for s in row.spans if s.op != 'same'])} edits</span>",
        f"<code>{esc(row.id)}</code>",
    ]
    if row.edits_replay:
        garbled, clean = garbled_html(row.spans), clean_html(row.spans)
    else:
        meta.append('<span class="unreplayed">its edits do not rebuild the garbled text: shown unmarked</span>')
        garbled, clean = esc(row.garbled), esc(row.clean)
    return (
        f'<article class="row" {attrs}><header>{"".join(meta)}</header><div class="pair">'
        f'<div class="side garbled"><h4>garbled</h4><p>{garbled}</p></div>'
        f'<div class="side clean"><h4>clean</h4><p>{clean}</p></div></div></article>'
    )


def rows_html(report: Report) -> str:
    if not report.samples:
        return '<p class="empty">no rows sampled (--rows 0)</p>'
    totals: Counter[tuple[str, str]] = Counter()
    for c in report.counts:
        totals[(c.split, c.kind)] += c.rows
    sampled = Counter((r.split, r.kind) for r in report.samples)
    out, seen = [], set()
    for r in report.samples:
        key = (r.split, r.kind)
        if key not in seen:
            seen.add(key)
            out.append(
                f'<h3 class="group" data-split="{esc(r.split)}" data-kind="{esc(r.kind)}">'
                f"{esc(r.split)} · {esc(r.kind)} "
                f'<span class="none">({number(sampled[key])} of {number(totals[key])} rows)</span></h3>'
            )
        out.append(row_html(r))
    return "\n".join(out)


def _options(values: list[str], labels: dict[str, str] | None = None) -> str:
    return "".join(f'<option value="{esc(v)}">{esc((labels or {}).get(v, v))}</option>' for v in values)


def category_options(report: Report) -> str:
    """The categories in the sample, grouped by family, with how many edits each has."""
    seen = Counter(c for r in report.samples for s in r.spans for c in s.categories)
    out = []
    for fam in (*FAMILIES, "other"):
        cats = sorted(c for c in seen if CATEGORIES.get(c, "other") == fam)
        if cats:
            out.append(
                f'<optgroup label="{esc(fam)}">{_options(cats, {c: f"{c} ({seen[c]})" for c in cats})}</optgroup>'
            )
    return "".join(out)


def legend(report: Report) -> str:
    seen = Counter(c for r in report.samples for s in r.spans for c in s.categories)
    out = []
    for fam, (label, _, _) in families().items():
        cats = sorted(c for c in seen if CATEGORIES.get(c, "other") == fam)
        names = ", ".join(f"{c} {seen[c]}" for c in cats) or "none in this sample"
        out.append(
            f'<span class="f-{esc(fam)}" title="{esc(label)}"><span class="chip"></span><b>{esc(fam)}</b> '
            f'<span class="cats">{esc(names)}</span></span>'
        )
    marks = (
        '<span>in the garbled text: <ins class="e f-other">added</ins> <mark class="e f-other">replaced</mark> '
        '<del class="e f-other">deleted</del></span>'
    )
    return "".join(out) + marks


def family_css() -> str:
    return "\n".join(f".f-{fam} {{ --hl: {css}; }}" for fam, (_, css, _) in families().items())


def render_html(report: Report) -> str:
    splits = list(report.splits)
    kinds = sorted({c.kind for c in report.counts})
    recipes = sorted({c.recipe for c in report.counts})
    n_rows = len(report.samples)
    note = (
        f"Up to {report.rows_per_group} rows of each split and kind, the first by a stable hash of their id "
        f"(the same rows every time). Hover over an edit for its category and change."
    )
    slots = {
        "title": esc(f"Dataset {report.name}"),
        "subtitle": esc(
            f"{number(report.total_rows)} rows in {len(splits)} split{'s' if len(splits) != 1 else ''} "
            f"({', '.join(splits)}), "
            f"built by garble-builder; a report of python -m builder.report"
        ),
        "css": _resource("report.css"),
        "family_css": family_css(),
        "summary": summary(report),
        "plots": plots(report),
        "sample_note": esc(note),
        "split_options": _options(splits),
        "kind_options": _options(kinds),
        "recipe_options": _options([r or NO_RECIPE for r in recipes]),
        "category_options": category_options(report),
        "rows_total": str(n_rows),
        "legend": legend(report),
        "rows": rows_html(report),
        "js": _resource("report.js"),
    }
    return fill(_resource("template.html"), slots)
