"""The card's plots: PNG files in ``plots/``, drawn from ``RowStats``' histograms.

Drawn with matplotlib's Agg canvas directly (no pyplot: no global figure state, no
display), under matplotlib's default style (a user's matplotlibrc does not change the
bytes), and saved without the "Software" text chunk that names matplotlib's version:
the same rows give the same PNG bytes.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import numpy as np

from builder.core.categories import CATEGORIES
from builder.pipeline.writers.rowstats import LENGTH_BINS, RATE_BINS, RowStats

SPLIT_ORDER = ("train", "validation", "test")
SPLIT_COLORS = {"train": "#1f77b4", "validation": "#ff7f0e", "test": "#2ca02c"}
KIND_COLORS = {"real": "#9467bd", "synthetic": "#8c564b"}
DPI = 100

#: Each plot: its file, and the line the card shows under it.
CAPTIONS = {
    "cer": "Character error rate of `garbled` against `clean`, by split (lines) and kind (panels); "
    "the share of each split's rows per bin, rates of 1 and more in the last bin.",
    "wer": "Word error rate of `garbled` against `clean`, by split and kind, as above.",
    "align_score": "Calibrated alignment score of the real rows, by split (synthetic rows are 1 by construction).",
    "length": "Length of `clean` in characters (log scale), by split and kind.",
    "edit_categories": "Share of each kind's edits per edit category.",
}


def _figure(panels: int, height: float = 3.2, left: float = 0.7, width: float | None = None) -> tuple[Any, list[Any]]:
    from matplotlib.figure import Figure

    width = width or 4.2 * panels + 0.8
    fig = Figure(figsize=(width, height), dpi=DPI)
    # Fixed margins: a layout engine (constrained, tight) would cost more than the drawing.
    fig.subplots_adjust(left=left / width, right=0.98, bottom=0.55 / height, top=1 - 0.35 / height, wspace=0.3)
    axes = fig.subplots(1, panels, squeeze=False)[0]
    return fig, list(axes)


def _save(fig: Any, path: Path) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="png", dpi=DPI, metadata={"Software": None})


def _steps(ax: Any, stats: RowStats, measure: str, kind: str, bins: np.ndarray, legend: str = "upper right") -> None:
    for split in SPLIT_ORDER:
        counts = stats.hist.get((measure, split, kind))
        if counts is None or not counts.sum():
            continue
        share = counts / counts.sum()
        ax.stairs(share, bins, color=SPLIT_COLORS[split], linewidth=1.5, label=f"{split} ({counts.sum():,})")
    ax.set_ylabel("share of rows")
    ax.legend(loc=legend, fontsize="small", frameon=False)  # a fixed place: "best" costs a search


def _by_kind(stats: RowStats, measure: str, xlabel: str, bins: np.ndarray, path: Path, log: bool = False) -> None:
    kinds = [k for k in stats.kinds if any(key[0] == measure and key[2] == k for key in stats.hist)]
    fig, axes = _figure(len(kinds))
    for ax, kind in zip(axes, kinds, strict=True):
        _steps(ax, stats, measure, kind, bins)
        ax.set_title(f"{kind} rows")
        ax.set_xlabel(xlabel)
        if log:
            from matplotlib.ticker import FuncFormatter, NullFormatter

            ax.set_xscale("log")
            # plain numbers (1,000): the default labels are math text (10³), whose layout
            # cost as much as the rest of the plot
            ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:,.0f}"))
            ax.xaxis.set_minor_formatter(NullFormatter())
    _save(fig, path)


def _edit_categories(stats: RowStats, path: Path) -> None:
    kinds = [k for k in ("real", "synthetic") if sum(stats.categories.get(k, {}).values())]
    seen = {c for k in kinds for c, n in stats.categories[k].items() if n}
    names = [c for c in CATEGORIES if c in seen] + sorted(seen - set(CATEGORIES))  # an op of your own: last
    fig, axes = _figure(1, height=0.25 * len(names) + 1.0, left=1.6, width=7.5)
    ax = axes[0]
    y = np.arange(len(names))
    width = 0.8 / len(kinds)
    for i, kind in enumerate(kinds):
        counts = stats.categories[kind]
        total = sum(counts.values())
        share = [counts.get(c, 0) / total for c in names]
        ax.barh(y + i * width, share, height=width, color=KIND_COLORS[kind], label=f"{kind} ({total:,} edits)")
    ax.set_yticks(y + width * (len(kinds) - 1) / 2, names)
    ax.invert_yaxis()
    ax.set_xlabel("share of the kind's edits")
    ax.legend(loc="lower right", fontsize="small", frameon=False)
    _save(fig, path)


def load_matplotlib() -> None:
    """Import what drawing needs (more than half a second): a process that forks the
    workers which draw can do it while it would otherwise wait, so that they start
    with it done."""
    for module in ("matplotlib.figure", "matplotlib.style", "matplotlib.backends.backend_agg"):
        importlib.import_module(module)


def plot_names(stats: RowStats) -> tuple[list[str], list[str]]:
    """The plots the rows allow, in the card's order, and a note for each left out (and why)."""
    names, notes = ["cer", "wer"], []
    if stats.kind_rows("real"):
        names.append("align_score")
    else:
        notes.append("align_score: no real rows (every row is synthetic, with a score of 1)")
    names.append("length")
    if any(sum(c.values()) for c in stats.categories.values()):
        names.append("edit_categories")
    else:
        notes.append("edit_categories: no row has an edit")
    return names, notes


def plot_path(name: str) -> str:
    """Where plot ``name`` goes, relative to the dataset's folder (known before it is drawn:
    the card that links it can be written while it is being drawn)."""
    return f"plots/{name}.png"


def draw_plot(name: str, stats: RowStats, folder: Path) -> str:
    """Draw one plot of ``plot_names`` into ``folder/plots``; its ``plot_path``.
    One plot a call, so that worker processes can draw them side by side."""
    import matplotlib.style

    path = plot_path(name)
    with matplotlib.style.context("default"):
        if name in ("cer", "wer"):
            _by_kind(stats, name, name.upper(), RATE_BINS, folder / path)
        elif name == "align_score":
            fig, axes = _figure(1)
            _steps(axes[0], stats, "align_score", "real", RATE_BINS, legend="upper left")
            axes[0].set_xlabel("align_score")
            _save(fig, folder / path)
        elif name == "length":
            _by_kind(stats, "length", "clean characters", LENGTH_BINS, folder / path, log=True)
        elif name == "edit_categories":
            _edit_categories(stats, folder / path)
        else:
            raise ValueError(f"no plot named {name!r}")
    return path
